"""After the deadline: one summary mail to ``campaign.staff_emails`` with the tally workbook attached.

Sent once: recorded in the reminders table as (``_staff``, ``summary``) and queued under an idempotency
key, so neither a restart nor a second ``remind`` sends it again. Its counts are the picture's
(bot/core/picture.py), the same as ``status``, the workbook and the digest.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from bot.app.context import StaffContext
from bot.message import replies

log = logging.getLogger(__name__)
STAFF, SLOT = "_staff", "summary"


def summary_once(ctx: StaffContext, now: datetime, dry_run: bool = False) -> Path | str | None:
    """Queue (or, dry, describe) the staff summary when it is due; None when it is not."""
    cfg = ctx.base_cfg
    if now <= cfg.campaign.deadline or not cfg.campaign.staff_emails:  # `mailbot check` warns about the latter
        return None
    if (STAFF, SLOT) in ctx.ledger.reminders_sent():
        return None
    from bot.app import workbook_decisions  # openpyxl: loaded only when the summary is made

    workbook_decisions.rewrite(ctx, now)
    picture = ctx.picture()
    workbook = workbook_decisions.copy_for_mail(ctx, picture, now)   # a read-only view: edits in it go nowhere
    message = replies.summary(picture, now, workbook, cfg.paths.tally.name)
    if dry_run:
        body = message.get_body(("plain",))
        text = body.get_content() if body else ""
        return f"staff ({', '.join(cfg.campaign.staff_emails)}): {message['Subject']}\n{text}"
    path = ctx.outbox.enqueue(message, replies.summary_key(cfg))
    ctx.ledger.mark_reminded(STAFF, [SLOT], now)
    log.info("staff summary queued for %s with %s attached", ", ".join(cfg.campaign.staff_emails), cfg.paths.tally.name)
    return path

