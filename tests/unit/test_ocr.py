"""Scans: PDF pages without a text layer and photographed pages are read by Tesseract OCR.

The scans are generated here (tests/scan_samples.py): a sample document's text rendered into
an A4 image and wrapped into a PDF with no text layer. Tests that need Tesseract skip when it
is absent; scripts/test.sh installs tesseract-ocr-vie, so in CI they run.
"""

from __future__ import annotations

import dataclasses
import functools

import pytest

import parsers
from bot.config.schema import Config
from bot.core import intake, rules, views
from bot.core.model import Attachment, Finding
from bot.core.picture import build
from parsers import CorruptDocument, UnsupportedFormat, ocr
from tests import samples, scan_samples
from tests.samples import SAMPLE_DOSSIERS
from tests.unit import builders

TAM_DUONG = SAMPLE_DOSSIERS["tam_duong"]
PHONG_THO = SAMPLE_DOSSIERS["phong_tho"]
needs_tesseract = pytest.mark.skipif(
    not ocr.available(), reason="Tesseract with Vietnamese data (tesseract-ocr-vie) is not installed; "
                                "scripts/test.sh installs it")


@functools.cache
def _scan(dossier: str, rotate: int = 0) -> bytes:
    return scan_samples.scanned_pdf_of(samples.to_trinh_docx(SAMPLE_DOSSIERS[dossier]), rotate=rotate)


def _individuals(document: parsers.Document) -> list[str]:
    return [n.name for n in parsers.extract_nominees(document) if n.kind == "individual"]


