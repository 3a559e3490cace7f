"""Staff notes in the tally survive every rewrite, wherever the staff moved the rows; nothing is lost."""

from __future__ import annotations

import os
import time
import zipfile
from datetime import datetime

import openpyxl
import pytest

from bot.config.schema import Config
from bot.core.model import MessageRecord, Outcome
from bot.core.picture import build
from bot.workbook import tally
from tests.unit.builders import at, collective, complete, doc, message, people

NOTE = "Ghi chú"


def _records(individuals: int = 3) -> list[MessageRecord]:
    return [complete("tam_duong", at(1), individuals=individuals),
            message("sin_ho", at(2), doc("to_trinh", (collective("Tổ Văn phòng"), *people(2, "Hà Thị")))),
            message(None, at(3), from_addr="la@gmail.com", counted=False,
                    outcome=Outcome.UNKNOWN_SENDER)]


def _rows(path, title: str, first: str = "") -> tuple[int, list[str], list[list[object]]]:  # type: ignore[no-untyped-def]
    sheet = openpyxl.load_workbook(path)[title]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(values) if row[0] == (first or values[0][0]))
    return start + 1, [str(v) for v in values[start]], values[start + 1:]


def _type_notes(path, title: str, first: str, notes: dict[str, str], key: str) -> None:  # type: ignore[no-untyped-def]
    """What a person does in Excel: type into Ghi chú, save. (A test stand-in for Excel; mailbot never does this.)"""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[title]
    header_row, header, _ = _rows(path, title, first)
    key_col, note_col = header.index(key) + 1, header.index(NOTE) + 1
    for row in range(header_row + 1, sheet.max_row + 1):
        value = sheet.cell(row=row, column=key_col).value
        for fragment, text in notes.items():
            if value and fragment in str(value):
                sheet.cell(row=row, column=note_col, value=text)
    workbook.save(path)


def _notes(path, title: str, first: str, by: str) -> dict[object, object]:  # type: ignore[no-untyped-def]
    _, header, rows = _rows(path, title, first)
    return {row[header.index(by)]: row[header.index(NOTE)] for row in rows if row[header.index(NOTE)]}


def test_summary_and_nominee_notes_survive_a_rewrite(cfg: Config, now: datetime) -> None:
    """GIVEN staff notes on a unit row and a nominee row WHEN mailbot rewrites with new mail THEN both notes
    are on the same rows again."""
    assert tally.write_workbook(build(cfg, _records(), []), now)
    path = cfg.paths.tally
    _type_notes(path, "Tổng hợp", "STT", {"tam_duong": "Đã gọi điện nhắc bổ sung"}, "Mã dòng")
    _type_notes(path, "Danh sách đề nghị", "STT", {"lo van b": "Kiểm tra lại chức vụ"}, "Mã dòng")
    later = [*_records(), message("phong_tho", at(5), doc("to_trinh", people(1, "Giàng A")))]
    assert tally.write_workbook(build(cfg, later, []), now)
    assert _notes(path, "Tổng hợp", "STT", "Mã dòng") == {"tam_duong": "Đã gọi điện nhắc bổ sung"}
    assert _notes(path, "Danh sách đề nghị", "STT", "Họ tên / Tên tập thể") == {"Lò Văn B": "Kiểm tra lại chức vụ"}
    assert "Ghi chú cũ" not in openpyxl.load_workbook(path).sheetnames


def test_notes_follow_their_row_after_staff_sort_the_sheet(cfg: Config, now: datetime) -> None:
    """GIVEN staff sorted Danh sách đề nghị by name (rows moved) and typed notes WHEN rewritten THEN each note
    is matched by its key, not its position."""
    assert tally.write_workbook(build(cfg, _records(), []), now)
    path = cfg.paths.tally
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Danh sách đề nghị"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    rows.sort(key=lambda r: str(r[3]), reverse=True)
    for index, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            sheet.cell(row=index, column=column, value=value)
    header = [c.value for c in sheet[1]]
    name_col, note_col = header.index("Họ tên / Tên tập thể") + 1, header.index(NOTE) + 1
    for index in range(2, sheet.max_row + 1):
        sheet.cell(row=index, column=note_col, value=f"ghi chú cho {sheet.cell(row=index, column=name_col).value}")
    workbook.save(path)
    assert tally.write_workbook(build(cfg, _records(), []), now)
    notes = _notes(path, "Danh sách đề nghị", "STT", "Họ tên / Tên tập thể")
    assert notes and all(note == f"ghi chú cho {name}" for name, note in notes.items())
    assert len(notes) == len(rows)


