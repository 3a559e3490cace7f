"""Text of scanned pages and photographed documents through Tesseract (Vietnamese data).

Pages are rendered with pypdfium2 (PDF) or opened with Pillow (images), turned upright by
Tesseract's orientation detection (``--psm 0``), then read with ``-l vie`` as TSV (words with
positions and confidences), from which the printed lines are rebuilt. The tesseract binary
gets the image through a pipe and answers on stdout: no file is written.

Limits (:class:`parsers.Limits`): ``ocr_pages`` pages, ``ocr_page_seconds`` per Tesseract call,
``ocr_seconds`` per document; pages past a limit are left out and the warnings say so. Without Tesseract (or its
``vie`` data) :func:`available` is False and callers keep ``needs_ocr`` / ``unsupported_format``.
"""

from __future__ import annotations

import functools
import io
import shutil
import time
import warnings
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, ImageSequence

from parsers import proc
from parsers.model import DEFAULT_LIMITS, Document, Limits, ReadWarning

if TYPE_CHECKING:
    import pypdfium2 as pdfium

LANGUAGE = "vie"
DPI = 300
MAX_SIDE = 5000            # pixels; larger renders and photos are scaled down
LOW_CONFIDENCE = 60.0      # mean word confidence under which a page is said to read poorly
PAGE_WORKERS = 1           # pages read at once; a document worker raises it to the cores (bot/app/pool.py)
# Tesseract's OpenMP threads spin against each other and against other processes: on 2 busy cores a
# page took 2-3 x the wall time and twice the CPU. One thread per Tesseract (set through env(1), which
# execs it: parsers read no environment); parallelism is per page.
_ONE_THREAD = ("OMP_THREAD_LIMIT=1",)


@dataclass(frozen=True, slots=True)
class PageText:
    lines: tuple[str, ...]
    confidence: float        # mean word confidence, 0-100
    rotation: int            # degrees the page was turned clockwise to read it


_NOTHING = PageText(lines=(), confidence=0.0, rotation=0)


@functools.cache
def languages() -> frozenset[str]:
    """The language data Tesseract on PATH has (``vie``, ``osd``, ...); empty without Tesseract."""
    binary = shutil.which("tesseract")
    if binary is None:
        return frozenset()
    try:
        listed = proc.run([binary, "--list-langs"], timeout=30)
    except (proc.ToolTimeout, OSError):
        return frozenset()
    lines = listed.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("List of"))


def available() -> bool:
    """Tesseract on PATH with the Vietnamese language data."""
    return LANGUAGE in languages()


