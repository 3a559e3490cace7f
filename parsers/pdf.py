"""PDF through pdfplumber: text lines per page, then that page's ruled tables.

Pages without a text layer (scans) are read by OCR (:mod:`parsers.ocr`) when Tesseract is
installed, in their place among the other pages, and the document is marked ``ocr``; when no
text can be had from a scan at all, it is marked ``needs_ocr``.
"""

from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from parsers import legacy, ocr
from parsers.model import DEFAULT_LIMITS, Block, Document, Limits, ReadWarning, Table


def read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    from parsers import CorruptDocument, EncryptedDocument, TooLarge

    start = data.find(b"%PDF-")
    data = data[start:] if start > 0 else data
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > limits.max_pages:
                raise TooLarge(f"{len(pdf.pages)} pages")
            blocks, warnings, breaks = _read_pages(pdf, data, limits)
            pages = len(pdf.pages)
    except PDFPasswordIncorrect as exc:
        raise EncryptedDocument("password-protected PDF") from exc
    except PdfminerException as exc:
        if exc.args and isinstance(exc.args[0], PDFPasswordIncorrect):
            raise EncryptedDocument("password-protected PDF") from exc
        raise CorruptDocument(f"PDF cannot be parsed: {exc.args[0] if exc.args else exc}") from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise CorruptDocument(f"PDF cannot be parsed: {type(exc).__name__}") from exc
    except TooLarge:
        raise
    except Exception as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise EncryptedDocument("password-protected PDF") from exc
        raise CorruptDocument(f"PDF cannot be parsed: {type(exc).__name__}: {exc}") from exc
    return Document(format="pdf", blocks=tuple(blocks), pages=pages, warnings=tuple(warnings), breaks=breaks)


def _read_pages(pdf: pdfplumber.PDF, data: bytes,
                limits: Limits) -> tuple[list[Block], list[ReadWarning], tuple[int, ...]]:
    per_page = [_page_blocks(page) for page in pdf.pages]
    scanned = [index for index, blocks in enumerate(per_page) if not blocks]
    warnings = _ocr_scanned(per_page, scanned, data, limits) if scanned else []
    blocks = _fix_legacy([block for page in per_page for block in page])
    if "(cid:" in "\n".join(b for b in blocks if isinstance(b, str)):
        warnings.append(ReadWarning.CID_GLYPHS)
    return blocks, warnings, _page_starts(per_page)


def _page_starts(per_page: list[list[Block]]) -> tuple[int, ...]:
    """Index of the first block of every page after the first (pages without blocks add none)."""
    starts, count = [], 0
    for page in per_page:
        if page and count:
            starts.append(count)
        count += len(page)
    return tuple(starts)


def _page_blocks(page: pdfplumber.page.Page) -> list[Block]:
    text = page.extract_text() or ""
    blocks: list[Block] = [line for line in text.splitlines() if line.strip()]
    if blocks:
        for rows in page.extract_tables():
            cleaned = tuple(tuple(cell or "" for cell in row) for row in rows if row)
            if cleaned:
                blocks.append(Table(rows=cleaned))
    page.close()
    return blocks


def _ocr_scanned(per_page: list[list[Block]], scanned: list[int], data: bytes, limits: Limits) -> list[ReadWarning]:
    """Fill the scanned pages with OCR text; the warnings say how (``ocr``) or that it could not."""
    all_scanned = len(scanned) == len(per_page)
    if not ocr.available():
        return [ReadWarning.NEEDS_OCR] if all_scanned else []
    pages, notes = ocr.pdf_pages(data, scanned, limits)
    for index, page in pages.items():
        per_page[index] = list(page.lines)
    warnings = ocr.summary(list(pages.values()), notes)
    if warnings[0] == ReadWarning.NEEDS_OCR and not all_scanned:
        warnings.pop(0)
    return warnings


def _fix_legacy(blocks: list[Block]) -> list[Block]:
    """A PDF printed from a TCVN3/VNI document keeps the legacy code points: convert when the whole
    text says so (:func:`parsers.legacy.detect`); lines already in Unicode Vietnamese stay as they are."""
    policy = legacy.Policy((block, None) for block in blocks if isinstance(block, str))
    if not policy.fallback:
        return blocks
    return [
        policy.convert(block, None) if isinstance(block, str)
        else Table(rows=tuple(tuple(policy.convert(cell, None) for cell in row) for row in block.rows))
        for block in blocks
    ]
