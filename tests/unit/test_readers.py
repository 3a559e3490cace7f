"""`mailbot check` names the document readers, says what a missing one means and how to install it."""

from __future__ import annotations

from bot.app.readers import reader_lines
from bot.config.schema import Config


def _text(cfg: Config, languages: frozenset[str], soffice: str | None, unpacker: str | None = None) -> str:
    return "\n".join(reader_lines(cfg, lambda: languages, lambda: soffice, lambda: unpacker))


def test_all_readers_present(cfg: Config) -> None:
    text = _text(cfg, frozenset({"vie", "osd", "eng"}), "/usr/bin/soffice")
    assert "OK   Tesseract with Vietnamese (vie)" in text
    assert "OK   Tesseract orientation data (osd)" in text
    assert "OK   LibreOffice (/usr/bin/soffice)" in text
    assert "OK   libarchive: attached .rar and .7z archives are unpacked" in text
    assert "worker process(es) (limits.document_workers = 0: one per core" in text


def test_missing_readers_say_what_goes_to_review_and_which_packages_install_them(cfg: Config) -> None:
    text = _text(cfg, frozenset(), None, "OSError: libarchive.so.13: cannot open shared object file")
    assert "Tesseract not found: scanned PDFs and photographed pages cannot be read; they go to staff review" in text
    assert "apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd" in text
    assert ".doc, .xls, .rtf, .odt and .ods files cannot be read; they go to staff review" in text
    assert "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" in text
    assert ".rar and .7z archives are not unpacked; they go to staff review" in text
    assert "apt-get install libarchive13" in text


def test_missing_language_data_is_named(cfg: Config) -> None:
    text = _text(cfg, frozenset({"eng"}), "/usr/bin/soffice")
    assert "no Vietnamese data (vie)" in text and "apt-get install tesseract-ocr-vie" in text
    assert "no orientation data (osd)" in text and "apt-get install tesseract-ocr-osd" in text
