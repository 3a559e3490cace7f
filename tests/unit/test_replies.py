"""bot.message.replies: the acknowledgement a unit gets, and the reminders; headers that stop mail loops."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage

import pytest

from bot.config.schema import Config, Unit
from bot.core import classify, rules
from bot.core.model import Finding, IncomingMail, MessageRecord, Outcome
from bot.message import mime, replies
from tests import samples
from tests.unit.builders import at, collective, doc, message, people, person

UNIT_ADDRESS = "ldld.tamduong@example.vn"
GROUP = collective("Công đoàn cơ sở Trường Mầm non xã Bản Bo")
PANG = person("Lò Văn Pâng", "Chủ tịch Công đoàn cơ sở")


def _unit(cfg: Config, unit_id: str = "tam_duong") -> Unit:
    unit = cfg.unit(unit_id)
    assert unit is not None
    return unit


def _incoming(subject: str = "Hồ sơ đề nghị khen thưởng", sender: str = UNIT_ADDRESS,
              message_id: str = "<unit.1@example.vn>", references: str = "") -> IncomingMail:
    headers = {"References": references} if references else None
    return mime.parse(samples.eml(sender=sender, subject=subject, message_id=message_id, headers=headers))


def _ack(cfg: Config, now: datetime, record: MessageRecord, mail: IncomingMail | None = None,
         history: tuple[MessageRecord, ...] = ()) -> tuple[EmailMessage, str]:
    mail = mail or _incoming()
    unit = _unit(cfg, record.unit_id or "")
    dossier = rules.assess(unit, [*history, record], cfg)
    to, cc = replies.reply_recipients(record, unit, mail)
    reply = replies.acknowledgement(mail, record, unit, dossier, cfg, now, to=to, cc=cc)
    return reply, reply.get_content()


def _partial(**kwargs: object) -> MessageRecord:
    """Tam Đường's tờ trình (1 collective, 1 person) and a bad biên bản, received 1/12 09:00."""
    return message("tam_duong", at(1), doc("to_trinh", (GROUP, PANG)),
                   doc("bien_ban", status=Finding.UNREADABLE_ATTACHMENT), **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------ headers


def test_acknowledgement_headers(cfg: Config, now: datetime) -> None:
    mail = _incoming(references="<older@example.org>")
    reply, _ = _ack(cfg, now, _partial(), mail)
    assert reply["To"] == UNIT_ADDRESS
    assert reply["Cc"] is None
    assert reply["Subject"] == "Re: Hồ sơ đề nghị khen thưởng"
    assert reply["In-Reply-To"] == "<unit.1@example.vn>"
    assert reply["References"] == "<older@example.org> <unit.1@example.vn>"
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply[classify.MAILBOT_HEADER] == "ack"
    assert reply["Message-ID"].startswith("<mailbot.")


def test_from_and_subject_serialise_as_the_stdlib_folds_them_and_decode_back_exactly(
        cfg: Config, now: datetime) -> None:
    """The From header object is shared and folded once (speed): the bytes must stay what a fresh fold gives."""
    first, _ = _ack(cfg, now, _partial())
    second, _ = _ack(cfg, now, _partial(uid="78"))
    fresh = EmailMessage()
    fresh["From"] = replies.sender_address(cfg)
    expected = policy.SMTP.fold_binary("From", fresh["From"])
    for reply in (first, second):
        raw = reply.as_bytes(policy=policy.SMTP)
        assert expected in raw
        head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
        fields = dict(line.split(": ", 1) for line in head.replace("\r\n ", " ").split("\r\n"))
        organization, address = cfg.campaign.organization, fresh["From"].addresses[0].addr_spec
        assert str(make_header(decode_header(fields["From"]))) == f"{organization} <{address}>"
        assert str(make_header(decode_header(fields["Subject"]))) == "Re: Hồ sơ đề nghị khen thưởng"
        parsed = mime.parse(raw)
        assert (parsed.from_name, parsed.subject) == (organization, "Re: Hồ sơ đề nghị khen thưởng")


@pytest.mark.parametrize("subject", ["Re: Hồ sơ", "RE: Hồ sơ", "re: Hồ sơ"])
def test_re_is_added_once(cfg: Config, now: datetime, subject: str) -> None:
    reply, _ = _ack(cfg, now, _partial(), _incoming(subject=subject))
    assert reply["Subject"] == subject


def test_message_id_is_deterministic_per_record(cfg: Config, now: datetime) -> None:
    record = _partial(uid="77")
    first, _ = _ack(cfg, now, record)
    again, _ = _ack(cfg, now.replace(hour=17), record)
    other, _ = _ack(cfg, now, _partial(uid="78"))
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"] != other["Message-ID"]


def test_our_own_acknowledgement_coming_back_is_recognised(cfg: Config, now: datetime) -> None:
    """GIVEN our acknowledgement bounced back into the inbox WHEN classified THEN OWN_REPLY (no loop)."""
    reply, _ = _ack(cfg, now, _partial())
    assert classify.automated_outcome(mime.parse(reply.as_bytes(policy=policy.SMTP))) == Outcome.OWN_REPLY


def test_unverified_sender_the_unit_gets_the_acknowledgement_the_sender_a_receipt(cfg: Config, now: datetime) -> None:
    """GIVEN a unit's dossier from an address that is not the unit's
    WHEN acknowledged
    THEN the full acknowledgement goes to the registered address only (no copy to the sender), and the
    sender's receipt names no unit, no nominee, no quota and no status."""
    mail = _incoming(sender="chuyenvien.tamduong@gmail.com")
    record = _partial(findings=(Finding.UNVERIFIED_SENDER,), from_addr="chuyenvien.tamduong@gmail.com")
    reply, body = _ack(cfg, now, record, mail)
    assert (reply["To"], reply["Cc"]) == (UNIT_ADDRESS, None)
    assert "chuyenvien.tamduong@gmail.com, chưa được đăng ký cho đơn vị" in body
    receipt = replies.receipt(mail, record, cfg, now)
    text = receipt.get_content()
    assert (receipt["To"], receipt["Cc"], receipt["In-Reply-To"]) == (
        "chuyenvien.tamduong@gmail.com", None, "<unit.1@example.vn>")
    assert receipt["Auto-Submitted"] == "auto-replied" and receipt["Message-ID"] != reply["Message-ID"]
    for secret in ("Tam Đường", PANG.name, GROUP.name, "chỉ tiêu", "CÒN THIẾU", "Tờ trình", "tập thể"):
        assert secret not in text, secret
    assert "chưa được đăng ký là địa chỉ gửi hồ sơ của đơn vị nào" in text


# ------------------------------------------------------------------------------------ body


def test_acknowledgement_body(cfg: Config, now: datetime) -> None:
    _, body = _ack(cfg, now, _partial())
    assert "Kính gửi: Liên đoàn Lao động huyện Tam Đường," in body
    assert "lúc 09:00 ngày 01/12/2020" in body                      # received_at in local time
    assert "«Tờ trình.docx»: Tờ trình đề nghị khen thưởng." in body
    assert "«Biên bản họp xét.docx»: Biên bản họp xét; tệp không mở được" in body
    assert "01 tập thể, 01 cá nhân" in body
    assert GROUP.name in body
    assert f"{PANG.name} – {PANG.position}" in body
    assert "trong chỉ tiêu (tối đa 01 tập thể và 04 cá nhân)" in body
    assert "VƯỢT" not in body
    missing = body.split("CÒN THIẾU:", 1)[1].split("\n", 1)[0]
    assert "Biên bản họp xét" in missing                            # the corrupt copy does not count
    assert "Báo cáo tóm tắt trích ngang thành tích" in missing
    assert "Tờ trình" not in missing
    assert "23 giờ 59 ngày 20/12/2020 (theo Kế hoạch số 199/KH-LĐLĐ)" in body
    assert "sau thời hạn" not in body
    assert body.rstrip().endswith(cfg.campaign.organization)


def test_over_quota_says_vuot_and_by_how_much(cfg: Config, now: datetime) -> None:
    record = message("tam_duong", at(1), doc("to_trinh", (GROUP, collective("Tổ Văn phòng"), *people(6))))
    _, body = _ack(cfg, now, record)
    assert ("02 tập thể, 06 cá nhân, VƯỢT chỉ tiêu 01 tập thể và 02 cá nhân "
            "(chỉ tiêu của đơn vị: tối đa 01 tập thể và 04 cá nhân)") in body
    assert "giảm danh sách cho đúng chỉ tiêu và gửi lại Tờ trình, Báo cáo tóm tắt thành tích" in body


def test_per_unit_quota_in_the_reply(cfg: Config, now: datetime) -> None:
    record = message("cd_yte", at(1), doc("to_trinh", (GROUP, *people(6))))
    _, body = _ack(cfg, now, record)
    assert "trong chỉ tiêu (tối đa 01 tập thể và 06 cá nhân)" in body


def test_complete_dossier(cfg: Config, now: datetime) -> None:
    record = message("tam_duong", at(2), doc("to_trinh", (GROUP, PANG)), doc("bien_ban"), doc("tom_tat", (GROUP, PANG)))
    _, body = _ack(cfg, now, record)
    assert "Hồ sơ đã đủ các thành phần bắt buộc." in body
    assert "CÒN THIẾU" not in body


def test_late_dossier_is_told_so(cfg: Config, now: datetime) -> None:
    record = message("tam_duong", at(21), doc("to_trinh"), doc("bien_ban"), doc("tom_tat"))
    _, body = _ack(cfg, now, record)
    assert "Hồ sơ của đơn vị được ghi nhận là gửi sau thời hạn." in body


def test_message_without_documents(cfg: Config, now: datetime) -> None:
    _, body = _ack(cfg, now, message("tam_duong", at(1)))
    assert "Thư không kèm tài liệu hồ sơ nào." in body
    assert "2. Danh sách đề nghị khen thưởng: chưa có. Danh sách được lấy từ Tờ trình" in body
    assert "00 tập thể" not in body and "trong chỉ tiêu" not in body     # nothing read: no count, no quota verdict
    assert "sẽ được đối chiếu với chỉ tiêu của đơn vị (tối đa 01 tập thể và 04 cá nhân)" in body


def test_disagreeing_lists_are_reported(cfg: Config, now: datetime) -> None:
    record = message("tam_duong", at(1), doc("to_trinh", (PANG, person("Giàng A Chứ"))),
                     doc("tom_tat", (PANG, person("Lù Thị Ngoan"))))
    _, body = _ack(cfg, now, record)
    assert "Các tài liệu không khớp nhau" in body
    assert "Tờ trình.docx: không có Lù Thị Ngoan" in body


def test_acknowledgement_uses_the_whole_history(cfg: Config, now: datetime) -> None:
    """GIVEN the biên bản and tóm tắt sent last week WHEN the tờ trình arrives THEN the reply says complete."""
    earlier = message("tam_duong", at(1), doc("bien_ban"), doc("tom_tat", (GROUP, PANG)))
    record = message("tam_duong", at(3), doc("to_trinh", (GROUP, PANG)))
    _, body = _ack(cfg, now, record, history=(earlier,))
    assert "Hồ sơ đã đủ các thành phần bắt buộc." in body
    assert "«Biên bản họp xét.docx»" not in body       # section 1 lists this message's documents only


# ------------------------------------------------------------------------------------ reminders


def test_reminder_lists_exactly_what_is_missing(cfg: Config, now: datetime) -> None:
    unit = _unit(cfg)
    dossier = rules.assess(unit, [message("tam_duong", at(1), doc("to_trinh", (GROUP, PANG)))], cfg)
    reminder = replies.reminder(unit, dossier, cfg, now, "T-3")
    body = reminder.get_content()
    owed = [line.strip() for line in body.splitlines() if line.strip().startswith("- ")]
    assert owed == ["- Đã nhận: Tờ trình đề nghị khen thưởng (danh sách: 01 tập thể, 01 cá nhân).",
                    "- Còn thiếu: Biên bản họp xét; Báo cáo tóm tắt trích ngang thành tích."]
    assert "Đề nghị đơn vị gửi Biên bản họp xét; Báo cáo tóm tắt trích ngang thành tích" in body
    assert reminder["To"] == UNIT_ADDRESS
    assert "20/12/2020" in reminder["Subject"]
    assert reminder["Auto-Submitted"] == "auto-replied"
    assert reminder[classify.MAILBOT_HEADER] == "remind"
    assert "23 giờ 59 ngày 20/12/2020" in body


def test_reminder_for_over_quota_only(cfg: Config, now: datetime) -> None:
    unit = _unit(cfg, "cd_yte")
    names = (GROUP, *people(7))
    record = message("cd_yte", at(1), doc("to_trinh", names), doc("bien_ban"), doc("tom_tat", names))
    reminder = replies.reminder(unit, rules.assess(unit, [record], cfg), cfg, now, "T-3")
    body = reminder.get_content()
    assert "Còn thiếu" not in body
    assert ("(01 tập thể, 07 cá nhân) vượt chỉ tiêu 01 cá nhân "
            "(chỉ tiêu của đơn vị: tối đa 01 tập thể và 06 cá nhân)") in body
    assert "giảm danh sách cho đúng chỉ tiêu và gửi lại Tờ trình, Báo cáo tóm tắt thành tích" in body
    assert "hoàn thiện và gửi" not in body
    assert reminder["To"] == "congdoan.yte@example.vn"


def test_reminder_message_id_per_unit_and_slot(cfg: Config, now: datetime) -> None:
    unit = _unit(cfg)
    dossier = rules.assess(unit, [], cfg)
    ids = {replies.reminder(unit, dossier, cfg, now, slot)["Message-ID"] for slot in ("T-7", "T-3", "T-3")}
    assert len(ids) == 2


def test_reply_recipients_registered_sender(cfg: Config) -> None:
    record = replace(_partial(), findings=())
    assert replies.reply_recipients(record, _unit(cfg), _incoming()) == ([UNIT_ADDRESS], [])


# ------------------------------------------------------------------------------------ issue 21: replies that help


def test_names_in_the_body_without_files_are_asked_for_the_files(cfg: Config, now: datetime) -> None:
    """GIVEN a unit that types its nominees into the mail and attaches nothing
    THEN the reply names them, says they are not counted, and asks for the tờ trình, biên bản and tóm tắt."""
    words = ("Kính gửi LĐLĐ tỉnh,\nĐơn vị đề nghị khen thưởng như sau:\nCá nhân:\n"
             "1. Ông Lò Văn Pâng, Chủ tịch CĐCS;\n2. Bà Hoàng Thị Lan, Kế toán.\n\nTrân trọng.")
    mail = mime.parse(samples.eml(sender=UNIT_ADDRESS, subject="Đề nghị khen thưởng VHCS", body=words))
    _, body = _ack(cfg, now, message("tam_duong", at(1)), mail)
    assert "(Lò Văn Pâng, Hoàng Thị Lan) CHƯA được ghi nhận" in body
    assert ("gửi kèm tệp Tờ trình đề nghị khen thưởng, Biên bản họp xét và Báo cáo tóm tắt trích ngang thành tích"
            in body)
    assert "00 tập thể" not in body and "trong chỉ tiêu" not in body


def test_the_contact_table_is_shown_in_the_closing_line(cfg: Config, now: datetime) -> None:
    from bot.config.contact import Contact
    card = Contact(person="Lương Thị Hà", office="Ban Chính sách - Pháp luật", phone="0213 3876 123",
                   email="luonghaldld@gmail.com")
    with_card = replace(cfg, campaign=replace(cfg.campaign, contact=card.name, contact_card=card))
    _, body = _ack(with_card, now, _partial())
    assert ("Mọi thắc mắc xin liên hệ đồng chí Lương Thị Hà, Ban Chính sách - Pháp luật, điện thoại 0213 3876 123, "
            "thư điện tử luonghaldld@gmail.com.") in body


def test_files_that_could_not_be_read_are_not_called_listless(cfg: Config, now: datetime) -> None:
    record = message("tam_duong", at(1), doc("to_trinh", status=Finding.NEEDS_OCR))
    _, body = _ack(cfg, now, record)
    assert "2. Danh sách đề nghị khen thưởng: chưa đọc được từ các tệp đã nhận (xem mục 1)" in body
    assert "00 tập thể" not in body