def test_note_of_a_vanished_row_is_kept_and_returns(cfg: Config, now: datetime) -> None:
    """GIVEN a note on a nominee who then drops out of the list WHEN rewritten THEN the note is on the sheet
    Ghi chú cũ (with the old row's text); WHEN the nominee comes back THEN the note is on their row again."""
    assert tally.write_workbook(build(cfg, _records(individuals=3), []), now)
    path = cfg.paths.tally
    _type_notes(path, "Danh sách đề nghị", "STT", {"lo van c": "Thiếu bản sao bằng khen cũ"}, "Mã dòng")
    assert tally.write_workbook(build(cfg, _records(individuals=2), []), now)
    workbook = openpyxl.load_workbook(path)
    assert "Ghi chú cũ" in workbook.sheetnames
    kept = [[c.value for c in row] for row in workbook["Ghi chú cũ"].iter_rows()]
    assert any("Thiếu bản sao bằng khen cũ" in row and any("Lò Văn C" in str(v) for v in row) for row in kept)
    assert "ghi chú cũ" in str(workbook["Tổng hợp"]["A3"].value).lower()
    assert tally.write_workbook(build(cfg, _records(individuals=2), []), now)     # still kept a cycle later
    assert "Ghi chú cũ" in openpyxl.load_workbook(path).sheetnames
    assert tally.write_workbook(build(cfg, _records(individuals=3), []), now)
    back = _notes(path, "Danh sách đề nghị", "STT", "Họ tên / Tên tập thể")
    assert back == {"Lò Văn C": "Thiếu bản sao bằng khen cũ"}
    assert "Ghi chú cũ" not in openpyxl.load_workbook(path).sheetnames


def test_review_checkmarks_survive(cfg: Config, now: datetime) -> None:
    records = _records()     # the same stored messages each time (keys use the message digest)
    assert tally.write_workbook(build(cfg, records, []), now)
    path = cfg.paths.tally
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Cần xem xét"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("Đã xử lý") + 1, value="Rồi")
    sheet.cell(row=2, column=header.index(NOTE) + 1, value="Người lạ hỏi thủ tục, đã trả lời tay")
    workbook.save(path)
    assert tally.write_workbook(build(cfg, [*records, message("muong_te", at(4))], []), now)
    row = [c.value for c in openpyxl.load_workbook(path)["Cần xem xét"][2]]
    assert "Rồi" in row and "Người lạ hỏi thủ tục, đã trả lời tay" in row


def test_formula_typed_as_a_note_comes_back_as_text(cfg: Config, now: datetime) -> None:
    assert tally.write_workbook(build(cfg, _records(), []), now)
    _type_notes(cfg.paths.tally, "Tổng hợp", "STT", {"sin_ho": "=HYPERLINK(\"x\")"}, "Mã dòng")
    assert tally.write_workbook(build(cfg, _records(), []), now)
    cells = [c for row in openpyxl.load_workbook(cfg.paths.tally)["Tổng hợp"].iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]


def test_open_in_excel_is_left_alone_and_retried(cfg: Config, now: datetime) -> None:
    """GIVEN Excel's owner file ~$tally.xlsx beside the workbook WHEN a rewrite is due THEN the workbook is
    left as it is (False) and no temporary file remains; once Excel closed it, the rewrite happens."""
    assert tally.write_workbook(build(cfg, [], []), now)
    before = cfg.paths.tally.read_bytes()
    owner = cfg.paths.tally.with_name("~$" + cfg.paths.tally.name)
    owner.write_bytes(b"staff")
    assert tally.write_workbook(build(cfg, _records(), []), now) is False
    assert cfg.paths.tally.read_bytes() == before
    assert [p.name for p in cfg.paths.tally.parent.iterdir() if ".tmp" in p.name] == []
    owner.unlink()
    assert tally.write_workbook(build(cfg, _records(), []), now)
    assert cfg.paths.tally.read_bytes() != before


@pytest.mark.parametrize("owner", ["~$tally.xlsx", "~$lly.xlsx", ".~lock.tally.xlsx#"])
def test_every_office_owner_file_counts(cfg: Config, now: datetime, owner: str) -> None:
    """Excel names it ~$ + name, or puts ~$ over the first two letters of a long name; LibreOffice .~lock."""
    cfg.paths.tally.parent.mkdir(parents=True, exist_ok=True)
    (cfg.paths.tally.parent / owner).write_text("x")
    assert tally.office_lock(cfg.paths.tally) == cfg.paths.tally.parent / owner
    assert tally.write_workbook(build(cfg, [], []), now) is False


