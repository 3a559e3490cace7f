"""bot.workbook.tally: the workbook staff open; rebuilt whole, text never becomes a formula."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.config.schema import Config
from bot.core.findings import REGISTRY
from bot.core.model import Finding, MessageRecord, Outcome, Verdict
from bot.core.picture import build
from bot.core.rules import assess_all
from bot.core.views import status_words
from bot.workbook import styling as tally_sheets
from bot.workbook import tally
from bot.workbook.content import item_headings
from bot.workbook.wording import detail_text
from tests.unit.builders import ICT, at, collective, complete, doc, message, people, person

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2+3", "=1+1"]


WITH_WORKPLACE = replace(person("Giàng A Chứ", "Chủ tịch CĐCS"), workplace="Trường THCS Bản Giang")


def _records() -> list[MessageRecord]:
    hostile = tuple(person(name, "=cmd|' /C calc'!A0") for name in HOSTILE)
    return [
        complete("tam_duong", at(1)),
        message("sin_ho", at(2), doc("to_trinh", (collective("Tổ Văn phòng"), *hostile, WITH_WORKPLACE),
                                         filename="=evil().docx"),
                subject='=HYPERLINK("http://x","bấm vào")', from_addr="ldld.sinho@example.vn"),
        message("cd_yte", at(3), doc("bien_ban", status=Finding.UNREADABLE_ATTACHMENT)),
        message(None, at(4), outcome=Outcome.UNKNOWN_SENDER, counted=False, from_addr="la@gmail.com",
                subject="+84 912 345 678"),
    ]


def _write(cfg: Config, now: datetime, records: list[MessageRecord] | None = None) -> openpyxl.Workbook:
    assert tally.write_workbook(build(cfg, _records() if records is None else records, []), now)
    return openpyxl.load_workbook(cfg.paths.tally)


def _values(sheet: Worksheet) -> list[list[object]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _header_index(sheet: Worksheet, first: str) -> int:
    """1-based row number of the header row whose first cell is ``first``."""
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == first)


def _table(sheet: Worksheet, first: str = "") -> list[dict[str, object]]:
    """The sheet's data rows as {header: value}, the header row found by its first cell."""
    values = _values(sheet)
    start = _header_index(sheet, first or values[0][0]) if first or values else 1
    header = [str(v) for v in values[start - 1]]
    return [dict(zip(header, row, strict=False)) for row in values[start:]]


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(ICT).replace(tzinfo=None) if moment else None


def test_four_sheets_and_the_guide(cfg: Config, now: datetime) -> None:
    workbook = _write(cfg, now)
    visible = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
    assert visible == ["Tổng hợp", "Danh sách đề nghị", "Thư đến", "Cần xem xét", "Hướng dẫn"]
    assert workbook["Lựa chọn"].sheet_state == "hidden"   # the decision drop-down lists


def test_summary_matches_the_state(cfg: Config, now: datetime) -> None:
    """GIVEN the records WHEN written THEN each unit's row says what rules.assess says, in config order."""
    records = _records()
    rows = _table(_write(cfg, now, records)["Tổng hợp"], "STT")
    units, total = rows[:-1], rows[-1]
    dossiers = assess_all(records, cfg)
    assert [row["Mã dòng"] for row in units] == [u.id for u in cfg.units]     # hidden: notes are keyed by it
    assert [row["STT"] for row in units] == list(range(1, len(cfg.units) + 1))
    for row, dossier in zip(units, dossiers, strict=True):
        unit = cfg.unit(dossier.unit_id)
        assert unit is not None and row["Đơn vị"] == unit.name
        for kind, heading in zip(cfg.documents, item_headings(cfg), strict=True):
            want = "✓" if kind.id in dossier.received else "✗" if kind.id in cfg.campaign.required else None
            assert row[heading] == want, (dossier.unit_id, kind.id)
        assert (row["Tập thể"], row["Cá nhân"]) == (dossier.collectives, dossier.individuals)
        assert row["Chỉ tiêu"] == f"{unit.quota.collectives}+{unit.quota.individuals}"
        assert row["Nộp muộn"] == ("Có" if dossier.late else None)
        assert row["Trạng thái"] == status_words(dossier, cfg)
        assert row["Thư gần nhất"] == _local(dossier.last_message_at)
        assert row["Số thư"] == dossier.messages
    assert total["Đơn vị"] == "Tổng cộng"
    assert total["Cá nhân"] == sum(d.individuals for d in dossiers)
    assert total["Số thư"] == sum(d.messages for d in dossiers)
    in_order = sum(1 for d in dossiers if d.verdict == Verdict.IN_ORDER)
    assert total["Trạng thái"] == f"Đủ hồ sơ: {in_order}/{len(cfg.units)}"


