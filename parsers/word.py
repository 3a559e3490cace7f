"""docx through python-docx: paragraphs and tables in document order, merged cells once."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable

from parsers.model import Block, Document, Table


def read(data: bytes) -> Document:
    """Body paragraphs and tables (nested ones flattened after their parent), headers first."""
    from parsers import CorruptDocument

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocument(f"docx cannot be opened: {exc}") from exc
    except Exception as exc:
        raise CorruptDocument(f"docx cannot be parsed: {type(exc).__name__}: {exc}") from exc
    blocks: list[Block] = []
    for section in document.sections[:1]:
        blocks.extend(p.text for p in section.header.paragraphs if p.text.strip())
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            blocks.extend(_table_blocks(item))
        elif item.text.strip():
            blocks.append(item.text)
    return Document(format="docx", blocks=tuple(blocks), pages=1)


def _table_blocks(table: DocxTable, depth: int = 0) -> list[Block]:
    rows: list[tuple[str, ...]] = []
    nested: list[Block] = []
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text)
            if depth < 3:
                for inner in cell.tables:
                    nested.extend(_table_blocks(inner, depth + 1))
        rows.append(tuple(cells))
    return [Table(rows=tuple(rows)), *nested]
