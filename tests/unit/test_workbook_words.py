"""What staff read in the workbook carries no code and no English: units by name, mail by date, sender and
subject, «Chờ gửi» until the SMTP server took a reply, a paper receipt as «Nhận bản giấy»; and the copy
mailed to staff says it is only a view."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from bot.config.schema import Config
from bot.core import corrections
from bot.core.decisions import DecisionKind, Source, StaffDecision
from bot.core.model import Finding, MessageRecord, Outcome, Reply
from bot.core.picture import build
from bot.workbook import tally
from bot.workbook.decision_view import DecisionView
from tests.unit.builders import ICT, at, complete, doc, message

WHEN = datetime(2020, 12, 9, 10, 0, tzinfo=ICT)
BROKEN = "broken zip/Office container"


def _stored() -> list[MessageRecord]:
    stranger = message(None, at(4), outcome=Outcome.UNKNOWN_SENDER, counted=False, from_addr="la@gmail.com",
                       subject="Gửi hồ sơ thi đua", message_id="<la-1@gmail.com>")
    broken = replace(doc("bien_ban", status=Finding.UNREADABLE_ATTACHMENT, filename="To trinh.docx"), detail=BROKEN)
    return [replace(complete("tam_duong", at(1), individuals=2), reply=Reply.queued_as("ack-7c2d.eml")),
            message("cd_yte", at(3), doc("to_trinh"), broken, reply=Reply.queued_as("ack-9a9a.eml")),
            stranger]


def _decisions() -> list[StaffDecision]:
    return [StaffDecision(DecisionKind.ASSIGN, by="Lương Hà (tên trong tệp, chưa xác minh)", at=WHEN,
                          source=Source.WORKBOOK, message_id="<la-1@gmail.com>", unit_id="sin_ho", id=1),
            StaffDecision(DecisionKind.RECEIVE, by="Trần Văn Bình", at=WHEN, unit_id="cd_yte", item="bien_ban",
                          on=date(2020, 12, 8), id=2)]


def _write(cfg: Config, now: datetime) -> openpyxl.Workbook:
    stored, decisions = _stored(), _decisions()
    records = corrections.apply(stored, decisions, cfg)
    sent = {"ack-7c2d.eml": datetime(2020, 12, 1, 2, 5, tzinfo=ICT)}
    assert tally.write_workbook(build(cfg, records, []), now, DecisionView(decisions, stored), sent)
    return openpyxl.load_workbook(cfg.paths.tally)


def _visible_text(workbook: openpyxl.Workbook) -> list[str]:
    """Every visible cell's text (hidden key columns and the hidden choices sheet left out)."""
    out = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        hidden = {letter for letter, dim in sheet.column_dimensions.items() if dim.hidden}
        out += [str(cell.value) for row in sheet.iter_rows() for cell in row
                if cell.value is not None and cell.column_letter not in hidden]
    return out


def _table(sheet: Worksheet) -> list[dict[str, object]]:
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[0] in ("STT", "Thời gian nhận", "Số"))
    return [dict(zip(rows[start], row, strict=False)) for row in rows[start + 1:]]


def test_no_code_and_no_english_where_staff_read(cfg: Config, now: datetime) -> None:
    """GIVEN mail, an unreadable file, a sent and a queued reply, a workbook decision and a paper receipt
    WHEN the workbook is written THEN no visible cell holds a unit id, a Message-ID, an item id in brackets,
    an outbox file name, a reason code, the parser's English or a command to type."""
    text = "\n".join(_visible_text(_write(cfg, now)))
    for unit in cfg.units:
        assert not re.search(rf"\b{unit.id}\b(?!@)", text), unit.id     # (an address may hold it)
    for code in ("<la-1@gmail.com>", "[bien_ban]", "ack-", ".eml", "unknown_sender", "unreadable_attachment",
                 BROKEN, "mailbot decisions", "--undo", "Đã trả lời"):
        assert code not in text, code
    assert "tệp nén hoặc tệp Office bị hỏng" in text


def test_replies_are_sent_or_waiting_and_paper_is_no_mail(cfg: Config, now: datetime) -> None:
    workbook = _write(cfg, now)
    rows = _table(workbook["Thư đến"])
    replies = {row["Đơn vị"]: row["Trả lời"] for row in rows if not str(row["Người gửi"]).startswith("Nhận")}
    assert replies["Liên đoàn Lao động huyện Tam Đường"] == "Đã gửi 01/12/2020 02:05"
    assert replies["Công đoàn ngành Y tế tỉnh Lai Châu"] == "Chờ gửi"           # queued, not accepted yet
    paper = [row for row in rows if str(row["Người gửi"]).startswith("Nhận bản giấy")]
    assert len(paper) == 1 and "<" not in str(paper[0]["Người gửi"]) and paper[0]["Trả lời"] is None
    summary = {row["Đơn vị"]: row for row in _table(workbook["Tổng hợp"])}
    assert summary["Công đoàn ngành Y tế tỉnh Lai Châu"]["Số thư"] == 1        # the paper copy is no mail
    assert summary["Công đoàn ngành Y tế tỉnh Lai Châu"]["Biên bản"] == "✓"


def test_decisions_read_in_words(cfg: Config, now: datetime) -> None:
    workbook = _write(cfg, now)
    history = _table(workbook["Các quyết định"])
    assigned = next(row for row in history if row["Số"] == 1)
    assert assigned["Đơn vị"] == "Liên đoàn Lao động huyện Sìn Hồ"
    assert assigned["Nội dung"] == ("Tính thư «Gửi hồ sơ thi đua» của la@gmail.com, 04/12/2020 09:00 cho "
                                    "Liên đoàn Lao động huyện Sìn Hồ")
    assert assigned["Nguồn"] == "bảng tính" and "chưa xác minh" in str(assigned["Người quyết định"])
    paper = next(row for row in history if row["Số"] == 2)
    assert paper["Nội dung"] == "Công đoàn ngành Y tế tỉnh Lai Châu: nhận bản giấy Biên bản họp xét ngày 08/12/2020"
    assert "Huỷ quyết định" in str(workbook["Các quyết định"]["A1"].value)


def test_the_mailed_copy_is_a_view(cfg: Config, now: datetime, tmp_path: Path) -> None:
    """GIVEN the workbook attached to a staff mail THEN its first line says it is only a view, and it has
    no drop-down and no link to a file on the server."""
    archived = replace(doc("to_trinh"), archive_path="archive/tam_duong/to_trinh.docx")
    records = [message("tam_duong", at(1), archived), *_stored()[2:]]
    copy = openpyxl.load_workbook(io.BytesIO(tally.mail_copy(build(cfg, records, []), now)))
    summary = copy["Tổng hợp"]
    assert str(summary["A1"].value).startswith("BẢN SAO CHỈ ĐỂ XEM")
    assert summary["A2"].value == cfg.campaign.name
    for sheet in copy.worksheets:
        assert not sheet.data_validations.dataValidation, sheet.title
        assert not [c for row in sheet.iter_rows() for c in row if c.hyperlink], sheet.title
    assert "Lựa chọn" not in copy.sheetnames
    assert not cfg.paths.tally.exists()                # a copy: the live workbook is not touched
