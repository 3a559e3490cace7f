"""The Vietnamese drop-down lists of the decision columns, kept on a hidden sheet «Lựa chọn».

A list kept on a sheet has no length limit (an inline list is cut at 255 characters, too short for a
province's units). Typing something else stays allowed: mailbot checks it and says why it is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bot.config.schema import Config
from bot.workbook.content import Sheet
from bot.workbook.decision_cells import COLUMNS, choices
from bot.workbook.styling import put

SHEET_CHOICES = "Lựa chọn"
_PROMPTS = {
    "Quyết định": "Chọn: tính thư cho đơn vị, bỏ qua, hoặc loại của tệp. Áp dụng ở lần kiểm tra thư sau.",
    "Sửa danh sách": "Chọn, hoặc gõ «Sửa tên: tên đúng». Áp dụng ở lần kiểm tra thư sau.",
    "Nhận bản giấy": "Chọn thành phần đã nhận bản giấy; có thể thêm «ngày dd/mm/yyyy».",
}


def add_choices(workbook: Workbook, sheets: Sequence[Sheet], cfg: Config) -> None:
    """Write the hidden list sheet and attach each decision column's drop-down to its rows."""
    lists = choices(cfg)
    hidden = workbook.create_sheet(SHEET_CHOICES)
    hidden.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for number, (column, values) in enumerate(lists.items(), 1):
        letter = get_column_letter(number)
        for row, value in enumerate(values, 1):
            put(hidden.cell(row=row, column=number), value)
        ranges[column] = f"'{SHEET_CHOICES}'!${letter}$1:${letter}${len(values)}"
    for sheet in sheets:
        column = COLUMNS.get(sheet.title)
        rows = sum(1 for row in sheet.rows if row.key and not row.total)
        if column is None or column not in sheet.header or not rows:
            continue
        header_row = len(sheet.preface) + 2 if sheet.preface else 1
        letter = get_column_letter(sheet.header.index(column) + 1)
        check = DataValidation(type="list", formula1=ranges[column], allow_blank=True, showErrorMessage=False,
                               showInputMessage=True, promptTitle=column, prompt=_PROMPTS.get(column, ""))
        check.add(f"{letter}{header_row + 1}:{letter}{header_row + rows}")
        workbook[sheet.title].add_data_validation(check)
