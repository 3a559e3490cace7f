"""Issue 21 points 1, 5, 6 and 8 end to end: the real `mailbot` CLI, a real Dovecot and a real aiosmtpd sink,
with mail shaped as Outlook, Gmail, Yahoo and Zimbra send it (tests/client_mail.py).

1. another campaign's dossier by its purpose (ATVSLĐ chuyên đề, with «đề nghị khen thưởng» and the year) is
   neither answered nor counted; a dossier mixing it with this campaign's files is counted and goes to staff;
8. a «Re:» to a mail mailbot never saw, and an Outlook «TL:» quoting one without thread headers, bring no
   document: staff get the unit's words, no reply; the finance office's «Báo cáo thu, chi tài chính» is no
   báo cáo sơ kết: no reply, no item;
5. pleas beside the files («kính mong … tạo điều kiện», «kính mong Ban thông cảm») and «đề nghị Ban không
   tính vào đợt này» reach staff with the unit's words (signature cut); the acknowledgement still goes out;
6. nominees typed in the body are asked for the files; nothing read never says «00 tập thể … trong chỉ tiêu»;
   the over-quota unit is asked to cut its list and resend (ack and reminder); reminders list what arrived;
   `[campaign.contact]` shows person and phone.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from typing import Any

import pytest

from tests import client_mail
from tests.clerk_samples import (
    OTHER_PURPOSES,
    atvsld_bien_ban_docx,
    atvsld_dossier,
    finance_report_docx,
    purpose_to_trinh_docx,
)
from tests.client_mail import Thread
from tests.integration.conftest import SMTP_PASSWORD, SMTP_USER
from tests.integration.harness import (
    UNIT_EMAIL,
    UNIT_NAME,
    Setup,
    at,
    body_text,
    explain,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    status_json,
    units_by_id,
)
from tests.mailservers import Dovecot, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier

_accounts = itertools.count(1)
CONTACT = ('[campaign.contact]\nperson = "Lương Thị Hà"\noffice = "Ban Chính sách - Pháp luật"\n'
           'phone = "0213 3876 123"\n')
ACK_QUOTE = ("Kính gửi: Liên đoàn Lao động huyện Tam Đường,\n"
             "Liên đoàn Lao động tỉnh Lai Châu đã nhận được thư của đơn vị lúc 08:10 ngày 28/11/2020.")
SIGNATURE = "Trân trọng,\nNguyễn Thị Mai\nVăn phòng Công đoàn ngành Giáo dục\nĐT: 0912 000 111"


def _mail(client: str, unit: str, subject: str, words: str, day: int, hour: int,
          attachments: list[tuple[str, bytes]] | None = None, thread: Thread = client_mail.NEW) -> bytes:
    return client_mail.CLIENTS[client](sender=UNIT_EMAIL[unit], name=UNIT_NAME[unit], subject=subject, words=words,
                                       when=at(day, hour), attachments=attachments or [], thread=thread)


def first_poll_mail() -> dict[str, bytes]:
    sin_ho = [f for f in full_dossier(SAMPLE_DOSSIERS["sin_ho"]) if "Biên bản" not in f[0]]
    return {
        "atvsld": _mail("outlook", "muong_te", "Hồ sơ đề nghị khen thưởng năm 2020 - LĐLĐ huyện Mường Tè",
                        "Kính gửi LĐLĐ tỉnh,\nĐơn vị gửi hồ sơ đề nghị khen thưởng năm 2020.\nTrân trọng.", 1, 8,
                        atvsld_dossier("LĐLĐ huyện Mường Tè")),
        "mixed": _mail("gmail", "sin_ho", "Hồ sơ khen thưởng VHCS 2020 - LĐLĐ huyện Sìn Hồ",
                       "Kính gửi LĐLĐ tỉnh, đơn vị gửi hồ sơ.", 1, 9,
                       [*sin_ho, ("Biên bản họp xét.docx", atvsld_bien_ban_docx("LĐLĐ huyện Sìn Hồ"))]),
        "says_other": _mail("outlook", "sin_ho", "Hồ sơ khen thưởng chuyên đề ATVSLĐ năm 2020",
                            "Kính gửi LĐLĐ tỉnh, đơn vị gửi lại tờ trình.", 1, 13, sin_ho[:1]),
        "finance": _mail("zimbra", "phong_tho", "Báo cáo thu, chi tài chính công đoàn năm 2020",
                         "Kính gửi Ban Tài chính LĐLĐ tỉnh,\nĐơn vị gửi báo cáo thu, chi tài chính năm 2020.", 1, 10,
                         [("Báo cáo tài chính 2020.docx", finance_report_docx("LĐLĐ huyện Phong Thổ"))]),
        "unknown_thread": _mail("gmail", "tam_duong", "Re: Hồ sơ đề nghị khen thưởng VHCS 2020",
                                "Đơn vị xin hỏi: bản giấy có cần gửi qua bưu điện không ạ?\n\nTrân trọng,\nLò Thị Ánh",
                                1, 11, thread=Thread("<old-ack.0001@mail.gmail.com>",
                                                     "<unit.0001@example.vn> <old-ack.0001@mail.gmail.com>",
                                                     ACK_QUOTE)),
        "sudden": _mail("zimbra", "tp_laichau", "Gửi tờ trình đề nghị khen thưởng năm 2020",
                        "Kính gửi LĐLĐ tỉnh, đơn vị gửi tờ trình đề nghị khen thưởng.", 1, 7,
                        [("To trinh.docx", purpose_to_trinh_docx("LĐLĐ thành phố Lai Châu", OTHER_PURPOSES[1]))]),
        "yahoo_re": _mail("yahoo", "sin_ho", "Re: Hồ sơ khen thưởng VHCS 2020 - LĐLĐ huyện Sìn Hồ",
                          "Biên bản họp xét đơn vị đã gửi hôm trước, đề nghị kiểm tra lại giúp ạ.", 2, 8,
                          thread=Thread("<old-ack.0002@example.org>", "<old-ack.0002@example.org>", ACK_QUOTE)),
        "zimbra_re": _mail("zimbra", "cdvc", "Re: Gửi hồ sơ khen thưởng VHCS 2020",
                           "Cho đơn vị hỏi hạn cuối nộp bản giấy là ngày nào?", 2, 9,
                           thread=Thread("<old-ack.0003@example.org>", "<old-ack.0003@example.org>", ACK_QUOTE)),
        "outlook_tl": _mail("outlook", "cd_yte", "TL: Hồ sơ đề nghị khen thưởng VHCS 2020",
                            "Đơn vị đã nhận được thư, xin hỏi biên bản có cần đóng dấu không?", 1, 12,
                            thread=Thread(quoted=ACK_QUOTE)),
        "plea": _mail("outlook", "cd_giaoduc", "Hồ sơ đề nghị khen thưởng VHCS 2020 - CĐ ngành Giáo dục",
                      "Kính gửi LĐLĐ tỉnh,\nĐơn vị gửi hồ sơ đề nghị khen thưởng (01 tập thể, 05 cá nhân), vượt chỉ "
                      "tiêu 01 cá nhân, kính mong LĐLĐ tỉnh xem xét, tạo điều kiện cho đơn vị.\n\n" + SIGNATURE,
                      1, 14, full_dossier(SAMPLE_DOSSIERS["cd_giaoduc"])),
        "late": _mail("zimbra", "cdvc", "Gửi hồ sơ khen thưởng VHCS 2020",
                      "Kính gửi Ban Chính sách, đơn vị gửi hồ sơ chậm so với kế hoạch, kính mong Ban thông cảm.",
                      1, 15, full_dossier(SAMPLE_DOSSIERS["cdvc"])),
        "names": _mail("yahoo", "tp_laichau", "Đề nghị khen thưởng phong trào VHCS năm 2020",
                       "Kính gửi LĐLĐ tỉnh,\nLĐLĐ thành phố đề nghị khen thưởng như sau:\nCá nhân:\n"
                       "1. Ông Lò Văn Pâng, Chủ tịch CĐCS Trường Tiểu học xã San Thàng;\n"
                       "2. Bà Hoàng Thị Lan, Kế toán Phòng Tài chính - Kế hoạch.\n\nTrân trọng.", 1, 16),
    }


@dataclass
class Run:
    setup: Setup
    raw: dict[str, bytes]
    replies: dict[str, EmailMessage]      # In-Reply-To -> reply
    reminders: dict[str, EmailMessage]    # To -> reminder
    procs: list[Any]


def _id(raw: bytes) -> str:
    return str(message_from_bytes(raw)["Message-ID"]).strip()


@pytest.fixture(scope="module")
def run(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """Poll 1: the mail above. Poll 2: Mường Tè answers its own mail (Yahoo): «đề nghị Ban không tính».
    Then `mailbot remind --now` at T-3."""
    dovecot.start()
    account = dovecot.create_account(f"clerk{next(_accounts)}", password="secret")
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink:
        setup = make_config(tmp_path_factory.mktemp("clerk"), account, sink, CONTACT)
        raw = first_poll_mail()
        for message in raw.values():
            account.append(message)
        procs = [run_mailbot(setup, "poll")]
        atvsld = _id(raw["atvsld"])
        raw["exclude"] = _mail("yahoo", "muong_te", "Re: Hồ sơ đề nghị khen thưởng năm 2020 - LĐLĐ huyện Mường Tè",
                               "Kính gửi Ban,\nĐơn vị gửi nhầm hồ sơ khen thưởng chuyên đề ATVSLĐ, đề nghị Ban không "
                               "tính vào đợt này.\nTrân trọng.", 2, 9,
                               thread=Thread(atvsld, atvsld, "Kính gửi LĐLĐ tỉnh, đơn vị gửi hồ sơ."))
        account.append(raw["exclude"])
        procs.append(run_mailbot(setup, "poll"))
        acks = len(sink.messages)
        procs.append(run_mailbot(setup, "remind", "--now", "2020-12-17T08:00:00+07:00"))
        sent = [parse_sent(m) for m in sink.messages]
        replies = {str(m["In-Reply-To"]).strip(): m for m in sent[:acks]}
        reminders = {str(m["To"]).strip(): m for m in sent[acks:] if m["X-Mailbot"] == "remind"}
        yield Run(setup, raw, replies, reminders, procs)


def _review(run: Run, key: str) -> dict[str, str]:
    """Reason -> detail of the open review items of one message."""
    items = status_json(run.setup)["needs_review"]
    return {item["reason"]: item["detail"].strip("«»") for item in items if item["message_id"] == _id(run.raw[key])}


def test_the_polls_ran(run: Run) -> None:
    for proc in run.procs:
        ok(proc)


def test_only_this_campaigns_dossiers_are_answered(run: Run) -> None:
    """GIVEN the ATVSLĐ dossier, a «khen thưởng đột xuất» tờ trình, the finance report, four follow-ups,
    the «không tính» request and four dossiers
    THEN exactly the two mixed mails, the two pleas and the names-in-body mail get a reply."""
    want = {_id(run.raw[key]) for key in ("mixed", "says_other", "plea", "late", "names")}
    assert set(run.replies) == want, explain(run.procs[0])


def test_another_purpose_is_not_counted(run: Run) -> None:
    """Point 1: «khen thưởng chuyên đề … An toàn, vệ sinh lao động năm 2020» in every title zone."""
    units = units_by_id(status_json(run.setup))
    assert (units["muong_te"]["received"], units["muong_te"]["nominees"]) == ([], [])
    assert units["muong_te"]["status"] == "Chưa nộp"
    assert (units["tp_laichau"]["received"], units["tp_laichau"]["nominees"]) == ([], [])   # «khen thưởng đột xuất»


def test_mixed_evidence_is_counted_and_goes_to_staff(run: Run) -> None:
    units = units_by_id(status_json(run.setup))
    assert units["sin_ho"]["received"] == ["to_trinh", "tom_tat", "bao_cao"]
    assert "bien_ban" in units["sin_ho"]["missing"]
    review = _review(run, "mixed")
    assert "Biên bản họp xét.docx: của phong trào/việc khác" in review["other_campaign"]
    assert "ATVSLĐ" in _review(run, "says_other")["campaign_mixed"]     # the words say another campaign
    reply = body_text(run.replies[_id(run.raw["mixed"])])
    assert "«Biên bản họp xét.docx»: thuộc phong trào hoặc việc khác, không tính vào hồ sơ đợt này." in reply


def test_follow_ups_to_unknown_threads_reach_staff_without_a_reply(run: Run) -> None:
    """Point 8: Gmail, Yahoo and Zimbra «Re:» with In-Reply-To unknown to mailbot; Outlook «TL:» with a quote
    and no thread headers."""
    gmail = _review(run, "unknown_thread")
    assert gmail["thread_followup"] == "Đơn vị xin hỏi: bản giấy có cần gửi qua bưu điện không ạ?"
    assert _review(run, "yahoo_re")["thread_followup"].startswith("Biên bản họp xét đơn vị đã gửi hôm trước")
    assert _review(run, "zimbra_re")["thread_followup"] == "Cho đơn vị hỏi hạn cuối nộp bản giấy là ngày nào?"
    outlook = _review(run, "outlook_tl")
    assert outlook["thread_followup"] == "Đơn vị đã nhận được thư, xin hỏi biên bản có cần đóng dấu không?"
    units = units_by_id(status_json(run.setup))
    assert units["tam_duong"]["messages"] == 0 and units["cd_yte"]["messages"] == 0


def test_the_finance_report_is_other_business(run: Run) -> None:
    units = units_by_id(status_json(run.setup))
    assert (units["phong_tho"]["received"], units["phong_tho"]["messages"]) == ([], 0)
    assert _review(run, "finance") == {}


def test_requests_reach_staff_with_the_units_words(run: Run) -> None:
    """Point 5: the pleas are reviewed (signature cut) and still acknowledged; «không tính» reaches staff."""
    plea = _review(run, "plea")["unit_request"]
    assert "kính mong LĐLĐ tỉnh xem xét, tạo điều kiện" in plea
    assert "Nguyễn Thị Mai" not in plea and "0912" not in plea
    assert "kính mong Ban thông cảm" in _review(run, "late")["unit_request"]
    assert "không tính vào đợt này" in _review(run, "exclude")["unit_request"]


def test_the_over_quota_unit_is_asked_to_cut_and_resend(run: Run) -> None:
    reply = body_text(run.replies[_id(run.raw["plea"])])
    assert "VƯỢT chỉ tiêu 01 cá nhân (chỉ tiêu của đơn vị: tối đa 01 tập thể và 04 cá nhân)" in reply
    assert "giảm danh sách cho đúng chỉ tiêu và gửi lại Tờ trình, Báo cáo tóm tắt thành tích" in reply
    reminder = body_text(run.reminders[UNIT_EMAIL["cd_giaoduc"]])
    assert "- Đã nhận: Tờ trình đề nghị khen thưởng; Biên bản họp xét;" in reminder
    assert "giảm danh sách cho đúng chỉ tiêu và gửi lại Tờ trình" in reminder
    assert "hoàn thiện và gửi" not in reminder


def test_names_in_the_body_are_asked_for_the_files(run: Run) -> None:
    reply = body_text(run.replies[_id(run.raw["names"])])
    assert "(Lò Văn Pâng, Hoàng Thị Lan) CHƯA được ghi nhận" in reply
    assert "gửi kèm tệp Tờ trình đề nghị khen thưởng, Biên bản họp xét và Báo cáo tóm tắt" in reply
    assert "00 tập thể" not in reply and "trong chỉ tiêu" not in reply


def test_replies_show_the_contact_person_and_phone(run: Run) -> None:
    for reply in [*run.replies.values(), *run.reminders.values()]:
        assert ("xin liên hệ đồng chí Lương Thị Hà, Ban Chính sách - Pháp luật, điện thoại 0213 3876 123."
                in body_text(reply))
