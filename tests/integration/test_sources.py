"""Whose mail and whose files (issue 21 points 2, 3, 4 and 7), on Dovecot + aiosmtpd through the real CLI.

Outlook's Rich Text winmail.dat, a grassroots union's files sent along with a unit's dossier, a tờ trình
that replaces an earlier list, and strangers writing in a unit's name.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.integration.conftest import SMTP_PASSWORD, SMTP_USER
from tests.integration.harness import (
    UNIT_EMAIL,
    UNIT_NAME,
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
    units_by_id,
)
from tests.mailservers import Dovecot, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, Person, bien_ban_docx, eml, full_dossier, to_trinh_docx
from tests.tnef_samples import outlook_rich_text_eml, tnef_of

_accounts = itertools.count(1)


def message_id(raw: bytes) -> str:
    return str(message_from_bytes(raw)["Message-ID"]).strip()


def replies_to(sink: SmtpSink, raw: bytes) -> list[EmailMessage]:
    wanted = message_id(raw)
    return [m for m in (parse_sent(s) for s in sink.messages) if str(m.get("In-Reply-To", "")).strip() == wanted]


@dataclass
class Polled:
    setup: Setup
    sink: SmtpSink
    raw: dict[str, bytes]


def _poll(dovecot: Dovecot, folder: Path, prefix: str, raw: dict[str, bytes], extra: str = "") -> Iterator[Polled]:
    dovecot.start()
    account = dovecot.create_account(f"{prefix}{next(_accounts)}", password="secret")
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink:
        setup = make_config(folder, account, sink, extra)
        for message in raw.values():
            account.append(message, msg_time=parsedate_to_datetime(str(message_from_bytes(message)["Date"])))
        ok(run_mailbot(setup, "poll"))
        yield Polled(setup, sink, raw)


# ---------------------------------------------------------------- point 3: Outlook's winmail.dat

@pytest.fixture(scope="module")
def outlook(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Polled]:
    """Three units write from Outlook in Rich Text: a whole dossier in winmail.dat, a winmail.dat that
    holds only the message body, and one damaged on the way."""
    def send(unit: str, **kwargs: object) -> bytes:
        return outlook_rich_text_eml(sender=UNIT_EMAIL[unit], sender_name=UNIT_NAME[unit], date=at(2, 9),
                                     subject=f"Hồ sơ đề nghị khen thưởng VHCS 2020 - {UNIT_NAME[unit]}",
                                     body="Kính gửi Văn phòng LĐLĐ tỉnh,\nĐơn vị gửi hồ sơ theo Kế hoạch "
                                          "199/KH-LĐLĐ.\nTrân trọng.", **kwargs)  # type: ignore[arg-type]
    damaged = tnef_of(full_dossier(SAMPLE_DOSSIERS["sin_ho"]))
    raw = {"dossier": send("tp_laichau", files=full_dossier(SAMPLE_DOSSIERS["tp_laichau"])),
           "body_only": send("tam_duong", files=[]),
           "damaged": send("sin_ho", winmail=damaged[: len(damaged) // 3])}
    yield from _poll(dovecot, tmp_path_factory.mktemp("outlook"), "outlook", raw)


def test_winmail_dat_dossier_counts_like_any_attachment(outlook: Polled) -> None:
    """GIVEN a unit's four documents inside Outlook's winmail.dat
    WHEN `mailbot poll` runs
    THEN they count as the unit's dossier, and the reply lists each file by its own name."""
    unit = units_by_id(status_json(outlook.setup))["tp_laichau"]
    assert unit["complete"] and unit["individuals"] == len(SAMPLE_DOSSIERS["tp_laichau"].individuals), unit
    (reply,) = replies_to(outlook.sink, outlook.raw["dossier"])
    text = body_text(reply)
    for name, _ in full_dossier(SAMPLE_DOSSIERS["tp_laichau"]):
        assert f"«{name}»" in text
    assert "winmail.dat" not in text


