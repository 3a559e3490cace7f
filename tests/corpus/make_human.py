"""Writes tests/corpus/human/vi_*.eml: real-looking unit messages (Vietnamese) that must never be judged
automated. Run once: python tests/corpus/make_human.py tests/corpus/human (the files are committed)."""
import sys
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

OUT = Path(sys.argv[1])
TZ = timezone(timedelta(hours=7))
ACK = ("Kính gửi Liên đoàn Lao động huyện Tam Đường,\n\nHệ thống đã nhận thư của đơn vị lúc 09:12 ngày 14/12/2020.\n"
       "Đã nhận: Tờ trình, Biên bản họp xét.\nCòn thiếu: Tóm tắt thành tích.\nHạn nộp: 23:59 ngày 20/12/2020.\n\n"
       "Đây là thư trả lời tự động của hệ thống tiếp nhận hồ sơ; đơn vị không cần trả lời thư này. "
       "Mọi thắc mắc xin liên hệ 0213.3876.xxx.")
BOUNCE = ("Delivery has failed to these recipients or groups:\n\nvanphong.ldld@laichau.gov.vn\n"
          "The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try "
          "to resend the message.\n\nDiagnostic information for administrators:\n"
          "Generating server: mail.laichau.gov.vn\n"
          "vanphong.ldld@laichau.gov.vn\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##")


def mail(name, subject, body, *, sender="ldld.tamduong@example.vn", html=None, attach=(), extra=None, when=0):
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = f"LĐLĐ huyện Tam Đường <{sender}>"
    m["To"] = "tonghop.ldld@example.org"
    m["Subject"] = subject
    m["Date"] = format_datetime(datetime(2020, 12, 14, 9, 0, tzinfo=TZ) + timedelta(minutes=when))
    m["Message-ID"] = f"<{name}.{when}@mail.example.vn>"
    for key, value in (extra or {}).items():
        m[key] = value
    m.set_content(body)
    if html:
        m.add_alternative(html, subtype="html")
    for filename, data, maintype, subtype in attach:
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    (OUT / f"{name}.eml").write_bytes(m.as_bytes())


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\0" * 60
mail("vi_cam_on_gmail_quote", "Re: Hồ sơ đề nghị khen thưởng văn hóa công sở",
     "Cảm ơn Ban tổ chức ạ.\n\nVào Th 2, 14 thg 12, 2020 vào lúc 09:12 Tổng hợp LĐLĐ tỉnh <\n"
     "tonghop.ldld@example.org> đã viết:\n\n"
     + "\n".join("> " + line for line in ACK.split("\n")), extra={"In-Reply-To": "<ack-1@mailbot>"}, when=30)
mail("vi_cam_on_outlook_quote", "RE: Hồ sơ đề nghị khen thưởng",
     "Đơn vị xin cảm ơn.\n\nFrom: Tổng hợp LĐLĐ tỉnh <tonghop.ldld@example.org>\n"
     "Sent: Monday, December 14, 2020 9:12 AM\n"
     "To: ldld.tamduong@example.vn\nSubject: Re: Hồ sơ đề nghị khen thưởng\n\n" + ACK, when=31)
mail("vi_cam_on_unmarked_quote", "Re: Hồ sơ",
     "cảm ơn\n\n" + ACK, when=32)
mail("vi_dossier_attachments", "Hồ sơ đề nghị khen thưởng sơ kết phong trào văn hóa công sở",
     "Kính gửi: Liên đoàn Lao động tỉnh\n\nLĐLĐ huyện Tam Đường gửi hồ sơ đề nghị khen thưởng gồm tờ trình, biên bản "
     "họp xét và tóm tắt thành tích.\n\nTrân trọng./.",
     attach=[("To trinh de nghi khen thuong.pdf", PDF, "application", "pdf"),
             ("Bien ban hop xet.docx", DOCX, "application",
              "vnd.openxmlformats-officedocument.wordprocessingml.document")], when=40)
mail("vi_forwarded_dossier", "Fwd: Hồ sơ khen thưởng LĐLĐ huyện Tam Đường",
     "Gửi lại hồ sơ ạ.\n\n---------- Forwarded message ---------\n"
     "From: LĐLĐ huyện Tam Đường <ldld.tamduong@example.vn>\n"
     "Date: Fri, Dec 11, 2020 at 4:05 PM\nSubject: Hồ sơ khen thưởng LĐLĐ huyện Tam Đường\n"
     "To: <vanphong.ldld@example.org>\n\n"
     "Kính gửi Văn phòng LĐLĐ tỉnh, đơn vị gửi hồ sơ đề nghị khen thưởng.",
     attach=[("Tom tat thanh tich.pdf", PDF, "application", "pdf")], when=50)
