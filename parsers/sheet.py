"""xlsx through openpyxl (read-only, cached values): every sheet, each row as one table."""

from __future__ import annotations

import io
import zipfile

import openpyxl

from parsers.model import Block, Document, Table

MAX_ROWS = 5000
MAX_COLUMNS = 60


def read(data: bytes) -> Document:
    from parsers import CorruptDocument

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise CorruptDocument(f"xlsx cannot be opened: {exc}") from exc
    except Exception as exc:
        raise CorruptDocument(f"xlsx cannot be parsed: {type(exc).__name__}: {exc}") from exc
    try:
        blocks: list[Block] = [Table(rows=_rows(sheet)) for sheet in workbook.worksheets]
    finally:
        workbook.close()
    return Document(format="xlsx", blocks=tuple(blocks), pages=len(blocks))


def _rows(sheet: object) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = []
    for index, values in enumerate(sheet.iter_rows(values_only=True)):  # type: ignore[attr-defined]
        if index >= MAX_ROWS:
            break
        cells = tuple(_cell_text(value) for value in values[:MAX_COLUMNS])
        if any(cells):
            rows.append(cells)
    return tuple(rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
