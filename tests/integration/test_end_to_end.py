"""End to end: the real `mailbot` CLI against a real Dovecot (IMAP) and a real aiosmtpd sink (SMTP).

Nothing inside mailbot is mocked. Mail goes into Dovecot with IMAP APPEND (INTERNALDATE set
explicitly), mailbot runs as a subprocess (`python -m bot --config ...`), and each test checks
what a user would see: exit codes, the mail received by the SMTP server, the outbox folders,
`status --json`, the workbook, and the IMAP flags that staff depend on.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from bot.app.pipeline import Runner
from bot.config import schema as config_module
from bot.state.ledger import Ledger
from bot.transport.inbox import ImapSource
from bot.transport.outbox import Outbox
from tests.integration.conftest import SMTP_PASSWORD, SMTP_USER
from tests.integration.harness import (
    ALL_UNITS,
    BOT_ADDRESS,
    ICT,
    IMAP_ENV,
    SMTP_ENV,
    STAFF,
    UNIT_EMAIL,
    UNIT_NAME,
    GreylistingSink,
    Setup,
    at,
    body_text,
    explain,
    header_address,
    mailbox_section,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    smtp_section,
    status_json,
    unit_mail,
    units_by_id,
)
from tests.mailservers import Dovecot, ImapAccount, SmtpSink, free_port
from tests.samples import (
    SAMPLE_DOSSIERS,
    Dossier,
    Person,
    auto_reply_eml,
    bien_ban_docx,
    bounce_eml,
    corrupt_docx,
    danh_sach_xlsx,
    eml,
    full_dossier,
    rar_of,
    seven_zip_of,
    to_trinh_pdf,
    tom_tat_docx,
)

STATUS_UNIT_KEYS = {"id", "name", "received", "missing", "complete", "collectives", "individuals", "quota",
                    "over_quota", "late", "last_message_at", "nominees", "flags"}
_accounts = itertools.count(1)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def message_id_of(raw: bytes) -> str:
    match = re.search(rb"^Message-ID: (<[^>]+>)", raw, re.MULTILINE | re.IGNORECASE)
    assert match, "sample has no Message-ID"
    return match.group(1).decode()


def without(docs: list[tuple[str, bytes]], word: str) -> list[tuple[str, bytes]]:
    return [(name, data) for name, data in docs if word not in name]


def individual_names(d: Dossier) -> set[str]:
    return {nfc(p.name) for p in d.individuals}


def with_extra_individual(d: Dossier) -> Dossier:
    """The same dossier with one more individual: over a 1+4 quota."""
    extra = Person("Lò Thị Xuân", "Giáo viên, Trường Tiểu học xã Bản Hon")
    return dataclasses.replace(d, individuals=(*d.individuals, extra))


def fresh_account(dovecot: Dovecot, prefix: str) -> ImapAccount:
    dovecot.start()  # no-op unless a test left it stopped
    return dovecot.create_account(f"{prefix}{next(_accounts)}", password="secret")


def flags_of(account: ImapAccount) -> dict[int, tuple[bytes, ...]]:
    """FLAGS of every message in INBOX, read over a separate connection (EXAMINE: read-only)."""
    with account.connect() as client:
        client.select_folder("INBOX", readonly=True)
        uids = client.search(["ALL"])
        return {uid: tuple(flags) for uid, flags in client.get_flags(uids).items()}


def replies_to(sink_messages: list[Any]) -> dict[str, Any]:
    """In-Reply-To -> parsed reply, for every message the sink accepted."""
    out = {}
    for message in sink_messages:
        parsed = parse_sent(message)
        out[str(parsed.get("In-Reply-To", "")).strip()] = (message, parsed)
    return out


# ---------------------------------------------------------------------------------------------
# The full campaign, run once for the module: one IMAP account, one SMTP sink, one `mailbot poll`.


@dataclass
class Campaign:
    setup: Setup
    account: ImapAccount
    sink: SmtpSink
    raw: dict[str, bytes]
    poll: Any  # the CompletedProcess of the one `mailbot poll`

    @property
    def unit_messages(self) -> dict[str, bytes]:
        return {key: raw for key, raw in self.raw.items() if key in ALL_UNITS}


def campaign_mail() -> dict[str, bytes]:
    d = SAMPLE_DOSSIERS
    bounce_original = eml(sender=BOT_ADDRESS, to="ldld.khongtontai@example.vn",
                          subject="Re: Hồ sơ thi đua", date=at(2, 7))
    return {
        # complete 1+4
        "tp_laichau": unit_mail("tp_laichau", full_dossier(d["tp_laichau"]), date=at(1, 8)),
        # complete but 1+5 against a 1+4 quota
        "cd_giaoduc": unit_mail("cd_giaoduc", full_dossier(d["cd_giaoduc"]), date=at(2, 10)),
        # no biên bản
        "tam_duong": unit_mail("tam_duong", without(full_dossier(d["tam_duong"]), "Biên bản"), date=at(3, 14)),
        # tờ trình as a PDF
        "phong_tho": unit_mail("phong_tho", [
            ("To trinh de nghi khen thuong.pdf", to_trinh_pdf(d["phong_tho"])),
            ("Biên bản họp xét.docx", bien_ban_docx(d["phong_tho"])),
            ("Báo cáo tóm tắt thành tích.docx", tom_tat_docx(d["phong_tho"])),
        ], date=at(4, 15)),
        # complete, with a danh sách .xlsx as well
        "sin_ho": unit_mail("sin_ho", [
            *full_dossier(d["sin_ho"]),
            ("Danh sách đề nghị khen thưởng.xlsx", danh_sach_xlsx(d["sin_ho"])),
        ], date=at(5, 9)),
        # the tờ trình is a broken .docx
        "muong_te": unit_mail("muong_te", [
            ("Tờ trình đề nghị khen thưởng.docx", corrupt_docx()),
            ("Biên bản họp xét.docx", bien_ban_docx(d["muong_te"])),
            ("Báo cáo tóm tắt thành tích.docx", tom_tat_docx(d["muong_te"])),
        ], date=at(6, 16)),
        "auto_reply": auto_reply_eml(sender=UNIT_EMAIL["cd_yte"]),
        "bounce": bounce_eml(original=bounce_original),
        "unknown": eml(sender="nguoi.la@gmail.example", sender_name="Nguyễn Văn Lạ",
                       subject="Hỏi về thủ tục khen thưởng",
                       body="Cho tôi hỏi hồ sơ khen thưởng gồm những gì ạ?", date=at(7, 20)),
    }


ARRIVAL = {"tp_laichau": at(1, 8, 5), "cd_giaoduc": at(2, 10, 5), "tam_duong": at(3, 14, 5),
           "phong_tho": at(4, 15, 5), "sin_ho": at(5, 9, 5), "muong_te": at(6, 16, 5),
           "auto_reply": at(1, 8, 9), "bounce": at(2, 7, 1), "unknown": at(7, 20, 5)}


# Staff already opened and starred the stranger's question in their mail client.
STAFF_FLAGS = {"unknown": (b"\\Seen", b"\\Flagged")}


@pytest.fixture(scope="module")
def campaign(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Campaign]:
    account = fresh_account(dovecot, "campaign")
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink:
        setup = make_config(tmp_path_factory.mktemp("campaign"), account, sink)
        raw = campaign_mail()
        for key, message in raw.items():
            account.append(message, msg_time=ARRIVAL[key], flags=STAFF_FLAGS.get(key, ()))
        poll = run_mailbot(setup, "poll")  # returns after the SMTP server accepted what it could
        yield Campaign(setup, account, sink, raw, poll)


def test_campaign_poll_replies_once_to_each_unit_message(campaign: Campaign) -> None:
    """GIVEN six unit dossiers, an auto-reply, a bounce and a stranger's question in the IMAP inbox
    WHEN `mailbot poll` runs once
    THEN it exits 0 and the SMTP server receives exactly one reply per unit message, each threaded
    (In-Reply-To = the original Message-ID, References, "Re:" subject, Auto-Submitted: auto-replied)
    and addressed to the sender; nothing goes to the auto-reply, the bounce or the stranger."""
    ok(campaign.poll)
    assert "9 new message(s)" in campaign.poll.stdout, explain(campaign.poll)
    assert len(campaign.sink.messages) == len(campaign.unit_messages), [m.rcpt_tos for m in campaign.sink.messages]
    by_parent = replies_to(campaign.sink.messages)
    assert set(by_parent) == {message_id_of(raw) for raw in campaign.unit_messages.values()}
    for unit_id, raw in campaign.unit_messages.items():
        envelope, reply = by_parent[message_id_of(raw)]
        assert envelope.rcpt_tos == (UNIT_EMAIL[unit_id],)
        assert header_address(reply, "To") == [UNIT_EMAIL[unit_id]]
        assert str(reply["Subject"]).startswith("Re: ")
        assert "Hồ sơ đề nghị khen thưởng" in str(reply["Subject"])
        assert message_id_of(raw) in str(reply["References"]).split()
        assert str(reply["Auto-Submitted"]).strip() == "auto-replied"
        assert header_address(reply, "From") == [BOT_ADDRESS]
    strangers = {"nguoi.la@gmail.example", UNIT_EMAIL["cd_yte"], "mailer-daemon@mail.example.vn"}
    assert not strangers & {rcpt.casefold() for m in campaign.sink.messages for rcpt in m.rcpt_tos}


def test_campaign_reply_bodies_state_the_verdict(campaign: Campaign) -> None:
    """GIVEN the campaign poll
    WHEN each unit reads its reply
    THEN it names its nominees, says what is missing, and flags the quota overrun (Vietnamese text)."""
    by_parent = replies_to(campaign.sink.messages)

    def body(unit_id: str) -> str:
        return body_text(by_parent[message_id_of(campaign.raw[unit_id])][1])

    over = body("cd_giaoduc")
    assert "VƯỢT chỉ tiêu" in over
    for name in individual_names(SAMPLE_DOSSIERS["cd_giaoduc"]):
        assert name in over
    assert "trong chỉ tiêu" in body("tp_laichau")
    assert "Hồ sơ đã đủ các thành phần bắt buộc" in body("tp_laichau")
    assert "CÒN THIẾU" in body("tam_duong") and "Biên bản" in body("tam_duong").split("CÒN THIẾU", 1)[1]
    assert "CÒN THIẾU" in body("muong_te") and "không mở được" in body("muong_te")
    assert "20/12/2020" in body("sin_ho")


def test_campaign_outbox_moved_to_sent(campaign: Campaign) -> None:
    """GIVEN the campaign poll delivered its replies
    THEN outbox/pending is empty and outbox/sent holds exactly one .eml per reply."""
    assert campaign.setup.outbox_files("pending") == []
    assert len(campaign.setup.outbox_files("sent")) == len(campaign.unit_messages)
    assert campaign.setup.outbox_files("failed") == []


def test_campaign_status_json(campaign: Campaign) -> None:
    """GIVEN the campaign poll
    WHEN `mailbot status --json` runs
    THEN the object has the contract's shape and each unit's verdict: complete / missing items,
    collectives and individuals counted, quota and over_quota, late, NFC nominee names without honorifics,
    and the stranger's mail is in needs_review as unknown_sender."""
    status = status_json(campaign.setup)
    assert set(status) >= {"campaign", "units", "needs_review"}
    assert status["campaign"]["reference"] == "199/KH-LĐLĐ"
    assert datetime.fromisoformat(status["campaign"]["deadline"]) == datetime(2020, 12, 20, 23, 59, 59, tzinfo=ICT)
    assert [u["id"] for u in status["units"]] == list(ALL_UNITS)
    for unit in status["units"]:
        assert set(unit) >= STATUS_UNIT_KEYS, unit["id"]
        assert set(unit["quota"]) == {"collectives", "individuals"}
        for nominee in unit["nominees"]:
            assert {"kind", "name", "source"} <= set(nominee)
            assert nominee["kind"] in ("collective", "individual")
            assert nominee["name"] == nfc(nominee["name"]).strip()
            assert not nominee["name"].lower().startswith(("đồng chí", "ông ", "bà "))
        assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", flag) for flag in unit["flags"]), unit["flags"]
    units = units_by_id(status)

    expected = {
        # id: (complete, missing, collectives, individuals, over_quota)
        "tp_laichau": (True, [], 1, 4, False),
        "cd_giaoduc": (True, [], 1, 5, True),
        "tam_duong": (False, ["bien_ban"], 1, 4, False),
        "phong_tho": (True, [], 1, 4, False),
        "sin_ho": (True, [], 1, 3, False),
        "muong_te": (False, ["to_trinh"], 1, 4, False),
        "cd_yte": (False, ["to_trinh", "bien_ban", "tom_tat"], 0, 0, False),
        "cdvc": (False, ["to_trinh", "bien_ban", "tom_tat"], 0, 0, False),
    }
    for unit_id, (complete, missing, collectives, individuals, over) in expected.items():
        unit = units[unit_id]
        got = (unit["complete"], unit["missing"], unit["collectives"], unit["individuals"], unit["over_quota"])
        assert got == (complete, missing, collectives, individuals, over), unit_id
        assert unit["late"] is False, unit_id
        assert ("over_quota" in unit["flags"]) is over, unit_id
    assert units["cd_giaoduc"]["quota"] == {"collectives": 1, "individuals": 4}
    assert units["cd_yte"]["quota"] == {"collectives": 1, "individuals": 6}
    assert "danh_sach" in units["sin_ho"]["received"]
    assert "unreadable_attachment" in units["muong_te"]["flags"]
    assert datetime.fromisoformat(units["tp_laichau"]["last_message_at"]) == ARRIVAL["tp_laichau"]
    assert units["cd_yte"]["last_message_at"] is None  # its auto-reply does not count

    for unit_id in ("tp_laichau", "cd_giaoduc", "tam_duong", "phong_tho", "muong_te"):
        names = {n["name"] for n in units[unit_id]["nominees"] if n["kind"] == "individual"}
        assert names == individual_names(SAMPLE_DOSSIERS[unit_id]), unit_id
        collectives = [n["name"] for n in units[unit_id]["nominees"] if n["kind"] == "collective"]
        assert collectives == [nfc(c) for c in SAMPLE_DOSSIERS[unit_id].collectives], unit_id

    for item in status["needs_review"]:
        assert {"message_id", "from", "subject", "reason"} <= set(item), item
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", item["reason"]), item
    reasons = {(item["from"], item["reason"]) for item in status["needs_review"]}
    assert ("nguoi.la@gmail.example", "unknown_sender") in reasons
    assert not any(item["from"] == UNIT_EMAIL["cd_yte"] for item in status["needs_review"])


