"""Only this campaign's mail is answered and counted (issue 10 parts 1, 2 and 6), on Dovecot + aiosmtpd.

The same units write about everything else: a monthly report, an invitation, a sports team list,
another campaign's dossier, a tờ trình for year-end union work. They answer mailbot's replies with
thanks or a question. And a second campaign may run its own mailbot on the same folder. Everything
goes through the real CLI (`python -m bot poll`, `status --json`) like tests/integration/test_end_to_end.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import UNITS_TOML
from tests.integration.conftest import SMTP_PASSWORD, SMTP_USER
from tests.integration.harness import (
    PATHS_SECTION,
    UNIT_EMAIL,
    Setup,
    at,
    body_text,
    explain,
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
from tests.mailservers import Dovecot, ImapAccount, SmtpSink
from tests.other_mail import (
    XSD_NAME,
    gmail_reply_body,
    invitation_docx,
    monthly_report_docx,
    outlook_reply_body,
    sports_list_docx,
    xsd_bao_cao_docx,
    xsd_dossier,
    year_end_to_trinh_docx,
)
from tests.samples import SAMPLE_DOSSIERS, eml, full_dossier

_accounts = itertools.count(1)
QUESTION = "Đơn vị xin hỏi: bản scan tờ trình có cần gửi thêm bản giấy qua đường bưu điện không ạ?"
QUOTED = "Kính gửi LĐLĐ thành phố Lai Châu,\nHệ thống đã nhận hồ sơ của đơn vị lúc 08:00 ngày 01/12/2020."


def fresh_account(dovecot: Dovecot, prefix: str) -> ImapAccount:
    dovecot.start()
    return dovecot.create_account(f"{prefix}{next(_accounts)}", password="secret")


def message_id(raw: bytes) -> str:
    from email import message_from_bytes
    return str(message_from_bytes(raw)["Message-ID"]).strip()


def reply_ids(sink: SmtpSink) -> dict[str, Any]:
    """In-Reply-To -> the parsed reply, for everything the sink accepted."""
    return {str(parse_sent(m).get("In-Reply-To", "")).strip(): parse_sent(m) for m in sink.messages}


def elsewhere_mail() -> dict[str, bytes]:
    """The four kinds of mail that are not this campaign's dossier, from four units, plus one more."""
    return {
        "monthly": unit_mail("tam_duong", [("Báo cáo tháng 11.docx", monthly_report_docx("LĐLĐ huyện Tam Đường"))],
                             subject="Báo cáo tình hình CNVCLĐ tháng 11/2020 - LĐLĐ huyện Tam Đường",
                             body="Kính gửi Văn phòng LĐLĐ tỉnh.\nĐơn vị gửi báo cáo tháng 11.\nTrân trọng.",
                             date=at(1, 9)),
        "invitation": unit_mail("phong_tho", [("Giấy mời.docx", invitation_docx("LĐLĐ huyện Phong Thổ"))],
                                subject="Giấy mời dự Hội nghị tổng kết công tác công đoàn năm 2020",
                                body="Kính mời lãnh đạo LĐLĐ tỉnh dự hội nghị.", date=at(1, 10)),
        "sports": unit_mail("sin_ho", [("DS doi bong.docx", sports_list_docx("LĐLĐ huyện Sìn Hồ"))],
                            subject="Danh sách đội bóng đá tham gia Hội thao CNVCLĐ năm 2020",
                            body="Đơn vị gửi danh sách 16 vận động viên.", date=at(1, 11)),
        "other_campaign": unit_mail("muong_te", xsd_dossier("LĐLĐ huyện Mường Tè"),
                                    subject="Hồ sơ đề nghị khen thưởng phong trào Xanh - Sạch - Đẹp năm 2020",
                                    body="Đơn vị gửi hồ sơ đề nghị khen thưởng.", date=at(1, 12)),
        "year_end": unit_mail("cd_giaoduc", [("Tờ trình.docx", year_end_to_trinh_docx("Công đoàn ngành Giáo dục"))],
                              subject="Gửi tờ trình đề nghị khen thưởng", body="Kính gửi LĐLĐ tỉnh.", date=at(1, 13)),
    }


@dataclass
class Inbox:
    setup: Setup
    sink: SmtpSink
    raw: dict[str, bytes]
    polls: list[Any]


