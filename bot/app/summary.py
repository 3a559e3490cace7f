"""After the deadline: one summary mail to ``campaign.staff_emails`` with the tally workbook attached.

Sent once: recorded in the reminders table as (``_staff``, ``summary``) and queued under an idempotency
key, so neither a restart nor a second ``remind`` sends it again.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from bot.app import decided
from bot.app.pipeline import Runner
from bot.core import rules
from bot.core.views import status_object
from bot.message import replies

log = logging.getLogger(__name__)
STAFF, SLOT = "_staff", "summary"


def summary_once(runner: Runner, now: datetime, dry_run: bool = False) -> Path | str | None:
    """Queue (or, dry, describe) the staff summary when it is due; None when it is not."""
    cfg = runner.cfg
    if now <= cfg.campaign.deadline or not cfg.campaign.staff_emails:  # `mailbot check` warns about the latter
        return None
    if (STAFF, SLOT) in runner.ledger.reminders_sent():
        return None
    records = decided.records(runner.ledger, runner.cfg)
    workbook = _workbook_copy(runner, now)
    review = len(status_object(cfg, records)["needs_review"])
    message = replies.summary(rules.assess_all(records, cfg), review, cfg, now, workbook, cfg.paths.tally.name)
    if dry_run:
        body = message.get_body(("plain",))
        text = body.get_content() if body else ""
        return f"staff ({', '.join(cfg.campaign.staff_emails)}): {message['Subject']}\n{text}"
    path = runner.outbox.enqueue(message, replies.summary_key(cfg))
    runner.ledger.mark_reminded(STAFF, [SLOT], now)
    log.info("staff summary queued for %s with %s attached", ", ".join(cfg.campaign.staff_emails), cfg.paths.tally.name)
    return path


def _workbook_copy(runner: Runner, now: datetime) -> bytes:
    """The workbook as a read-only view to attach (edits in a mailed copy go nowhere: it says so)."""
    from bot.app.workbook_decisions import copy_for_mail  # openpyxl only when a mail needs it

    return copy_for_mail(runner, now)
