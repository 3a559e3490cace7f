"""Staff decisions applied to the stored messages, purely: records and decisions in, records out.

Every derived view (rules.assess, views, the workbook, the export, reminders, replies) reads the
records this module returns, so each of them follows every decision. The ledger's rows are never
changed: undoing a decision (it is then simply not passed in) restores the earlier verdict.

- assign: the message counts for the unit (outcome ``accepted``, staff vouched for the sender);
- ignore: the message does not count (outcome ``ignored_by_staff``): its items and nominees go;
- receive: a record of its own (outcome ``received_other_way``) carrying the item, dated the day
  it arrived (midnight local time, so an item handed in on the deadline day is on time);
- kind: the file's dossier item is the one staff name;
- nominee: in the unit's counted documents, the nominee (matched by normalised name) is renamed,
  of the other kind, or removed. Decisions apply in the order they were made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, time

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Config
from bot.core.decisions import DecisionKind, StaffDecision
from bot.core.model import DocStatus, DocumentRecord, Finding, MessageKey, MessageRecord, Nominee, Outcome, Reply
from parsers.text import name_key

DECISION_SOURCE = "decision"     # MessageKey.source of an item received another way
_MESSAGE_KINDS = (DecisionKind.ASSIGN, DecisionKind.IGNORE, DecisionKind.KIND)


def apply(records: Sequence[MessageRecord], decisions: Iterable[StaffDecision], cfg: Config) -> list[MessageRecord]:
    """The records as staff decided them (arrival order kept); ``records`` are not changed."""
    active = sorted((d for d in decisions if d.active), key=lambda d: d.id)
    if not active:
        return list(records)
    by_message: dict[str, list[StaffDecision]] = {}
    for decision in active:
        if decision.kind in _MESSAGE_KINDS:
            by_message.setdefault(decision.message_id, []).append(decision)
    out = [_message(record, by_message.get(record.message_id, ())) if record.message_id else record
           for record in records]
    out += [received_record(d, cfg) for d in active if d.kind == DecisionKind.RECEIVE]
    corrections = [d for d in active if d.kind == DecisionKind.NOMINEE]
    if corrections:
        out = [_nominees(record, corrections) for record in out]
    return sorted(out, key=lambda r: r.received_at)


def _message(record: MessageRecord, decisions: Sequence[StaffDecision]) -> MessageRecord:
    if record.outcome == Outcome.DUPLICATE:
        return record       # the copy counts where it was first processed
    for decision in decisions:
        findings = tuple(f for f in record.findings if f != Finding.DECIDED_BY_STAFF)
        if decision.kind == DecisionKind.ASSIGN:
            vouched = tuple(f for f in findings if f != Finding.UNVERIFIED_SENDER)
            record = replace(record, unit_id=decision.unit_id, counted=True, outcome=Outcome.ACCEPTED,
                             findings=(*vouched, Finding.DECIDED_BY_STAFF))
        elif decision.kind == DecisionKind.IGNORE:
            record = replace(record, counted=False, outcome=Outcome.IGNORED,
                             findings=(*findings, Finding.DECIDED_BY_STAFF))
        else:
            record = replace(record, documents=tuple(_kind(doc, decision) for doc in record.documents))
    return record


def _kind(doc: DocumentRecord, decision: StaffDecision) -> DocumentRecord:
    if doc.filename != decision.filename:
        return doc
    return replace(doc, kind=ItemKind(decision.item), confidence=1.0,
                   reason=f"cán bộ xác định (quyết định #{decision.id})")


def received_record(decision: StaffDecision, cfg: Config) -> MessageRecord:
    """The item received another way, as a counted record of the unit."""
    tz = cfg.campaign.tz
    day = decision.on or decision.at.astimezone(tz).date()
    arrived = datetime.combine(day, time(0, 0), tzinfo=tz)
    spec = cfg.doc_kind(decision.item)
    label = spec.label if spec else decision.item
    document = DocumentRecord(
        filename=f"Bản giấy: {label}", kind=ItemKind(decision.item), format="paper", status=DocStatus.OK, size=0,
        sha256="", detail=decision.note, confidence=1.0, reason=f"cán bộ ghi nhận (quyết định #{decision.id})")
    return MessageRecord(
        key=MessageKey(DECISION_SOURCE, 0, str(decision.id)), message_id="", digest=f"decision:{decision.id}",
        received_at=arrived, from_addr="", from_name=decision.by,
        subject=f"Nhận {label} bằng đường khác" + (f": {decision.note}" if decision.note else ""),
        unit_id=decision.unit_id, counted=True, outcome=Outcome.RECEIVED_OTHER_WAY,
        findings=(Finding.DECIDED_BY_STAFF,), documents=(document,), reply=Reply.none(Outcome.RECEIVED_OTHER_WAY),
        processed_at=decision.at)


def _nominees(record: MessageRecord, corrections: Sequence[StaffDecision]) -> MessageRecord:
    mine = [d for d in corrections if d.unit_id == record.unit_id]
    if not mine or not record.counted or not any(doc.nominees for doc in record.documents):
        return record
    documents = []
    for doc in record.documents:
        nominees = list(doc.nominees)
        for decision in mine:
            nominees = _correct(nominees, decision)
        documents.append(replace(doc, nominees=tuple(nominees)) if nominees != list(doc.nominees) else doc)
    return replace(record, documents=tuple(documents))


def _correct(nominees: list[Nominee], decision: StaffDecision) -> list[Nominee]:
    key = name_key(decision.name)
    out = []
    for nominee in nominees:
        if name_key(nominee.name) != key:
            out.append(nominee)
        elif not decision.remove:
            out.append(replace(nominee, name=decision.new_name or nominee.name, kind=decision.new_kind or nominee.kind))
    return out


def remembered(decisions: Iterable[StaffDecision]) -> dict[str, tuple[str, ...]]:
    """Unit id -> the sender addresses staff asked to remember as the unit's."""
    out: dict[str, tuple[str, ...]] = {}
    for d in sorted((d for d in decisions if d.active), key=lambda d: d.id):
        address = d.address.casefold()
        if d.kind == DecisionKind.ASSIGN and d.remember and address and address not in out.get(d.unit_id, ()):
            out[d.unit_id] = (*out.get(d.unit_id, ()), address)
    return out


def with_remembered(cfg: Config, decisions: Iterable[StaffDecision]) -> Config:
    """The config with each remembered address added to its unit's emails (the file is not touched)."""
    extra = remembered(decisions)
    if not extra:
        return cfg
    units = tuple(replace(u, emails=(*u.emails, *(a for a in extra.get(u.id, ()) if a not in u.emails)))
                  for u in cfg.units)
    return replace(cfg, units=units)
