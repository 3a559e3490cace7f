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
from bot.workbook.content import ACHIEVEMENTS, DONE, NOTE, OPEN, Cell, Sheet, Tone, clean_text

COLOURS = {Tone.GREEN: "C6EFCE", Tone.AMBER: "FFEB9C", Tone.RED: "FFC7CE", Tone.GREY: "D9D9D9"}
FILLS = {tone: PatternFill("solid", fgColor=colour) for tone, colour in COLOURS.items()}
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
_NARROW = {"STT": 5, OPEN: 7, "Mã": 12, "Loại": 9, "Tập thể": 8, "Cá nhân": 8, "Chỉ tiêu": 9, "Nộp muộn": 8,
           "Số thư": 7, DONE: 9}
_MAX_WIDTH = 45
_WIDE = {ACHIEVEMENTS: 60}           # long prose: wider than the rest, still wrapped
_LINE_PT = 14.4                      # each line of wrapped 11 pt Calibri, as Excel autofits it
_PAD_PT = 1.5
_HEADER_PT = 11                      # page header and footer: shrunk with the page like the rest
_MAX_LINES = 30
_LETTERS, _BOLD_LETTERS = 1.1, 1.0  # letters of Vietnamese text per unit of column width (an estimate)
_MARK_FONTS = {"✓": Font(name=_FONT, color="007A33", bold=True), "✗": Font(name=_FONT, color="C00000", bold=True)}


def looks_like_formula(text: str) -> bool:
    return text.lstrip(" \t\r\n").startswith(_FORMULA_STARTS)


def render(ws: Worksheet, sheet: Sheet, cfg: Config, choices: bool = True) -> None:
    """One sheet; ``choices=False`` (a copy to read only): no drop-down on any column."""
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
    if choices:
        _validation(ws, sheet, header_row, last)
    _print_setup(ws, sheet, header_row, cfg)


def _rows(ws: Worksheet, sheet: Sheet, header_row: int, cfg: Config) -> None:
    status = sheet.header.index(sheet.status_column) if sheet.status_column else -1
    link = sheet.header.index(sheet.link_column) if sheet.link_column else -1
    staff = {sheet.header.index(c) for c in sheet.staff_columns}
    centred = {sheet.header.index(c) for c in sheet.centred_columns}
    styles = _StyleCache(sheet.date_format)
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

    def __init__(self, date_format: str) -> None:
        self.date_format = date_format
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
            cell.number_format = self.date_format
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
        fits_head = max(len(word) for word in title.split()) + 2  # a header word is never split
        if title in sheet.widths:           # laid out for print: the width the sheet asks for
            width = max(fits_head, sheet.widths[title])
        elif title in _NARROW:
            width = max(_NARROW[title], min(longest + 2, _MAX_WIDTH))
        elif title == NOTE:
            width = max(30, min(longest + 2, _MAX_WIDTH))
        else:
            width = max(10, min(longest + 2, _WIDE.get(title, _MAX_WIDTH)), min(len(title) + 2, 16))
        ws.column_dimensions[letter].width = width
        widths.append(width)
    return widths


def _heights(ws: Worksheet, sheet: Sheet, header_row: int, widths: list[float]) -> None:
    """Explicit heights from the estimated wrapped lines: openpyxl cannot autofit, and neither Excel nor
    LibreOffice grows the rows of a generated file by itself."""
    ws.row_dimensions[header_row].height = _height(_lines(sheet.header, widths, bold=True))
    for offset, row in enumerate(sheet.rows, 1):
        lines = _lines(row.values, widths, bold=row.total)
        if lines > 1:
            ws.row_dimensions[header_row + offset].height = _height(min(lines, _MAX_LINES))


def _height(lines: int) -> float:
    return _LINE_PT * lines + (_PAD_PT if lines > 1 else 0)


def _lines(values: Sequence[Cell], widths: list[float], bold: bool = False) -> int:
    """How many text lines the tallest cell of a row needs at the given column widths (a generous
    estimate: words are wrapped whole, as Excel does, at a little under the average letter width)."""
    most = 1
    for value, width in zip(values, widths, strict=False):
        if not isinstance(value, str) or not width:
            continue
        room = max(1, int(width * (_BOLD_LETTERS if bold else _LETTERS)) - 1)
        most = max(most, sum(wrapped_lines(line, room) for line in value.split("\n")))
    return most


def wrapped_lines(text: str, room: int) -> int:
    """Lines ``text`` takes when wrapped at word boundaries into lines of ``room`` letters."""
    lines, used = 1, 0
    for word in text.split():
        size = len(word)
        if used and used + 1 + size > room:
            lines, used = lines + 1, 0
        if used == 0:
            lines += max(0, math.ceil(size / room) - 1)   # a word longer than the line is broken
            used = size % room or min(size, room)
        else:
            used += 1 + size
    return lines


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


def _print_setup(ws: Worksheet, sheet: Sheet, header_row: int, cfg: Config) -> None:
    """A4 landscape, fit to the page width (and height, for a sheet meant to print on one page), the
    header row repeated on every page, the campaign in the page header and «Trang n/N» in the footer;
    only the first ``printed_columns`` columns are printed (the rest are columns to work in)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if sheet.one_page else 0
    setup = ws.sheet_properties.pageSetUpPr
    if setup is None:
        setup = ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    setup.fitToPage = True
    ws.print_options.horizontalCentered = True
    if sheet.rows:
        ws.print_title_rows = f"{header_row}:{header_row}"
    columns = sheet.printed_columns or len(sheet.header)
    ws.print_area = f"A1:{get_column_letter(columns)}{max(ws.max_row, header_row)}"
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.55
    ws.page_margins.header = ws.page_margins.footer = 0.25
    header, footer = ws.oddHeader, ws.oddFooter
    if header is not None and footer is not None:   # always set on a new sheet; None only in the stubs
        header.center.text, header.center.size = _header_text(cfg.campaign.name), _HEADER_PT
        footer.left.text, footer.left.size = "&A", _HEADER_PT
        footer.center.text, footer.center.size = "Trang &P/&N", _HEADER_PT


def _header_text(text: str) -> str:
    """Page-header text: «&» doubled (it starts a field code), cut to the 255 characters Excel allows."""
    return text.replace("&", "&&")[:200]
