"""Staff forwarding a unit's dossier: the unit is acknowledged (To: the unit, Cc: staff), inline or attached."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.config.schema import Config
from bot.core import forwards, intake, rules
from bot.core.model import Finding, MessageKey, MessageRecord, Outcome
from bot.message import mime, replies
from tests import samples

UNIT_ADDRESS = "ldld.tamduong@example.vn"
STAFF_ADDRESS = "vanphong.ldld@example.org"


@pytest.mark.parametrize("body", [
    "Chuyển hồ sơ.\n\n---------- Forwarded message ---------\nFrom: LĐLĐ Tam Đường <LDLD.TamDuong@example.vn>\n"
    "Date: Mon, 30 Nov 2020\nSubject: Hồ sơ\n",
    "---------- Thư đã chuyển tiếp ---------\nTừ: LĐLĐ Tam Đường <ldld.tamduong@example.vn>\nNgày: 30/11\n",
    "<div>---------- Forwarded message ---------<br>From: <strong>LĐLĐ</strong> "
    "<span>&lt;ldld.tamduong@example.vn&gt;</span><br>Date: x</div>",
    "Begin forwarded message:\n\nFrom: LĐLĐ <ldld.tamduong@example.vn>\n",
    "________________________________\nFrom: LĐLĐ [mailto:ldld.tamduong@example.vn]\nSent: Monday\n",
    "> -------- Forwarded Message --------\n> Subject: Hồ sơ\n> Date: x\n> From: ldld.tamduong@example.vn\n",
])
def test_inline_forwards_name_their_sender(body: str) -> None:
    assert forwards.inline_senders(body) == ("ldld.tamduong@example.vn",)


def test_a_from_line_without_a_forward_separator_names_nobody() -> None:
    assert forwards.inline_senders("From: ldld.tamduong@example.vn\nHồ sơ gửi kèm.") == ()


def _decided(cfg: Config, raw: bytes) -> tuple[intake.Decision, object]:
    mail = mime.parse(raw)
    documents = [doc for a in mail.attachments for doc in intake.read_items(a, cfg)]
    return intake.decide(mail, documents, cfg), mail


def _dossier() -> list[tuple[str, bytes]]:
    return [("To trinh.docx", samples.to_trinh_docx(samples.SAMPLE_DOSSIERS["tam_duong"]))]


def _inline_forward(attachments: list[tuple[str, bytes]]) -> bytes:
    body = ("Chuyển hồ sơ của LĐLĐ huyện Tam Đường.\n\n---------- Forwarded message ---------\n"
            f"From: LĐLĐ huyện Tam Đường <{UNIT_ADDRESS}>\nDate: Mon, 30 Nov 2020\nSubject: Hồ sơ\n")
    return samples.eml(sender=STAFF_ADDRESS, subject="Fwd: Hồ sơ khen thưởng", body=body,
                       attachments=attachments, message_id="<fwd.1@example.org>")


def test_a_staff_inline_forward_is_acknowledged_to_the_unit(cfg: Config, now: datetime) -> None:
    decision, mail = _decided(cfg, _inline_forward(_dossier()))
    assert decision.outcome == Outcome.STAFF and decision.unit is not None and decision.unit.id == "tam_duong"
    assert decision.counted and decision.replies and Finding.FORWARDED_BY_STAFF in decision.findings
    record = MessageRecord(MessageKey("t", 1, "1"), mail.message_id, "f" * 64, now, STAFF_ADDRESS, "",  # type: ignore[attr-defined]
                           "Fwd", "tam_duong", True, decision.outcome, decision.findings)
    unit = decision.unit
    to, cc = replies.reply_recipients(record, unit, mail)  # type: ignore[arg-type]
    assert (to, cc) == ([UNIT_ADDRESS], [STAFF_ADDRESS])
    reply = replies.acknowledgement(mail, record, unit, rules.assess(unit, [record], cfg), cfg, now,  # type: ignore[arg-type]
                                    to=to, cc=cc)
    assert reply["To"] == UNIT_ADDRESS and reply["Cc"] == STAFF_ADDRESS
    assert reply["In-Reply-To"] == "<fwd.1@example.org>"
    assert "chuyển tiếp" in reply.get_content()


def test_a_staff_attached_forward_is_acknowledged_to_the_unit(cfg: Config) -> None:
    original = samples.eml(sender=UNIT_ADDRESS, subject="Hồ sơ", attachments=_dossier())
    decision, _ = _decided(cfg, samples.eml(sender=STAFF_ADDRESS, subject="Fwd: Hồ sơ", forward_of=original))
    assert decision.outcome == Outcome.STAFF and decision.replies and decision.unit is not None


def test_a_staff_forward_without_documents_or_from_elsewhere_gets_no_reply(cfg: Config) -> None:
    decision, _ = _decided(cfg, _inline_forward([]))
    assert decision.outcome == Outcome.STAFF and not decision.replies
    stranger = samples.eml(sender=STAFF_ADDRESS, subject="Fwd", attachments=_dossier(),
                           body="---------- Forwarded message ---------\nFrom: someone <a@gmail.com>\n")
    decision, _ = _decided(cfg, stranger)
    assert decision.outcome == Outcome.STAFF and decision.counted and not decision.replies  # named by its documents


def test_an_inline_from_line_vouches_for_nobody_outside_staff(cfg: Config) -> None:
    raw = samples.eml(sender="someone@gmail.com", subject="Hồ sơ", attachments=(),
                      body=f"---------- Forwarded message ---------\nFrom: <{UNIT_ADDRESS}>\n")
    decision, _ = _decided(cfg, raw)
    assert decision.outcome == Outcome.UNKNOWN_SENDER and not decision.replies
