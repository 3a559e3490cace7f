"""The ledger as staff decided it, and what a decision owes a unit (its late acknowledgement).

Every staff surface reads :func:`picture` (status, the tally, the export, reminders, the digest, the
summary); the poll's acknowledgements read :func:`unit_records`; both follow every stored decision
(bot/core/corrections.py applies them, purely).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.config.schema import Config
from bot.core import corrections, rules
from bot.core.decision_checks import find_message
from bot.core.decisions import DecisionKind, StaffDecision
from bot.core.model import MessageRecord, Outcome
from bot.core.picture import Picture, build
from bot.core.reply_keys import ReplyKey
from bot.message import mime, replies
from bot.state.ledger import Ledger
from bot.transport.outbox import Outbox

log = logging.getLogger(__name__)
# Mail that never gets a reply, whoever it is counted for (staff's own mail included: staff know).
_NO_REPLY = frozenset({Outcome.AUTO_REPLY, Outcome.BOUNCE, Outcome.READ_RECEIPT, Outcome.MAILING_LIST,
                       Outcome.OWN_REPLY, Outcome.DUPLICATE, Outcome.STAFF, Outcome.TOO_LARGE})


def picture(ledger: Ledger, cfg: Config) -> Picture:
    """The decided picture (bot/core/picture.py): the ledger read once, every decision applied."""
    return build(cfg, ledger.records(), ledger.decisions.all())


def records(ledger: Ledger, cfg: Config) -> list[MessageRecord]:
    """Every message with the active decisions applied."""
    return corrections.apply(ledger.records(), ledger.decisions.active(), cfg)


def unit_records(ledger: Ledger, cfg: Config, unit_id: str) -> list[MessageRecord]:
    """One unit's messages as decided: its own rows (kept between calls) plus what decisions touch."""
    decisions = ledger.decisions.active()
    if not decisions:
        return ledger.records(unit_id)
    touched = {d.message_id for d in decisions if d.message_id}
    extra = ledger.records_of(sorted(touched))
    own = ledger.records(unit_id)
    keys = {r.key for r in own}
    applied = corrections.apply([*own, *(r for r in extra if r.key not in keys)], decisions, cfg)
    return [r for r in applied if r.unit_id == unit_id]


def effective_config(ledger: Ledger, cfg: Config) -> Config:
    """The config with the addresses staff asked to remember (``assign --remember``)."""
    return corrections.with_remembered(cfg, ledger.decisions.active())


def late_acknowledgements(ledger: Ledger, outbox: Outbox, cfg: Config, now: datetime) -> list[str]:
    """Queue the acknowledgement each assigned message should have had; once per message, ever."""
    decisions = [d for d in ledger.decisions.active() if d.kind == DecisionKind.ASSIGN]
    pending = [d for d in decisions if not ledger.decisions.acknowledged(d.message_id)]
    if not pending:
        return []
    stored = ledger.records()
    decided = corrections.apply(stored, ledger.decisions.active(), cfg)
    queued = []
    for decision in pending:
        path = _acknowledge(ledger, outbox, cfg, decision, stored, decided, now)
        if path:
            queued.append(path)
    return queued


def _acknowledge(ledger: Ledger, outbox: Outbox, cfg: Config, decision: StaffDecision,
                 stored: Sequence[MessageRecord], decided: Sequence[MessageRecord], now: datetime) -> str:
    original = find_message(stored, decision.message_id)
    record = find_message(decided, decision.message_id)
    unit = cfg.unit(decision.unit_id)
    if original is None or record is None or unit is None or record.unit_id != unit.id:
        return ""       # superseded by a later decision, or the message is gone: nothing owed now
    if original.outcome in _NO_REPLY or original.reply.sent:
        ledger.decisions.mark_acknowledged(decision.message_id, unit.id, decision.id, now, "")
        return ""       # it had its reply already, or is mail that never gets one
    raw_path = cfg.paths.state_dir / "mail" / f"{original.digest}.eml"
    try:
        mail = mime.parse(raw_path.read_bytes())
    except OSError as exc:
        log.warning("no acknowledgement for %s: its archived copy cannot be read (%s)", decision.message_id, exc)
        return ""
    dossier = rules.assess(unit, decided, cfg)
    sender = mail.from_addr.casefold()
    newly_remembered = decision.remember and decision.address == sender
    cc = [] if sender in {a.casefold() for a in unit.emails} and not newly_remembered else [
        a for a in unit.emails if a.casefold() != sender]      # the unit's registered address hears of it
    message = replies.acknowledgement(mail, record, unit, dossier, cfg, now, to=[mail.from_addr], cc=cc)
    path = outbox.enqueue(message, ReplyKey.late_ack(decision.message_id))
    ledger.decisions.mark_acknowledged(decision.message_id, unit.id, decision.id, now, path.name)
    log.info("late acknowledgement for %s (decision #%d) queued: %s", decision.message_id, decision.id, path.name)
    return path.name
