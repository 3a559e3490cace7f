"""bot.core.intake.decide with the relevance judgement: outcomes, counting, findings for staff."""

from __future__ import annotations

import pytest

from bot.config.schema import Config
from bot.core import intake
from bot.core.model import Finding, Outcome
from bot.message import mime
from tests import other_mail, samples
from tests.dossier_templates import docx_of

UNIT = "ldld.tamduong@example.vn"
STAFF = "vanphong.ldld@example.org"
QUOTE = "Vào 09:15 Th 3, 1 thg 12, 2020 LĐLĐ tỉnh <tonghop.ldld@example.org> đã viết:\n> Hệ thống đã nhận hồ sơ"


def _decide(cfg: Config, *, sender: str = UNIT, subject: str, body: str, files: tuple[str, ...] = (),
            in_thread: bool = False) -> intake.Decision:
    builders = {"report": other_mail.monthly_report_docx, "xsd": other_mail.xsd_to_trinh_docx,
                "yearend": other_mail.year_end_to_trinh_docx}
    attachments = [(f"{name}.docx", builders[name]("LĐLĐ huyện Tam Đường")) for name in files]
    mail = mime.parse(samples.eml(sender=sender, subject=subject, body=body, attachments=attachments))
    documents = [intake.read_document(a, cfg) for a in mail.attachments]
    return intake.decide(mail, documents, cfg, in_thread=in_thread)


@pytest.mark.parametrize(("subject", "body", "files", "thread", "outcome", "counted"), [
    ("Hỏi về hồ sơ khen thưởng VHCS 2020", "Biên bản có bắt buộc không?", (), False, Outcome.ACCEPTED, True),
    ("Báo cáo tình hình CNVCLĐ tháng 11/2020", "Gửi báo cáo.", ("report",), False, Outcome.OTHER_BUSINESS, False),
    ("Gửi tài liệu", "Kính gửi LĐLĐ tỉnh.", ("xsd",), False, Outcome.OTHER_CAMPAIGN, False),
    ("Gửi tờ trình", "Kính gửi LĐLĐ tỉnh.", ("yearend",), False, Outcome.OTHER_CAMPAIGN, False),
    ("Re: Hồ sơ", f"Cảm ơn anh chị!\n\n{QUOTE}", (), True, Outcome.THREAD_THANKS, False),
    ("Re: Hồ sơ", f"Xin hỏi đã đủ chưa ạ?\n\n{QUOTE}", (), True, Outcome.THREAD_FOLLOWUP, False),
    ("Re: Hồ sơ", "Gửi báo cáo tháng.", ("report",), True, Outcome.ACCEPTED, True),
])
def test_outcomes(cfg: Config, subject: str, body: str, files: tuple[str, ...], thread: bool,
                  outcome: Outcome, counted: bool) -> None:
    decision = _decide(cfg, subject=subject, body=body, files=files, in_thread=thread)
    assert (decision.outcome, decision.counted, decision.replies) == (outcome, counted, outcome == Outcome.ACCEPTED)
    assert decision.unit is not None and decision.unit.id == "tam_duong"


def test_a_question_in_the_thread_keeps_only_the_units_words(cfg: Config) -> None:
    decision = _decide(cfg, subject="Re: Hồ sơ", body=f"Xin hỏi đã đủ chưa ạ?\n\n{QUOTE}", in_thread=True)
    assert (decision.findings, decision.note) == ((), "Xin hỏi đã đủ chưa ạ?")


def test_an_unmarked_dossier_is_counted_and_flagged(cfg: Config) -> None:
    """Nothing names the plan, the movement or the year, but a unit sends a biên bản: counted, staff confirm."""
    minutes = docx_of(["BIÊN BẢN", "Họp xét thi đua, khen thưởng", "Hôm nay, Ban Thường vụ họp xét."])
    mail = mime.parse(samples.eml(sender=UNIT, subject="Gửi hồ sơ", body="Kính gửi LĐLĐ tỉnh.",
                                  attachments=[("Biên bản.docx", minutes)]))
    documents = [intake.read_document(a, cfg) for a in mail.attachments]
    decision = intake.decide(mail, documents, cfg)
    assert (documents[0].kind, decision.outcome, decision.counted) == ("bien_ban", Outcome.ACCEPTED, True)
    assert Finding.CAMPAIGN_UNSURE in decision.findings
    assert "không nêu kế hoạch" in decision.note


def test_a_document_of_another_movement_is_no_item_even_in_a_campaign_mail(cfg: Config) -> None:
    decision = _decide(cfg, subject="Hồ sơ khen thưởng VHCS 2020", body="Gửi hồ sơ.", files=("xsd",))
    assert (decision.outcome, decision.counted) == (Outcome.ACCEPTED, True)
    mail = mime.parse(samples.eml(sender=UNIT, subject="x", body="x", attachments=[
        ("xsd.docx", other_mail.xsd_to_trinh_docx("LĐLĐ huyện Tam Đường"))]))
    document = intake.read_document(mail.attachments[0], cfg)
    assert (document.kind, document.nominees) == ("other_campaign", ())
    assert "Xanh - Sạch - Đẹp" in document.reason


def test_staff_mail_about_something_else_is_not_counted(cfg: Config) -> None:
    original = samples.eml(sender=UNIT, subject="Báo cáo tình hình CNVCLĐ tháng 11/2020", body="Gửi báo cáo.",
                           attachments=[("bc.docx", other_mail.monthly_report_docx("LĐLĐ huyện Tam Đường"))])
    mail = mime.parse(samples.eml(sender=STAFF, subject="Fwd: Báo cáo tháng 11", body="Chuyển anh chị.",
                                  forward_of=original))
    decision = intake.decide(mail, [intake.read_document(a, cfg) for a in mail.attachments], cfg)
    assert (decision.outcome, decision.counted) == (Outcome.STAFF, False)
    assert "other_business" in decision.findings
