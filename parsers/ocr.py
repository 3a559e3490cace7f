"""Text of scanned pages and photographed documents through Tesseract (Vietnamese data).

Pages are rendered with pypdfium2 (PDF) or opened with Pillow (images), turned upright by
Tesseract's orientation detection (``--psm 0``), then read with ``-l vie`` as TSV so each line
comes with a confidence. The tesseract binary gets the image through a pipe and answers on
stdout: no file is written. Limits: :data:`MAX_PAGES` pages, :data:`PAGE_SECONDS` per Tesseract
call and :data:`TOTAL_SECONDS` per document; pages past a limit are left out and said so in the
warnings. Without Tesseract (or its ``vie`` data) :func:`available` is False and callers keep
their ``needs_ocr`` / ``unsupported_format`` outcome.
"""

from __future__ import annotations

import functools
import io
import shutil
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, ImageSequence

from parsers import proc
from parsers.model import Document

if TYPE_CHECKING:
    import pypdfium2 as pdfium

LANGUAGE = "vie"
DPI = 300
MAX_SIDE = 5000            # pixels; larger renders and photos are scaled down
MAX_PAGES = 20
PAGE_SECONDS = 60.0
TOTAL_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class PageText:
    lines: tuple[str, ...]
    confidence: float        # mean word confidence, 0-100
    rotation: int            # degrees the page was turned clockwise to read it


_NOTHING = PageText(lines=(), confidence=0.0, rotation=0)


@functools.cache
def available() -> bool:
    """Tesseract on PATH with the Vietnamese language data."""
    binary = shutil.which("tesseract")
    if binary is None:
        return False
    try:
        listed = proc.run([binary, "--list-langs"], timeout=30)
    except (proc.ToolTimeout, OSError):
        return False
    return LANGUAGE in listed.stdout.decode("utf-8", "replace").split()


def read_image(data: bytes) -> Document:
    """A photographed or scanned page (jpg, png, tiff; every frame of a multi-page tiff)."""
    from parsers import CorruptDocument, UnsupportedFormat

    if not available():
        raise UnsupportedFormat("image: Tesseract (tesseract-ocr-vie) is not installed to read it")
    try:
        image = _open(data)
        frames = [frame.copy() for _, frame in zip(range(MAX_PAGES + 1), ImageSequence.Iterator(image), strict=False)]
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise CorruptDocument(f"image cannot be decoded: {type(exc).__name__}: {exc}") from exc
    pages, notes = read_pages(iter(frames[:MAX_PAGES]))
    if len(frames) > MAX_PAGES:
        notes.append("ocr_page_limit")
    lines = tuple(line for page in pages for line in page.lines)
    return Document(format="image", blocks=lines, pages=len(frames), warnings=tuple(summary(pages, notes)))


def read_pages(images: Iterator[Image.Image]) -> tuple[list[PageText], list[str]]:
    """OCR each image within the time budget; notes name what was skipped and why."""
    deadline = time.monotonic() + TOTAL_SECONDS
    pages: list[PageText] = []
    notes: list[str] = []
    for image in images:
        if time.monotonic() > deadline:
            notes.append("ocr_time_limit")
            break
        try:
            pages.append(read_page(image))
        except proc.ToolTimeout:
            pages.append(_NOTHING)
            notes.append("ocr_timeout")
        except OSError:
            pages.append(_NOTHING)
            notes.append("ocr_failed")
    return pages, notes


def pdf_pages(data: bytes, indexes: Sequence[int]) -> tuple[dict[int, PageText], list[str]]:
    """OCR of the PDF pages ``indexes`` (those without a text layer), rendered at :data:`DPI`."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return {}, ["ocr_failed"]
    try:
        chosen = list(indexes)[:MAX_PAGES]
        pages, notes = read_pages(_render(pdf, index) for index in chosen)
    finally:
        pdf.close()
    if len(indexes) > MAX_PAGES:
        notes.append("ocr_page_limit")
    return dict(zip(chosen, pages, strict=False)), notes


def _render(pdf: pdfium.PdfDocument, index: int) -> Image.Image:
    page = pdf[index]
    try:
        scale = min(DPI / 72, MAX_SIDE / max(1.0, *page.get_size()))
        return page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()


def read_page(image: Image.Image) -> PageText:
    """One page: grey, bounded size, turned upright, read line by line."""
    image = _bounded(ImageOps.exif_transpose(image).convert("L"))
    png = _png(image)
    rotation = _orientation(png)
    if rotation:
        png = _png(image.rotate(-rotation, expand=True))
    lines, confidence = _recognise(png)
    return PageText(lines=tuple(lines), confidence=confidence, rotation=rotation)


def summary(pages: Sequence[PageText], notes: Sequence[str]) -> list[str]:
    """``ocr`` when any text was read, ``needs_ocr`` when none was; then the notes and rotations."""
    read_any = any(page.lines for page in pages)
    out = ["ocr" if read_any else "needs_ocr", *dict.fromkeys(notes)]
    if any(page.rotation for page in pages):
        out.append("ocr_rotated")
    return out


def _tesseract(png: bytes, *options: str) -> str:
    binary = shutil.which("tesseract") or "tesseract"
    result = proc.run([binary, "stdin", "stdout", "--dpi", str(DPI), *options],
                      stdin=png, timeout=PAGE_SECONDS)
    return result.stdout.decode("utf-8", "replace")


def _orientation(png: bytes) -> int:
    """Clockwise degrees that make the page upright per Tesseract OSD; 0 when it cannot tell."""
    for line in _tesseract(png, "--psm", "0").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Rotate" and value.strip() in ("90", "180", "270"):
            return int(value)
    return 0


def _recognise(png: bytes) -> tuple[list[str], float]:
    """Lines of words from Tesseract's TSV (block, paragraph, line order) and the mean word confidence."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    confidences: list[float] = []
    for row in _tesseract(png, "-l", LANGUAGE, "--psm", "3", "tsv").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        lines.setdefault((cells[2], cells[3], cells[4]), []).append(cells[11].strip())
        confidences.append(float(cells[10]))
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return [" ".join(words) for words in lines.values()], mean


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        image.load()
    return image


def _bounded(image: Image.Image) -> Image.Image:
    side = max(image.size)
    if side <= MAX_SIDE:
        return image
    scale = MAX_SIDE / side
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
