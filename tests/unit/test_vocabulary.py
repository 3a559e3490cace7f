"""The typed words passed between modules: stored as the same strings as before, read back as members."""

from __future__ import annotations

import pytest

from bot.core import findings
from bot.core.model import DocStatus, Finding, Outcome, Sign, document_status, document_warning, message_finding
from parsers.model import ReadWarning
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


def test_a_stored_finding_reads_back_as_the_member_it_was() -> None:
    codes = [m for kind in (Finding, Outcome, Sign) for m in kind]
    assert len({str(m) for m in codes}) == len(codes)             # no code means two things
    assert all(message_finding(str(m)) is m for m in codes)
    assert message_finding("auto_sign:dsn_text") is Sign.DSN_TEXT
    with pytest.raises(ValueError):
        message_finding("auto_sign:")


def test_every_sign_is_a_registered_code_with_words() -> None:
    for sign in Sign:
        entry = findings.REGISTRY[str(sign)]
        assert entry.scope == findings.Scope.SIGN and findings.words(sign).startswith("dấu hiệu: ")


def test_a_stored_document_warning_reads_back_as_the_readers_code_or_a_finding() -> None:
    assert document_warning("ocr") is ReadWarning.OCR
    assert document_warning("table_cut") is ReadWarning.TABLE_CUT == Finding.TABLE_CUT   # one word, one meaning
    assert document_warning("ocr_to_confirm") is Finding.OCR_TO_CONFIRM
    assert document_warning("names_campaign") is Finding.NAMES_CAMPAIGN
    with pytest.raises(ValueError):
        document_warning("ocr_")
