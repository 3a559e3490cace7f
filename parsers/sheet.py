"""xlsx through openpyxl (read-only, cached values): every sheet, each row as one table; TCVN3/VNI cell
text converted to Unicode by the cell's font (:mod:`parsers.legacy`)."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

import openpyxl

from parsers import legacy
from parsers.model import DEFAULT_LIMITS, TABLE_CUT, Block, Document, Limits, Table

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
        read = [_rows(sheet, limits) for sheet in workbook.worksheets]
    finally:
        workbook.close()
    sheets = [rows for rows, _ in read]
    warnings = (TABLE_CUT,) if any(cut for _, cut in read) else ()
    policy = legacy.Policy((text, encoding) for rows in sheets for row in rows for text, encoding, _ in row)
    blocks: list[Block] = [
        Table(rows=tuple(tuple(policy.convert(*cell) for cell in row) for row in rows)) for rows in sheets
    ]
    return Document(format="xlsx", blocks=tuple(blocks), pages=len(blocks), warnings=warnings)


_LOOK_PAST = 50   # rows read past the limit to tell a cut list from trailing formatting
Cell = tuple[str, str | None, bool]  # text, its font's legacy encoding (or None), drawn in capitals


def _rows(sheet: Worksheet, limits: Limits) -> tuple[list[tuple[Cell, ...]], bool]:
    """The sheet's rows with text, up to ``limits.max_sheet_rows``; and whether text follows past them
    (looked for in the next few rows only: formatting often runs empty rows to the end of the sheet)."""
    rows: list[tuple[Cell, ...]] = []
    for index, cells in enumerate(sheet.iter_rows()):
        if index >= limits.max_sheet_rows + _LOOK_PAST:
            break
        row = tuple(_cell(cell) for cell in cells[:limits.max_sheet_columns])
        if not any(text for text, _, _ in row):
            continue
        if index >= limits.max_sheet_rows:
            return rows, True
        rows.append(row)
    return rows, False


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