@pytest.fixture(scope="module")
def inbox(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Inbox]:
    """Poll 1: the mail above, a unit's dossier, and a dossier carrying another movement's báo cáo.
    Poll 2: the unit answers mailbot's reply twice in its thread: thanks (Gmail), then a question (Outlook)."""
    account = fresh_account(dovecot, "relevance")
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink:
        setup = make_config(tmp_path_factory.mktemp("relevance"), account, sink)
        raw = elsewhere_mail()
        raw["dossier"] = unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(1, 8))
        mixed = [item for item in full_dossier(SAMPLE_DOSSIERS["tam_duong"]) if "sơ kết" not in item[0]]
        raw["mixed"] = unit_mail("cd_yte", [*mixed, ("Báo cáo sơ kết.docx", xsd_bao_cao_docx("Công đoàn ngành Y tế"))],
                                 date=at(1, 14))
        for message in raw.values():
            account.append(message)
        polls = [run_mailbot(setup, "poll")]
        ack = reply_ids(sink)[message_id(raw["dossier"])]
        thread = {"In-Reply-To": str(ack["Message-ID"]),
                  "References": f"{message_id(raw['dossier'])} {ack['Message-ID']}"}
        subject = f"Re: {ack['Subject']}"
        raw["thanks"] = eml(sender=UNIT_EMAIL["tp_laichau"], subject=subject, headers=thread, date=at(2, 9),
                            body=gmail_reply_body("Đơn vị đã nhận được, xin cảm ơn ạ!", QUOTED))
        raw["question"] = eml(sender=UNIT_EMAIL["tp_laichau"], subject=subject, headers=thread, date=at(2, 10),
                              body=outlook_reply_body(QUESTION, QUOTED))
        account.append(raw["thanks"])
        account.append(raw["question"])
        polls.append(run_mailbot(setup, "poll"))
        yield Inbox(setup, sink, raw, polls)


def test_only_campaign_mail_is_answered(inbox: Inbox) -> None:
    """GIVEN a monthly report, an invitation, a sports list, another campaign's dossier, a year-end tờ trình,
    a dossier, a dossier with another movement's báo cáo, then thanks and a question in the dossier's thread
    WHEN `mailbot poll` runs twice
    THEN only the two dossiers get a reply: nothing else, not the thanks, not the question."""
    for poll in inbox.polls:
        ok(poll)
    replied = reply_ids(inbox.sink)
    assert set(replied) == {message_id(inbox.raw["dossier"]), message_id(inbox.raw["mixed"])}, explain(inbox.polls[1])


def test_other_mail_counts_nothing(inbox: Inbox) -> None:
    """GIVEN the polls
    THEN the units that sent only other mail have no document, no nominee and no counted message (the
    16 players are nobody's nominees); the mixed dossier counts without the other movement's báo cáo."""
    units = units_by_id(status_json(inbox.setup))
    for unit_id in ("tam_duong", "phong_tho", "sin_ho", "muong_te", "cd_giaoduc"):
        unit = units[unit_id]
        assert (unit["received"], unit["nominees"], unit["messages"]) == ([], [], 0), unit_id
        assert unit["status"] == "Chưa nộp", unit_id
    assert units["tp_laichau"]["complete"] and units["tp_laichau"]["individuals"] == 4
    mixed = units["cd_yte"]
    assert mixed["complete"] and "bao_cao" not in mixed["received"]
    assert mixed["individuals"] == len(SAMPLE_DOSSIERS["tam_duong"].individuals)


def test_outcomes_and_review(inbox: Inbox) -> None:
    """GIVEN the polls
    THEN «Thư đến» names each message's outcome; «Cần xem xét» and needs_review hold the unit's question
    with its own words (the quote cut away) and the excluded báo cáo, not the thanks nor the other mail."""
    review = status_json(inbox.setup)["needs_review"]
    by_reason: dict[str, list[dict[str, Any]]] = {}
    for item in review:
        by_reason.setdefault(item["reason"], []).append(item)
    question = by_reason["thread_followup"]
    assert len(question) == 1 and question[0]["message_id"] == message_id(inbox.raw["question"])
    assert QUESTION in question[0]["detail"] and "Hệ thống đã nhận" not in question[0]["detail"]
    assert [i["detail"].split(":")[0] for i in by_reason["other_campaign"]] == ["Báo cáo sơ kết.docx"]
    quiet = {message_id(inbox.raw[k]) for k in ("thanks", "monthly", "invitation", "sports", "other_campaign")}
    assert not quiet & {item["message_id"] for item in review}

    workbook = load_workbook(inbox.setup.root / "tally.xlsx", read_only=True)
    try:
        rows = [r for r in workbook["Thư đến"].iter_rows(values_only=True)][1:]
        outcome = {str(r[2]): str(r[5]) for r in rows}      # «Tiêu đề» -> «Kết quả»
        review_rows = [r for r in workbook["Cần xem xét"].iter_rows(values_only=True)][1:]
    finally:
        workbook.close()
    assert outcome["Báo cáo tình hình CNVCLĐ tháng 11/2020 - LĐLĐ huyện Tam Đường"].startswith("Việc khác")
    assert outcome["Giấy mời dự Hội nghị tổng kết công tác công đoàn năm 2020"].startswith("Việc khác")
    assert outcome["Danh sách đội bóng đá tham gia Hội thao CNVCLĐ năm 2020"].startswith("Việc khác")
    assert outcome["Hồ sơ đề nghị khen thưởng phong trào Xanh - Sạch - Đẹp năm 2020"].startswith("Thuộc phong trào")
    assert outcome["Gửi tờ trình đề nghị khen thưởng"].startswith("Thuộc phong trào")
    assert any(QUESTION in str(r[5]) for r in review_rows)


