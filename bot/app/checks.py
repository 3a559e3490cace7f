"""``mailbot check``: is the config usable, which document readers are here, can we log in to IMAP and
SMTP? Plain words."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime

from bot.app.readers import reader_lines
from bot.config.schema import Config
from bot.errors import DeliveryError, SourceError, TextError
from bot.message import digest, replies, texts
from bot.transport.inbox import ImapSource, open_source, open_sources
from bot.transport.outbox import probe


def run_checks(cfg: Config) -> list[str]:
    lines = [f"OK   config {cfg.source}: {len(cfg.units)} units, deadline {cfg.campaign.deadline.isoformat()}",
             template_check(cfg), *reader_lines(cfg)]
    if not cfg.campaign.staff_emails:
        lines.append("--   campaign.staff_emails is empty: no digest before the deadline, no summary after it")
    source = open_source(cfg.mailbox)
    try:
        validity = source.open()
        lines.append(f"OK   mailbox {source.name} (UIDVALIDITY {validity})")
        if isinstance(source, ImapSource):
            lines += imap_features(source)
    except SourceError as exc:
        lines.append(f"FAIL mailbox: {exc}")
        return [*lines, *smtp_check(cfg)]
    finally:
        source.close()
    return [*lines, *folder_checks(cfg), *smtp_check(cfg)]


def folder_checks(cfg: Config) -> list[str]:
    """The folders after the first and the spam folder: a missing one is a warning, not a failure."""
    lines = []
    for source in open_sources(cfg.mailbox)[1:]:
        what = "spam folder (reported to staff, never answered)" if source.spam else "folder"
        try:
            source.open()
            lines.append(f"OK   {what} «{source.folder}»")
        except SourceError as exc:
            lines.append(f"--   {what}: {exc}")
        finally:
            source.close()
    return lines


def smtp_check(cfg: Config) -> list[str]:
    lines: list[str] = []
    if cfg.smtp is None:
        lines.append("--   no [smtp] section: replies stay in outbox/pending")
        return lines
    try:
        probe(cfg.smtp)
        lines.append(f"OK   SMTP {cfg.smtp.host}:{cfg.smtp.port} as {cfg.smtp.user or '(no login)'}")
    except (DeliveryError, smtplib.SMTPException, OSError) as exc:
        lines.append(f"FAIL SMTP: {exc}")
    return lines


def template_check(cfg: Config) -> str:
    """Render every template once with made-up data: a typo shows here, not in a unit's mailbox."""
    folder = cfg.paths.templates or texts.SHIPPED
    try:
        replies.preview(cfg, datetime.now(UTC))
        digest.preview(cfg, datetime.now(UTC))
    except TextError as exc:
        return f"FAIL templates: {exc}"
    return f"OK   templates in {folder}"


def imap_features(source: ImapSource) -> list[str]:
    """What ``run`` will do with this server: IDLE or polling, Gmail label or IMAP keyword."""
    cfg = source.cfg
    lines = []
    if cfg.idle:
        lines.append("OK   IMAP IDLE available" if source.can_idle() else
                     f"--   the server offers no IDLE: run polls every {cfg.poll_minutes} min")
    if cfg.mark_processed:
        mark = f"Gmail label «{cfg.label}»" if source.is_gmail() else f"IMAP keyword {cfg.keyword}"
        lines.append(f"OK   processed mail is marked with the {mark}")
    return lines
