"""Legacy and open office formats through LibreOffice: .doc, .xls, .rtf, .odt, .ods.

The legacy files are made here from the sample .docx/.xlsx by LibreOffice itself (as "Save as
Word 97-2003" would), so the tests need soffice; they skip with the reason when it is missing
(scripts/test.sh installs it). What happens without LibreOffice is tested by hiding it.
"""

from __future__ import annotations

import functools
import tempfile
from datetime import datetime
from pathlib import Path

import pytest

import parsers
from bot.config.schema import Config
from bot.core import intake, rules
from bot.core.model import Attachment, Finding
from bot.message import mime, replies
from parsers import UnsupportedFormat, office, proc
from tests import samples, scan_samples
from tests.samples import SAMPLE_DOSSIERS
from tests.unit import builders

TAM_DUONG = SAMPLE_DOSSIERS["tam_duong"]
needs_soffice = pytest.mark.skipif(
    office.soffice() is None, reason="LibreOffice (soffice) is not installed; scripts/test.sh installs it")


@functools.cache
def _converted(kind: str, target: str) -> bytes:
    source = samples.danh_sach_xlsx(TAM_DUONG) if kind == "danh_sach" else samples.to_trinh_docx(TAM_DUONG)
    if kind == "danh_sach":
        binary = office.soffice()
        assert binary is not None
        return office.convert(binary, source, "xlsx", target)
    return scan_samples.legacy_doc(source, target)


def _names(document: parsers.Document) -> list[str]:
    return [n.name for n in parsers.extract_nominees(document)]


EXPECTED = [*TAM_DUONG.collectives, *(p.name for p in TAM_DUONG.individuals)]


@needs_soffice
@pytest.mark.parametrize("target", ["doc", "rtf", "odt"])
def test_word_formats_are_read_like_the_docx(target: str) -> None:
    """GIVEN the tờ trình saved as .doc/.rtf/.odt WHEN extracted THEN the same title and nominees as the docx."""
    data = _converted("to_trinh", target)
    assert parsers.sniff_format("to trinh", data) == target
    document = parsers.extract("Tờ trình", data)
    assert document.format == target
    assert "TỜ TRÌNH" in document.lines()
    assert _names(document) == EXPECTED


@needs_soffice
@pytest.mark.parametrize("target", ["xls", "ods"])
def test_sheet_formats_are_read_like_the_xlsx(target: str) -> None:
    data = _converted("danh_sach", target)
    assert parsers.sniff_format("danh sach", data) == target
    document = parsers.extract("Danh sách", data)
    assert document.format == target
    assert _names(document) == EXPECTED


@needs_soffice
def test_legacy_doc_is_classified_with_its_nominees(cfg: Config) -> None:
    record = intake.read_document(Attachment("TTr 38.doc", "application/msword", _converted("to_trinh", "doc")), cfg)
    assert (record.status, record.kind, record.format, record.unit_hint) == ("ok", "to_trinh", "doc", "tam_duong")
    assert [n.name for n in record.nominees] == EXPECTED


@needs_soffice
@pytest.mark.usefixtures("private_tmp")
def test_conversion_timeout_kills_soffice_and_leaves_no_files() -> None:
    """GIVEN a conversion limit too short WHEN a .doc is read THEN UnsupportedFormat, no temp dir, no process left."""
    data = _converted("to_trinh", "doc")
    before = _office_dirs()
    with pytest.raises(UnsupportedFormat, match="timed out"):
        parsers.extract("x.doc", data, parsers.Limits(office_seconds=0.05))
    assert _office_dirs() == before
    assert not _office_processes()


@needs_soffice
@pytest.mark.parametrize(
    "data", [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + bytes(range(256)) * 16,
             b"{\\rtf1 \\garbage{{{" + b"\0" * 300],
    ids=["garbage-ole-word", "garbage-rtf"])
@pytest.mark.usefixtures("private_tmp")
def test_garbage_legacy_files_are_recorded_not_crashed(data: bytes, cfg: Config) -> None:
    """GIVEN a damaged .doc/.rtf WHEN read THEN unsupported_format (LibreOffice is not let to guess it is text)."""
    before = _office_dirs()
    record = intake.read_document(Attachment("Tờ trình.doc", "application/msword", data), cfg)
    assert record.status == Finding.UNSUPPORTED_FORMAT
    assert "could not convert" in record.detail
    assert record.kind == "to_trinh"          # the file name still tells what it was meant to be
    assert _office_dirs() == before


def test_without_libreoffice_legacy_word_is_unsupported(monkeypatch: pytest.MonkeyPatch, cfg: Config) -> None:
    """GIVEN no soffice WHEN a .doc arrives THEN unsupported_format, counted as received, reply asks for .docx/.pdf."""
    monkeypatch.setattr(office, "soffice", lambda: None)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 512
    with pytest.raises(UnsupportedFormat, match="LibreOffice is not installed"):
        parsers.extract("Tờ trình.doc", data)
    record = intake.read_document(Attachment("Tờ trình.doc", "application/msword", data), cfg)
    assert (record.status, record.kind, record.counts_as_received) == (Finding.UNSUPPORTED_FORMAT, "to_trinh", True)


@pytest.mark.parametrize(
    ("stream", "fmt"),
    [("WordDocument", "doc"), ("Workbook", "xls"), ("Book\0", "xls"), ("PowerPoint Document", "ole"),
     ("EncryptedPackage", "encrypted_office")])
def test_ole_files_are_told_apart_by_their_streams(stream: str, fmt: str) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + stream.encode("utf-16-le") + b"\0" * 100
    assert parsers.sniff_format("file.bin", data) == fmt


def test_a_killed_helper_program_is_a_timeout() -> None:
    with pytest.raises(proc.ToolTimeout):
        proc.run(["sleep", "5"], timeout=0.1)
    assert proc.run(["cat"], stdin=b"ok", timeout=5).stdout == b"ok"


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's conversions get their own temp root: other runs on the machine do not count."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _office_dirs() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("mailbot-office-*"))


def _office_processes() -> list[str]:
    """Command lines of running programs that use one of our conversion profiles."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if f"{tempfile.gettempdir()}/mailbot-office-" in text:
            found.append(text)
    return found


def test_reply_to_an_unsupported_file_asks_for_docx_or_pdf(cfg: Config, now: datetime) -> None:
    record = builders.message("tam_duong", builders.at(1), builders.doc(
        "to_trinh", status=Finding.UNSUPPORTED_FORMAT, filename="Tờ trình.doc"))
    unit = cfg.unit("tam_duong")
    assert unit is not None
    mail = mime.parse(samples.eml(sender="ldld.tamduong@example.vn", subject="Hồ sơ đề nghị khen thưởng"))
    body = replies.acknowledgement(mail, record, unit, rules.assess(unit, [record], cfg), cfg, now).get_content()
    line = next(line for line in body.splitlines() if "«Tờ trình.doc»" in line)
    assert "đề nghị đơn vị gửi thêm bản .docx hoặc .pdf" in line
