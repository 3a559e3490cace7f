"""The typed words passed between modules: stored as the same strings as before, read back as members."""

from __future__ import annotations

import pytest

from bot.core.model import DocStatus, Finding, document_status
from parsers.nominees import NomineeKind


def test_a_stored_document_status_reads_back_as_its_member() -> None:
    assert document_status("ok") is DocStatus.OK
    assert document_status("needs_ocr") is Finding.NEEDS_OCR
    assert [document_status(str(s)) for s in (DocStatus.OK, Finding.UNREADABLE_ATTACHMENT)] == [
        DocStatus.OK, Finding.UNREADABLE_ATTACHMENT]
    with pytest.raises(ValueError):
        document_status("fine")


def test_nominee_kinds_keep_the_contract_words() -> None:
    assert [str(k) for k in NomineeKind] == ["collective", "individual"]
    assert f"{NomineeKind.COLLECTIVE}" == "collective"   # row keys and JSON are built with f-strings
