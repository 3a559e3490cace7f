"""``mailbot check``: the document readers found on this machine and the workers that will use them.

Plain words for staff: what a missing reader means for the dossiers (which files go to review)
and the Debian/Ubuntu packages that install it.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.app.pool import cores_available, workers_for
from bot.config.schema import Config
from bot.message import archives
from parsers import ocr, office

TESSERACT_PACKAGES = {"vie": "tesseract-ocr-vie", "osd": "tesseract-ocr-osd"}
LIBREOFFICE_PACKAGES = "libreoffice-writer-nogui libreoffice-calc-nogui"
LIBARCHIVE_PACKAGE = "libarchive13"


def reader_lines(cfg: Config, languages: Callable[[], frozenset[str]] = ocr.languages,
                 soffice: Callable[[], str | None] = office.soffice,
                 unpacker: Callable[[], str | None] = archives.unpacker) -> list[str]:
    return [*tesseract_lines(languages()), libreoffice_line(soffice()), archive_line(unpacker()), workers_line(cfg)]


def tesseract_lines(found: frozenset[str]) -> list[str]:
    if not found:
        return ["--   Tesseract not found: scanned PDFs and photographed pages cannot be read; they go to staff"
                " review (needs_ocr). Install: sudo apt-get install tesseract-ocr tesseract-ocr-vie"
                " tesseract-ocr-osd"]
    lines = []
    if "vie" in found:
        lines.append("OK   Tesseract with Vietnamese (vie): scanned PDFs and photographed pages are read")
    else:
        lines.append("--   Tesseract has no Vietnamese data (vie): scanned PDFs and photographed pages go to staff"
                     f" review (needs_ocr). Install: sudo apt-get install {TESSERACT_PACKAGES['vie']}")
    if "osd" in found:
        lines.append("OK   Tesseract orientation data (osd): pages scanned sideways or upside down are turned")
    else:
        lines.append("--   Tesseract has no orientation data (osd): pages scanned sideways are read as they lie,"
                     " often badly, and go to staff review. Install: sudo apt-get install"
                     f" {TESSERACT_PACKAGES['osd']}")
    return lines


def libreoffice_line(binary: str | None) -> str:
    if binary:
        return f"OK   LibreOffice ({binary}): .doc, .xls, .rtf, .odt and .ods files are converted and read"
    return ("--   LibreOffice (soffice) not found: .doc, .xls, .rtf, .odt and .ods files cannot be read; they go"
            f" to staff review (unsupported_format). Install: sudo apt-get install {LIBREOFFICE_PACKAGES}")


def archive_line(problem: str | None) -> str:
    """``problem``: why libarchive cannot be loaded, None when it can."""
    if problem is None:
        return "OK   libarchive: attached .rar and .7z archives are unpacked like .zip"
    return (f"--   libarchive not available ({problem}): attached .rar and .7z archives are not unpacked; they go to"
            f" staff review. Install: sudo apt-get install {LIBARCHIVE_PACKAGE}")


def workers_line(cfg: Config) -> str:
    setting = cfg.limits.document_workers
    workers = workers_for(setting)
    how = "one per core" if setting == 0 else "set in config"
    return (f"OK   documents read by {workers} worker process(es) (limits.document_workers = {setting}: {how};"
            f" {cores_available()} core(s) available)")
