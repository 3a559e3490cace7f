"""`mailbot check` names the document readers, says what a missing one means and how to install it."""

from __future__ import annotations

import parsers
from bot.app.readers import CALC, WRITER, _found, probe_file, probe_scan, reader_lines
from bot.config.schema import Config


def _text(cfg: Config, languages: frozenset[str], soffice: str | None, unpacker: str | None = None,
          problems: dict[str, str | None] | None = None) -> str:
    """The reader lines, each probe answering from ``problems`` (None, i.e. it works, when absent)."""
    answers = problems or {}
    probes = {name: (lambda name=name: answers.get(name)) for name in ("Writer", "Calc", "OCR")}
    return "\n".join(reader_lines(cfg, lambda: languages, lambda: soffice, lambda: unpacker, probes))


def test_all_readers_present(cfg: Config) -> None:
    text = _text(cfg, frozenset({"vie", "osd", "eng"}), "/usr/bin/soffice")
    assert "OK   Tesseract with Vietnamese (vie)" in text
    assert "OK   Tesseract orientation data (osd)" in text
    assert "OK   LibreOffice Writer (/usr/bin/soffice): a test .doc was converted" in text
    assert "OK   LibreOffice Calc (/usr/bin/soffice): a test .xls was converted" in text
    assert "a test scan was read" in text
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


def test_calc_without_writer_is_named_with_what_it_costs(cfg: Config) -> None:
    """`soffice` is there, but the .doc does not convert: Writer is missing, whatever the binary says."""
    text = _text(cfg, frozenset({"vie", "osd"}), "/usr/bin/soffice",
                 problems={"Writer": "legacy Word 97-2003 file (.doc): LibreOffice could not convert it"})
    assert "--   LibreOffice Writer does not work (legacy Word" in text
    assert ".doc, .rtf and .odt files cannot be read; they go to staff review" in text
    assert "apt-get install libreoffice-writer-nogui" in text
    assert "OK   LibreOffice Calc" in text


def test_a_tesseract_that_cannot_read_a_scan_is_named(cfg: Config) -> None:
    text = _text(cfg, frozenset({"vie", "osd"}), None, problems={"OCR": "the test file came back without its text"})
    assert "--   Tesseract with Vietnamese (vie) is installed but could not read a test scan" in text


def test_the_real_readers_open_their_test_files() -> None:
    """On this machine (scripts/test.sh installs every reader) the probes really convert and read."""
    assert probe_file(WRITER.probe) is None
    assert probe_file(CALC.probe) is None
    assert probe_scan() is None


def test_a_broken_probe_file_is_reported_not_raised() -> None:
    assert _found(lambda: parsers.extract("x.doc", b"\xd0\xcf\x11\xe0 not really")) is not None