@needs_tesseract
def test_scanned_to_trinh_is_read_classified_and_flagged_for_staff(
        cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a tờ trình printed and scanned (no text layer) WHEN the bot reads it THEN OCR gives its title,
    unit and nominees, and staff are asked to confirm them (needs_review, unit flag)."""
    scan = _scan("tam_duong")
    with monkeypatch.context() as without_ocr:
        without_ocr.setattr(ocr, "available", lambda: False)
        assert "needs_ocr" in parsers.extract("scan.pdf", scan).warnings      # no text layer at all
    record = intake.read_document(Attachment("scan0001.pdf", "application/pdf", scan), cfg)
    assert (record.kind, record.status, record.unit_hint) == ("to_trinh", "ok", "tam_duong")
    assert Finding.OCR_TO_CONFIRM in record.warnings and "ocr" in record.warnings
    assert [n.name for n in record.nominees] == [*TAM_DUONG.collectives, *(p.name for p in TAM_DUONG.individuals)]
    message = builders.message("tam_duong", builders.at(1), record)
    reasons = [(item.reason, item.detail) for item in views.review_items([message])]
    assert [reason for reason, _ in reasons] == [Finding.OCR_TO_CONFIRM]
    assert "Lù Thị Ngoan" in reasons[0][1]
    unit = next(u for u in views.status_object(build(cfg, [message], []))["units"] if u["id"] == "tam_duong")
    assert Finding.OCR_TO_CONFIRM in unit["flags"]
    assert unit["individuals"] == 4


@needs_tesseract
def test_sideways_scan_is_turned_upright() -> None:
    """GIVEN the page scanned at 90° WHEN extracted THEN OSD turns it: title read, every nominee found.

    Exact spelling of names read by OCR is measured by bench/accuracy.py, not asserted here."""
    document = parsers.extract("scan.pdf", _scan("phong_tho", rotate=90))
    assert "ocr_rotated" in document.warnings
    assert "TỜ TRÌNH" in document.lines()
    expected = [p.name for p in PHONG_THO.individuals]
    found = _individuals(document)
    assert len(found) == len(expected)
    assert sum(name in expected for name in found) >= len(expected) - 1


@needs_tesseract
def test_photographed_page_is_read() -> None:
    """GIVEN a page attached as a JPEG photo WHEN extracted THEN OCR reads its title."""
    document = parsers.extract("IMG_0001", scan_samples.photo_of(samples.to_trinh_docx(TAM_DUONG), "JPEG"))
    assert document.format == "image"
    assert "ocr" in document.warnings
    assert "TỜ TRÌNH" in document.lines()


@needs_tesseract
def test_ocr_timeout_is_a_recorded_outcome(cfg: Config) -> None:
    """GIVEN Tesseract slower than its limit WHEN a scan is read THEN needs_ocr and ocr_timeout, no crash."""
    document = parsers.extract("scan.pdf", _scan("tam_duong"), parsers.Limits(ocr_page_seconds=0.01))
    assert {"needs_ocr", "ocr_timeout"} <= set(document.warnings)
    hurried = dataclasses.replace(cfg, limits=dataclasses.replace(cfg.limits, ocr_page_seconds=0.01))
    record = intake.read_document(Attachment("to trinh.pdf", "application/pdf", _scan("tam_duong")), hurried)
    assert (record.status, record.kind) == (Finding.NEEDS_OCR, "to_trinh")


@needs_tesseract
def test_ocr_page_limit_is_said() -> None:
    document = parsers.extract("scan.pdf", _scan("tam_duong"), parsers.Limits(ocr_pages=0))
    assert {"needs_ocr", "ocr_page_limit"} <= set(document.warnings)


@needs_tesseract
@pytest.mark.parametrize(
    "data", [b"\xff\xd8\xff\xe0" + b"\0" * 64, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4],
    ids=["truncated-jpeg", "garbage-png"])
def test_undecodable_image_is_unreadable(data: bytes) -> None:
    with pytest.raises(CorruptDocument):
        parsers.extract("scan.jpg", data)


@needs_tesseract
def test_blank_scan_stays_needs_ocr() -> None:
    """GIVEN a scanned page with nothing on it WHEN extracted THEN needs_ocr (never silently empty)."""
    blank = scan_samples.scan_pdf(scan_samples.page_images([]))
    document = parsers.extract("scan.pdf", blank)
    assert "needs_ocr" in document.warnings and document.is_empty


def test_without_tesseract_a_scan_is_needs_ocr_and_an_image_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    blank = scan_samples.scan_pdf(scan_samples.page_images(["TỜ TRÌNH"]))
    assert "needs_ocr" in parsers.extract("scan.pdf", blank).warnings
    with pytest.raises(UnsupportedFormat):
        parsers.extract("scan.png", scan_samples.photo_of(samples.to_trinh_docx(TAM_DUONG), "PNG"))


def test_ocr_summary_words() -> None:
    page = ocr.PageText(lines=("TỜ TRÌNH",), confidence=91.0, rotation=0)
    assert ocr.summary([page], []) == ["ocr"]
    assert ocr.summary([dataclasses.replace(page, rotation=90)], ["ocr_timeout"]) == [
        "ocr", "ocr_timeout", "ocr_rotated"]
    assert ocr.summary([dataclasses.replace(page, lines=())], ["ocr_failed"]) == ["needs_ocr", "ocr_failed"]
    assert ocr.summary([page, dataclasses.replace(page, confidence=41.0)], []) == ["ocr", "ocr_low_confidence"]


def test_a_page_that_cannot_be_rendered_is_noted_not_fatal() -> None:
    pages, notes = ocr.read_pages(iter([None]))
    assert (pages, notes) == ([ocr.PageText((), 0.0, 0)], ["ocr_failed"])


def test_ocr_documents_are_listed_for_staff_to_confirm(cfg: Config) -> None:
    """GIVEN a document read by OCR WHEN the dossier is viewed THEN a review line with its names and a unit flag."""
    record = dataclasses.replace(
        builders.doc("to_trinh", (builders.person("Lò Văn Pâng"),), filename="scan.pdf"),
        warnings=(str(Finding.OCR_TO_CONFIRM), "ocr"))
    message = builders.message("tam_duong", builders.at(1), record)
    assert [(item.reason, item.detail) for item in views.review_items([message])] == [
        (Finding.OCR_TO_CONFIRM, "scan.pdf: đọc bằng OCR từ bản scan, cần đối chiếu danh sách: Lò Văn Pâng")]
    unit = cfg.unit("tam_duong")
    assert unit is not None
    assert Finding.OCR_TO_CONFIRM in rules.assess(unit, [message], cfg).flags
    assert rules.assess(unit, [message], cfg).individuals == 1          # the list still counts meanwhile
