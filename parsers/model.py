"""The one document model every format is read into, and the limits every reader keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from parsers.text import nfc


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cell texts; merged cells appear once (python-docx repeats them)."""

    rows: tuple[tuple[str, ...], ...]


Block = str | Table


class ReadWarning(StrEnum):
    """What a reader says about a document it did read (Document.warnings). Stable codes: the bot's
    findings registry (bot/core/findings.py) gives each its words for staff."""

    OCR = "ocr"                                  # text read from a scan by OCR
    NEEDS_OCR = "needs_ocr"                      # a scan with no text read at all
    OCR_PAGE_LIMIT = "ocr_page_limit"            # pages past limits.ocr_pages were not read
    OCR_TIME_LIMIT = "ocr_time_limit"            # the document's OCR time ran out: later pages not read
    OCR_TIMEOUT = "ocr_timeout"                  # one page took too long and was left out
    OCR_FAILED = "ocr_failed"                    # a page (or the PDF) could not be rendered or read
    OCR_ROTATED = "ocr_rotated"                  # a page was turned upright before reading
    OCR_LOW_CONFIDENCE = "ocr_low_confidence"    # a page was read with low confidence
    CID_GLYPHS = "cid_glyphs"                    # a PDF font without a character map: some text is «(cid:N)»
    CONVERTED_BY_LIBREOFFICE = "converted_by_libreoffice"  # a legacy Office file read through LibreOffice
    TABLE_CUT = "table_cut"                      # the tables went past the row limit and were cut there


TABLE_CUT = ReadWarning.TABLE_CUT


@dataclass(frozen=True, slots=True)
class Document:
    """Text blocks and tables in reading order, whatever the source format.

    ``breaks``: indices of the blocks that begin a new page (a PDF page, a docx page or section
    break), ascending; a file holding several documents is cut there first (bot.core.sections).
    """

    format: str
    blocks: tuple[Block, ...]
    pages: int = 1
    warnings: tuple[ReadWarning, ...] = field(default=())
    breaks: tuple[int, ...] = field(default=())
    # The lines of each block, worked out once: classification, splitting, relevance, nominees and the
    # minutes all read them, and NFC over every line was a fifth of the worker's time after parsing.
    _lines_cache: list[tuple[tuple[str, ...], ...]] = field(default_factory=list, init=False, repr=False,
                                                             compare=False)

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    def block_lines(self) -> tuple[tuple[str, ...], ...]:
        """Per block, its paragraph lines or cell lines in order, NFC and trimmed, blanks dropped."""
        if not self._lines_cache:
            self._lines_cache.append(tuple(_lines_of(block) for block in self.blocks))
        return self._lines_cache[0]

    def block_lines_known(self, lines: tuple[tuple[str, ...], ...]) -> None:
        """Take :meth:`block_lines` as already worked out (a part cut from a document that has them)."""
        if not self._lines_cache and len(lines) == len(self.blocks):
            self._lines_cache.append(lines)

    def lines(self) -> list[str]:
        """Every paragraph line and table cell line, in order, NFC and trimmed, blanks dropped."""
        return [line for block in self.block_lines() for line in block]

    @property
    def text(self) -> str:
        return "\n".join(self.lines())

    @property
    def is_empty(self) -> bool:
        return not any(self.block_lines())


def _lines_of(block: Block) -> tuple[str, ...]:
    texts = [block] if isinstance(block, str) else [cell for row in block.rows for cell in row]
    return tuple(line for line in (nfc(part) for text in texts for part in text.splitlines()) if line)


@dataclass(frozen=True, slots=True)
class Limits:
    """Ceilings for reading one document, applied before a library sees the bytes or while it works.

    The bot builds one from config ``[limits]`` (bot.core.intake.document_limits); the defaults are
    those of a config without that section.
    """

    max_bytes: int = 60 * 1024 * 1024            # one attachment
    max_unzipped_bytes: int = 300 * 1024 * 1024  # a docx/xlsx/odt/ods container, decompressed
    max_zip_members: int = 5000                  # files inside such a container
    max_pages: int = 200                         # PDF pages
    max_sheet_rows: int = 5000                   # rows read per worksheet
    max_table_rows: int = 2000                   # rows read from a .docx's tables, all together
    max_sheet_columns: int = 60                  # cells read per row
    ocr_pages: int = 20                          # scanned pages read by Tesseract per document
    ocr_page_seconds: float = 60.0               # per Tesseract call
    ocr_seconds: float = 300.0                   # all OCR of one document
    office_seconds: float = 120.0                # one LibreOffice conversion


DEFAULT_LIMITS = Limits()
