"""xlsx through openpyxl (read-only, cached values): every sheet, each row as one table; TCVN3/VNI cell
text converted to Unicode by the cell's font (:mod:`parsers.legacy`)."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

import openpyxl

from parsers import legacy
from parsers.model import DEFAULT_LIMITS, Block, Document, Limits, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    from parsers import CorruptDocument

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise CorruptDocument(f"xlsx cannot be opened: {exc}") from exc
    except Exception as exc:
        raise CorruptDocument(f"xlsx cannot be parsed: {type(exc).__name__}: {exc}") from exc
    try:
        sheets = [_rows(sheet, limits) for sheet in workbook.worksheets]
    finally:
        workbook.close()
    policy = legacy.Policy((text, encoding) for rows in sheets for row in rows for text, encoding, _ in row)
    blocks: list[Block] = [
        Table(rows=tuple(tuple(policy.convert(*cell) for cell in row) for row in rows)) for rows in sheets
    ]
    return Document(format="xlsx", blocks=tuple(blocks), pages=len(blocks))


Cell = tuple[str, str | None, bool]  # text, its font's legacy encoding (or None), drawn in capitals


def _rows(sheet: Worksheet, limits: Limits) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for index, cells in enumerate(sheet.iter_rows()):
        if index >= limits.max_sheet_rows:
            break
        row = tuple(_cell(cell) for cell in cells[:limits.max_sheet_columns])
        if any(text for text, _, _ in row):
            rows.append(row)
    return rows


def _cell(cell: object) -> Cell:
    text = _cell_text(getattr(cell, "value", None))
    if not text or text.isdigit():
        return (text, None, False)
    font = getattr(getattr(cell, "font", None), "name", None)
    return (text, legacy.font_encoding(font), legacy.font_is_upper(font))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
