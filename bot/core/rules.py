"""Dossier rules: merge a unit's messages, check completeness, quota, deadline; reminder slots.

Pure: every function takes the records, the config and ``now`` as arguments.

Merge rules (the same as the federation staff apply by hand):
- an item counts as received once any counted message carried a usable copy of it;
- the nominee list is the one of the latest counted message carrying a list document
  (tờ trình, tóm tắt, danh sách): a later dossier supersedes the earlier one as a whole;
  within that message the lists are merged, and ``lists_disagree`` is flagged when they differ;
  a nominee's achievements summary comes from whichever list has it (usually the tóm tắt);
- a newer list supersedes: a nominee in both keeps what only the older lists gave (achievements,
  position, workplace), and an older tóm tắt, danh sách or biên bản not sent again that still names
  someone the newer list dropped is flagged ``outdated_names`` (which file, which names);
- a message from an address that is not the unit's (``unverified_sender``, staff have not assigned it)
  never replaces a list the unit sent from its registered address: it waits for staff («chờ xác nhận»);
- late means a required item was first received after the deadline (server arrival time).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo

from bot.config.schema import Config, Unit
from bot.core.findings import UNIT_FLAGS_FROM_RECORDS
from bot.core.model import (
    DocStatus,
    DocumentRecord,
    Finding,
    ListDifference,
    MessageRecord,
    Nominee,
    OutdatedDocument,
    UnitDossier,
)
from parsers.nominees import COLLECTIVE, INDIVIDUAL
from parsers.text import name_key


def assess(unit: Unit, records: Sequence[MessageRecord], cfg: Config) -> UnitDossier:
    """The unit's dossier from all its messages (any order; sorted here by arrival)."""
    mine = sorted((r for r in records if r.counted and r.unit_id == unit.id), key=lambda r: r.received_at)
    first_seen = _first_received(mine)
    received = tuple(kind.id for kind in cfg.documents if kind.id in first_seen)
    missing = tuple(item for item in cfg.campaign.required if item not in first_seen)
    nominees, differences = _current_list(mine, cfg)
    outdated = outdated_documents(mine)
    collectives = sum(1 for n in nominees if n.kind == COLLECTIVE)
    individuals = sum(1 for n in nominees if n.kind == INDIVIDUAL)
    over = collectives > unit.quota.collectives or individuals > unit.quota.individuals
    late = any(first_seen[item] > cfg.campaign.deadline for item in cfg.campaign.required if item in first_seen)
    flags = _flags(mine, over=over, late=late, disagree=bool(differences), outdated=bool(outdated))
    return UnitDossier(
        unit_id=unit.id, received=received, missing=missing, nominees=tuple(nominees),
        collectives=collectives, individuals=individuals,
        quota_collectives=unit.quota.collectives, quota_individuals=unit.quota.individuals,
        over_quota=over, late=late, last_message_at=mine[-1].received_at if mine else None,
        messages=len(mine), flags=flags, disagreements=tuple(describe(differences)),
        differences=tuple(differences), outdated=tuple(outdated),
    )


def assess_all(records: Sequence[MessageRecord], cfg: Config) -> list[UnitDossier]:
    return [assess(unit, records, cfg) for unit in cfg.units]


def _first_received(records: list[MessageRecord]) -> dict[str, datetime]:
    first: dict[str, datetime] = {}
    for record in records:
        for doc in record.documents:
            if doc.counts_as_received and doc.kind not in first:
                first[doc.kind] = record.received_at
    return first


def _list_documents(record: MessageRecord, cfg: Config) -> list[DocumentRecord]:
    listing = {kind.id for kind in cfg.documents if kind.lists_nominees}
    return [doc for doc in record.documents if doc.kind in listing and doc.status == DocStatus.OK and doc.nominees]


