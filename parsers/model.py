"""The one document model every format is read into."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.text import nfc


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cell texts; merged cells appear once (python-docx repeats them)."""

    rows: tuple[tuple[str, ...], ...]


Block = str | Table


@dataclass(frozen=True, slots=True)
class Document:
    """Text blocks and tables in reading order, whatever the source format.

    ``breaks``: indices of the blocks that begin a new page (a PDF page, a docx page or section
    break), ascending; a file holding several documents is cut there first (bot.core.sections).
    """

    format: str
    blocks: tuple[Block, ...]
    pages: int = 1
    warnings: tuple[str, ...] = field(default=())
    breaks: tuple[int, ...] = field(default=())

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    def lines(self) -> list[str]:
        """Every paragraph line and table cell line, in order, NFC and trimmed, blanks dropped."""
        out: list[str] = []
        for block in self.blocks:
            texts = [block] if isinstance(block, str) else [cell for row in block.rows for cell in row]
            for text in texts:
                out.extend(line for line in (nfc(part) for part in text.splitlines()) if line)
        return out

    @property
    def text(self) -> str:
        return "\n".join(self.lines())

    @property
    def is_empty(self) -> bool:
        return not any(self.lines())
