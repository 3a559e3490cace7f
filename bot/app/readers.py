"""``mailbot check``: the document readers found on this machine, tried on what they must open, and the
workers that will use them.

A reader counts as working only when it opens a tiny file of its kind: LibreOffice converts a .doc
(Writer) and a .xls (Calc) kept in ``bot/app/probes/``, Tesseract reads a scan drawn at check time. A
LibreOffice with Calc and no Writer has ``soffice`` and still cannot read a .doc. Plain words for staff:
what a missing reader means for the dossiers (which files go to review) and the Debian/Ubuntu package
that installs it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources

import parsers
from bot.app.pool import cores_available, workers_for
from bot.config.schema import Config
from bot.core.intake import document_limits
from bot.message import archives
from parsers import ocr, office

TESSERACT_PACKAGES = {"vie": "tesseract-ocr-vie", "osd": "tesseract-ocr-osd"}
LIBREOFFICE_PACKAGES = "libreoffice-writer-nogui libreoffice-calc-nogui"
LIBARCHIVE_PACKAGE = "libarchive13"
MARK = "MAILBOT"           # the word every probe file holds


@dataclass(frozen=True, slots=True)
class OfficePart:
    """One LibreOffice module, the probe file it must convert, and what its absence means."""

    name: str
    probe: str            # a file in bot/app/probes/
    files: str            # the attachments it reads
    package: str


WRITER = OfficePart("Writer", "probe.doc", ".doc, .rtf and .odt", "libreoffice-writer-nogui")
CALC = OfficePart("Calc", "probe.xls", ".xls and .ods", "libreoffice-calc-nogui")
# What a probe says: None when the reader opened its file, else why not.
Probe = Callable[[], str | None]


def reader_lines(cfg: Config, languages: Callable[[], frozenset[str]] = ocr.languages,
                 soffice: Callable[[], str | None] = office.soffice,
                 unpacker: Callable[[], str | None] = archives.unpacker,
                 probes: dict[str, Probe] | None = None) -> list[str]:
    """``probes`` (``Writer``, ``Calc``, ``OCR``): by default each opens its file through the parsers, the
    three at once (a LibreOffice conversion takes seconds)."""
    found, binary = languages(), soffice()
    chosen = probes if probes is not None else default_probes(cfg)
    wanted = [name for name in ("Writer", "Calc") if binary] + (["OCR"] if "vie" in found else [])
    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = dict(zip(wanted, pool.map(lambda name: chosen[name](), wanted), strict=True))
    office_lines = ([libreoffice_part_line(binary, part, answers[part.name]) for part in (WRITER, CALC)]
                    if binary else [libreoffice_line(None)])
    return [*tesseract_lines(found, answers.get("OCR")), *office_lines, archive_line(unpacker()), workers_line(cfg)]


def default_probes(cfg: Config) -> dict[str, Probe]:
    limits = document_limits(cfg.limits)
    return {"Writer": lambda: probe_file(WRITER.probe, limits), "Calc": lambda: probe_file(CALC.probe, limits),
            "OCR": lambda: probe_scan(limits)}


def probe_file(name: str, limits: parsers.Limits = parsers.DEFAULT_LIMITS) -> str | None:
    """Read the probe file ``name`` the way an attachment is read; None when its word comes back."""
    data = resources.files("bot.app").joinpath("probes", name).read_bytes()
    return _found(lambda: parsers.extract(name, data, limits))


def probe_scan(limits: parsers.Limits = parsers.DEFAULT_LIMITS) -> str | None:
    """Draw a one-line scan and read it by OCR; None when its word comes back."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (900, 200), 255)
    ImageDraw.Draw(image).text((40, 60), f"{MARK} 2020", font=ImageFont.load_default(size=64), fill=0)
    png = io.BytesIO()
    image.save(png, "PNG")
    return _found(lambda: parsers.extract("probe.png", png.getvalue(), limits))


def _found(read: Callable[[], parsers.Document]) -> str | None:
    try:
        document = read()
    except parsers.DocumentError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - a check reports, it never stops
        return f"{type(exc).__name__}: {exc}"
    text = " ".join(document.lines())
    return None if MARK in text.upper() else f"the test file came back without its text ({text[:60]!r})"


def tesseract_lines(found: frozenset[str], scan_problem: str | None = None) -> list[str]:
    """``scan_problem``: why the test scan was not read (None: it was)."""
    if not found:
        return ["--   Tesseract not found: scanned PDFs and photographed pages cannot be read; they go to staff"
                " review (needs_ocr). Install: sudo apt-get install tesseract-ocr tesseract-ocr-vie"
                " tesseract-ocr-osd"]
    lines = []
    if "vie" in found and scan_problem is None:
        lines.append("OK   Tesseract with Vietnamese (vie): a test scan was read; scanned PDFs and photographed pages"
                     " are read")
    elif "vie" in found:
        lines.append(f"--   Tesseract with Vietnamese (vie) is installed but could not read a test scan"
                     f" ({scan_problem}): scanned PDFs and photographed pages go to staff review (needs_ocr)."
                     " Reinstall: sudo apt-get install --reinstall tesseract-ocr tesseract-ocr-vie")
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


def libreoffice_part_line(binary: str, part: OfficePart, problem: str | None) -> str:
    """One LibreOffice module, by whether it converted its test file (``problem`` None) or why not."""
    if problem is None:
        return (f"OK   LibreOffice {part.name} ({binary}): a test {part.probe[-4:]} was converted; {part.files}"
                " files are read")
    return (f"--   LibreOffice {part.name} does not work ({problem}): {part.files} files cannot be read; they go to"
            f" staff review (unsupported_format). Install: sudo apt-get install {part.package}")


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
