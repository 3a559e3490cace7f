"""The morning digest to staff before the deadline, as an ``EmailMessage``. Pure: values in, mail out.

What it shows is worked out by the caller (bot/app/digest.py) from the ledger: the dossiers, what changed
since the last digest (bot/core/digest.py) and the review items; the wording is the template digest.txt.j2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage

from bot.config.schema import Config
from bot.core.digest import UnitChange, review_key
from bot.core.model import MessageKey, MessageRecord, Outcome, UnitDossier
from bot.core.reply_keys import ReplyKey, ReplyKind
from bot.core.views import ReviewItem
from bot.message import texts
from bot.message.replies import _envelope, _labels, attach_workbook, count_text, deadline_phrase, quota_text

MAX_REVIEW_LINES = 30        # the rest is in the workbook's «Cần xem xét» sheet


@dataclass(frozen=True, slots=True)
class DigestContent:
    """Everything one digest shows, besides the config."""

    dossiers: Sequence[UnitDossier]
    changes: Sequence[UnitChange]
    review: Sequence[ReviewItem]
    new_review: set[str]                  # review_key() of the items the last digest did not show
    since: datetime | None                # when the last digest was made (None: the first one)
    workbook: bytes
    workbook_name: str


def digest_key(cfg: Config, day_or_moment: str) -> ReplyKey:
    """The outbox idempotency key of the digest of one day (or of one manual send)."""
    return ReplyKey.digest(cfg.campaign.reference or cfg.campaign.name, day_or_moment)


def digest(content: DigestContent, cfg: Config, now: datetime, key: ReplyKey,
           words: Callable[[str], str]) -> EmailMessage:
    """The digest mail to ``campaign.staff_emails``; ``words`` gives a reason code's Vietnamese words."""
    local = now.astimezone(cfg.campaign.tz)
    dossiers = content.dossiers
    complete = sum(d.complete for d in dossiers)
    waiting = [item for item in content.review if item.reason != Outcome.IN_SPAM]
    spam = [item for item in content.review if item.reason == Outcome.IN_SPAM]
    subject = (f"Bản tin hồ sơ khen thưởng ngày {local:%d/%m/%Y}: {complete}/{len(dossiers)} đơn vị đủ hồ sơ,"
               f" {len(content.review)} việc chờ cán bộ")
    message = _envelope(cfg, key, subject, list(cfg.campaign.staff_emails), now)
    since = content.since.astimezone(cfg.campaign.tz) if content.since else None
    message.set_content(texts.render(
        cfg.paths.templates, texts.DIGEST, campaign_name=cfg.campaign.name, deadline=deadline_phrase(cfg),
        days_left=(cfg.campaign.deadline.astimezone(cfg.campaign.tz).date() - local.date()).days,
        generated=f"{local:%H:%M} ngày {local:%d/%m/%Y}", since=f"{since:%H:%M} ngày {since:%d/%m/%Y}" if since else "",
        unit_count=len(dossiers), complete=[_name(d, cfg) for d in dossiers if d.complete],
        incomplete=[_incomplete(d, cfg) for d in dossiers if not d.complete],
        over_quota=[f"{_name(d, cfg)}: {count_text(d)} ({quota_text(d)})" for d in dossiers if d.over_quota],
        late=[_name(d, cfg) for d in dossiers if d.late],
        changes=[_change(change, cfg) for change in content.changes],
        review=[_review_line(item, content.new_review, cfg, words) for item in waiting[:MAX_REVIEW_LINES]],
        review_more=max(0, len(waiting) - MAX_REVIEW_LINES), review_count=len(waiting),
        spam=[_review_line(item, content.new_review, cfg, words) for item in spam],
        organization=cfg.campaign.organization, contact=cfg.campaign.contact, workbook_name=content.workbook_name))
    attach_workbook(message, content.workbook, content.workbook_name)
    return message


def _name(dossier: UnitDossier, cfg: Config) -> str:
    unit = cfg.unit(dossier.unit_id)
    return unit.name if unit else dossier.unit_id


def _incomplete(dossier: UnitDossier, cfg: Config) -> str:
    if dossier.messages == 0:
        return f"{_name(dossier, cfg)}: chưa gửi thư nào"
    return f"{_name(dossier, cfg)}: còn thiếu {_labels(dossier.missing, cfg)}"


def _change(change: UnitChange, cfg: Config) -> dict[str, object]:
    lines = []
    if change.new_messages:
        lines.append(f"{change.new_messages} thư mới")
    if change.new_items:
        lines.append(f"nhận thêm {_labels(change.new_items, cfg)}")
    if change.added:
        lines.append(f"thêm vào danh sách: {', '.join(change.added)}")
    if change.removed:
        lines.append(f"không còn trong danh sách: {', '.join(change.removed)}")
    unit = cfg.unit(change.unit_id)
    return {"name": unit.name if unit else change.unit_id, "lines": lines}


def _review_line(item: ReviewItem, new: set[str], cfg: Config, words: Callable[[str], str]) -> str:
    record = item.record
    unit = cfg.unit(record.unit_id) if record.unit_id else None
    who = unit.name if unit else record.from_addr or "(không rõ người gửi)"
    when = record.received_at.astimezone(cfg.campaign.tz)
    text = f"{words(item.reason)} – {who}, {when:%d/%m %H:%M}"
    if record.subject:
        text += f", «{record.subject}»"
    if item.detail:
        text += f": {item.detail}"
    return ("(mới) " if review_key(item) in new else "") + text



def preview(cfg: Config, now: datetime) -> list[EmailMessage]:
    """Digests from made-up data, so that ``mailbot check`` renders every branch of the template once."""
    unit = cfg.units[0].id
    owing = UnitDossier(unit, ("to_trinh",), ("bien_ban",), (), 1, 9, 1, 4, True, True, now, 1, ())
    silent = UnitDossier(unit, (), ("to_trinh",), (), 0, 0, 1, 4, False, False, None, 0, ())
    record = MessageRecord(MessageKey("preview", 0, "1"), "<preview@mailbot>", "preview", now, "unit@example.org",
                           "", "Hồ sơ", unit, False, Outcome.IN_SPAM)
    review = [ReviewItem(record, str(Outcome.IN_SPAM), "tệp.docx"), ReviewItem(record, "unknown_sender")]
    changes = [UnitChange(unit, 2, ("to_trinh",), ("Nguyễn Văn A",), ("Lò Văn B",))]
    full = DigestContent([owing, silent, replace(silent, missing=())], changes, review, {review_key(review[0])},
                         now, b"", "tally.xlsx")
    first = replace(full, changes=[], review=[], since=None)
    return [digest(content, cfg, now, ReplyKey(ReplyKind.DIGEST, "preview"), str) for content in (full, first)]