def test_unreadable_winmail_dat_names_outlooks_rich_text_once(outlook: Polled) -> None:
    """GIVEN a damaged winmail.dat, and one that holds only the message body
    THEN each reply says the cause in plain words (Outlook's Rich Text), once, with no «cán bộ sẽ kiểm
    tra» about it; the damaged one goes to staff review."""
    (damaged,) = replies_to(outlook.sink, outlook.raw["damaged"])
    text = body_text(damaged)
    assert "Thư được Outlook gửi ở định dạng Rich Text (winmail.dat) nên không mở được tệp đính kèm" in text
    assert text.count("Rich Text") == 1 and "cán bộ sẽ kiểm tra" not in text, text
    (body_only,) = replies_to(outlook.sink, outlook.raw["body_only"])
    assert "chỉ chứa nội dung thư, không có tệp đính kèm nào" in body_text(body_only)
    status = status_json(outlook.setup)
    assert "tnef_unreadable" in units_by_id(status)["sin_ho"]["flags"]
    reasons = {(i["message_id"], i["reason"]) for i in status["needs_review"]}
    assert (message_id(outlook.raw["damaged"]), "tnef_unreadable") in reasons, explain(
        run_mailbot(outlook.setup, "status"))


# ---------------------------------------------------------------- point 2: a grassroots union's files

GMAIL = {"Message-ID": "<CAJk9x2Vn8rL0pQ3sT6uW1yZ4bD7fG0hJ2kM5nP8qR1tV4wX7z@mail.gmail.com>"}
EXTRA_PERSON = Person("Lường Văn Khoa", "Bác sĩ, Khoa Ngoại - Bệnh viện Đa khoa tỉnh")
CDCS = dataclasses.replace(
    SAMPLE_DOSSIERS["cd_yte"], issuer="Công đoàn cơ sở Bệnh viện Đa khoa tỉnh", parent="CĐ NGÀNH Y TẾ LAI CHÂU",
    superior="Công đoàn ngành Y tế", individuals=(*SAMPLE_DOSSIERS["cd_yte"].individuals[:2], EXTRA_PERSON),
    number=8, chair="Lò Thị Hương")


@pytest.fixture(scope="module")
def grassroots(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Polled]:
    """Công đoàn ngành Y tế sends its own dossier from Gmail together with the tờ trình and biên bản its
    CĐCS Bệnh viện Đa khoa tỉnh sent up to it (one more person than Y tế's own list)."""
    files = [*full_dossier(SAMPLE_DOSSIERS["cd_yte"]), ("TTr CĐCS BVĐK tỉnh.docx", to_trinh_docx(CDCS)),
             ("BB CĐCS BVĐK tỉnh.docx", bien_ban_docx(CDCS))]
    raw = {"dossier": eml(sender=UNIT_EMAIL["cd_yte"], sender_name=UNIT_NAME["cd_yte"], date=at(2, 15),
                          subject="Hồ sơ đề nghị khen thưởng VHCS 2020 - Công đoàn ngành Y tế (kèm hồ sơ CĐCS)",
                          attachments=files, headers=GMAIL)}
    yield from _poll(dovecot, tmp_path_factory.mktemp("grassroots"), "grassroots", raw)


def test_grassroots_files_are_neither_the_unit_s_items_nor_its_nominees(grassroots: Polled) -> None:
    """THEN Y tế's list is its own tờ trình's (1 + 6, not the CĐCS's extra person), the lists do not
    «disagree», and staff see the two files as «hồ sơ của cơ sở gửi kèm»; the reply says so of each."""
    status = status_json(grassroots.setup)
    unit = units_by_id(status)["cd_yte"]
    own = SAMPLE_DOSSIERS["cd_yte"]
    assert (unit["collectives"], unit["individuals"]) == (len(own.collectives), len(own.individuals)), unit
    assert EXTRA_PERSON.name not in {n["name"] for n in unit["nominees"]}
    assert "lists_disagree" not in unit["flags"] and unit["complete"]
    kept = {i["detail"].split(":")[0] for i in status["needs_review"] if i["reason"] == "grassroots_document"}
    assert kept == {"TTr CĐCS BVĐK tỉnh.docx", "BB CĐCS BVĐK tỉnh.docx"}
    (reply,) = replies_to(grassroots.sink, grassroots.raw["dossier"])
    text = body_text(reply)
    assert text.count("hồ sơ của cơ sở gửi kèm") == 2 and "không khớp" not in text, text
    assert EXTRA_PERSON.name not in text


# ---------------------------------------------------------------- point 4: a list replaced

OUTLOOK = {"X-Mailer": "Microsoft Outlook 16.0", "Thread-Index": "AdbI0k3m9Zp1Qa8vTqKc2w==",
           "Content-Language": "vi"}