def test_summary_words_and_preface(cfg: Config, now: datetime) -> None:
    sheet = _write(cfg, now)["Tổng hợp"]
    by_unit = {row["Mã dòng"]: row for row in _table(sheet, "STT")}
    assert by_unit["tam_duong"]["Trạng thái"] == "Đủ hồ sơ"
    assert by_unit["tp_laichau"]["Trạng thái"] == "Chưa nộp"
    assert by_unit["cd_yte"]["Trạng thái"].startswith("Thiếu ")
    assert by_unit["sin_ho"]["Trạng thái"].startswith("Thiếu ")
    assert by_unit["tam_duong"]["Báo cáo sơ kết"] is None          # optional, not sent: blank
    assert by_unit["cd_yte"]["Chỉ tiêu"] == "1+6"
    assert sheet["A1"].value == cfg.campaign.name
    assert "Hạn nộp: 23:59 ngày 20/12/2020" in sheet["A2"].value
    assert "Cập nhật lúc: 09:00 ngày 10/12/2020" in sheet["A2"].value
    assert "Mã" not in [cell.value for cell in sheet[_header_index(sheet, "STT")]]    # units by name, no codes


def test_dates_are_real_excel_dates_in_campaign_time(cfg: Config, now: datetime) -> None:
    sheet = _write(cfg, now)["Thư đến"]
    cell = sheet["A2"]
    assert isinstance(cell.value, datetime)
    assert cell.value == datetime(2020, 12, 1, 9, 0)       # at(1) is 09:00 in Vietnam
    assert cell.number_format == "dd/mm/yyyy hh:mm"


