"""Issue 21 points 1, 5 and 8, pure: purpose of a commendation, mixed evidence, follow-ups, unit requests."""

from __future__ import annotations

import pytest

from bot.config.markers import default_markers
from bot.config.schema import Config
from bot.core import followups, intake, requests
from bot.core.model import Finding, Outcome
from bot.core.purpose import foreign_purpose
from bot.core.requests import RequestKind
from bot.message import mime
from tests import clerk_samples, client_mail, samples
from tests.client_mail import Thread

NAME = "Sơ kết phong trào “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở” năm 2020"
MARKERS = default_markers(NAME, "199/KH-LĐLĐ", 2020)
MUONG_TE = "ldld.muongte@example.vn"
ISSUER = "LĐLĐ huyện Mường Tè"


@pytest.mark.parametrize(("text", "found"), [
    ("V/v đề nghị khen thưởng chuyên đề công tác An toàn, vệ sinh lao động năm 2020", "khen thưởng chuyên đề"),
    ("Về việc đề nghị khen thưởng đột xuất cho cá nhân", "khen thưởng đột xuất cho cá nhân"),
    ("Đề nghị khen thưởng quá trình cống hiến", "khen thưởng quá trình cống hiến"),
    ("Đề nghị khen thưởng nhân dịp kỷ niệm 30 năm ngày thành lập", "khen thưởng nhân dịp kỷ niệm 30"),
    ("V/v đề nghị tặng Bằng khen đột xuất cho đồng chí Lò Văn Thanh", "Bằng khen đột xuất cho đồng chí Lò Văn Thanh"),
    ("Đề nghị khen thưởng năm 2020", ""),
    ("Tờ trình đề nghị khen thưởng tập thể, cá nhân", ""),
    ("Đề nghị khen thưởng phong trào VHCS theo chuyên đề", ""),          # names this campaign
    ("Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở", ""),
])
def test_the_purpose_after_khen_thuong(text: str, found: str) -> None:
    assert foreign_purpose(text, MARKERS).startswith(found) if found else foreign_purpose(text, MARKERS) == ""


def test_a_campaign_of_that_purpose_keeps_its_own_words() -> None:
    """Next year's «khen thưởng chuyên đề ATVSLĐ» campaign is a new config: its purpose and movement are its own."""
    theirs = default_markers("Khen thưởng chuyên đề “An toàn, vệ sinh lao động” năm 2021", "12/KH-LĐLĐ", 2021)
    assert "chuyen de" in theirs.purposes
    assert "an toan ve sinh lao dong" not in theirs.other_campaigns
    assert foreign_purpose("V/v đề nghị khen thưởng chuyên đề công tác An toàn, vệ sinh lao động", theirs) == ""
    generic = default_markers("Đề nghị khen thưởng (bộ thử tài liệu thật)", "01/KH-THU", 2030)
    assert foreign_purpose("khen thưởng đột xuất", generic) == ""


def test_a_table_of_award_kinds_names_no_purpose() -> None:
    """A «Bảng tổng hợp» whose header lists every kind of award is no other campaign's document."""
    header = "\n".join(["BẢNG TỔNG HỢP HÌNH THỨC KHEN THƯỞNG NĂM 2022", "Khen thưởng chuyên đề, đột xuất",
                        "Khen thưởng niên hạn", "Khen thưởng đối ngoại", "Khen thưởng quá trình cống hiến"])
    assert foreign_purpose(header, MARKERS) == ""
    generic = default_markers("Đề nghị khen thưởng (bộ thử tài liệu thật)", "01/KH-THU", 2030)
    assert "atvsld" not in generic.other_campaigns and "atvsld" in MARKERS.other_campaigns


def _decide(cfg: Config, raw: bytes, *, in_thread: bool = False) -> tuple[intake.Decision, list[object]]:
    mail = mime.parse(raw)
    documents = [doc for a in mail.attachments for doc in intake.read_items(a, cfg)]
    return intake.decide(mail, documents, cfg, in_thread=in_thread), documents


@pytest.mark.parametrize("purpose", clerk_samples.OTHER_PURPOSES)
def test_another_purpose_is_another_campaign_even_with_the_year(cfg: Config, purpose: str) -> None:
    raw = samples.eml(sender=MUONG_TE, subject="Hồ sơ đề nghị khen thưởng năm 2020",
                      body="Kính gửi LĐLĐ tỉnh, đơn vị gửi hồ sơ đề nghị khen thưởng năm 2020.",
                      attachments=[("Tờ trình.docx", clerk_samples.purpose_to_trinh_docx(ISSUER, purpose))])
    decision, _ = _decide(cfg, raw)
    assert decision.outcome == Outcome.OTHER_CAMPAIGN, decision.note
    assert not decision.replies


