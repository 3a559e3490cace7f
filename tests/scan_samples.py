"""Scanned and legacy-format variants of the sample documents (bytes only, deterministic).

A "scan" is the sample document's text as printed on an A4 page: rendered with Pillow in DejaVu
Sans at 300 dpi, slightly blurred, optionally turned sideways, and wrapped into a PDF that has
no text layer (or saved as a PNG/JPEG photo). A legacy ``.doc`` is a sample ``.docx`` converted
by LibreOffice, as an office machine's "Save as Word 97-2003" would produce it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

import parsers
from parsers import office
from parsers.model import Table

DPI = 300
PAGE = (2480, 3508)                      # A4 at 300 dpi
MARGIN = 240
_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def printed_lines(document_bytes: bytes, filename: str = "x.docx") -> list[str]:
    """The document's text as it prints: paragraphs, and each table row on one line."""
    document = parsers.extract(filename, document_bytes)
    lines: list[str] = []
    for block in document.blocks:
        rows = block.rows if isinstance(block, Table) else ((block,),)
        lines.extend("    ".join(cell.strip() for cell in row if cell.strip()) for row in rows)
    return [line for line in lines if line]


def page_images(lines: Sequence[str], *, rotate: int = 0) -> list[Image.Image]:
    """Grey A4 pages carrying ``lines`` (wrapped to the text width); ``rotate`` turns them counter-clockwise."""
    font, bold = ImageFont.truetype(str(_FONT), 46), ImageFont.truetype(str(_BOLD), 54)
    pages: list[Image.Image] = []
    page, draw, y = _blank()
    for line in lines:
        face = bold if line.isupper() and len(line) < 60 else font
        for piece in _wrap(line, face, PAGE[0] - 2 * MARGIN):
            if y > PAGE[1] - MARGIN:
                pages.append(page)
                page, draw, y = _blank()
            draw.text((MARGIN, y), piece, font=face, fill=20)
            y += 70
    pages.append(page)
    return [_as_scanned(image, rotate) for image in pages]


def scan_pdf(images: Sequence[Image.Image]) -> bytes:
    """Images as the pages of a PDF with no text layer, as a copier's scan-to-PDF makes it."""
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=float(DPI), save_all=True, append_images=list(images[1:]))
    return buffer.getvalue()


def scanned_pdf_of(document_bytes: bytes, *, rotate: int = 0) -> bytes:
    """A sample document (docx/xlsx/pdf bytes) printed and scanned back to PDF."""
    return scan_pdf(page_images(printed_lines(document_bytes), rotate=rotate))


def two_page_scan(document_bytes: bytes) -> bytes:
    """A sample document printed on two pages (its lines split in half) and scanned back to PDF."""
    lines = printed_lines(document_bytes)
    half = (len(lines) + 1) // 2
    return scan_pdf([*page_images(lines[:half]), *page_images(lines[half:])])


def photo_of(document_bytes: bytes, fmt: str = "JPEG") -> bytes:
    """The first page of a sample document photographed (JPEG or PNG)."""
    buffer = io.BytesIO()
    page_images(printed_lines(document_bytes))[0].save(buffer, fmt)
    return buffer.getvalue()


def legacy_doc(docx: bytes, target: str = "doc") -> bytes:
    """The docx saved as Word 97-2003 (or ``rtf``/``odt``) by LibreOffice; RuntimeError without it."""
    binary = office.soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed; scripts/test.sh installs it")
    return office.convert(binary, docx, "docx", target)


def _blank() -> tuple[Image.Image, ImageDraw.ImageDraw, int]:
    page = Image.new("L", PAGE, 250)
    return page, ImageDraw.Draw(page), MARGIN


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    out: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            out.append(current)
            current = word
        else:
            current = candidate
    return [*out, current] if current else out


def _as_scanned(page: Image.Image, rotate: int) -> Image.Image:
    """A faint blur and a 0.4° skew, as a flatbed scanner leaves them; then the sideways turn."""
    scanned = page.filter(ImageFilter.GaussianBlur(0.8)).rotate(0.4, fillcolor=250, resample=Image.BICUBIC)
    return scanned.rotate(rotate, expand=True, fillcolor=250) if rotate else scanned