def _summary_units(workbook: Workbook) -> list[str]:
    """The unit ids of Tổng hợp's rows (its hidden «Mã dòng» column)."""
    rows = [row for row in workbook["Tổng hợp"].iter_rows(values_only=True) if row]
    header = next(list(row) for row in rows if row[0] == "STT")
    key = header.index("Mã dòng")
    return [str(row[key]) for row in rows if len(row) > key and row[key] in ALL_UNITS]


def test_campaign_workbook(campaign: Campaign) -> None:
    """GIVEN the campaign poll
    WHEN the tally workbook is opened with openpyxl
    THEN it has the four sheets, "Tổng hợp" has exactly one row per unit, and "Danh sách đề nghị"
    lists the nominees by name."""
    workbook = load_workbook(campaign.setup.tally, read_only=True)
    try:
        visible = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
        assert visible == ["Tổng hợp", "Danh sách đề nghị", "Thư đến", "Cần xem xét", "Hướng dẫn"]
        assert sorted(_summary_units(workbook)) == sorted(ALL_UNITS)
        nominee_rows = list(workbook["Danh sách đề nghị"].iter_rows(values_only=True))
        names = {nfc(str(row[3])) for row in nominee_rows[1:] if row and row[3]}
        for unit_id in ("tp_laichau", "cd_giaoduc", "phong_tho", "sin_ho"):
            assert individual_names(SAMPLE_DOSSIERS[unit_id]) <= names, unit_id
        messages = list(workbook["Thư đến"].iter_rows(values_only=True))
        assert len(messages) == 1 + len(campaign.raw)
        # the poll sent its replies before it returned: the workbook it left says so, not «Chờ gửi»
        cells = [str(cell) for row in messages[1:] for cell in row if cell]
        assert sum(cell.startswith("Đã gửi ") for cell in cells) == len(campaign.sink.messages)
        assert "Chờ gửi" not in cells
    finally:
        workbook.close()