def test_the_atvsld_dossier_is_not_counted(cfg: Config) -> None:
    raw = client_mail.outlook(sender=MUONG_TE, name=ISSUER, subject="Gửi hồ sơ đề nghị khen thưởng năm 2020",
                              words="Kính gửi LĐLĐ tỉnh. Đơn vị gửi hồ sơ.", when=samples.DEFAULT_DATE,
                              attachments=clerk_samples.atvsld_dossier(ISSUER))
    decision, documents = _decide(cfg, raw)
    assert decision.outcome == Outcome.OTHER_CAMPAIGN
    assert {d.kind for d in documents} == {"other_campaign"}  # type: ignore[attr-defined]


def test_mixed_evidence_goes_to_staff(cfg: Config) -> None:
    """GIVEN a mail naming VHCS with this campaign's tờ trình and the ATVSLĐ biên bản
    THEN it counts (acknowledged) and staff get the ATVSLĐ file as not counted (review ``other_campaign``)."""
    d = samples.SAMPLE_DOSSIERS["muong_te"]
    raw = client_mail.gmail(sender=MUONG_TE, name=ISSUER, subject="Hồ sơ khen thưởng VHCS 2020",
                            words="Đơn vị gửi hồ sơ.", when=samples.DEFAULT_DATE,
                            attachments=[("Tờ trình.docx", samples.to_trinh_docx(d)),
                                         ("Biên bản.docx", clerk_samples.atvsld_bien_ban_docx(ISSUER))])
    decision, documents = _decide(cfg, raw)
    assert (decision.outcome, decision.counted) == (Outcome.ACCEPTED, True)
    assert [d.kind for d in documents] == ["to_trinh", "other_campaign"]  # type: ignore[attr-defined]


def test_words_of_another_campaign_beside_this_campaigns_files_go_to_staff(cfg: Config) -> None:
    """GIVEN a mail «Hồ sơ khen thưởng chuyên đề ATVSLĐ» carrying this campaign's tờ trình (it names VHCS)
    THEN it counts and staff get ``campaign_mixed``: the mail says one thing, the documents another."""
    d = samples.SAMPLE_DOSSIERS["muong_te"]
    raw = client_mail.zimbra(sender=MUONG_TE, name=ISSUER, subject="Hồ sơ khen thưởng chuyên đề ATVSLĐ năm 2020",
                             words="Đơn vị gửi hồ sơ.", when=samples.DEFAULT_DATE,
                             attachments=[("Tờ trình.docx", samples.to_trinh_docx(d))])
    decision, _ = _decide(cfg, raw)
    assert (decision.outcome, decision.counted) == (Outcome.ACCEPTED, True)
    assert Finding.CAMPAIGN_MIXED in decision.findings
    assert "ATVSLĐ" in decision.note


def test_the_finance_report_is_other_business(cfg: Config) -> None:
    raw = client_mail.zimbra(sender=MUONG_TE, name=ISSUER, subject="Báo cáo thu, chi tài chính công đoàn năm 2020",
                             words="Kính gửi Ban Tài chính.", when=samples.DEFAULT_DATE,
                             attachments=[("Báo cáo tài chính 2020.docx", clerk_samples.finance_report_docx(ISSUER))])
    decision, documents = _decide(cfg, raw)
    assert decision.outcome == Outcome.OTHER_BUSINESS, decision.note
    assert documents[0].kind == "other_business"  # type: ignore[attr-defined]


QUOTED = "Kính gửi: Liên đoàn Lao động huyện Mường Tè,\nLĐLĐ tỉnh đã nhận được thư của đơn vị."


@pytest.mark.parametrize("client", sorted(client_mail.CLIENTS))
def test_a_reply_to_an_unknown_thread_goes_to_staff(cfg: Config, client: str) -> None:
    """A «Re:» whose Message-ID mailbot never saw, no document: a follow-up for staff, no reply."""
    thread = Thread("<old-ack@example.org>", "<old-ack@example.org>", QUOTED)
    raw = client_mail.CLIENTS[client](
        sender=MUONG_TE, name=ISSUER, subject="Re: Hồ sơ khen thưởng VHCS 2020", when=samples.DEFAULT_DATE,
        words="Đơn vị đã gửi đủ hồ sơ chưa ạ?\n\nTrân trọng,\nNguyễn Văn Bình\nĐT: 0912 345 678", thread=thread)
    decision, _ = _decide(cfg, raw)
    assert (decision.outcome, decision.replies) == (Outcome.THREAD_FOLLOWUP, False)
    assert decision.note == "Đơn vị đã gửi đủ hồ sơ chưa ạ?"


def test_a_reply_subject_with_a_quote_and_no_headers_is_a_reply() -> None:
    body = f"Cảm ơn ạ\n\n-----Original Message-----\nFrom: LĐLĐ tỉnh\nSent: Monday\n\n{QUOTED}"
    mail = mime.parse(samples.eml(sender=MUONG_TE, subject="TL: Hồ sơ", body=body))
    assert followups.is_reply(mail)
    assert not followups.is_reply(mime.parse(samples.eml(sender=MUONG_TE, subject="Re: Hồ sơ", body="Hỏi")))


