"""Staff notes survive rewrites: read the staff columns back from the old workbook, put them on the new.

The workbook is never loaded, modified and saved (Excel-made validation and styles would be lost, see
field notes); it is read once (openpyxl read-only) and regenerated. Notes are matched by the row key
(unit id; unit + kind + normalised name; message + reason), never by position, so sorting or filtering
in Excel does not move them. A note whose row is gone goes to the sheet *Ghi chú cũ*, and returns to its
row if the row comes back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from bot.workbook.content import PLAIN_VALUES, Cell, Row, Sheet

SHEET_ORPHANS = "Ghi chú cũ"
ORPHAN_HEADER = ["Trang tính", "Mã dòng", "Cột", "Ghi chú", "Dòng cũ"]
_HEADER_SCAN = 12  # the header row is within the first rows (a preface sits above it)


@dataclass(frozen=True, slots=True)
class Note:
    sheet: str
    key: str
    column: str
    value: Cell
    row_text: str = ""


def read_notes(path: Path, sheets: Sequence[Sheet]) -> tuple[list[Note], list[Note]]:
    """(notes on their rows, notes already set aside) from the workbook at ``path`` ([] if absent).

    OSError (locked, unreadable share) propagates; a file that is no workbook raises what openpyxl raises.
    """
    if not path.exists():
        return [], []
    # Formulas as typed (``=…``), not their cached results: a formula in a staff column is then refused and
    # kept as text, never read as empty (openpyxl caches no result) and lost at the rewrite.
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        notes = []
        for spec in sheets:
            if spec.key_column and spec.title in workbook.sheetnames:
                notes += _sheet_notes(spec, _values(workbook[spec.title].iter_rows(values_only=True)))
        orphans = []
        if SHEET_ORPHANS in workbook.sheetnames:
            orphans = _orphans(_values(workbook[SHEET_ORPHANS].iter_rows(values_only=True)))
        return notes, orphans
    finally:
        workbook.close()


def _values(rows: Iterable[tuple[object, ...]]) -> Iterator[tuple[Cell, ...]]:
    """Rows as cell values; anything else openpyxl may hand back (rich text, a formula object) as its text."""
    for row in rows:
        yield tuple(v if v is None or isinstance(v, PLAIN_VALUES) else str(v) for v in row)


def last_modified_by(path: Path, writers: tuple[str, ...]) -> str:
    """Who saved the workbook last (its «last modified by»), or "" when it was one of ``writers`` or unknown."""
    workbook = load_workbook(path, read_only=True)
    try:
        who = (workbook.properties.lastModifiedBy or "").strip()
    finally:
        workbook.close()
    return "" if who.casefold() in {w.casefold() for w in writers} else who


def _sheet_notes(spec: Sheet, rows: Iterable[tuple[Cell, ...]]) -> list[Note]:
    columns: dict[str, int] = {}
    notes = []
    for number, values in enumerate(rows):
        if not columns:
            if number >= _HEADER_SCAN:
                return []
            header = [str(v).strip() if v is not None else "" for v in values]
            key_column = next((k for k in (spec.key_column, *spec.former_key_columns) if k in header), "")
            if key_column:
                columns = {name: header.index(name) for name in header if name}
                columns[spec.key_column] = header.index(key_column)
            continue
        key = _at(values, columns.get(spec.key_column))
        if key in (None, ""):
            continue
        for column in spec.staff_columns:
            value = _at(values, columns.get(column))
            if value not in (None, ""):
                notes.append(Note(spec.title, str(key), column, value, _row_text(values, columns, spec)))
    return notes


def _at(values: tuple[Cell, ...], index: int | None) -> Cell:
    return values[index] if index is not None and index < len(values) else None


def _row_text(values: tuple[Cell, ...], columns: dict[str, int], spec: Sheet) -> str:
    skip = {columns.get(c) for c in (*spec.staff_columns, *spec.hidden_columns)}
    parts = [str(v) for i, v in enumerate(values) if i not in skip and v not in (None, "")]
    return " · ".join(parts)[:300]


def _orphans(rows: Iterable[tuple[Cell, ...]]) -> list[Note]:
    out: list[Note] = []
    header_seen = False
    for values in rows:
        if not header_seen:
            header_seen = bool(values) and values[0] == ORPHAN_HEADER[0]
            continue
        sheet, key, column, value, text = (list(values) + [None] * 5)[:5]
        if sheet and key and column and value not in (None, ""):
            out.append(Note(str(sheet), str(key), str(column), value, str(text or "")))
    return out


def apply_notes(sheets: Sequence[Sheet], notes: Sequence[Note], orphans: Sequence[Note]) -> list[Note]:
    """Put each note on its row in ``sheets`` (in place); return the notes with no row (to set aside)."""
    cells: dict[tuple[str, str, str], tuple[Row, int]] = {}
    for spec in sheets:
        for column in spec.staff_columns:
            index = spec.header.index(column)
            cells |= {(spec.title, row.key, column): (row, index) for row in spec.rows if row.key}
    left: list[Note] = []
    for note in [*notes, *orphans]:
        place = cells.get((note.sheet, note.key, note.column))
        if place and place[0].values[place[1]] in (None, ""):
            place[0].values[place[1]] = note.value
        elif not place or place[0].values[place[1]] != note.value:
            left.append(note)
    unique = {(n.sheet, n.key, n.column, str(n.value)): n for n in left}
    return list(unique.values())


def orphan_sheet(orphans: Sequence[Note]) -> Sheet:
    rows = [Row([n.sheet, n.key, n.column, n.value, n.row_text]) for n in orphans]
    return Sheet(SHEET_ORPHANS, list(ORPHAN_HEADER), rows, hidden_columns=(ORPHAN_HEADER[1],),
                 preface=[["Ghi chú của cán bộ mà dòng của nó không còn trong bảng (giữ lại để không mất)."]])