def test_nominee_sheet_matches_the_state(cfg: Config, now: datetime) -> None:
    """Every nominee of every current list once, grouped by unit in config order, collectives first."""
    records = _records()
    rows = _table(_write(cfg, now, records)["Danh sách đề nghị"])
    expected = []
    for dossier in assess_all(records, cfg):
        unit = cfg.unit(dossier.unit_id)
        assert unit is not None
        for nominee in sorted(dossier.nominees, key=lambda n: n.kind != "collective"):
            expected.append((unit.name, {"collective": "Tập thể", "individual": "Cá nhân"}[nominee.kind],
                             nominee.name, nominee.role or None, nominee.source))
    got = [(r["Đơn vị"], r["Loại"], r["Họ tên / Tên tập thể"], r["Chức vụ, đơn vị công tác"], r["Tệp nguồn"])
           for r in rows]
    assert got == expected
    assert ("Giàng A Chứ", "Chủ tịch CĐCS, Trường THCS Bản Giang") in {(g[2], g[3]) for g in got}
    assert [r["STT"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["Ghi chú"] is None for r in rows)


def test_message_sheet_matches_the_state(cfg: Config, now: datetime) -> None:
    records = _records()
    rows = _table(_write(cfg, now, records)["Thư đến"])
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert row["Thời gian nhận"] == _local(record.received_at)
        assert record.from_addr in str(row["Người gửi"])
        assert row["Tiêu đề"] == record.subject
        unit = cfg.unit(record.unit_id) if record.unit_id else None
        assert row["Đơn vị"] == (unit.name if unit else None)
        for document in record.documents:
            assert document.filename in str(row["Tệp đính kèm"])
    by_subject = {row["Tiêu đề"]: row for row in rows}
    assert by_subject["+84 912 345 678"]["Kết quả"].startswith("Người gửi không đăng ký")
    yte = next(r for r in rows if r["Đơn vị"] == "Công đoàn ngành Y tế tỉnh Lai Châu")
    assert "Tệp không đọc được" in str(yte["Tệp đính kèm"])


def test_review_sheet_matches_the_state(cfg: Config, now: datetime) -> None:
    records = _records()
    rows = _table(_write(cfg, now, records)["Cần xem xét"])
    items = list(build(cfg, records, []).review.open)
    assert len(rows) == len(items)
    for row, item in zip(rows, items, strict=True):
        assert row["Người gửi"] == item.record.from_addr
        unit = cfg.unit(item.record.unit_id) if item.record.unit_id else None
        assert row["Đơn vị"] == (unit.name if unit else None)
        assert row["Lý do"] == REGISTRY[item.reason].words                  # words, no code
        assert row["Chi tiết"] == (detail_text(item.reason, item.detail) or None)
    reasons = {(row["Người gửi"], row["Lý do"]) for row in rows}
    assert ("la@gmail.com", "Người gửi không đăng ký") in reasons


def test_mail_borne_text_never_becomes_a_formula(cfg: Config, now: datetime) -> None:
    """GIVEN nominee names, file names and subjects starting with = + @ - WHEN written THEN plain text cells."""
    workbook = _write(cfg, now)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    nominees = workbook["Danh sách đề nghị"]
    name_column = _values(nominees)[0].index("Họ tên / Tên tập thể") + 1
    written = {nominees.cell(row=r, column=name_column).value: nominees.cell(row=r, column=name_column)
               for r in range(2, nominees.max_row + 1)}
    for name in HOSTILE:
        assert name in written, name
        assert written[name].data_type == "s"
        assert written[name].quotePrefix, name        # stays text even after a person edits the cell
    messages = _values(workbook["Thư đến"])
    assert any('=HYPERLINK("http://x","bấm vào")' in row for row in messages)
    assert any("+84 912 345 678" in row for row in messages)


def test_text_behind_tabs_and_line_breaks_is_guarded_too() -> None:
    for text in ("\t=1+1", "\r\n@SUM(A1)", " -2", "=x"):
        assert tally_sheets.looks_like_formula(text), repr(text)
    for text in ("Lò Văn A", "2+3", "a=b", ""):
        assert not tally_sheets.looks_like_formula(text), repr(text)


def test_empty_ledger_still_gives_every_unit(cfg: Config, now: datetime) -> None:
    rows = _table(_write(cfg, now, records=[])["Tổng hợp"], "STT")
    assert [row["Đơn vị"] for row in rows[:-1]] == [u.name for u in cfg.units]
    assert {row["Trạng thái"] for row in rows[:-1]} == {"Chưa nộp"}


def test_rewrite_replaces_the_whole_file(cfg: Config, now: datetime) -> None:
    _write(cfg, now)
    workbook = _write(cfg, now, records=[])
    assert workbook["Danh sách đề nghị"].max_row == 1
    assert [p.name for p in cfg.paths.tally.parent.iterdir() if ".tmp" in p.name] == []


def test_target_that_cannot_be_replaced(cfg: Config, now: datetime) -> None:
    """GIVEN the tally path is taken by a directory WHEN written THEN False, no exception, no temporary file."""
    cfg.paths.tally.mkdir(parents=True)
    assert tally.write_workbook(build(cfg, _records(), []), now) is False
    assert cfg.paths.tally.is_dir()
    leftovers = [p.name for p in cfg.paths.tally.parent.iterdir() if ".tmp" in p.name]
    assert leftovers == []


def test_control_characters_are_dropped(cfg: Config, now: datetime) -> None:
    record = message("tam_duong", at(1), subject="Hồ sơ\x00\x07 thi\x1b đua\tnăm\n2020")
    rows = _values(_write(cfg, now, records=[record])["Thư đến"])
    assert rows[1][2] == "Hồ sơ thi đua\tnăm\n2020"


def test_looks(cfg: Config, now: datetime) -> None:
    """Frozen header, filter over the data (not the totals), status colours (Chưa nộp apart from Thiếu),
    A4 landscape on one page, campaign and page numbers in the header and footer, working columns unprinted."""
    records = [*_records(), message("phong_tho", at(21), *complete("phong_tho", at(21)).documents)]
    sheet = _write(cfg, now, records)["Tổng hợp"]
    header = _header_index(sheet, "STT")
    titles = _values(sheet)[header - 1]
    status = titles.index("Trạng thái") + 1
    assert all(cell.font.b for cell in sheet[header] if cell.value)
    assert sheet.freeze_panes == f"C{header + 1}"
    assert sheet.auto_filter.ref == f"A{header}:{get_column_letter(len(titles))}{header + len(cfg.units)}"
    key = titles.index("Mã dòng") + 1
    fills = {sheet.cell(row=r, column=key).value: sheet.cell(row=r, column=status).fill.fgColor.rgb[-6:]
             for r in range(header + 1, header + 1 + len(cfg.units))}
    assert fills["tam_duong"] == "C6EFCE"           # complete: green
    assert fills["cd_yte"] == "FFEB9C"              # something missing: amber
    assert fills["tp_laichau"] == "D9D9D9"          # nothing yet: grey, apart from «Thiếu …»
    assert fills["phong_tho"] == "FFC7CE"           # late: red
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 1)
    assert sheet.column_dimensions["B"].width >= 30
    assert sheet.oddHeader.center.text == cfg.campaign.name
    assert sheet.oddFooter.center.text == "Trang &P/&N"
    assert sheet.print_title_rows == f"${header}:${header}"
    printed = sheet.print_area[0] if isinstance(sheet.print_area, list) else sheet.print_area
    assert printed.endswith(f"$A$1:${get_column_letter(titles.index('Cờ') + 1)}${header + len(cfg.units) + 1}")