def test_a_stale_owner_file_does_not_block_forever(cfg: Config, now: datetime) -> None:
    owner = cfg.paths.tally.with_name(".~lock." + cfg.paths.tally.name + "#")
    owner.parent.mkdir(parents=True, exist_ok=True)
    owner.write_text("crashed LibreOffice")
    assert tally.write_workbook(build(cfg, [], []), now) is False
    old = time.time() - tally.LOCK_MAX_AGE_S - 60
    os.utime(owner, (old, old))
    assert tally.write_workbook(build(cfg, [], []), now)


def test_a_file_that_is_no_workbook_is_set_aside_not_overwritten(cfg: Config, now: datetime) -> None:
    cfg.paths.tally.parent.mkdir(parents=True, exist_ok=True)
    cfg.paths.tally.write_bytes(b"PK\x03\x04 not really a zip")
    assert tally.write_workbook(build(cfg, _records(), []), now)
    kept = [p for p in cfg.paths.tally.parent.iterdir() if "khong-doc-duoc" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == b"PK\x03\x04 not really a zip"
    assert openpyxl.load_workbook(cfg.paths.tally).sheetnames[0] == "Tổng hợp"


def test_a_workbook_with_broken_insides_is_set_aside(cfg: Config, now: datetime) -> None:
    """A zip whose sheet XML is garbage (a half-synced share) must not crash the poll either."""
    assert tally.write_workbook(build(cfg, [], []), now)
    with zipfile.ZipFile(cfg.paths.tally) as good:
        parts = {name: good.read(name) for name in good.namelist()}
    with zipfile.ZipFile(cfg.paths.tally, "w") as bad:
        for name, data in parts.items():
            bad.writestr(name, b"<worksheet><sheetData><row" if "worksheets/sheet1" in name else data)
    assert tally.write_workbook(build(cfg, _records(), []), now)
    assert [p for p in cfg.paths.tally.parent.iterdir() if "khong-doc-duoc" in p.name]
    assert openpyxl.load_workbook(cfg.paths.tally).sheetnames[0] == "Tổng hợp"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_folder(cfg: Config, now: datetime) -> None:
    assert tally.write_workbook(build(cfg, [], []), now)
    folder = cfg.paths.tally.parent
    folder.chmod(0o555)
    try:
        assert tally.write_workbook(build(cfg, _records(), []), now) is False
    finally:
        folder.chmod(0o755)


def test_the_new_workbook_is_readable_by_others(cfg: Config, now: datetime) -> None:
    """mkstemp makes 0600 files: the shared-folder workbook must keep ordinary permissions."""
    old = os.umask(0o022)
    try:
        assert tally.write_workbook(build(cfg, [], []), now)
    finally:
        os.umask(old)
    assert cfg.paths.tally.stat().st_mode & 0o777 == 0o644


def test_an_owner_file_dated_in_the_future_is_stale(cfg: Config, now: datetime) -> None:
    """A lock dated ahead (a wrong clock, a copied folder) would otherwise stop every rewrite, `mailbot tally` too."""
    owner = cfg.paths.tally.with_name("~$" + cfg.paths.tally.name)
    owner.parent.mkdir(parents=True, exist_ok=True)
    owner.write_text("x")
    ahead = time.time() + 3 * 24 * 3600
    os.utime(owner, (ahead, ahead))
    assert tally.office_lock(cfg.paths.tally) is None
    assert tally.write_workbook(build(cfg, [], []), now)
    slightly = time.time() + 60                           # a share's clock a minute ahead: still Excel's lock
    os.utime(owner, (slightly, slightly))
    assert tally.office_lock(cfg.paths.tally) == owner


def test_notes_of_a_workbook_from_before_the_hidden_key_are_kept(cfg: Config, now: datetime) -> None:
    """GIVEN a Tổng hợp whose unit-id column was still the visible «Mã» (older mailbot), with a note
    WHEN rewritten THEN the note is on its unit's row."""
    assert tally.write_workbook(build(cfg, _records(), []), now)
    path = cfg.paths.tally
    _type_notes(path, "Tổng hợp", "STT", {"sin_ho": "Hẹn nộp bổ sung thứ Hai"}, "Mã dòng")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Tổng hợp"]
    header = next(row for row in sheet.iter_rows() if row[0].value == "STT")
    next(cell for cell in header if cell.value == "Mã dòng").value = "Mã"
    workbook.save(path)
    assert tally.write_workbook(build(cfg, _records(), []), now)
    assert _notes(path, "Tổng hợp", "STT", "Mã dòng") == {"sin_ho": "Hẹn nộp bổ sung thứ Hai"}
