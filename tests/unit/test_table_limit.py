"""A table past ``limits.max_table_rows`` (a worksheet past ``max_sheet_rows``) is cut while it is read,
with the ``table_cut`` finding, so one 100,000-row table cannot hold a worker for half a minute."""

from __future__ import annotations

import io
from copy import deepcopy

import docx
import openpyxl
import pytest

import parsers
from bot.config.schema import Config
from bot.core import findings, intake
from bot.core.model import Attachment, Finding
from bot.core.views import review_items
from parsers import docx_trim
from tests.unit.builders import at, message


def _long_docx(rows: int) -> bytes:
    document = docx.Document()
    document.add_paragraph("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("1", "Lò Văn Pâng", "Chủ tịch"), strict=True):
        cell.text = text
    first = table._tbl.tr_lst[0]
    for _ in range(rows - 1):
        table._tbl.append(deepcopy(first))
    document.add_paragraph("Nơi nhận: Như trên")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _long_xlsx(rows: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for number in range(1, rows + 1):
        sheet.append([number, f"Người {number}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _table_rows(document: parsers.Document) -> int:
    return sum(len(block.rows) for block in document.blocks if isinstance(block, parsers.Table))


def test_a_docx_table_is_cut_at_the_limit_with_a_warning() -> None:
    document = parsers.extract("danh sach.docx", _long_docx(500), parsers.Limits(max_table_rows=120))
    assert _table_rows(document) == 120 and document.warnings == ("table_cut",)


def test_the_default_limit_cuts_in_the_low_thousands() -> None:
    assert parsers.Limits().max_table_rows == 2000
    document = parsers.extract("danh sach.docx", _long_docx(2500))
    assert _table_rows(document) == 2000 and "table_cut" in document.warnings


def test_a_table_within_the_limit_is_whole_and_says_nothing() -> None:
    document = parsers.extract("danh sach.docx", _long_docx(50), parsers.Limits(max_table_rows=50))
    assert _table_rows(document) == 50 and document.warnings == ()


@pytest.mark.parametrize(("rows", "cut"), [(30, False), (31, True)])
def test_a_worksheet_past_its_limit_says_it_was_cut(rows: int, cut: bool) -> None:
    document = parsers.extract("danh sach.xlsx", _long_xlsx(rows), parsers.Limits(max_sheet_rows=30))
    assert _table_rows(document) == 30 and (document.warnings == ("table_cut",)) is cut


def test_the_config_limit_reaches_the_parser_and_staff_see_the_cut(cfg: Config) -> None:
    from dataclasses import replace

    small = replace(cfg, limits=replace(cfg.limits, max_table_rows=40))
    [record] = intake.read_items(Attachment("Danh sách.docx", "application/octet-stream", _long_docx(100)), small)
    assert Finding.TABLE_CUT in record.warnings
    [item] = [i for i in review_items([message("tam_duong", at(18), record)]) if i.reason == "table_cut"]
    assert "Danh sách.docx" in item.detail
    assert findings.words("table_cut").startswith("Bảng quá dài")


@pytest.mark.parametrize("rows", [130, 5000])   # cut by the walker alone; trimmed while streamed, then cut
def test_what_follows_a_cut_table_is_still_read(rows: int) -> None:
    document = parsers.extract("danh sach.docx", _long_docx(rows), parsers.Limits(max_table_rows=120))
    assert _table_rows(document) == 120 and "table_cut" in document.warnings
    assert "Nơi nhận: Như trên" in document.lines()


def test_a_huge_table_is_trimmed_before_python_docx_builds_it() -> None:
    data, trimmed = docx_trim.trim_rows(_long_docx(3000), 100)
    assert trimmed and len(docx.Document(io.BytesIO(data)).tables[0]._tbl.tr_lst) == 100
    small = _long_docx(150)
    assert docx_trim.trim_rows(small, 100) == (small, False)     # within twice the limit: left as it is
    assert docx_trim.trim_rows(b"PK\x03\x04 broken", 100) == (b"PK\x03\x04 broken", False)