def test_campaign_leaves_seen_flags_alone(campaign: Campaign) -> None:
    """GIVEN messages APPENDed unread, except one that staff had already read and starred,
    and a poll that processed them all
    WHEN the flags are read back over a separate IMAP connection
    THEN the unread ones are still not \\Seen and the read one is still \\Seen and \\Flagged:
    mailbot never changes the staff's marks."""
    ok(campaign.poll)
    flags = flags_of(campaign.account)
    assert len(flags) == len(campaign.raw)
    by_order = dict(zip(campaign.raw, (flags[uid] for uid in sorted(flags)), strict=True))
    for key, got in by_order.items():
        if key in STAFF_FLAGS:
            assert set(STAFF_FLAGS[key]) <= set(got), (key, got)
        else:
            assert b"\\Seen" not in got and b"\\Flagged" not in got, (key, got)


class SpySource:
    """Wraps the real ImapSource (real Dovecot), recording what was asked of it."""

    def __init__(self, inner: ImapSource) -> None:
        self.inner = inner
        self.name, self.folder, self.spam = inner.name, inner.folder, inner.spam
        self.fetched: list[list[str]] = []

    def open(self) -> int:
        return self.inner.open()

    def candidates(self, after_uid: int, known: set[str], retry: list[str]) -> list[Any]:
        return self.inner.candidates(after_uid, known, retry)

    def fetch(self, uids: list[str]) -> Iterator[tuple[str, bytes, datetime]]:
        self.fetched.append(list(uids))
        return self.inner.fetch(uids)

    def close(self) -> None:
        self.inner.close()


