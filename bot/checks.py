"""``mailbot check``: is the config usable, can we log in to IMAP and SMTP? Plain words."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime

from bot import replies, texts
from bot.config import Config
from bot.inbox import SourceError, open_source
from bot.outbox import DeliveryError, _connect


def run_checks(cfg: Config) -> list[str]:
    lines = [f"OK   config {cfg.source}: {len(cfg.units)} units, deadline {cfg.campaign.deadline.isoformat()}",
             template_check(cfg)]
    source = open_source(cfg.mailbox)
    try:
        validity = source.open()
        lines.append(f"OK   mailbox {source.name} (UIDVALIDITY {validity})")
    except SourceError as exc:
        lines.append(f"FAIL mailbox: {exc}")
    finally:
        source.close()
    if cfg.smtp is None:
        lines.append("--   no [smtp] section: replies stay in outbox/pending")
        return lines
    try:
        with _connect(cfg.smtp) as smtp:
            smtp.noop()
        lines.append(f"OK   SMTP {cfg.smtp.host}:{cfg.smtp.port} as {cfg.smtp.user or '(no login)'}")
    except (DeliveryError, smtplib.SMTPException, OSError) as exc:
        lines.append(f"FAIL SMTP: {exc}")
    return lines


def template_check(cfg: Config) -> str:
    """Render every template once with made-up data: a typo shows here, not in a unit's mailbox."""
    folder = cfg.paths.templates or texts.SHIPPED
    try:
        replies.preview(cfg, datetime.now(UTC))
    except texts.TextError as exc:
        return f"FAIL templates: {exc}"
    return f"OK   templates in {folder}"