@pytest.fixture(scope="module")
def correction(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Polled]:
    """Phong Thổ sends its whole dossier from Outlook, then two days later a new tờ trình «thay thế bản
    trước» without its last person, and nothing else."""
    whole = SAMPLE_DOSSIERS["phong_tho"]
    cut = dataclasses.replace(whole, individuals=whole.individuals[:-1], number=whole.number + 1)
    raw = {"dossier": eml(sender=UNIT_EMAIL["phong_tho"], sender_name=UNIT_NAME["phong_tho"], date=at(1, 10),
                          subject="Hồ sơ đề nghị khen thưởng VHCS 2020", attachments=full_dossier(whole),
                          headers=OUTLOOK),
           "replacement": eml(sender=UNIT_EMAIL["phong_tho"], sender_name=UNIT_NAME["phong_tho"], date=at(3, 10),
                              subject="Gửi lại Tờ trình đề nghị khen thưởng (thay thế bản trước)",
                              body="Kính gửi Văn phòng LĐLĐ tỉnh,\nĐơn vị gửi lại Tờ trình thay thế bản trước "
                                   "do rút bớt 01 cá nhân.\nTrân trọng.",
                              attachments=[("Tờ trình (thay thế).docx", to_trinh_docx(cut))], headers=OUTLOOK)}
    yield from _poll(dovecot, tmp_path_factory.mktemp("correction"), "correction", raw)


def test_a_replaced_list_flags_older_files_naming_the_dropped_person(correction: Polled) -> None:
    """THEN the unit's list is the new tờ trình's, each person keeps the achievements of the old tóm tắt;
    the old biên bản and tóm tắt (not sent again) are flagged to staff and in the reply, naming the person
    dropped; the old tờ trình, replaced, is not."""
    whole = SAMPLE_DOSSIERS["phong_tho"]
    dropped = whole.individuals[-1].name
    status = status_json(correction.setup)
    unit = units_by_id(status)["phong_tho"]
    people = [n for n in unit["nominees"] if n["kind"] == "individual"]
    assert [n["name"] for n in people] == [p.name for p in whole.individuals[:-1]], unit
    assert all(n["achievements"] for n in people), people
    assert "outdated_names" in unit["flags"]
    flagged = {i["detail"].split(":")[0] for i in status["needs_review"] if i["reason"] == "outdated_names"}
    assert flagged == {"Biên bản họp xét.docx", "Báo cáo tóm tắt thành tích.docx"}
    (reply,) = replies_to(correction.sink, correction.raw["replacement"])
    text = " ".join(body_text(reply).split())
    assert "còn tên người không còn được đề nghị" in text
    for name in ("Biên bản họp xét.docx", "Báo cáo tóm tắt thành tích.docx"):
        assert f"«{name}» (gửi ngày 01/12/2020): còn tên {dropped}" in text, text
    assert "«Tờ trình đề nghị khen thưởng.docx» (gửi" not in text


# ---------------------------------------------------------------- point 7: strangers

FORGERS = 15
RECEIPTS_PER_DAY = 3
YAHOO = {"X-Mailer": "WebService/1.1.20952 YMailNorrin", "X-YMail-OSG": "Bv4K2.sVM1mD"}
ZIMBRA = {"X-Mailer": "Zimbra 8.8.15_GA_3869 (ZimbraWebClient - GC86 (Win)/8.8.15_GA_3869)",
          "Thread-Topic": "Hồ sơ khen thưởng", "Thread-Index": "AQHW0vXk9a1b2c3d4e5f6g7h8i9j0k=="}
STRANGER_PEOPLE = tuple(Person(name, "Giáo viên, Trường THPT Nậm Tăm") for name in (
    "Vừ A Dình", "Lầu Thị Mai", "Chẻo Văn Lả", "Hảng A Tủa", "Mùa Thị Sông", "Thào A Sình", "Sần Thị Lan"))


def _forged(index: int) -> bytes:
    forged = dataclasses.replace(SAMPLE_DOSSIERS["cd_giaoduc"], individuals=STRANGER_PEOPLE)
    return eml(sender=f"hoso.giaoduc{index}@yahoo.example", sender_name="Công đoàn ngành Giáo dục",
               subject="V/v gửi lại tờ trình đề nghị khen thưởng VHCS 2020 (thay thế bản trước)",
               attachments=[("Tờ trình (thay thế).docx", to_trinh_docx(forged))], date=at(3, 9, index),
               headers=YAHOO)


