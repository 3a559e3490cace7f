"""bot.tally: the workbook staff open; rebuilt whole, text never becomes a formula."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from bot import tally
from bot.config import Config
from bot.model import Finding, MessageRecord, Outcome
from tests.unit.builders import at, collective, complete, doc, message, people, person

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2+3", "=1+1"]


def _records() -> list[MessageRecord]:
    hostile = tuple(person(name, "=cmd|' /C calc'!A0") for name in HOSTILE)
    return [
        complete("tam_duong", at(1)),
        message("sin_ho", at(2), doc("to_trinh", (collective("Tổ Văn phòng"), *hostile), filename="=evil().docx"),
                subject='=HYPERLINK("http://x","bấm vào")', from_addr="ldld.sinho@example.vn"),
        message("cd_yte", at(3), doc("bien_ban", status=Finding.UNREADABLE_ATTACHMENT)),
        message(None, at(4), outcome=Outcome.UNKNOWN_SENDER, counted=False, from_addr="la@gmail.com",
                subject="+84 912 345 678"),
    ]


def _write(cfg: Config, now: datetime, records: list[MessageRecord] | None = None) -> openpyxl.Workbook:
    assert tally.write_workbook(cfg, _records() if records is None else records, now)
    return openpyxl.load_workbook(cfg.paths.tally)


def _values(sheet: Worksheet) -> list[list[object]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _header_index(sheet: Worksheet, first: str) -> int:
    """1-based row number of the header row whose first cell is ``first``."""
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == first)


def test_four_sheets(cfg: Config, now: datetime) -> None:
    workbook = _write(cfg, now)
    assert workbook.sheetnames == ["Tổng hợp", "Danh sách đề nghị", "Thư đến", "Cần xem xét"]


def test_summary_has_one_row_per_unit_in_config_order(cfg: Config, now: datetime) -> None:
    sheet = _write(cfg, now)["Tổng hợp"]
    header = _header_index(sheet, "STT")
    rows = _values(sheet)[header:]
    assert [row[1] for row in rows] == [u.id for u in cfg.units]
    assert [row[0] for row in rows] == list(range(1, len(cfg.units) + 1))
    assert [row[2] for row in rows] == [u.name for u in cfg.units]
    assert sheet["A1"].value == cfg.campaign.name
    assert "20/12/2020" in sheet["A2"].value
    status = _values(sheet)[header - 1].index("Trạng thái")
    by_unit = {row[1]: row[status] for row in rows}
    assert by_unit["tam_duong"] == "Đủ hồ sơ"
    assert by_unit["tp_laichau"] == "Chưa nộp"
    assert by_unit["cd_yte"].startswith("Thiếu ")


def test_summary_marks_and_counts(cfg: Config, now: datetime) -> None:
    sheet = _write(cfg, now)["Tổng hợp"]
    header = _header_index(sheet, "STT")
    titles = _values(sheet)[header - 1]
    tam_duong = next(row for row in _values(sheet)[header:] if row[1] == "tam_duong")
    column = {title: index for index, title in enumerate(titles)}
    assert tam_duong[column["Tờ trình đề nghị khen thưởng"]] == "✓"
    assert tam_duong[column["Báo cáo sơ kết phong trào"]] is None          # optional, not sent: blank
    assert (tam_duong[column["Tập thể"]], tam_duong[column["Cá nhân"]]) == (1, 2)
    assert tam_duong[column["Chỉ tiêu"]] == "1+4"
    cd_yte = next(row for row in _values(sheet)[header:] if row[1] == "cd_yte")
    assert cd_yte[column["Tờ trình đề nghị khen thưởng"]] == "✗"
    assert cd_yte[column["Chỉ tiêu"]] == "1+6"


def test_mail_borne_text_never_becomes_a_formula(cfg: Config, now: datetime) -> None:
    """GIVEN nominee names, file names and subjects starting with = + @ - WHEN written THEN plain text cells."""
    workbook = _write(cfg, now)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    nominees = workbook["Danh sách đề nghị"]
    header = _header_index(nominees, "STT")
    name_column = _values(nominees)[header - 1].index("Họ tên / Tên tập thể") + 1
    written = {nominees.cell(row=r, column=name_column).value: nominees.cell(row=r, column=name_column)
               for r in range(header + 1, nominees.max_row + 1)}
    for name in HOSTILE:
        assert name in written, name
        assert written[name].data_type == "s"
    messages = _values(workbook["Thư đến"])
    assert any('=HYPERLINK("http://x","bấm vào")' in row for row in messages)
    assert any("+84 912 345 678" in row for row in messages)


def test_review_sheet_lists_what_needs_a_person(cfg: Config, now: datetime) -> None:
    rows = _values(_write(cfg, now)["Cần xem xét"])
    reasons = {(row[1], row[4]) for row in rows[1:]}
    assert ("la@gmail.com", "unknown_sender") in reasons
    assert any(reason == "unreadable_attachment" for _, reason in reasons)


def test_nominee_sheet_has_the_current_lists(cfg: Config, now: datetime) -> None:
    sheet = _write(cfg, now)["Danh sách đề nghị"]
    rows = _values(sheet)[1:]
    tam_duong = [row for row in rows if row[1] == "Liên đoàn Lao động huyện Tam Đường"]
    assert sorted(row[3] for row in tam_duong) == sorted(
        [n.name for n in people(2)] + ["Công đoàn cơ sở Trường số 1"])
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))


def test_empty_ledger_still_gives_every_unit(cfg: Config, now: datetime) -> None:
    sheet = _write(cfg, now, records=[])["Tổng hợp"]
    header = _header_index(sheet, "STT")
    assert [row[1] for row in _values(sheet)[header:]] == [u.id for u in cfg.units]


def test_rewrite_replaces_the_whole_file(cfg: Config, now: datetime) -> None:
    _write(cfg, now)
    workbook = _write(cfg, now, records=[])
    assert workbook["Danh sách đề nghị"].max_row == 1
    assert [p.name for p in cfg.paths.tally.parent.iterdir() if p.name.endswith(".tmp.xlsx")] == []


def test_target_that_cannot_be_replaced(cfg: Config, now: datetime) -> None:
    """GIVEN the tally path is taken by a directory WHEN written THEN False, no exception, no temporary file."""
    cfg.paths.tally.mkdir(parents=True)
    assert tally.write_workbook(cfg, _records(), now) is False
    assert cfg.paths.tally.is_dir()
    leftovers = [p.name for p in cfg.paths.tally.parent.iterdir() if ".tmp" in p.name]
    assert leftovers == []


def test_control_characters_are_dropped(cfg: Config, now: datetime) -> None:
    record = message("tam_duong", at(1), subject="Hồ sơ\x00\x07 thi\x1b đua\tnăm\n2020")
    rows = _values(_write(cfg, now, records=[record])["Thư đến"])
    assert rows[1][2] == "Hồ sơ thi đua\tnăm\n2020"


def test_summary_header_is_styled_and_status_cells_coloured(cfg: Config, now: datetime) -> None:
    sheet = _write(cfg, now)["Tổng hợp"]
    header = _header_index(sheet, "STT")
    status = _values(sheet)[header - 1].index("Trạng thái") + 1
    assert all(cell.font.b for cell in sheet[header] if cell.value)
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{header}:")
    assert sheet.cell(row=header, column=status).fill.fill_type is None
    for row in range(header + 1, sheet.max_row + 1):
        assert sheet.cell(row=row, column=status).fill.fill_type == "solid", row



def test_the_tally_sits_beside_the_config_by_default(tmp_path: Path) -> None:
    """GIVEN a config without [paths]
    WHEN it is loaded
    THEN the workbook path is tally.xlsx in the config's own folder."""
    from bot import config as config_module
    from tests.conftest import write_config

    loaded = config_module.load(write_config(tmp_path, '[mailbox]\nkind = "maildir"\npath = "inbox"\n'))
    assert loaded.paths.tally == tmp_path / "tally.xlsx"
