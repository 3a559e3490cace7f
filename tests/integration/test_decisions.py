"""Staff decisions end to end: the real CLI (subprocess) against a real Dovecot and a real aiosmtpd sink.

Every decision kind goes in both ways (the command line; the workbook's Vietnamese columns, edited
and saved as staff would) and must hold across a new poll, a restart, a `mailbot tally` rebuild and
an undo; the acknowledgement a decision owes is sent exactly once.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import load_workbook

from tests.integration.conftest import SMTP_PASSWORD, SMTP_USER
from tests.integration.harness import (
    UNIT_EMAIL,
    Setup,
    at,
    body_text,
    explain,
    header_address,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    status_json,
    unit_mail,
    units_by_id,
)
from tests.mailservers import Dovecot, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, eml, full_dossier, to_trinh_docx, tom_tat_docx

CLERK = "thuky.vanphong@gmail.example"
DMARC_FAIL = "mx.example.org; spf=pass smtp.mailfrom=example.vn; dmarc=fail (p=quarantine) header.from=example.vn"
NO_ISSUER = dataclasses.replace(SAMPLE_DOSSIERS["sin_ho"], issuer="CÔNG ĐOÀN CƠ SỞ XÃ NẬM TĂM")
SLOT_T3 = "2020-12-17T08:00:00+07:00"


def scan_docx() -> bytes:
    """A file nobody can classify (no title, no number): staff say what it is."""
    document = docx.Document()
    document.add_paragraph("Ảnh chụp tài liệu kèm theo")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def message_id_of(raw: bytes) -> str:
    match = re.search(rb"^Message-ID: (<[^>]+>)", raw, re.MULTILINE | re.IGNORECASE)
    assert match
    return match.group(1).decode()


def mails() -> dict[str, bytes]:
    d = SAMPLE_DOSSIERS
    tam_duong = d["tam_duong"]
    return {
        # a genuine unit whose server fails DMARC at Gmail: quarantined, not counted, no reply
        "dmarc": eml(sender=UNIT_EMAIL["cdvc"], sender_name="CĐVC tỉnh", subject="Hồ sơ khen thưởng VHCS 2020",
                     attachments=full_dossier(d["cdvc"]), date=at(3, 9),
                     headers={"Authentication-Results": DMARC_FAIL}),
        # sin_ho's dossier from a clerk's personal Gmail, documents that name no unit: unknown sender
        "clerk": eml(sender=CLERK, sender_name="Thư ký", subject="Gửi hồ sơ khen thưởng VHCS 2020",
                     attachments=full_dossier(NO_ISSUER), date=at(4, 10)),
        # tam_duong: no biên bản (it comes on paper later) and a scan nobody can classify
        "tam_duong": unit_mail("tam_duong", [
            ("Tờ trình đề nghị khen thưởng.docx", to_trinh_docx(tam_duong)),
            ("Báo cáo tóm tắt thành tích.docx", tom_tat_docx(tam_duong)),
            ("scan0001.docx", scan_docx()),
        ], date=at(5, 11)),
    }


@dataclass
class World:
    setup: Setup
    sink: SmtpSink
    ids: dict[str, str]
    account: Any

    def mailbot(self, *args: str) -> Any:
        return run_mailbot(self.setup, *args)

    def units(self) -> dict[str, dict[str, Any]]:
        return units_by_id(status_json(self.setup))

    def acks_to(self, address: str) -> list[Any]:
        return [m for m in self.sink.messages if address in header_address(parse_sent(m), "To")]


@pytest.fixture
def world(dovecot: Dovecot, tmp_path: Path) -> Iterator[World]:
    dovecot.start()
    account = dovecot.create_account(f"decide{tmp_path.name[-12:].replace('_', '')}", password="secret")
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink:
        setup = make_config(tmp_path / "bot", account, sink)
        raw = mails()
        for message in raw.values():
            account.append(message, msg_time=at(6, 8))
        ok(run_mailbot(setup, "poll"))
        yield World(setup, sink, {key: message_id_of(message) for key, message in raw.items()}, account)


def _first_poll_state(world: World) -> None:
    units = world.units()
    assert units["cdvc"]["messages"] == 0 and units["sin_ho"]["messages"] == 0
    assert units["tam_duong"]["missing"] == ["bien_ban"]
    reasons = {item["message_id"]: item["reason"] for item in status_json(world.setup)["needs_review"]
               if item["reason"] in ("dmarc_fail", "unknown_sender")}
    assert reasons == {world.ids["dmarc"]: "dmarc_fail", world.ids["clerk"]: "unknown_sender"}
    assert len(world.sink.messages) == 1            # only tam_duong was acknowledged


def test_every_decision_by_command_line(world: World) -> None:
    """GIVEN a DMARC-failed unit mail, a clerk's unknown-sender mail and a unit missing its biên bản
    WHEN staff decide each case with the CLI THEN status, reminders and the tally follow; the two late
    acknowledgements go out once each; an undo restores the earlier verdict; all of it survives a
    restart, a `mailbot tally` rebuild and new mail (the remembered address is the unit's)."""
    _first_poll_state(world)
    assign = ok(world.mailbot("assign", world.ids["dmarc"].strip("<>"), "cdvc", "--why", "CĐVC gọi điện xác nhận",
                              "--by", "Lương Hà"))
    assert assign.stdout.startswith("#1 ") and "cdvc" in assign.stdout and "queued acknowledgement" in assign.stdout
    ok(world.mailbot("assign", world.ids["clerk"], "sin_ho", "--remember"))
    ok(world.mailbot("receive", "tam_duong", "bien_ban", "--on", "2020-12-15", "--note", "bản giấy qua Ban CSPL&QHLĐ"))
    ok(world.mailbot("kind", world.ids["tam_duong"], "scan0001.docx", "other"))
    first_name = NO_ISSUER.individuals[0].name
    ok(world.mailbot("nominee", "sin_ho", first_name, "--name", "Lò Thị Mỵ"))
    ok(world.mailbot("nominee", "cdvc", SAMPLE_DOSSIERS["cdvc"].individuals[0].name, "--remove"))

    units = world.units()
    assert units["cdvc"]["complete"] and units["cdvc"]["messages"] == 1
    assert units["cdvc"]["individuals"] == len(SAMPLE_DOSSIERS["cdvc"].individuals) - 1
    assert units["sin_ho"]["complete"] and "unverified_sender" not in units["sin_ho"]["flags"]
    assert "Lò Thị Mỵ" in [n["name"] for n in units["sin_ho"]["nominees"]]
    assert units["tam_duong"]["complete"] and not units["tam_duong"]["late"]
    assert {d["file"]: d["kind"] for d in units["tam_duong"]["documents"]}["scan0001.docx"] == "other"
    review = {item["reason"] for item in status_json(world.setup)["needs_review"]}
    assert not review & {"dmarc_fail", "unknown_sender", "unclassified"}

    # the late acknowledgements: one to cdvc, one to the clerk with a copy to sin_ho's registered address
    world.sink.wait_for(3)
    cdvc_ack = world.acks_to(UNIT_EMAIL["cdvc"])
    assert len(cdvc_ack) == 1 and parse_sent(cdvc_ack[0])["In-Reply-To"] == world.ids["dmarc"]
    clerk_ack = world.acks_to(CLERK)
    assert len(clerk_ack) == 1 and UNIT_EMAIL["sin_ho"] in header_address(parse_sent(clerk_ack[0]), "Cc")
    assert NO_ISSUER.individuals[1].name in body_text(parse_sent(clerk_ack[0]))   # the dossier it brought

    dry = ok(world.mailbot("remind", "--now", SLOT_T3, "--dry-run")).stdout
    assert "tam_duong" not in dry and "cdvc" not in dry and "sin_ho" not in dry

    listing = ok(world.mailbot("decisions")).stdout.splitlines()
    assert [row.split(" ", 1)[0] for row in listing] == ["#1", "#2", "#3", "#4", "#5", "#6"]
    assert "Lương Hà" in listing[0] and "CĐVC gọi điện xác nhận" in listing[0] and "tam_duong" in listing[2]

    # undo the assignment: cdvc's mail no longer counts; redo it: still no second acknowledgement
    ok(world.mailbot("decisions", "--undo", "1"))
    assert world.units()["cdvc"]["messages"] == 0
    assert world.ids["dmarc"] in {i["message_id"] for i in status_json(world.setup)["needs_review"]}
    assert "ĐÃ HUỶ" in ok(world.mailbot("decisions")).stdout.splitlines()[0]
    ok(world.mailbot("assign", world.ids["dmarc"], "cdvc"))

    # a rebuild from scratch and a restart: the same picture, nothing sent again
    world.setup.tally.unlink()
    ok(world.mailbot("tally"))
    ok(world.mailbot("poll"))
    assert world.units() == units | {"cdvc": world.units()["cdvc"]}
    assert world.units()["cdvc"]["complete"]
    workbook = load_workbook(world.setup.tally, read_only=True)
    history = [row for row in workbook["Các quyết định"].iter_rows(values_only=True) if row and row[0]]
    assert len([row for row in history if isinstance(row[0], int)]) == 7
    workbook.close()

    # new mail from the remembered address counts for sin_ho, acknowledged as usual
    world.account.append(eml(sender=CLERK, subject="Bổ sung báo cáo sơ kết VHCS 2020", date=at(8, 9),
                             attachments=full_dossier(NO_ISSUER)[3:]), msg_time=at(8, 9))
    ok(world.mailbot("poll"))
    world.sink.wait_for(4)
    assert len(world.sink.messages) == 4 and len(world.acks_to(CLERK)) == 2
    assert len(world.acks_to(UNIT_EMAIL["cdvc"])) == 1
    assert world.units()["sin_ho"]["messages"] == 2


def test_command_line_refuses_with_a_plain_reason(world: World) -> None:
    cases = [("assign", world.ids["clerk"], "khong_co"), ("ignore", "<gone@example.org>"),
             ("receive", "tam_duong", "bien_bann"), ("receive", "tam_duong", "bien_ban", "--on", "15-15-2020"),
             ("kind", world.ids["tam_duong"], "khong-co.docx", "bien_ban"),
             ("nominee", "cdvc", "Không Có Ai", "--remove"), ("decisions", "--undo", "42")]
    for args in cases:
        proc = world.mailbot(*args)
        assert proc.returncode == 1, explain(proc)
        assert "Traceback" not in proc.stderr and proc.stderr.strip(), explain(proc)
    assert ok(world.mailbot("decisions")).stdout == ""


def _edit(tally: Path, changes: dict[tuple[str, str], str], who: str = "Lương Hà") -> None:
    """Open the workbook, type into the decision columns of the rows whose cells contain the given text,
    save it, as staff do in Excel (their name goes in «last modified by»)."""
    workbook = load_workbook(tally)
    for (sheet_name, row_text), value in changes.items():
        sheet = workbook[sheet_name]
        header_row = next(r for r in sheet.iter_rows() if any(c.value in ("Mã dòng", "Mã") for c in r))
        header = [c.value for c in header_row]
        column = header.index({"Cần xem xét": "Quyết định", "Danh sách đề nghị": "Sửa danh sách",
                               "Tổng hợp": "Nhận bản giấy"}[sheet_name])
        rows = [r for r in sheet.iter_rows(min_row=header_row[0].row + 1)
                if any(row_text in str(c.value or "") for c in r)]
        assert rows, f"no row with {row_text!r} on {sheet_name}"
        rows[0][column].value = value
    workbook.properties.lastModifiedBy = who
    workbook.save(tally)


def _results(tally: Path, sheet_name: str) -> list[str]:
    workbook = load_workbook(tally, read_only=True)
    rows = list(workbook[sheet_name].iter_rows(values_only=True))
    workbook.close()
    header_index = next(i for i, row in enumerate(rows) if row and "Kết quả ghi nhận" in row)
    column = rows[header_index].index("Kết quả ghi nhận")
    return [str(row[column]) for row in rows[header_index + 1:] if row and row[column]]


def test_every_decision_through_the_workbook(world: World) -> None:
    """GIVEN the same three cases WHEN staff choose in the workbook's Vietnamese columns and save it
    THEN the next poll applies each once (who = the workbook's last editor), sends the owed
    acknowledgements once, shows each result beside its cell, keeps a typo with its reason, and an
    «Huỷ quyết định» cell undoes; a second poll and a `tally` rebuild change nothing."""
    _first_poll_state(world)
    tally = world.setup.tally
    cdvc_first = SAMPLE_DOSSIERS["cdvc"].individuals[0].name
    _edit(tally, {
        ("Cần xem xét", "dmarc_fail"): "Tính cho đơn vị: cdvc",
        ("Cần xem xét", "unknown_sender"): "tinh cho don vi: lien doan lao dong huyen sin ho",  # typed, no accents
        ("Cần xem xét", "scan0001.docx"): "Tệp là: Biên bản họp xét",
        ("Tổng hợp", "tam_duong"): "Đã nhận bản giấy: Báo cáo sơ kết ngày 15/12/2020",
        ("Danh sách đề nghị", SAMPLE_DOSSIERS["tam_duong"].individuals[0].name): "Sửa tên: Lò Thị Mỵ",
        ("Tổng hợp", "muong_te"): "Đã nhận bản giấy: bien_bann",        # a typo
    })
    ok(world.mailbot("poll"))
    units = world.units()
    assert units["cdvc"]["complete"] and units["sin_ho"]["complete"]
    assert units["tam_duong"]["complete"] and "bao_cao" in units["tam_duong"]["received"]
    assert "Lò Thị Mỵ" in [n["name"] for n in units["tam_duong"]["nominees"]]
    assert units["muong_te"]["messages"] == 0
    listing = ok(world.mailbot("decisions")).stdout.splitlines()
    assert len(listing) == 5 and all("Lương Hà (tên trong tệp, chưa xác minh)" in row and "bảng tính" in row
                                     for row in listing)
    world.sink.wait_for(3)
    assert len(world.acks_to(UNIT_EMAIL["cdvc"])) == 1 and len(world.acks_to(CLERK)) == 1
    results = _results(tally, "Cần xem xét")
    assert sum(text.startswith("#") for text in results) >= 3
    assert not [text for text in results if "<" in text or "[" in text or "sin_ho" in text]  # mail and units in words
    assert any(text.startswith("Chưa áp dụng") and "bien_bann" in text for text in _results(tally, "Tổng hợp"))

    # read once: a second poll and a rebuild apply nothing again and send nothing
    ok(world.mailbot("poll"))
    ok(world.mailbot("tally"))
    assert len(ok(world.mailbot("decisions")).stdout.splitlines()) == 5
    assert len(world.sink.messages) == 3
    workbook = load_workbook(tally, read_only=True)
    typo_kept = any("bien_bann" in str(v) for row in workbook["Tổng hợp"].iter_rows(values_only=True) for v in row)
    workbook.close()
    assert typo_kept

    # remove a nominee and undo the cdvc assignment from the workbook
    _edit(tally, {("Danh sách đề nghị", cdvc_first): "Bỏ khỏi danh sách",
                  ("Cần xem xét", "dmarc_fail"): "Huỷ quyết định"}, who="Nguyễn Văn Bình")
    ok(world.mailbot("poll"))
    units = world.units()
    assert units["cdvc"]["messages"] == 0
    listing = ok(world.mailbot("decisions")).stdout.splitlines()
    [assigned] = [row for row in listing if "| cdvc | Tính cho đơn vị |" in row]
    assert "ĐÃ HUỶ bởi Nguyễn Văn Bình" in assigned and len(listing) == 6
    # the undone cell is cleared; choosing it again is a new decision, and still no second acknowledgement
    _edit(tally, {("Cần xem xét", "dmarc_fail"): "Tính cho đơn vị: cdvc"})
    ok(world.mailbot("poll"))
    ok(world.mailbot("poll"))
    units = world.units()
    assert units["cdvc"]["messages"] == 1
    assert cdvc_first not in [n["name"] for n in units["cdvc"]["nominees"]]
    assert len(ok(world.mailbot("decisions")).stdout.splitlines()) == 7
    assert len(world.acks_to(UNIT_EMAIL["cdvc"])) == 1 and len(world.sink.messages) == 3