@pytest.mark.parametrize(("words", "kinds"), [
    ("Kính mong LĐLĐ tỉnh xem xét, tạo điều kiện cho đơn vị.", {RequestKind.CONSIDERATION}),
    ("Đơn vị gửi chậm, kính mong Ban thông cảm.", {RequestKind.LATE}),
    ("Đề nghị Ban không tính vào đợt này.", {RequestKind.EXCLUDE}),
    ("Đơn vị xin gia hạn đến 25/12.", {RequestKind.EXTENSION}),
    ("Đơn vị xin rút hồ sơ đã gửi.", {RequestKind.WITHDRAW}),
    ("Biên bản đơn vị sẽ bổ sung sau.", {RequestKind.LATER}),
    ("Đơn vị xin thêm 01 suất cá nhân.", {RequestKind.CONSIDERATION}),
    ("Hồ sơ gửi trễ hạn do mất điện.", {RequestKind.LATE}),
    ("Kính đề nghị LĐLĐ tỉnh xem xét, khen thưởng.", set()),
    ("Hồ sơ được gửi sau khi Ban Thường vụ họp xét.", set()),
    ("Đơn vị gửi hồ sơ đề nghị khen thưởng phong trào VHCS năm 2020.", set()),
])
def test_requests_in_a_units_words(words: str, kinds: set[RequestKind]) -> None:
    found = requests.find(words)
    assert (set(found.kinds) if found else set()) == kinds


def test_a_request_beside_the_files_reaches_staff_and_the_ack_goes_out(cfg: Config) -> None:
    d = samples.SAMPLE_DOSSIERS["muong_te"]
    words = ("Kính gửi LĐLĐ tỉnh,\nĐơn vị gửi hồ sơ đề nghị khen thưởng VHCS 2020 (01 tập thể, 05 cá nhân), "
             "vượt chỉ tiêu 01 cá nhân, kính mong LĐLĐ tỉnh xem xét, tạo điều kiện.\nTrân trọng.\nVăn phòng")
    raw = client_mail.yahoo(sender=MUONG_TE, name=ISSUER, subject="Hồ sơ VHCS 2020", words=words,
                            when=samples.DEFAULT_DATE, attachments=samples.full_dossier(d))
    decision, _ = _decide(cfg, raw)
    assert decision.replies and Finding.UNIT_REQUEST in decision.findings
    assert "tạo điều kiện" in decision.note and "Văn phòng" not in decision.note


def test_a_request_about_another_campaign_reaches_staff(cfg: Config) -> None:
    raw = samples.eml(sender=MUONG_TE, subject="V/v hồ sơ khen thưởng chuyên đề ATVSLĐ",
                      body="Đơn vị gửi nhầm hồ sơ ATVSLĐ, đề nghị Ban không tính vào đợt này.")
    decision, _ = _decide(cfg, raw)
    assert (decision.outcome, decision.replies) == (Outcome.OTHER_CAMPAIGN, False)
    assert Finding.UNIT_REQUEST in decision.findings
    assert "không tính" in decision.note


def test_a_reply_with_a_drive_link_is_answered_that_links_are_not_counted(cfg: Config) -> None:
    thread = Thread("<old-ack@example.org>", "<old-ack@example.org>", QUOTED)
    raw = client_mail.gmail(sender=MUONG_TE, name=ISSUER, subject="Re: Hồ sơ khen thưởng VHCS 2020",
                            when=samples.DEFAULT_DATE, thread=thread,
                            words="Hồ sơ đơn vị để ở đây: https://drive.google.com/drive/folders/abc123")
    decision, _ = _decide(cfg, raw)
    assert (decision.outcome, decision.replies) == (Outcome.ACCEPTED, True)
    assert Finding.CLOUD_LINKS in decision.findings


@pytest.mark.parametrize(("body", "names"), [
    ("Đề nghị khen thưởng:\n- Tập thể: Công đoàn cơ sở Trường THCS Mường Khoa\n- Cá nhân: Ông Lò Văn Pâng, Chủ tịch",
     ("Công đoàn cơ sở Trường THCS Mường Khoa", "Lò Văn Pâng")),
    ("Cá nhân:\n1. Bà Hoàng Thị Lan, Kế toán;\n2. Ông Giàng A Chứ, Giáo viên.", ("Hoàng Thị Lan", "Giàng A Chứ")),
    ("Đơn vị hỏi về tập thể: có cần biên bản không?", ()),
    ("Kính gửi LĐLĐ tỉnh, đơn vị gửi hồ sơ.\n\nTrân trọng.", ()),
])
def test_names_typed_in_the_body(body: str, names: tuple[str, ...]) -> None:
    from bot.core.body_list import names_in_body
    assert names_in_body(body) == names
