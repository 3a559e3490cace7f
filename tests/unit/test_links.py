"""bot.core.links and the decision around them: cloud links are noted, never followed, never counted."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.config.schema import Config
from bot.core import intake, links, rules, views
from bot.core.model import Finding, MessageKey, MessageRecord, Outcome
from bot.message import mime, replies
from tests import samples

UNIT_ADDRESS = "ldld.tamduong@example.vn"


@pytest.mark.parametrize(("text", "service"), [
    ("https://drive.google.com/drive/folders/1AbC?usp=sharing", "Google Drive"),
    ("Link: https://docs.google.com/document/d/1x2y/edit.", "Google Docs"),
    ("https://1drv.ms/f/s!AhB3", "OneDrive"),
    ("1drv.ms/w/s!AhB3", "OneDrive"),
    ("https://ldld-my.sharepoint.com/:f:/g/personal/a/Eb", "SharePoint"),
    ("https://www.dropbox.com/scl/fo/abc/h?dl=0", "Dropbox"),
    ("https://www.fshare.vn/file/ABCDEF", "Fshare"),
    ("https://mega.nz/folder/abc#key", "Mega"),
    ("https://www.icloud.com/iclouddrive/0abc#Ho_so", "iCloud"),
    ("https://we.tl/t-AbCdEf", "WeTransfer"),
    ("https://app.box.com/s/abc123", "Box"),
    ("<a href=\"https://drive.google.com/file/d/1/view\">Hồ sơ</a>", "Google Drive"),
])
def test_cloud_services_are_recognised(text: str, service: str) -> None:
    found = links.cloud_links(text)
    assert [link.service for link in found] == [service]


@pytest.mark.parametrize("text", [
    "https://www.google.com/search?q=ho+so", "https://zalo.me/0912345678", "https://ldld.laichau.gov.vn/van-ban",
    "https://docs.google.com/forms/d/abc/viewform", "email: drive.google@example.vn", "https://www.facebook.com/x",
])
def test_other_links_are_not_cloud_files(text: str) -> None:
    assert links.cloud_links(text) == ()


def test_each_link_once_and_services_once() -> None:
    text = "https://drive.google.com/a https://drive.google.com/a https://drive.google.com/b https://1drv.ms/x"
    found = links.cloud_links(text)
    assert len(found) == 3 and links.services(found) == ["Google Drive", "OneDrive"]


def _record(cfg: Config, raw: bytes, now: datetime) -> tuple[MessageRecord, object]:
    mail = mime.parse(raw)
    documents = [doc for a in mail.attachments for doc in intake.read_items(a, cfg)]
    decision = intake.decide(mail, documents, cfg)
    record = MessageRecord(MessageKey("t", 1, "1"), mail.message_id, "d" * 64, now, mail.from_addr, "",
                           mail.subject, decision.unit.id if decision.unit else None, decision.counted,
                           decision.outcome, decision.findings, tuple(documents))
    return record, mail


def _reply_text(cfg: Config, record: MessageRecord, mail: object, now: datetime) -> str:
    unit = cfg.unit(record.unit_id or "")
    assert unit is not None
    message = replies.acknowledgement(mail, record, unit, rules.assess(unit, [record], cfg), cfg, now)  # type: ignore[arg-type]
    return message.get_content()


def test_a_links_only_message_is_told_and_goes_to_review(cfg: Config, now: datetime) -> None:
    raw = samples.eml(sender=UNIT_ADDRESS, subject="Hồ sơ khen thưởng",
                      body="Kính gửi Liên đoàn,\nHồ sơ tại: https://drive.google.com/drive/folders/1AbC\n")
    record, mail = _record(cfg, raw, now)
    assert record.outcome == Outcome.ACCEPTED and Finding.CLOUD_LINKS in record.findings
    text = _reply_text(cfg, record, mail, now)
    assert "Google Drive" in text and "CHƯA được tính" in text and "tệp đính kèm" in text
    reasons = [item.reason for item in views.review_items([record])]
    assert reasons == ["cloud_links"]


def test_links_with_attachments_count_the_attachments_and_say_so(cfg: Config, now: datetime) -> None:
    d = samples.SAMPLE_DOSSIERS["tam_duong"]
    raw = samples.eml(sender=UNIT_ADDRESS, subject="Hồ sơ", body="Bản scan: https://1drv.ms/f/s!AhB3\n",
                      attachments=[("To trinh.docx", samples.to_trinh_docx(d))])
    record, mail = _record(cfg, raw, now)
    assert [doc.kind for doc in record.documents] == ["to_trinh"]
    text = _reply_text(cfg, record, mail, now)
    assert "OneDrive" in text and "CHƯA được tính" in text and "«To trinh.docx»" in text


def test_a_message_without_links_says_nothing_about_them(cfg: Config, now: datetime) -> None:
    record, mail = _record(cfg, samples.eml(sender=UNIT_ADDRESS, subject="Hỏi", body="Xin hỏi hạn nộp?"), now)
    assert Finding.CLOUD_LINKS not in record.findings
    assert "đường dẫn" not in _reply_text(cfg, record, mail, now)