def test_nominee_rows_link_to_the_archived_file(cfg: Config, now: datetime) -> None:
    """GIVEN a document archived under archive/<unit>/ WHEN written THEN its nominees' source cell links
    to it by a path relative to the workbook."""
    document = replace(doc("to_trinh", people(1)), archive_path="archive/tam_duong/20201201_ab_Tờ trình.docx")
    workbook = _write(cfg, now, [message("tam_duong", at(1), document)])
    sheet = workbook["Danh sách đề nghị"]
    cell = sheet.cell(row=2, column=_values(sheet)[0].index("Mở tệp") + 1)
    link = cell.hyperlink
    assert link is not None and cell.value == "Mở"
    assert unquote(link.target) == "archive/tam_duong/20201201_ab_Tờ trình.docx"
    assert not Path(unquote(link.target)).is_absolute()


def test_key_column_is_hidden_and_review_has_a_checked_column(cfg: Config, now: datetime) -> None:
    workbook = _write(cfg, now)
    nominees = workbook["Danh sách đề nghị"]
    key_letter = get_column_letter(_values(nominees)[0].index("Mã dòng") + 1)
    assert nominees.column_dimensions[key_letter].hidden
    review = workbook["Cần xem xét"]
    validations = review.data_validations.dataValidation
    assert len(validations) == 2
    assert "Rồi" in validations[0].formula1
    assert validations[1].formula1.startswith("'Lựa chọn'!$A$1")   # the «Quyết định» drop-down


def test_the_tally_sits_beside_the_config_by_default(tmp_path: Path) -> None:
    """GIVEN a config without [paths]
    WHEN it is loaded
    THEN the workbook path is tally.xlsx in the config's own folder."""
    from bot.config import schema as config_module
    from tests.conftest import write_config

    loaded = config_module.load(write_config(tmp_path, '[mailbox]\nkind = "maildir"\npath = "inbox"\n'))
    assert loaded.paths.tally == tmp_path / "tally.xlsx"


def test_review_and_message_rows_link_to_the_file_in_question(cfg: Config, now: datetime) -> None:
    """GIVEN an unreadable attachment kept in the archive WHEN written THEN its Cần xem xét row and its
    message's Thư đến row open that file; a row about no file has no link."""
    broken = replace(doc("bien_ban", status=Finding.UNREADABLE_ATTACHMENT), archive_path="archive/cd_yte/x_BB.docx")
    workbook = _write(cfg, now, [message("cd_yte", at(3), broken),
                                 message(None, at(4), outcome=Outcome.UNKNOWN_SENDER, counted=False)])
    for title in ("Cần xem xét", "Thư đến"):
        sheet = workbook[title]
        column = _values(sheet)[0].index("Mở tệp") + 1
        first, second = sheet.cell(row=2, column=column), sheet.cell(row=3, column=column)
        assert first.hyperlink is not None and unquote(first.hyperlink.target) == "archive/cd_yte/x_BB.docx"
        assert second.hyperlink is None and second.value is None


def test_lists_that_disagree_need_a_person(cfg: Config, now: datetime) -> None:
    """GIVEN a tờ trình and a tóm tắt of one message naming different people WHEN written THEN Cần xem xét
    has one lists_disagree row for the unit saying who is missing where."""
    record = message("phong_tho", at(2), doc("to_trinh", people(3)), doc("tom_tat", people(2)))
    rows = _table(_write(cfg, now, [record])["Cần xem xét"])
    disagree = [row for row in rows if row["Lý do"] == REGISTRY[Finding.LISTS_DISAGREE].words]
    assert len(disagree) == 1
    assert disagree[0]["Đơn vị"] == "Liên đoàn Lao động huyện Phong Thổ"
    assert "Lò Văn C" in str(disagree[0]["Chi tiết"]) and "Báo cáo tóm tắt.docx" in str(disagree[0]["Chi tiết"])


def test_nominees_named_like_formulas_are_written_as_text(cfg: Config, now: datetime) -> None:
    names = ("=Lò Văn Pâng", "+Tòng Thị Phóng", "@Giàng A Dơ", "-Sùng Thị Mai")
    record = message("tam_duong", at(18), doc("to_trinh", tuple(person(n) for n in names)))
    sheet = _write(cfg, now, [record])["Danh sách đề nghị"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value in names}
    assert set(cells) == set(names)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells.values())
