"""Before the deadline: one digest mail a day to ``campaign.staff_emails`` with the tally attached.

Sent once a day: the day's slot is recorded in the reminders table as (``_staff``, ``digest:<date>``),
together with the snapshot of what it showed (meta ``digest_snapshot``, for the next digest's «what
changed»), and queued under an idempotency key, so neither a restart nor a second ``remind`` sends it
again. ``mailbot digest`` sends one at once, outside the schedule. What it shows is the decided picture
(bot/core/picture.py), the same as ``status`` and the workbook.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from bot.app.context import StaffContext
from bot.core import digest as plan
from bot.core.reply_keys import ReplyKey
from bot.message import digest as compose

log = logging.getLogger(__name__)
SNAPSHOT = "digest_snapshot"


@dataclass(frozen=True, slots=True)
class Built:
    message: EmailMessage
    snapshot: plan.Snapshot


def digest_once(ctx: StaffContext, now: datetime, dry_run: bool = False) -> Path | str | None:
    """Queue (or, dry, describe) the day's digest when it is due and not sent yet; None otherwise."""
    due = plan.digest_due(ctx.base_cfg, now, ctx.ledger.reminders_sent())
    if not due:
        return None
    return _send(ctx, now, due[-1].day.isoformat(), [slot.id for slot in due], dry_run)


def digest_now(ctx: StaffContext, now: datetime, dry_run: bool = False) -> Path | str | None:
    """A digest at once (``mailbot digest``), whatever the schedule; it does not take the day's slot."""
    if not ctx.base_cfg.campaign.staff_emails:
        return None
    return _send(ctx, now, f"manual:{now.isoformat()}", [], dry_run)


def _send(ctx: StaffContext, now: datetime, name: str, slots: list[str], dry_run: bool) -> Path | str:
    cfg = ctx.base_cfg
    built = _build(ctx, now, compose.digest_key(cfg, name))
    if dry_run:
        body = built.message.get_body(("plain",))
        text = body.get_content() if body else ""
        return f"staff ({', '.join(cfg.campaign.staff_emails)}): {built.message['Subject']}\n{text}"
    path = ctx.outbox.enqueue(built.message, compose.digest_key(cfg, name))
    ctx.ledger.mark_reminded(plan.STAFF, slots, now, {SNAPSHOT: plan.to_json(built.snapshot)})
    log.info("staff digest queued for %s with %s attached", ", ".join(cfg.campaign.staff_emails), cfg.paths.tally.name)
    return path


def _build(ctx: StaffContext, now: datetime, key: ReplyKey) -> Built:
    from bot.app import workbook_decisions  # openpyxl: loaded only when a digest is made

    workbook_decisions.rewrite(ctx, now)
    picture = ctx.picture()
    workbook = workbook_decisions.copy_for_mail(ctx, picture, now)   # a read-only view: edits in it go nowhere
    before = plan.from_json(ctx.ledger.meta(SNAPSHOT))
    after = plan.take_snapshot(picture, now)
    content = compose.DigestContent(picture, plan.unit_changes(before, after),
                                    plan.new_review(before, picture.review.open),
                                    before.taken_at if before else None, workbook, picture.cfg.paths.tally.name)
    return Built(compose.digest(content, now, key), after)