def test_second_poll_sends_and_fetches_nothing(campaign: Campaign, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the campaign already polled
    WHEN `mailbot poll` runs again, and then one in-process poll cycle runs with a spy around the real
    IMAP source
    THEN the CLI exits 0 reporting 0 new messages, nothing new reaches SMTP, the status is unchanged, and
    the cycle asked the server for no message body at all (fetch called with an empty list)."""
    before = len(campaign.sink.messages)
    sent_before = len(campaign.setup.outbox_files("sent"))
    status_before = status_json(campaign.setup)
    second = ok(run_mailbot(campaign.setup, "poll"))
    assert "0 new message(s)" in second.stdout, explain(second)
    assert "0 reply(ies) queued" in second.stdout, explain(second)

    monkeypatch.setenv(IMAP_ENV, campaign.setup.imap_password)
    monkeypatch.setenv(SMTP_ENV, campaign.setup.smtp_password)
    cfg = config_module.load(campaign.setup.config)
    spy = SpySource(ImapSource(cfg.mailbox))
    ledger = Ledger(cfg.paths.state)
    try:
        report = Runner(cfg, ledger, Outbox(cfg.paths.outbox)).poll_once(spy, datetime.now(ICT))
    finally:
        ledger.close()
    assert spy.fetched == [[]]
    assert report.examined == 0
    assert len(campaign.sink.messages) == before
    assert len(campaign.setup.outbox_files("sent")) == sent_before
    assert status_json(campaign.setup) == status_before
    unread = [f for f in flags_of(campaign.account).values() if b"\\Flagged" not in f]
    assert len(unread) == len(campaign.raw) - len(STAFF_FLAGS)
    assert all(b"\\Seen" not in f for f in unread)


def test_campaign_text_status_and_tally_command(campaign: Campaign) -> None:
    """GIVEN the campaign poll
    WHEN staff run `mailbot status` (plain text) and, after losing the workbook, `mailbot tally`
    THEN status lists every unit with its Vietnamese verdict, and tally writes the workbook again."""
    status = ok(run_mailbot(campaign.setup, "status")).stdout
    lines = {unit: next(line for line in status.splitlines() if line.startswith(UNIT_NAME[unit]))
             for unit in ALL_UNITS}
    assert not any(unit in status for unit in ALL_UNITS)       # units by name, never by code
    assert "Đủ hồ sơ" in lines["tp_laichau"]
    assert "Vượt chỉ tiêu" in lines["cd_giaoduc"] and "1+5 / 1+4" in lines["cd_giaoduc"]
    assert "Thiếu" in lines["tam_duong"]
    assert "Chưa nộp" in lines["cdvc"]
    assert "Cần xem xét" in status

    campaign.setup.tally.unlink()
    ok(run_mailbot(campaign.setup, "tally"))
    workbook = load_workbook(campaign.setup.tally, read_only=True)
    try:
        assert sorted(_summary_units(workbook)) == sorted(ALL_UNITS)
    finally:
        workbook.close()


# ---------------------------------------------------------------------------------------------
# Single behaviours, each with its own fresh account


@pytest.fixture
def setup(tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> Setup:
    return make_config(tmp_path / "bot", imap_account, smtp_sink)


def test_lateness_uses_internaldate_not_date_header(setup: Setup, imap_account: ImapAccount,
                                                    smtp_sink: SmtpSink) -> None:
    """GIVEN one dossier whose Date header says 19/12 but which reached the server on 22/12, and
    another whose Date header says 22/12 but which reached the server on 19/12 (deadline 20/12)
    WHEN `mailbot poll` runs
    THEN the first is late and the second is not: the server's arrival time decides, not the sender's
    clock."""
    d = SAMPLE_DOSSIERS
    imap_account.append(unit_mail("tp_laichau", full_dossier(d["tp_laichau"]), date=at(19, 10)),
                        msg_time=at(22, 10))
    imap_account.append(unit_mail("tam_duong", full_dossier(d["tam_duong"]), date=at(22, 10)),
                        msg_time=at(19, 10))
    ok(run_mailbot(setup, "poll"))
    units = units_by_id(status_json(setup))
    assert units["tp_laichau"]["late"] is True
    assert "late" in units["tp_laichau"]["flags"]
    assert datetime.fromisoformat(units["tp_laichau"]["last_message_at"]) == at(22, 10)
    assert units["tam_duong"]["late"] is False
    assert datetime.fromisoformat(units["tam_duong"]["last_message_at"]) == at(19, 10)
    replies = {m.rcpt_tos[0]: body_text(parse_sent(m)) for m in smtp_sink.wait_for(2)}
    assert "gửi sau thời hạn" in replies[UNIT_EMAIL["tp_laichau"]]
    assert "gửi sau thời hạn" not in replies[UNIT_EMAIL["tam_duong"]]


def test_later_dossier_supersedes_earlier(setup: Setup, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN a unit that sent 1 collective + 5 individuals (quota 1+4) and was told it is over quota
    WHEN it sends a corrected 1+4 dossier and mailbot polls again
    THEN the dossier counts 1+4, over_quota is false, and the reply to the second mail says within quota."""
    corrected = SAMPLE_DOSSIERS["tam_duong"]
    first = unit_mail("tam_duong", full_dossier(with_extra_individual(corrected)), date=at(8, 9))
    imap_account.append(first, msg_time=at(8, 9, 1))
    ok(run_mailbot(setup, "poll"))
    assert units_by_id(status_json(setup))["tam_duong"]["over_quota"] is True
    first_reply = body_text(parse_sent(smtp_sink.wait_for(1)[0]))
    assert "VƯỢT chỉ tiêu" in first_reply

    second = unit_mail("tam_duong", full_dossier(corrected), date=at(9, 9), subject="Gửi lại hồ sơ đã sửa")
    imap_account.append(second, msg_time=at(9, 9, 1))
    ok(run_mailbot(setup, "poll"))
    unit = units_by_id(status_json(setup))["tam_duong"]
    assert (unit["collectives"], unit["individuals"], unit["over_quota"]) == (1, 4, False)
    assert "over_quota" not in unit["flags"]
    assert {n["name"] for n in unit["nominees"] if n["kind"] == "individual"} == individual_names(corrected)
    messages = smtp_sink.wait_for(2)
    assert len(messages) == 2
    reply = parse_sent(messages[1])
    assert str(reply["In-Reply-To"]).strip() == message_id_of(second)
    text = body_text(reply)
    assert "trong chỉ tiêu" in text and "VƯỢT" not in text


@pytest.mark.parametrize("pack", [rar_of, seven_zip_of], ids=["rar", "7z"])
def test_dossier_compressed_with_winrar_or_7zip_is_read_like_loose_files(
        pack: Any, setup: Setup, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN a unit's four documents compressed into one .rar (WinRAR) or .7z WHEN mailbot polls
    THEN the dossier is complete with its nominees, each document is archived under its own name,
    and the unit is told so."""
    dossier = SAMPLE_DOSSIERS["tam_duong"]
    packed = pack({f"Hồ sơ Tam Đường/{name}": data for name, data in full_dossier(dossier)})
    imap_account.append(unit_mail("tam_duong", [("Hồ sơ khen thưởng.rar", packed)], date=at(8, 9)),
                        msg_time=at(8, 9, 1))
    ok(run_mailbot(setup, "poll"))
    unit = units_by_id(status_json(setup))["tam_duong"]
    assert (unit["complete"], unit["missing"], unit["individuals"]) == (True, [], 4)
    assert {n["name"] for n in unit["nominees"] if n["kind"] == "individual"} == individual_names(dossier)
    kept = {nfc(path.name.split("_", 2)[2]) for path in (setup.root / "archive" / "tam_duong").iterdir()}
    assert kept == {nfc(name) for name, _ in full_dossier(dossier)}
    reply = body_text(parse_sent(smtp_sink.wait_for(1)[0]))
    assert "Hồ sơ đã đủ các thành phần bắt buộc" in reply and "CÒN THIẾU" not in reply


def test_uidvalidity_reset_processes_nothing_twice(setup: Setup, imap_account: ImapAccount,
                                                   smtp_sink: SmtpSink, dovecot: Dovecot) -> None:
    """GIVEN two dossiers already polled and answered
    WHEN the server gives the folder a new UIDVALIDITY (same messages, UIDs no longer trustworthy)
    and mailbot polls again
    THEN no message is processed again, no second reply is sent, and the tally is unchanged."""
    d = SAMPLE_DOSSIERS
    imap_account.append(unit_mail("tp_laichau", full_dossier(d["tp_laichau"]), date=at(8)), msg_time=at(8))
    imap_account.append(unit_mail("tam_duong", full_dossier(d["tam_duong"]), date=at(9)), msg_time=at(9))
    ok(run_mailbot(setup, "poll"))
    smtp_sink.wait_for(2)
    before = status_json(setup)

    dovecot.reset_uidvalidity(imap_account.user)
    again = ok(run_mailbot(setup, "poll"))
    assert "0 new message(s)" in again.stdout, explain(again)
    assert "0 reply(ies) queued" in again.stdout, explain(again)
    assert len(smtp_sink.messages) == 2
    assert len(setup.outbox_files("sent")) == 2
    after = status_json(setup)
    assert after["units"] == before["units"]
    assert after["needs_review"] == before["needs_review"]


def test_smtp_down_at_poll_then_send_delivers_once(tmp_path: Path, imap_account: ImapAccount,
                                                   smtp_sink: SmtpSink) -> None:
    """GIVEN an [smtp] section pointing at a port where nothing listens
    WHEN `mailbot poll` runs
    THEN it still exits 0 (the cycle ran) and the replies wait in outbox/pending, and `mailbot send`
    exits non-zero with a plain error;
    WHEN the SMTP server is reachable and `mailbot send` runs (twice)
    THEN each reply is delivered exactly once and outbox/pending is empty."""
    closed = free_port()
    down = make_config(tmp_path / "bot", imap_account, None, smtp=smtp_section(None, port=closed))
    d = SAMPLE_DOSSIERS
    imap_account.append(unit_mail("tp_laichau", full_dossier(d["tp_laichau"]), date=at(8)), msg_time=at(8))
    imap_account.append(unit_mail("sin_ho", full_dossier(d["sin_ho"]), date=at(9)), msg_time=at(9))
    poll = ok(run_mailbot(down, "poll"))
    assert "2 reply(ies) queued" in poll.stdout, explain(poll)
    assert len(down.outbox_files("pending")) == 2
    assert down.outbox_files("sent") == []

    send = run_mailbot(down, "send")
    assert send.returncode != 0, explain(send)
    assert "Traceback" not in send.stderr
    assert str(closed) in send.stderr, explain(send)
    assert len(down.outbox_files("pending")) == 2

    up = make_config(tmp_path / "bot", imap_account, smtp_sink)  # same folder, the server is back
    ok(run_mailbot(up, "send"))
    ok(run_mailbot(up, "send"))
    messages = smtp_sink.wait_for(2)
    assert sorted(m.rcpt_tos[0] for m in messages) == sorted([UNIT_EMAIL["tp_laichau"], UNIT_EMAIL["sin_ho"]])
    assert len(smtp_sink.messages) == 2
    assert up.outbox_files("pending") == []
    assert len(up.outbox_files("sent")) == 2
    ok(run_mailbot(up, "poll"))
    assert len(smtp_sink.messages) == 2


def test_smtp_temporary_then_permanent_failure(setup: Setup, imap_account: ImapAccount,
                                               smtp_sink: SmtpSink) -> None:
    """GIVEN an SMTP server that answers the next DATA with 451 (try later)
    WHEN `mailbot poll` runs
    THEN the reply stays in outbox/pending, and the next `mailbot send` delivers it;
    GIVEN then a server answering 550 (no such user) for a new reply
    THEN that reply moves to outbox/failed with a .err file saying why, and is not retried."""
    d = SAMPLE_DOSSIERS
    smtp_sink.fail_next(451)
    imap_account.append(unit_mail("tp_laichau", full_dossier(d["tp_laichau"]), date=at(8)), msg_time=at(8))
    poll = ok(run_mailbot(setup, "poll"))
    assert "1 reply(ies) queued, 0 sent" in poll.stdout, explain(poll)
    assert len(setup.outbox_files("pending")) == 1
    assert smtp_sink.messages == []
    send = ok(run_mailbot(setup, "send"))
    assert "1 sent" in send.stdout, explain(send)
    assert len(smtp_sink.wait_for(1)) == 1
    assert setup.outbox_files("pending") == []

    smtp_sink.fail_next(550)
    imap_account.append(unit_mail("tam_duong", full_dossier(d["tam_duong"]), date=at(9)), msg_time=at(9))
    ok(run_mailbot(setup, "poll"))
    failed = setup.outbox_files("failed")
    assert len(failed) == 1
    errors = setup.outbox_files("failed", "*.err")
    assert len(errors) == 1
    assert "550" in errors[0].read_text()
    assert setup.outbox_files("pending") == []
    ok(run_mailbot(setup, "send"))
    assert len(smtp_sink.messages) == 1


def _one_plain_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, stderr
    return lines[0]


def test_mailbox_unreachable_is_one_plain_line(tmp_path: Path, imap_account: ImapAccount,
                                               smtp_sink: SmtpSink) -> None:
    """GIVEN a config whose IMAP port has nothing listening
    WHEN `mailbot poll` runs
    THEN it exits non-zero with one plain line naming the server, and no traceback."""
    closed = free_port()
    setup = make_config(tmp_path, imap_account, smtp_sink, mailbox=mailbox_section(imap_account, port=closed))
    proc = run_mailbot(setup, "poll")
    assert proc.returncode != 0, explain(proc)
    line = _one_plain_line(proc.stderr)
    assert f"{imap_account.host}:{closed}" in line


def test_mailbox_wrong_password_mentions_login(tmp_path: Path, imap_account: ImapAccount,
                                               smtp_sink: SmtpSink) -> None:
    """GIVEN the right server but a wrong password in the environment
    WHEN `mailbot poll` runs
    THEN it exits non-zero and the one-line message says the login was refused."""
    setup = make_config(tmp_path, imap_account, smtp_sink)
    proc = run_mailbot(setup, "poll", env={IMAP_ENV: "not-the-password"})
    assert proc.returncode != 0, explain(proc)
    line = _one_plain_line(proc.stderr)
    assert "login" in line.lower()
    assert imap_account.user in line
    assert "not-the-password" not in proc.stderr + proc.stdout


def test_bad_config_exit_2_one_line_per_problem(tmp_path: Path, imap_account: ImapAccount,
                                                smtp_sink: SmtpSink) -> None:
    """GIVEN a config with three distinct mistakes (bad tls word, unknown key in [smtp], negative quota)
    WHEN any command runs
    THEN it exits 2 and prints exactly one line per problem naming the file and the key, no traceback."""
    mailbox = mailbox_section(imap_account).replace('tls = "starttls"', 'tls = "maybe"')
    smtp = smtp_section(smtp_sink) + "pasword_env = \"TYPO\"\n"
    setup = make_config(tmp_path, imap_account, smtp_sink, mailbox=mailbox, smtp=smtp,
                        extra="")
    text = setup.config.read_text(encoding="utf-8").replace("[quota]\ncollectives = 1", "[quota]\ncollectives = -1")
    setup.config.write_text(text, encoding="utf-8")
    for command in (["poll"], ["status", "--json"]):
        proc = run_mailbot(setup, *command)
        assert proc.returncode == 2, explain(proc)
        assert "Traceback" not in proc.stderr
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 3, proc.stderr
        assert all(str(setup.config) in line for line in lines), lines
        joined = "\n".join(lines)
        assert "mailbox.tls" in joined
        assert "smtp.pasword_env" in joined
        assert "quota.collectives" in joined
        assert proc.stdout == ""


def test_remind_once_per_owing_unit(setup: Setup, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN a partial campaign: one complete unit, one missing its biên bản, one over quota, five silent
    WHEN `mailbot remind --now 2020-12-17T08:00:00+07:00` runs (T-7 and T-3 both due)
    THEN `--dry-run` first prints the reminders and sends nothing; the real run sends exactly one reminder
    to each unit that still owes something and none to the complete unit; an identical second run sends
    nothing."""
    d = SAMPLE_DOSSIERS
    imap_account.append(unit_mail("tp_laichau", full_dossier(d["tp_laichau"]), date=at(8)), msg_time=at(8))
    imap_account.append(unit_mail("tam_duong", without(full_dossier(d["tam_duong"]), "Biên bản"), date=at(9)),
                        msg_time=at(9))
    imap_account.append(unit_mail("cd_giaoduc", full_dossier(d["cd_giaoduc"]), date=at(10)), msg_time=at(10))
    ok(run_mailbot(setup, "poll"))
    acks = len(smtp_sink.wait_for(3))
    assert acks == 3
    owing = set(ALL_UNITS) - {"tp_laichau"}
    now = "2020-12-17T08:00:00+07:00"

    dry = ok(run_mailbot(setup, "remind", "--now", now, "--dry-run"))
    assert len(smtp_sink.messages) == acks
    assert len(setup.outbox_files("pending")) == 0
    for unit_id in owing:
        assert UNIT_EMAIL[unit_id] in dry.stdout, unit_id
    assert UNIT_EMAIL["tp_laichau"] not in dry.stdout

    ok(run_mailbot(setup, "remind", "--now", now))
    sent = smtp_sink.wait_for(acks + len(owing) + 1)[acks:]  # and the staff digest of the day
    assert len(smtp_sink.messages) == acks + len(owing) + 1
    reminders = [m for m in sent if m.rcpt_tos != (STAFF,)]
    assert len(sent) - len(reminders) == 1
    recipients = sorted(rcpt for m in reminders for rcpt in m.rcpt_tos)
    assert recipients == sorted(UNIT_EMAIL[u] for u in owing)
    by_rcpt = {m.rcpt_tos[0]: parse_sent(m) for m in reminders}
    assert "Biên bản" in body_text(by_rcpt[UNIT_EMAIL["tam_duong"]])
    assert "vượt chỉ tiêu" in body_text(by_rcpt[UNIT_EMAIL["cd_giaoduc"]])
    for message in by_rcpt.values():
        assert str(message["Auto-Submitted"]).strip() == "auto-replied"

    again = ok(run_mailbot(setup, "remind", "--now", now))
    assert "0 reminder(s)" in again.stdout, explain(again)
    assert len(smtp_sink.messages) == acks + len(owing) + 1
    assert setup.outbox_files("pending") == []


def test_imaps_and_smtp_starttls_with_cafile(tmp_path: Path, imap_account: ImapAccount,
                                             smtp_sink_starttls: SmtpSink) -> None:
    """GIVEN IMAP over implicit TLS (the SSL port, tls="ssl") and SMTP with STARTTLS, both verified
    against the test CA given as cafile
    WHEN `mailbot check` and `mailbot poll` run
    THEN both log in, the dossier is processed and the reply is delivered over TLS."""
    mailbox = mailbox_section(imap_account, tls="ssl")
    smtp = smtp_section(smtp_sink_starttls, tls="starttls", cafile=imap_account.cafile)
    setup = make_config(tmp_path, imap_account, smtp_sink_starttls, mailbox=mailbox, smtp=smtp)
    check = ok(run_mailbot(setup, "check"))
    assert "FAIL" not in check.stdout, explain(check)
    imap_account.append(unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(8)),
                        msg_time=at(8))
    poll = ok(run_mailbot(setup, "poll"))
    assert "1 new message(s)" in poll.stdout, explain(poll)
    assert smtp_sink_starttls.wait_for(1)[0].rcpt_tos == (UNIT_EMAIL["tp_laichau"],)
    assert smtp_sink_starttls.logins == [SMTP_USER, SMTP_USER]  # `check`, then `poll`


@pytest.mark.parametrize("tls", ["ssl", "starttls"])
def test_tls_certificate_is_verified(tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink,
                                     tls: str) -> None:
    """GIVEN a config WITHOUT cafile, so only the system CAs are trusted, against the self-signed server
    WHEN `mailbot poll` runs
    THEN it refuses the connection with a clear one-line TLS error and a non-zero exit: certificates
    are really verified."""
    imap_account.append(unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(8)),
                        msg_time=at(8))
    setup = make_config(tmp_path, imap_account, smtp_sink,
                        mailbox=mailbox_section(imap_account, tls=tls, cafile=None))
    proc = run_mailbot(setup, "poll")
    assert proc.returncode != 0, explain(proc)
    line = _one_plain_line(proc.stderr)
    assert "TLS" in line and "CERTIFICATE_VERIFY_FAILED" in line.upper(), line
    assert smtp_sink.messages == []
    assert not (setup.root / "state" / "mail").exists()


