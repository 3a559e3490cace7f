"""The morning digest to staff before the deadline, as an ``EmailMessage``. Pure: values in, mail out.

What it shows is the decided picture (bot/core/picture.py: counts, units, the open review items) and what
changed since the last digest (bot/core/digest.py); the wording is the template digest.txt.j2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Config
from bot.core.digest import UnitChange
from bot.core.findings import words
from bot.core.model import DocStatus, DocumentRecord, MessageKey, MessageRecord, Nominee, Outcome, Verdict
from bot.core.picture import Picture, build
from bot.core.reply_keys import ReplyKey, ReplyKind
from bot.core.review import ReviewItem
from bot.core.status_table import mail_words
from bot.message import texts
from bot.message.replies import _envelope, _labels, attach_workbook, count_text, deadline_phrase, quota_text
from parsers.nominees import INDIVIDUAL

MAX_REVIEW_LINES = 30        # the rest is in the workbook's «Cần xem xét» sheet


@dataclass(frozen=True, slots=True)
class DigestContent:
    """Everything one digest shows, besides the config: the picture and what changed since the last one."""

    picture: Picture
    changes: Sequence[UnitChange]
    new_review: set[str]                  # keys of the open review items the last digest did not show
    since: datetime | None                # when the last digest was made (None: the first one)
    workbook: bytes
    workbook_name: str


def digest_key(cfg: Config, day_or_moment: str) -> ReplyKey:
    """The outbox idempotency key of the digest of one day (or of one manual send)."""
    return ReplyKey.digest(cfg.campaign.reference or cfg.campaign.name, day_or_moment)


def digest(content: DigestContent, now: datetime, key: ReplyKey) -> EmailMessage:
    """The digest mail to ``campaign.staff_emails``: the picture's counts and words (bot/core/picture.py)."""
    picture = content.picture
    cfg, counts = picture.cfg, picture.counts
    local = now.astimezone(cfg.campaign.tz)
    waiting = [item for item in picture.review.open if item.reason != Outcome.IN_SPAM]
    spam = [item for item in picture.review.open if item.reason == Outcome.IN_SPAM]
    subject = (f"Bản tin hồ sơ khen thưởng ngày {local:%d/%m/%Y}: {counts.complete}/{counts.units} đơn vị đủ hồ sơ,"
               f" {counts.open_review} việc chờ cán bộ")
    message = _envelope(cfg, key, subject, list(cfg.campaign.staff_emails), now)
    since = content.since.astimezone(cfg.campaign.tz) if content.since else None
    units = picture.units
    message.set_content(texts.render(
        cfg.paths.templates, texts.DIGEST, campaign_name=cfg.campaign.name, deadline=deadline_phrase(cfg),
        days_left=(cfg.campaign.deadline.astimezone(cfg.campaign.tz).date() - local.date()).days,
        generated=f"{local:%H:%M} ngày {local:%d/%m/%Y}", since=f"{since:%H:%M} ngày {since:%d/%m/%Y}" if since else "",
        unit_count=counts.units, counts=counts,
        complete=[u.name for u in units if u.verdict == Verdict.IN_ORDER],
        incomplete=[f"{u.name}: còn thiếu {_labels(u.dossier.missing, cfg)}" for u in units
                    if u.dossier.missing and u.verdict != Verdict.NOT_SUBMITTED],
        not_submitted=[u.name for u in units if u.verdict == Verdict.NOT_SUBMITTED],
        over_quota=[f"{u.name}: {count_text(u.dossier)} ({quota_text(u.dossier)})" for u in units
                    if u.dossier.over_quota],
        late=[u.name for u in units if u.dossier.late],
        changes=[_change(change, cfg) for change in content.changes],
        review=[_review_line(item, content.new_review, picture) for item in waiting[:MAX_REVIEW_LINES]],
        review_more=max(0, len(waiting) - MAX_REVIEW_LINES), review_count=counts.open_review,
        spam=[_review_line(item, content.new_review, picture) for item in spam],
        organization=cfg.campaign.organization, contact=cfg.campaign.contact, workbook_name=content.workbook_name))
    attach_workbook(message, content.workbook, content.workbook_name)
    return message


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


def _review_line(item: ReviewItem, new: set[str], picture: Picture) -> str:
    record = item.record
    unit = picture.unit(record.unit_id or "")
    text = f"{words(item.reason)} – {unit.name if unit else 'chưa rõ đơn vị'}, {mail_words(record, picture)}"
    if item.detail:
        text += f": {item.detail}"
    return ("(mới) " if item.key in new else "") + text


def preview(cfg: Config, now: datetime) -> list[EmailMessage]:
    """Digests from made-up data, so that ``mailbot check`` renders every branch of the template once."""
    unit = cfg.units[0]
    late = now - timedelta(days=1) if now > cfg.campaign.deadline else cfg.campaign.deadline + timedelta(hours=1)
    people = tuple(Nominee(INDIVIDUAL, f"Nguyễn Văn {letter}", "", "to_trinh.docx") for letter in "ABCDEFGHI")
    documents = (DocumentRecord("to_trinh.docx", ItemKind.TO_TRINH, "docx", DocStatus.OK, 1, "0", people),
                 DocumentRecord("scan.pdf", ItemKind.UNCLASSIFIED, "pdf", DocStatus.OK, 1, "1"))
    records = [MessageRecord(MessageKey("preview", 0, "1"), "<preview@mailbot>", "preview", late, "unit@example.org",
                             "", "Hồ sơ", unit.id, True, Outcome.ACCEPTED, (), documents),
               MessageRecord(MessageKey("preview", 0, "2"), "<spam@mailbot>", "spam", now, "unit@example.org",
                             "", "Hồ sơ", unit.id, False, Outcome.IN_SPAM)]
    full_picture = build(cfg, records, [])
    changes = [UnitChange(unit.id, 2, ("to_trinh",), ("Nguyễn Văn A",), ("Lò Văn B",))]
    full = DigestContent(full_picture, changes, {full_picture.review.open[0].key}, now, b"", "tally.xlsx")
    first = DigestContent(build(cfg, [], []), [], set(), None, b"", "tally.xlsx")
    return [digest(content, now, ReplyKey(ReplyKind.DIGEST, "preview")) for content in (full, first)]