def _current_list(records: list[MessageRecord], cfg: Config) -> tuple[list[Nominee], list[ListDifference]]:
    listing = _listing_records(records, lambda r: bool(_list_documents(r, cfg)))
    for index in range(len(listing) - 1, -1, -1):
        docs = _list_documents(listing[index], cfg)
        if docs:
            nominees, differences = _merge_lists(docs)
            earlier = [n for r in listing[:index] for d in _list_documents(r, cfg) for n in d.nominees]
            return _keep_details(nominees, earlier), differences
    return [], []


def _listing_records(records: list[MessageRecord], lists: Callable[[MessageRecord], bool]) -> list[MessageRecord]:
    """The records a list may come from: the verified ones when any of them brought a list."""
    verified = [r for r in records if not awaits_confirmation(r)]
    return verified if any(lists(r) for r in verified) else records


def _keep_details(nominees: list[Nominee], earlier: Sequence[Nominee]) -> list[Nominee]:
    """A nominee the newer list names again keeps the achievements, position and workplace only an older
    list gave (a new tờ trình «thay thế bản trước» comes without the tóm tắt sent before)."""
    before: dict[str, Nominee] = {}
    for older in earlier:
        known = before.setdefault(name_key(older.name), older)
        before[name_key(older.name)] = _filled(known, older)
    out = []
    for nominee in nominees:
        found = before.get(name_key(nominee.name))
        out.append(_filled(nominee, found) if found is not None and found.kind == nominee.kind else nominee)
    return out


def _filled(nominee: Nominee, other: Nominee) -> Nominee:
    """``nominee`` with what it lacks (achievements, position, workplace) taken from ``other``."""
    return replace(nominee, achievements=nominee.achievements or other.achievements,
                   position=nominee.position or other.position, workplace=nominee.workplace or other.workplace)


def outdated_documents(records: Sequence[MessageRecord]) -> list[OutdatedDocument]:
    """Older documents of one unit that the latest list left behind: not sent again (no later document of
    the same kind), still naming someone an earlier list proposed and the latest one does not."""
    mine = sorted((r for r in records if r.counted), key=lambda r: r.received_at)
    listing = _listing_records(mine, _has_list)
    latest = next((i for i in range(len(listing) - 1, -1, -1) if _has_list(listing[i])), None)
    if latest is None or latest == 0:
        return []
    current = {name_key(n.name) for d in listing[latest].documents if d.status == DocStatus.OK for n in d.nominees}
    dropped = {name_key(n.name) for r in listing[:latest] for d in r.documents if d.status == DocStatus.OK
               for n in d.nominees} - current
    if not dropped:
        return []
    out = []
    for index, record in enumerate(listing[:latest]):
        later_kinds = {d.kind for r in listing[index + 1:] for d in r.documents if d.counts_as_received}
        for doc in record.documents:
            if doc.kind in later_kinds or doc.status != DocStatus.OK:
                continue
            names = tuple(dict.fromkeys(name for name in _names(doc) if name_key(name) in dropped))
            if names:
                out.append(OutdatedDocument(doc.filename, record.received_at, names, record.digest))
    return out


def _has_list(record: MessageRecord) -> bool:
    return any(doc.status == DocStatus.OK and doc.nominees for doc in record.documents)


def _names(doc: DocumentRecord) -> list[str]:
    """Who a document names: its nominees, and the people a biên bản's vote table voted on."""
    votes = [vote.name for vote in doc.meeting.votes] if doc.meeting else []
    return [*(n.name for n in doc.nominees), *votes]


def describe_outdated(outdated: Sequence[OutdatedDocument], tz: tzinfo) -> list[str]:
    """«Tóm tắt.docx (gửi ngày 01/12/2020): còn tên Giàng A Chứ»."""
    return [f"«{o.filename}» (gửi ngày {o.received_at.astimezone(tz):%d/%m/%Y}): còn tên {', '.join(o.names)}"
            for o in outdated]


def awaits_confirmation(record: MessageRecord) -> bool:
    """Mail from an address that is not the unit's, not yet assigned by staff («chờ xác nhận»)."""
    return Finding.UNVERIFIED_SENDER in record.findings