def read_image(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """A photographed or scanned page (jpg, png, tiff; every frame of a multi-page tiff)."""
    from parsers import CorruptDocument, UnsupportedFormat

    if not available():
        raise UnsupportedFormat("image: Tesseract (tesseract-ocr-vie) is not installed to read it")
    try:
        image = _open(data)
        frames = [frame.copy() for _, frame in zip(range(limits.ocr_pages + 1), ImageSequence.Iterator(image),
                                                   strict=False)]
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise CorruptDocument(f"image cannot be decoded: {type(exc).__name__}: {exc}") from exc
    pages, notes = read_pages(iter(frames[:limits.ocr_pages]), limits)
    if len(frames) > limits.ocr_pages:
        notes.append(ReadWarning.OCR_PAGE_LIMIT)
    lines = tuple(line for page in pages for line in page.lines)
    return Document(format="image", blocks=lines, pages=len(frames), warnings=tuple(summary(pages, notes)))


def read_pages(images: Iterator[Image.Image | None],
               limits: Limits = DEFAULT_LIMITS) -> tuple[list[PageText], list[ReadWarning]]:
    """OCR each image (None: it could not be rendered) within the time budget; notes say what was lost.

    Up to :data:`PAGE_WORKERS` pages are read at once (each by its own Tesseract), the next page
    rendered meanwhile; results keep the page order.
    """
    deadline = time.monotonic() + limits.ocr_seconds
    pages: list[PageText] = []
    notes: list[ReadWarning] = []
    pending: deque[Future[tuple[PageText, ReadWarning | None]]] = deque()

    def collect() -> None:
        page, note = pending.popleft().result()
        pages.append(page)
        notes.extend([note] if note else [])

    with ThreadPoolExecutor(max(1, PAGE_WORKERS), thread_name_prefix="ocr-page") as pool:
        for image in images:
            if time.monotonic() > deadline:
                notes.append(ReadWarning.OCR_TIME_LIMIT)
                break
            pending.append(pool.submit(_read_one, image, limits.ocr_page_seconds))
            while len(pending) >= max(1, PAGE_WORKERS):
                collect()
        while pending:
            collect()
    return pages, notes


def _read_one(image: Image.Image | None, seconds: float) -> tuple[PageText, ReadWarning | None]:
    """One page's text, or nothing and the note saying why."""
    try:
        if image is None:
            raise ValueError("page not rendered")
        return read_page(image, seconds), None
    except proc.ToolTimeout:
        return _NOTHING, ReadWarning.OCR_TIMEOUT
    except (OSError, ValueError):
        return _NOTHING, ReadWarning.OCR_FAILED


def pdf_pages(data: bytes, indexes: Sequence[int],
              limits: Limits = DEFAULT_LIMITS) -> tuple[dict[int, PageText], list[ReadWarning]]:
    """OCR of the PDF pages ``indexes`` (those without a text layer), rendered at :data:`DPI`."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return {}, [ReadWarning.OCR_FAILED]
    try:
        chosen = list(indexes)[:limits.ocr_pages]
        pages, notes = read_pages((_render(pdf, index) for index in chosen), limits)
    finally:
        pdf.close()
    if len(indexes) > limits.ocr_pages:
        notes.append(ReadWarning.OCR_PAGE_LIMIT)
    return dict(zip(chosen, pages, strict=False)), notes


def _render(pdf: pdfium.PdfDocument, index: int) -> Image.Image | None:
    import pypdfium2 as pdfium

    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return None
    try:
        scale = min(DPI / 72, MAX_SIDE / max(1.0, *page.get_size()))
        image: Image.Image = page.render(scale=scale, grayscale=True).to_pil()  # pypdfium2 has no type hints
        return image
    except pdfium.PdfiumError:
        return None
    finally:
        page.close()


def read_page(image: Image.Image, seconds: float = DEFAULT_LIMITS.ocr_page_seconds) -> PageText:
    """One page: grey, bounded size, turned upright, read line by line; ``seconds`` per Tesseract call."""
    image = _bounded(ImageOps.exif_transpose(image).convert("L"))
    png = _png(image)
    rotation = _orientation(png, seconds)
    if rotation:
        png = _png(image.rotate(-rotation, expand=True))
    lines, confidence = _recognise(png, seconds)
    return PageText(lines=tuple(lines), confidence=confidence, rotation=rotation)


def summary(pages: Sequence[PageText], notes: Sequence[ReadWarning]) -> list[ReadWarning]:
    """``ocr`` when any text was read, ``needs_ocr`` when none was; then the notes, rotations, poor pages."""
    read_any = any(page.lines for page in pages)
    out = [ReadWarning.OCR if read_any else ReadWarning.NEEDS_OCR, *dict.fromkeys(notes)]
    if any(page.rotation for page in pages):
        out.append(ReadWarning.OCR_ROTATED)
    if any(page.lines and page.confidence < LOW_CONFIDENCE for page in pages):
        out.append(ReadWarning.OCR_LOW_CONFIDENCE)
    return out


def _tesseract(png: bytes, seconds: float, *options: str) -> str:
    binary = shutil.which("tesseract") or "tesseract"
    result = proc.run([shutil.which("env") or "/usr/bin/env", *_ONE_THREAD, binary, "stdin", "stdout",
                       "--dpi", str(DPI), *options], stdin=png, timeout=seconds)
    return result.stdout.decode("utf-8", "replace")


def _orientation(png: bytes, seconds: float) -> int:
    """Clockwise degrees that make the page upright per Tesseract OSD; 0 when it cannot tell."""
    for line in _tesseract(png, seconds, "--psm", "0").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Rotate" and value.strip() in ("90", "180", "270"):
            return int(value)
    return 0


def _recognise(png: bytes, seconds: float) -> tuple[list[str], float]:
    """Lines of words from Tesseract's TSV, rebuilt from word positions, and the mean word confidence.

    ``--psm 4`` (one column of lines) keeps a table's row on one line; Tesseract may still put a
    list's numbers ("1.", "2.") in blocks of their own, so rows are rebuilt from the geometry.
    Table rulings read as ``|`` are dropped.
    """
    words: list[_Word] = []
    for row in _tesseract(png, seconds, "-l", LANGUAGE, "--psm", "4", "tsv").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) >= 12 and cells[0] == "5" and cells[11].strip() not in _RULES:
            left, top, width, height = (int(cell) for cell in cells[6:10])
            words.append(_Word(left, top, width, height, cells[11].strip(), float(cells[10])))
    mean = sum(word.confidence for word in words) / len(words) if words else 0.0
    return [line for row in _rows(words) for line in _segments(row)], mean


@dataclass(frozen=True, slots=True)
class _Word:
    left: int
    top: int
    width: int
    height: int
    text: str
    confidence: float

    @property
    def middle(self) -> float:
        return self.top + self.height / 2


_RULES = frozenset({"", "|", "||", "¦", "[", "]"})


def _rows(words: list[_Word]) -> list[list[_Word]]:
    """Words whose vertical middles fall within the same band, top to bottom."""
    rows: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: w.middle):
        if rows and word.middle - rows[-1][-1].middle < max(8.0, _height(rows[-1]) / 2):
            rows[-1].append(word)
        else:
            rows.append([word])
    return rows


def _segments(row: list[_Word]) -> list[str]:
    """A row split where a gap wider than three line heights separates columns (header blocks)."""
    gap = 3 * _height(row)
    out: list[list[str]] = []
    right = None
    for word in sorted(row, key=lambda w: w.left):
        if right is None or word.left - right > gap:
            out.append([])
        out[-1].append(word.text)
        right = word.left + word.width
    return [" ".join(texts) for texts in out]


def _height(row: list[_Word]) -> float:
    heights = sorted(word.height for word in row)
    return float(heights[len(heights) // 2])


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