mail("vi_quoting_a_bounce_inline", "Gửi lại hồ sơ khen thưởng (lần trước bị trả về)",
     "Kính gửi LĐLĐ tỉnh,\nLần trước đơn vị gửi vào địa chỉ văn phòng thì nhận được thông báo sau nên nay gửi lại vào "
     "hộp thư tổng hợp:\n\n" + BOUNCE + "\n\nTrân trọng.",
     attach=[("To trinh.pdf", PDF, "application", "pdf")], when=60)
mail("vi_quoting_a_bounce_fwd", "Fwd: Undeliverable: Hồ sơ đề nghị khen thưởng",
     "Đơn vị gửi lại hồ sơ do thư trước không đến được.\n\n---------- Forwarded message ---------\n"
     "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@laichau.gov.vn>\n"
     "Date: Mon, Dec 14, 2020 at 8:01 AM\nSubject: Undeliverable: Hồ sơ đề nghị khen thưởng\n\n" + BOUNCE,
     attach=[("Bien ban.pdf", PDF, "application", "pdf")], when=70)
mail("vi_question_staff_away", "Hỏi về thủ tục nộp hồ sơ",
     "Kính gửi Ban Tổ chức,\nđồng chí phụ trách của đơn vị đang đi công tác đến 18/12, đơn vị xin hỏi có thể nộp bản "
     "scan trước được không?\nXin cảm ơn.", when=80)
mail("vi_html_webmail", "Bổ sung tóm tắt thành tích",
     "Kính gửi LĐLĐ tỉnh, đơn vị bổ sung tóm tắt thành tích.",
     html="<html><body><div>Kính gửi LĐLĐ tỉnh,</div><div>Đơn vị bổ sung <b>tóm tắt thành tích</b>.</div>"
          "<div>Trân trọng!</div></body></html>",
     attach=[("Tom tat.pdf", PDF, "application", "pdf")], when=90)
mail("vi_unaccented", "Ho so khen thuong LDLD Tam Duong",
     "Kinh gui LDLD tinh, don vi gui ho so de nghi khen thuong. Tran trong.",
     attach=[("hoso.pdf", PDF, "application", "pdf")], when=100)
mail("vi_read_receipt_requested", "Tờ trình đề nghị khen thưởng",
     "Kính gửi LĐLĐ tỉnh, đơn vị gửi tờ trình.", extra={"Disposition-Notification-To": "ldld.tamduong@example.vn",
     "X-Mailer": "Microsoft Outlook 16.0"}, attach=[("To trinh.pdf", PDF, "application", "pdf")], when=110)
mail("vi_outlook_suppress_header", "Biên bản họp xét khen thưởng",
     "Kính gửi LĐLĐ tỉnh, đơn vị gửi biên bản họp xét.", extra={"X-Auto-Response-Suppress": "All",
     "Thread-Topic": "Biên bản họp xét khen thưởng"}, attach=[("Bien ban.pdf", PDF, "application", "pdf")], when=120)
mail("vi_short_thanks", "Re: Re: Hồ sơ", "Dạ vâng ạ, em cảm ơn!", when=130)
mail("vi_no_words", "Hồ sơ", "", attach=[("hoso.pdf", PDF, "application", "pdf")], when=140)
mail("vi_english_words_in_letter", "Hồ sơ khen thưởng - bản cuối",
     "Kính gửi LĐLĐ tỉnh,\nbản trước gửi bị lỗi (mail delivery failed, 550 5.1.1 user unknown) nên gửi lại bản cuối.\n"
     "Trân trọng.", attach=[("hoso.pdf", PDF, "application", "pdf")], when=150)

outer = EmailMessage(policy=policy.SMTP)
outer["From"] = "LĐLĐ huyện Tam Đường <ldld.tamduong@example.vn>"
outer["To"] = "tonghop.ldld@example.org"
outer["Subject"] = "Thư báo lỗi khi gửi hồ sơ - nhờ văn phòng kiểm tra"
outer["Date"] = format_datetime(datetime(2020, 12, 14, 11, 0, tzinfo=TZ))
outer["Message-ID"] = "<vi_bounce_attached@mail.example.vn>"
outer.set_content("Kính gửi văn phòng,\nđơn vị nhận được thư báo lỗi đính kèm khi gửi hồ sơ, nhờ văn phòng kiểm tra "
                  "giúp. Hồ sơ đơn vị gửi kèm thư này.\nTrân trọng.")
bounce = (OUT.parent / "automated" / "flufl_postfix_01.eml").read_bytes()
outer.add_attachment(message_from_bytes(bounce, policy=policy.SMTP))
outer.add_attachment(PDF, maintype="application", subtype="pdf", filename="To trinh.pdf")
(OUT / "vi_bounce_attached_with_dossier.eml").write_bytes(outer.as_bytes())
