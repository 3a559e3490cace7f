"""The mail a page shows: a unit's mail a page at a time, review items with the unit's own words and
files, one mail's headers and text. The archived .eml is parsed only for what a page shows; mail HTML
is never rendered (the text part, or the HTML turned into text by the parser, is shown as text)."""

from __future__ import annotations

import logging
from email import policy
from email.parser import BytesHeaderParser
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.decisions import StaffDecision
from bot.core.model import DocStatus, IncomingMail, MessageRecord
from bot.core.views import ReviewItem
from bot.message import mime
from bot.state import mail_pages
from bot.web import files, views
from bot.web.picture import DoneItem, Picture

if TYPE_CHECKING:
    from bot.config.schema import Config
    from bot.core.model import DocumentRecord
    from bot.web.console import Console

log = logging.getLogger(__name__)
WORDS_SHOWN = 700       # characters of a unit's own words on Cần xem xét


SHOWN_HEADERS = ("From", "To", "Cc", "Reply-To", "Date", "Subject", "Message-ID")


@lru_cache(maxsize=256)
def _parsed(path: str) -> tuple[IncomingMail, tuple[tuple[str, str], ...]] | None:
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return None
    top = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    shown: list[tuple[str, str]] = []
    for name in SHOWN_HEADERS:
        try:
            shown.extend((name, str(value)) for value in top.get_all(name, []))
        except (ValueError, IndexError, TypeError):   # a header the stdlib cannot parse: shown as it came
            shown.extend((name, str(value)) for value in top.raw_items() if value[0].casefold() == name.casefold())
    return mime.parse(raw), tuple(shown)


def archived(console: Console, record: MessageRecord) -> IncomingMail | None:
    parsed = _parsed(str(console.cfg.paths.state_dir / "mail" / f"{record.digest}.eml"))
    return parsed[0] if parsed else None


def file_of(record: MessageRecord, name: str, cfg: Config) -> tuple[DocumentRecord, Path] | None:
    return files.downloadable(record, name, cfg)


def _files(record: MessageRecord, row: int | None, cfg: Config) -> list[dict[str, Any]]:
    out, seen = [], set()
    for doc in record.documents:
        if doc.filename in seen:
            continue
        seen.add(doc.filename)
        blocked = files.is_executable(doc)
        out.append({"name": doc.filename, "kind": views.label(doc.kind, cfg), "kind_code": doc.kind,
                    "status": "" if doc.status == DocStatus.OK else views.reason_text(doc.status),
                    "blocked": blocked, "url": "" if blocked or row is None or not doc.archive_path
                    else f"/thu/{row}/tep/{views_quote(doc.filename)}"})
    return out


def views_quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _mail_row(console: Console, record: MessageRecord, row: int | None, cfg: Config) -> dict[str, Any]:
    reply, reply_class = views.reply_state(record, console.outbox)
    return {"row": row, "date": views.local(record.received_at, cfg), "sender": record.from_addr,
            "sender_name": record.from_name, "subject": record.subject or "(không có tiêu đề)",
            "outcome": views.outcome_text(record), "counted": record.counted, "reply": reply,
            "reply_class": reply_class, "files": _files(record, row, cfg), "message_id": record.message_id}


def unit_mails(console: Console, picture: Picture, unit_id: str, limit: int,
               offset: int) -> tuple[list[dict[str, Any]], int]:
    """A page of the unit's mail as decided (newest pages first, oldest first within the page), and the
    total: read from the picture, so mail a decision counts for the unit is on its page."""
    mine = picture.unit_mail.get(unit_id, [])
    page = mine[offset:offset + limit][::-1]
    rows = mail_pages.row_numbers(console.ledger, [r.key for r in page])
    return [_mail_row(console, r, rows.get(r.key), picture.cfg) for r in page], len(mine)


def _own_words(console: Console, record: MessageRecord) -> str:
    if record.note:
        return record.note
    mail = archived(console, record)
    text = " ".join((mail.body if mail else "").split())
    return text[:WORDS_SHOWN] + ("…" if len(text) > WORDS_SHOWN else "")


def review_rows(console: Console, picture: Picture, items: list[ReviewItem]) -> list[dict[str, Any]]:
    rows = mail_pages.row_numbers(console.ledger, [i.record.key for i in items])
    out = []
    for item in items:
        record = item.record
        unit = picture.cfg.unit(record.unit_id) if record.unit_id else None
        out.append({**_mail_row(console, record, rows.get(record.key), picture.cfg),
                    "reason": views.reason_text(item.reason), "reason_code": item.reason,
                    "detail": views.staff_text(item.detail), "unit": unit.name if unit else "",
                    "unit_id": record.unit_id or "", "words": _own_words(console, record),
                    "actions": [{"kind": a.kind, "filename": a.filename} for a in views.actions_for(item)]})
    return out


def done_rows(console: Console, picture: Picture, done: list[DoneItem]) -> list[dict[str, Any]]:
    rows = mail_pages.row_numbers(console.ledger, [d.item.record.key for d in done])
    return [{"row": rows.get(d.item.record.key), "subject": d.item.record.subject or "(không có tiêu đề)",
             "sender": d.item.record.from_addr, "reason": views.reason_text(d.item.reason),
             "decision": views.decision_row(d.decision, picture.cfg, d.item.record)} for d in done]


def decision_rows(console: Console, picture: Picture, decisions: list[StaffDecision]) -> list[dict[str, Any]]:
    """The decisions in words, each with a link to the mail it is about."""
    mails = {d.id: picture.mail(d.message_id) for d in decisions}
    rows = mail_pages.row_numbers(console.ledger, [m.key for m in mails.values() if m is not None])
    out = []
    for decision in decisions:
        mail = mails[decision.id]
        out.append(views.decision_row(decision, picture.cfg, mail, rows.get(mail.key) if mail else None))
    return out


def unit_decisions(picture: Picture, unit_id: str) -> list[StaffDecision]:
    """The unit's decisions, newest first: those naming it, and those about mail it sent."""
    mine = []
    for decision in reversed(picture.decisions):
        mail = picture.mail(decision.message_id) if not decision.unit_id else None
        if decision.unit_id == unit_id or (mail is not None and mail.unit_id == unit_id):
            mine.append(decision)
    return mine


def one_mail(console: Console, picture: Picture, row: int) -> dict[str, Any] | None:
    stored = mail_pages.message_at(console.ledger, row)
    if stored is None:
        return None
    record = next((r for r in picture.records if r.key == stored.key), stored)   # as decided
    parsed = _parsed(str(console.cfg.paths.state_dir / "mail" / f"{stored.digest}.eml"))
    unit = picture.cfg.unit(record.unit_id) if record.unit_id else None
    return {**_mail_row(console, record, row, picture.cfg), "unit": unit.name if unit else "",
            "unit_id": record.unit_id or "", "headers": list(parsed[1]) if parsed else [],
            "body": parsed[0].body if parsed else "", "archived": parsed is not None}
