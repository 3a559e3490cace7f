"""Render a :class:`bot.tally_rows.Sheet` with openpyxl: styles, widths, links, filters, print setup.

Mail-borne text is always stored as a text cell (never a formula), and text that Excel would read as a
formula when a person re-enters the cell (=, +, -, @, or those behind tabs/line breaks) also gets the
"quote prefix" so it stays text after editing.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import quote

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.config import Config
from bot.tally_rows import DONE, NOTE, Cell, Row, Sheet, clean_text

FILLS = {tone: PatternFill("solid", fgColor=colour)
         for tone, colour in {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE"}.items()}
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_NOTE_FILL = PatternFill("solid", fgColor="FFF9E5")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
_FONT = "Calibri"
_BOLD = Font(name=_FONT, bold=True)
_TITLE = Font(name=_FONT, bold=True, size=13)
_LINK = Font(name=_FONT, color="0563C1", underline="single")
_TOP = Alignment(vertical="top")
_THIN = Side(style="thin", color="A6A6A6")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FORMULA_STARTS = ("=", "+", "-", "@")
_DATE_FORMAT = "dd/mm/yyyy hh:mm"
_NARROW = {"STT": 5, "Mã": 12, "Loại": 9, "Tập thể": 8, "Cá nhân": 8, "Chỉ tiêu": 9, "Nộp muộn": 8,
           "Số thư": 7, DONE: 9}
_MAX_WIDTH = 45
_LINE_PT = 15
_MARK_FONTS = {"✓": Font(name=_FONT, color="007A33", bold=True), "✗": Font(name=_FONT, color="C00000", bold=True)}


def looks_like_formula(text: str) -> bool:
    return text.lstrip(" \t\r\n").startswith(_FORMULA_STARTS)


def render(ws: Worksheet, sheet: Sheet, cfg: Config) -> None:
    for line in sheet.preface:
        ws.append([clean_text(v) for v in line])
    ws.cell(row=1, column=1).font = _TITLE
    header_row = len(sheet.preface) + 2 if sheet.preface else 1
    for column, title in enumerate(sheet.header, 1):
        cell = ws.cell(row=header_row, column=column, value=title)
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEADER_FILL, _CENTRE, _GRID
    _rows(ws, sheet, header_row, cfg)
    last = header_row + sum(1 for row in sheet.rows if not row.total)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4 if sheet.preface else 1)
    if sheet.rows:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(sheet.header))}{last}"
    widths = _widths(ws, sheet)
    _heights(ws, sheet, header_row, widths)
    _validation(ws, sheet, header_row, last)
    _print_setup(ws, header_row)


def _rows(ws: Worksheet, sheet: Sheet, header_row: int, cfg: Config) -> None:
    status = sheet.header.index(sheet.status_column) if sheet.status_column else -1
    link = sheet.header.index(sheet.link_column) if sheet.link_column else -1
    staff = {sheet.header.index(c) for c in sheet.staff_columns}
    centred = {sheet.header.index(c) for c in sheet.centred_columns}
    for offset, row in enumerate(sheet.rows, 1):
        number = header_row + offset
        for index, value in enumerate(row.values):
            cell = ws.cell(row=number, column=index + 1)
            put(cell, value)
            cell.border = _GRID
            if row.total:
                cell.font = _BOLD
            elif value in _MARK_FONTS:
                cell.font = _MARK_FONTS[value]  # type: ignore[index]
            if index in centred:
                cell.alignment = _CENTRE
            elif index in staff:
                cell.fill = _NOTE_FILL
        if status >= 0 and row.tone:
            ws.cell(row=number, column=status + 1).fill = FILLS[row.tone]
        if link >= 0 and row.link:
            _hyperlink(ws.cell(row=number, column=link + 1), row, cfg)


def put(cell, value: Cell) -> None:  # type: ignore[no-untyped-def]
    """Write one value: text stays text whatever it starts with; dates get a Vietnamese date format."""
    value = clean_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula
        if looks_like_formula(value):
            cell.quotePrefix = True
        cell.alignment = _WRAP
    elif isinstance(value, datetime):
        cell.number_format = _DATE_FORMAT
        cell.alignment = _TOP
    else:
        cell.alignment = _TOP


def _hyperlink(cell, row: Row, cfg: Config) -> None:  # type: ignore[no-untyped-def]
    cell.hyperlink = quote(relative_link(row.link, cfg), safe="/")
    cell.font = _LINK


def relative_link(archive_path: str, cfg: Config) -> str:
    """The archived file as seen from the workbook's folder (relative, so a shared folder keeps working)."""
    target = cfg.paths.archive.resolve().parent / archive_path
    return posixpath.relpath(target.as_posix(), cfg.paths.tally.resolve().parent.as_posix())


def _widths(ws: Worksheet, sheet: Sheet) -> list[float]:
    widths: list[float] = []
    for index, title in enumerate(sheet.header):
        letter = get_column_letter(index + 1)
        if title in sheet.hidden_columns:
            ws.column_dimensions[letter].hidden = True
            widths.append(0)
            continue
        longest = max((_longest_line(row.values[index]) for row in sheet.rows), default=0)
        if title in _NARROW:
            width = max(_NARROW[title], min(longest + 2, _MAX_WIDTH))
        elif title == NOTE:
            width = max(30, min(longest + 2, _MAX_WIDTH))
        else:
            width = max(10, min(longest + 2, _MAX_WIDTH), min(len(title) + 2, 16))
        ws.column_dimensions[letter].width = width
        widths.append(width)
    return widths


def _heights(ws: Worksheet, sheet: Sheet, header_row: int, widths: list[float]) -> None:
    """Explicit heights for wrapped rows: LibreOffice and Excel do not grow rows of a generated file."""
    ws.row_dimensions[header_row].height = _LINE_PT * _lines(sheet.header, widths, bold=True)
    for offset, row in enumerate(sheet.rows, 1):
        lines = _lines(row.values, widths)
        if lines > 1:
            ws.row_dimensions[header_row + offset].height = _LINE_PT * min(lines, 30)


def _lines(values: Sequence[Cell], widths: list[float], bold: bool = False) -> int:
    """How many text lines the tallest cell of a row needs at the given column widths (an estimate)."""
    most = 1
    for value, width in zip(values, widths, strict=False):
        if not isinstance(value, str) or not width:
            continue
        room = max(1.0, width * (0.95 if bold else 1.1) - 1)
        most = max(most, sum(math.ceil(max(1, len(line)) / room) for line in value.split("\n")))
    return most


def _longest_line(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    return max(len(line) for line in str(value).split("\n"))


def _validation(ws: Worksheet, sheet: Sheet, header_row: int, last: int) -> None:
    if DONE not in sheet.header or last <= header_row:
        return
    letter = get_column_letter(sheet.header.index(DONE) + 1)
    check = DataValidation(type="list", formula1='"Rồi,Chưa"', allow_blank=True,
                           errorTitle="Đã xử lý", error="Chọn Rồi hoặc Chưa (hoặc để trống).")
    check.add(f"{letter}{header_row + 1}:{letter}{last}")
    ws.add_data_validation(check)


def _print_setup(ws: Worksheet, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