def test_status_json_is_valid_before_any_mail(setup: Setup) -> None:
    """GIVEN a fresh installation that never polled
    WHEN `mailbot status --json` runs
    THEN it prints valid JSON listing all eight units as having sent nothing."""
    status = json.loads(ok(run_mailbot(setup, "status", "--json")).stdout)
    assert [u["id"] for u in status["units"]] == list(ALL_UNITS)
    assert all(u["missing"] == ["to_trinh", "bien_ban", "tom_tat"] for u in status["units"])
    assert status["needs_review"] == []


def test_uidvalidity_reset_without_message_id_sends_no_second_reply(
        setup: Setup, imap_account: ImapAccount, smtp_sink: SmtpSink, dovecot: Dovecot) -> None:
    """GIVEN a dossier whose mailer wrote no Message-ID header, already polled and answered
    WHEN the folder gets a new UIDVALIDITY and mailbot polls again
    THEN the message is recognised by its content: no second reply, the unit still counts one message."""
    raw = eml(sender=UNIT_EMAIL["tp_laichau"], subject="Ho so khen thuong",
              attachments=full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(8), headers={"Message-ID": ""})
    assert b"message-id" not in raw.lower()
    imap_account.append(raw, msg_time=at(8))
    ok(run_mailbot(setup, "poll"))
    assert len(smtp_sink.wait_for(1)) == 1
    dovecot.reset_uidvalidity(imap_account.user)
    again = ok(run_mailbot(setup, "poll"))
    assert "0 reply(ies) queued" in again.stdout, explain(again)
    assert len(smtp_sink.messages) == 1
    unit = units_by_id(status_json(setup))["tp_laichau"]
    assert unit["messages"] == 1
    assert (unit["complete"], unit["individuals"]) == (True, 4)


