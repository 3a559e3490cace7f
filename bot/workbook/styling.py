"""Render a :class:`bot.tally_rows.Sheet` with openpyxl: styles, widths, links, filters, print setup.

Mail-borne text is always stored as a text cell (never a formula), and text that Excel would read as a
formula when a person re-enters the cell (=, +, -, @, or those behind tabs/line breaks) also gets the
"quote prefix" so it stays text after editing.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Sequence
from copy import copy
from datetime import datetime
from typing import Any
from urllib.parse import quote

from openpyxl.cell.cell import Cell as XlCell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from bot.config.schema import Config
from bot.workbook.content import ACHIEVEMENTS, DONE, NOTE, OPEN, Cell, Sheet, clean_text

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
_NARROW = {"STT": 5, OPEN: 7, "Mã": 12, "Loại": 9, "Tập thể": 8, "Cá nhân": 8, "Chỉ tiêu": 9, "Nộp muộn": 8,
           "Số thư": 7, DONE: 9}
_MAX_WIDTH = 45
_WIDE = {ACHIEVEMENTS: 60}           # long prose: wider than the rest, still wrapped
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
        head = ws.cell(row=header_row, column=column, value=title)
        head.font, head.fill, head.alignment, head.border = _BOLD, _HEADER_FILL, _CENTRE, _GRID
    _rows(ws, sheet, header_row, cfg)
    last = header_row + sum(1 for row in sheet.rows if not row.total)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=sheet.frozen_columns + 1).coordinate
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
    styles = _StyleCache()
    bases = link_bases(cfg)
    for offset, row in enumerate(sheet.rows, 1):
        number = header_row + offset
        for index, value in enumerate(row.values):
            cell = ws.cell(row=number, column=index + 1)
            value = put(cell, value)
            mark = _MARK_FONTS.get(value) if isinstance(value, str) else None
            font = _BOLD if row.total else _LINK if index == link and row.link else mark
            fill = FILLS.get(row.tone) if index == status else _NOTE_FILL if index in staff and row.key else None
            align = _CENTRE if index in centred else _WRAP if isinstance(value, str) else _TOP
            styles.apply(cell, font, fill, align, isinstance(value, datetime),
                         isinstance(value, str) and looks_like_formula(value))
        if link >= 0 and row.link:
            ws.cell(row=number, column=link + 1).hyperlink = quote(relative_link(row.link, *bases), safe="/")


class _StyleCache:
    """Give each cell its style by copying a finished style array: setting fonts, fills and borders one
    attribute at a time hashes every style object again, and that was most of a large rewrite's time."""

    def __init__(self) -> None:
        self._done: dict[tuple[int, int, int, bool, bool], StyleArray] = {}

    def apply(self, cell: XlCell | MergedCell, font: Font | None, fill: PatternFill | None, align: Alignment,
              is_date: bool, quoted: bool) -> None:
        key = (id(font), id(fill), id(align), is_date, quoted)
        done = self._done.get(key)
        styled: Any = cell  # openpyxl's private style array: the type stubs leave it out
        if done is not None:
            styled._style = copy(done)
            return
        cell.border, cell.alignment = _GRID, align
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if is_date:
            cell.number_format = _DATE_FORMAT
        cell.quotePrefix = quoted   # Excel keeps such text as text even after a person re-enters it
        self._done[key] = copy(styled._style)


def put(cell: XlCell | MergedCell, value: Cell) -> Cell:
    """Write one value (cleaned) and return it; text is a text cell whatever it starts with, never a formula."""
    value = clean_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return value


def link_bases(cfg: Config) -> tuple[str, str]:
    """(folder archive paths are relative to, the workbook's folder), resolved once per rewrite."""
    return cfg.paths.archive.resolve().parent.as_posix(), cfg.paths.tally.resolve().parent.as_posix()


def relative_link(archive_path: str, archive_base: str, workbook_folder: str) -> str:
    """The archived file as seen from the workbook's folder (relative, so a shared folder keeps working)."""
    return posixpath.relpath(posixpath.join(archive_base, archive_path), workbook_folder)


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
            width = max(10, min(longest + 2, _WIDE.get(title, _MAX_WIDTH)), min(len(title) + 2, 16))
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
    setup = ws.sheet_properties.pageSetUpPr
    if setup is None:
        setup = ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    setup.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
