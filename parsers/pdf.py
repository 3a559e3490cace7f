"""PDF through pdfplumber: text lines per page, then that page's ruled tables."""

from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from parsers import legacy
from parsers.model import Block, Document, Table


def read(data: bytes) -> Document:
    from parsers import CorruptDocument, EncryptedDocument, Limits, TooLarge

    start = data.find(b"%PDF-")
    data = data[start:] if start > 0 else data
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > Limits.max_pages:
                raise TooLarge(f"{len(pdf.pages)} pages")
            blocks, warnings = _read_pages(pdf)
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
    return Document(format="pdf", blocks=tuple(blocks), pages=pages, warnings=tuple(warnings))


def _read_pages(pdf: pdfplumber.PDF) -> tuple[list[Block], list[str]]:
    blocks: list[Block] = []
    scanned = 0
    for page in pdf.pages:
        text = page.extract_text() or ""
        if not text.strip():
            scanned += 1
        blocks.extend(line for line in text.splitlines() if line.strip())
        for rows in page.extract_tables():
            cleaned = tuple(tuple(cell or "" for cell in row) for row in rows if row)
            if cleaned:
                blocks.append(Table(rows=cleaned))
        page.close()
    blocks = _fix_legacy(blocks)
    warnings = ["needs_ocr"] if scanned and scanned == len(pdf.pages) else []
    if "(cid:" in "\n".join(b for b in blocks if isinstance(b, str)):
        warnings.append("cid_glyphs")
    return blocks, warnings


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
