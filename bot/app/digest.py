"""Before the deadline: one digest mail a day to ``campaign.staff_emails`` with the tally attached.

Sent once a day: the day's slot is recorded in the reminders table as (``_staff``, ``digest:<date>``),
together with the snapshot of what it showed (meta ``digest_snapshot``, for the next digest's «what
changed»), and queued under an idempotency key, so neither a restart nor a second ``remind`` sends it
again. ``mailbot digest`` sends one at once, outside the schedule.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from bot.app.pipeline import Runner
from bot.core import digest as plan
from bot.core import rules
from bot.core.reply_keys import ReplyKey
from bot.core.views import review_items
from bot.message import digest as compose
from bot.workbook.wording import reason_words

log = logging.getLogger(__name__)
SNAPSHOT = "digest_snapshot"


@dataclass(frozen=True, slots=True)
class Built:
    message: EmailMessage
    snapshot: plan.Snapshot


def digest_once(runner: Runner, now: datetime, dry_run: bool = False) -> Path | str | None:
    """Queue (or, dry, describe) the day's digest when it is due and not sent yet; None otherwise."""
    due = plan.digest_due(runner.cfg, now, runner.ledger.reminders_sent())
    if not due:
        return None
    return _send(runner, now, due[-1].day.isoformat(), [slot.id for slot in due], dry_run)


def digest_now(runner: Runner, now: datetime, dry_run: bool = False) -> Path | str | None:
    """A digest at once (``mailbot digest``), whatever the schedule; it does not take the day's slot."""
    if not runner.cfg.campaign.staff_emails:
        return None
    return _send(runner, now, f"manual:{now.isoformat()}", [], dry_run)


def _send(runner: Runner, now: datetime, name: str, slots: list[str], dry_run: bool) -> Path | str:
    cfg = runner.cfg
    built = _build(runner, now, compose.digest_key(cfg, name))
    if dry_run:
        body = built.message.get_body(("plain",))
        text = body.get_content() if body else ""
        return f"staff ({', '.join(cfg.campaign.staff_emails)}): {built.message['Subject']}\n{text}"
    path = runner.outbox.enqueue(built.message, compose.digest_key(cfg, name))
    runner.ledger.mark_reminded(plan.STAFF, slots, now, {SNAPSHOT: plan.to_json(built.snapshot)})
    log.info("staff digest queued for %s with %s attached", ", ".join(cfg.campaign.staff_emails), cfg.paths.tally.name)
    return path


def _build(runner: Runner, now: datetime, key: ReplyKey) -> Built:
    cfg = runner.cfg
    records = runner.ledger.records()
    workbook = _workbook_copy(runner, now)
    dossiers = rules.assess_all(records, cfg)
    review = review_items(records)
    before = plan.from_json(runner.ledger.meta(SNAPSHOT))
    after = plan.take_snapshot(records, dossiers, review, now)
    content = compose.DigestContent(dossiers, plan.unit_changes(before, after), review, plan.new_review(before, review),
                                    before.taken_at if before else None, workbook, cfg.paths.tally.name)
    return Built(compose.digest(content, cfg, now, key, reason_words), after)


def _workbook_copy(runner: Runner, now: datetime) -> bytes:
    """The workbook as a read-only view to attach (edits in a mailed copy go nowhere: it says so)."""
    from bot.app.workbook_decisions import copy_for_mail  # openpyxl only when a mail needs it

    return copy_for_mail(runner, now)