# ---------------------------------------------------------------------------------------------
# Two campaigns, one inbox: each mailbot has its own config, state and IMAP keyword.


def second_campaign(folder: Path, account: ImapAccount, sink: SmtpSink) -> Setup:
    """The «Xanh - Sạch - Đẹp» campaign (plan 205) with the same units, reading the same folder."""
    units = UNITS_TOML.replace(
        'name = "Sơ kết phong trào “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở” năm 2020"',
        f'name = "{XSD_NAME}"').replace('reference = "199/KH-LĐLĐ"', 'reference = "205/KH-LĐLĐ"')
    assert units != UNITS_TOML
    folder.mkdir(parents=True, exist_ok=True)
    mailbox = mailbox_section(account, extra='keyword = "$MailbotXSD"\n')
    (folder / "config.toml").write_text("\n".join([units, mailbox, smtp_section(sink), PATHS_SECTION]),
                                        encoding="utf-8")
    return Setup(folder / "config.toml", account.password, sink.password)


def test_two_campaigns_on_one_folder_keep_apart(dovecot: Dovecot, tmp_path: Path) -> None:
    """GIVEN one folder with two dossiers and a question for campaign A (VHCS, plan 199) and a dossier
    for campaign B (Xanh - Sạch - Đẹp, plan 205), and two mailbot installations, one per campaign
    WHEN both poll the folder
    THEN each answers only its own campaign's mail, and each status counts only its own dossiers."""
    account = fresh_account(dovecot, "twocampaigns")
    mail = {
        "a_dossier": unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(1, 8)),
        "a_question": eml(sender=UNIT_EMAIL["tam_duong"], date=at(1, 9),
                          subject="Hỏi về hồ sơ khen thưởng phong trào văn hóa công sở năm 2020",
                          body="Biên bản họp xét có bắt buộc không ạ?"),
        "b_dossier": unit_mail("phong_tho", xsd_dossier("LĐLĐ huyện Phong Thổ"), date=at(1, 10),
                               subject="Hồ sơ khen thưởng phong trào Xanh - Sạch - Đẹp năm 2020 - LĐLĐ Phong Thổ",
                               body="Thực hiện Kế hoạch số 205/KH-LĐLĐ, đơn vị gửi hồ sơ."),
    }
    for message in mail.values():
        account.append(message)
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink_a, SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink_b:
        a = make_config(tmp_path / "a", account, sink_a)
        b = second_campaign(tmp_path / "b", account, sink_b)
        for setup in (a, b, a, b):
            ok(run_mailbot(setup, "poll"))
        assert set(reply_ids(sink_a)) == {message_id(mail["a_dossier"]), message_id(mail["a_question"])}
        assert set(reply_ids(sink_b)) == {message_id(mail["b_dossier"])}
        assert "Xanh - Sạch - Đẹp" in body_text(reply_ids(sink_b)[message_id(mail["b_dossier"])])
    units_a, units_b = units_by_id(status_json(a)), units_by_id(status_json(b))
    assert units_a["tp_laichau"]["complete"] and units_a["phong_tho"]["messages"] == 0
    assert units_b["phong_tho"]["received"] == ["to_trinh", "bien_ban", "bao_cao"]
    assert units_b["phong_tho"]["individuals"] == 2
    assert units_b["tp_laichau"]["messages"] == 0 and units_b["tp_laichau"]["nominees"] == []
    assert units_b["tam_duong"]["messages"] == 0
    with account.connect() as client:
        client.select_folder("INBOX", readonly=True)
        flags = client.get_flags(client.search(["ALL"]))
    assert all({b"$MailbotDone", b"$MailbotXSD"} <= set(f) for f in flags.values()), flags