def test_smtp_wrong_password(setup: Setup, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN the right SMTP server but a wrong app password in the environment
    WHEN `mailbot poll` runs
    THEN the cycle still runs (exit 0, reply waits in outbox/pending, stdout names the SMTP login problem);
    `mailbot send` exits non-zero with one plain line about the login; `mailbot check` reports FAIL;
    and with the right password `mailbot send` delivers the reply."""
    imap_account.append(unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(8)),
                        msg_time=at(8))
    poll = ok(run_mailbot(setup, "poll", env={SMTP_ENV: "wrong"}))
    assert "login" in poll.stdout.lower(), explain(poll)
    assert len(setup.outbox_files("pending")) == 1
    send = run_mailbot(setup, "send", env={SMTP_ENV: "wrong"})
    assert send.returncode != 0, explain(send)
    assert "login" in _one_plain_line(send.stderr).lower()
    check = run_mailbot(setup, "check", env={SMTP_ENV: "wrong"})
    assert check.returncode != 0, explain(check)
    assert any(line.startswith("FAIL SMTP") for line in check.stdout.splitlines()), explain(check)
    assert any(line.startswith("OK") and "mailbox" in line for line in check.stdout.splitlines()), explain(check)
    assert smtp_sink.messages == []
    ok(run_mailbot(setup, "send"))
    assert smtp_sink.wait_for(1)[0].rcpt_tos == (UNIT_EMAIL["tp_laichau"],)
    assert setup.outbox_files("pending") == []


def test_smtp_421_mid_drain_keeps_replies_pending(setup: Setup, imap_account: ImapAccount,
                                                  smtp_sink: SmtpSink) -> None:
    """GIVEN two replies to send and an SMTP server that answers the first DATA with 421 (service not
    available, closing the channel)
    WHEN `mailbot poll` runs
    THEN the cycle still completes: exit 0, no traceback, both replies wait in outbox/pending, the tally
    is written; and the next `mailbot send` delivers both."""
    d = SAMPLE_DOSSIERS
    smtp_sink.fail_next(421)
    imap_account.append(unit_mail("tp_laichau", full_dossier(d["tp_laichau"]), date=at(8)), msg_time=at(8))
    imap_account.append(unit_mail("tam_duong", full_dossier(d["tam_duong"]), date=at(9)), msg_time=at(9))
    poll = run_mailbot(setup, "poll")
    assert poll.returncode == 0, explain(poll)
    assert "Traceback" not in poll.stderr, explain(poll)
    assert setup.tally.exists()
    assert len(setup.outbox_files("pending")) == 2
    ok(run_mailbot(setup, "send"))
    assert len(smtp_sink.wait_for(2)) == 2
    assert setup.outbox_files("pending") == []


def test_smtp_temporary_rcpt_refusal_is_retried(tmp_path: Path, imap_account: ImapAccount) -> None:
    """GIVEN an SMTP server that greylists: the first RCPT TO is answered 450 (try again later)
    WHEN `mailbot poll` runs, then `mailbot send`
    THEN the reply stays pending after the poll (a 4xx is temporary) and the send delivers it."""
    with GreylistingSink(SMTP_USER, SMTP_PASSWORD, greylist=1) as sink:
        setup = make_config(tmp_path, imap_account, sink)
        imap_account.append(unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(8)),
                            msg_time=at(8))
        ok(run_mailbot(setup, "poll"))
        assert sink.refused == [UNIT_EMAIL["tp_laichau"]]
        assert setup.outbox_files("failed") == [], [p.read_text() for p in setup.outbox_files("failed", "*.err")]
        assert len(setup.outbox_files("pending")) == 1
        ok(run_mailbot(setup, "send"))
        assert sink.wait_for(1)[0].rcpt_tos == (UNIT_EMAIL["tp_laichau"],)