@pytest.fixture(scope="module")
def strangers(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Polled]:
    """Công đoàn ngành Giáo dục sends its dossier from its registered address (Zimbra); then 15 Yahoo
    addresses each send a tờ trình in its name with seven other people, «thay thế bản trước»."""
    own = eml(sender=UNIT_EMAIL["cd_giaoduc"], sender_name=UNIT_NAME["cd_giaoduc"], date=at(2, 9),
              subject="Hồ sơ đề nghị khen thưởng VHCS 2020", attachments=full_dossier(SAMPLE_DOSSIERS["cd_giaoduc"]),
              headers=ZIMBRA)
    raw = {"own": own, **{f"forged_{n}": _forged(n) for n in range(FORGERS)}}
    extra = f"[limits]\nreceipts_per_unit_per_day = {RECEIPTS_PER_DAY}\n"
    yield from _poll(dovecot, tmp_path_factory.mktemp("strangers"), "strangers", raw, extra)


def test_strangers_never_replace_the_unit_s_own_list(strangers: Polled) -> None:
    """GIVEN the unit's own dossier and 15 forged tờ trình naming it
    THEN status and the tally keep the unit's own five people; each forged mail waits for staff
    («chờ xác nhận», unverified_sender)."""
    status = status_json(strangers.setup)
    unit = units_by_id(status)["cd_giaoduc"]
    own = [p.name for p in SAMPLE_DOSSIERS["cd_giaoduc"].individuals]
    assert [n["name"] for n in unit["nominees"] if n["kind"] == "individual"] == own, unit
    assert "unverified_sender" in unit["flags"] and not unit["late"]
    waiting = {i["message_id"] for i in status["needs_review"] if i["reason"] == "unverified_sender"}
    assert waiting == {message_id(strangers.raw[f"forged_{n}"]) for n in range(FORGERS)}
    workbook = load_workbook(strangers.setup.tally, read_only=True)
    try:
        cells = [str(c) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    finally:
        workbook.close()
    assert any("chờ xác nhận" in c for c in cells)
    assert not any("Vừ A Dình" in c for c in cells)


def test_strangers_get_a_short_receipt_and_the_unit_the_acknowledgement(strangers: Polled) -> None:
    """THEN at most receipts_per_unit_per_day forged mails are answered: each with a receipt to the sender
    that names no unit, nominee, quota or status, and the full acknowledgement to the registered address
    only (no copy to the stranger); the rest of the 15 get nothing."""
    answered = [n for n in range(FORGERS) if replies_to(strangers.sink, strangers.raw[f"forged_{n}"])]
    assert answered == list(range(RECEIPTS_PER_DAY))
    assert len(strangers.sink.messages) == 1 + 2 * RECEIPTS_PER_DAY
    for n in answered:
        sender = f"hoso.giaoduc{n}@yahoo.example"
        sent = replies_to(strangers.sink, strangers.raw[f"forged_{n}"])
        (receipt,) = [m for m in sent if header_address(m, "To") == [sender]]
        (ack,) = [m for m in sent if m is not receipt]
        assert (header_address(ack, "To"), header_address(ack, "Cc")) == ([UNIT_EMAIL["cd_giaoduc"]], [])
        text = body_text(receipt)
        for secret in ("Giáo dục", "Vừ A Dình", "chỉ tiêu", "tập thể", "Đinh Ngọc Long", "THIẾU"):
            assert secret not in text, (secret, text)
        assert "chờ cán bộ xác nhận" in body_text(ack)


def test_staff_assign_makes_the_stranger_s_list_count(strangers: Polled) -> None:
    """WHEN staff assign one forged mail to the unit (`mailbot assign`)
    THEN its list is the unit's from then on, as any later list would be."""
    ok(run_mailbot(strangers.setup, "assign", message_id(strangers.raw["forged_0"]), "cd_giaoduc"))
    unit = units_by_id(status_json(strangers.setup))["cd_giaoduc"]
    assert [n["name"] for n in unit["nominees"] if n["kind"] == "individual"] == [p.name for p in STRANGER_PEOPLE]