def _merge_lists(docs: list[DocumentRecord]) -> tuple[list[Nominee], list[ListDifference]]:
    merged: dict[str, Nominee] = {}
    for doc in docs:
        for nominee in doc.nominees:
            key = name_key(nominee.name)
            first = merged.setdefault(key, nominee)
            if not first.achievements and nominee.achievements:
                merged[key] = replace(first, achievements=nominee.achievements)
    return list(merged.values()), list_differences(docs)


def list_differences(docs: Sequence[DocumentRecord]) -> list[ListDifference]:
    """Who is named by some of these lists and not by the others (documents without nominees ignored)."""
    lists = [(doc.filename, {name_key(n.name): n for n in doc.nominees}) for doc in docs if doc.nominees]
    if len(lists) < 2:
        return []
    differences = []
    seen: set[str] = set()
    for _, names in lists:
        for key, nominee in names.items():
            if key in seen:
                continue
            seen.add(key)
            present = tuple(file for file, other in lists if key in other)
            if len(present) < len(lists):
                absent = tuple(file for file, other in lists if key not in other)
                differences.append(ListDifference(nominee.name, nominee.kind, present, absent))
    return differences


def describe(differences: Sequence[ListDifference]) -> list[str]:
    """One line per list that lacks someone: «Tờ trình.docx: không có Lù Thị Ngoan, Giàng A Chứ»."""
    lacking: dict[str, list[str]] = {}
    for difference in differences:
        for filename in difference.missing_from:
            lacking.setdefault(filename, []).append(difference.name)
    return [f"{filename}: không có {', '.join(names)}" for filename, names in lacking.items()]


def _flags(records: list[MessageRecord], *, over: bool, late: bool, disagree: bool,
           outdated: bool = False) -> tuple[str, ...]:
    flags: list[str] = []
    if over:
        flags.append(Finding.OVER_QUOTA)
    if late:
        flags.append(Finding.LATE)
    if disagree:
        flags.append(Finding.LISTS_DISAGREE)
    if outdated:
        flags.append(Finding.OUTDATED_NAMES)
    seen: set[str] = {finding for record in records for finding in record.findings}
    seen |= {doc.status for record in records for doc in record.documents}
    seen |= {w for record in records for doc in record.documents for w in doc.warnings}
    flags.extend(code for code in UNIT_FLAGS_FROM_RECORDS if code in seen)
    return tuple(str(flag) for flag in flags)


@dataclass(frozen=True, slots=True)
class ReminderSlot:
    id: str                # "T-3"
    at: datetime


def reminder_slots(cfg: Config) -> list[ReminderSlot]:
    """One slot per ``days_before`` at ``reminders.time`` local time, counted back from the deadline day."""
    tz = cfg.campaign.tz
    deadline_day = cfg.campaign.deadline.astimezone(tz).date()
    slots = []
    for days in cfg.reminders.days_before:
        at = datetime.combine(deadline_day - timedelta(days=days), cfg.reminders.time, tzinfo=tz)
        slots.append(ReminderSlot(id=f"T-{days}", at=at))
    return sorted(slots, key=lambda slot: slot.at)


def due_slots(cfg: Config, now: datetime) -> list[ReminderSlot]:
    """Slots whose time has come, while the deadline has not passed."""
    if now > cfg.campaign.deadline:
        return []
    return [slot for slot in reminder_slots(cfg) if slot.at <= now]


def reminders_due(dossiers: Sequence[UnitDossier], due: Sequence[ReminderSlot],
                  sent: set[tuple[str, str]]) -> list[tuple[UnitDossier, list[ReminderSlot]]]:
    """Units that owe something and have not been reminded for any slot now due: one mail each."""
    if not due:
        return []
    out = []
    for dossier in dossiers:
        if dossier.owes_something and (dossier.unit_id, due[-1].id) not in sent:
            out.append((dossier, [slot for slot in due if (dossier.unit_id, slot.id) not in sent]))
    return out
