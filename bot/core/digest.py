"""The staff digest before the deadline: its daily slots and «what changed» between two snapshots. Pure.

A snapshot is what the last digest showed (per unit: its messages, items received, nominees; the review
items); the next digest lists the difference. The snapshot travels as JSON through the ledger's meta table,
so the difference survives a restart; a missing or unreadable one means «since the start».
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.config.schema import Config
from bot.core.picture import Picture
from bot.core.review import ReviewItem

STAFF = "_staff"                 # the reminders-table "unit" of mail to staff (as the summary)


@dataclass(frozen=True, slots=True)
class DigestSlot:
    day: date                    # one slot per local day
    at: datetime

    @property
    def id(self) -> str:
        """``digest:2020-12-13``: the slot as the ledger's reminders table records it."""
        return f"digest:{self.day.isoformat()}"


def digest_slots(cfg: Config) -> list[DigestSlot]:
    """Each chosen weekday from ``digest.days`` days before the deadline day to that day, at ``digest.time``."""
    tz = cfg.campaign.tz
    last = cfg.campaign.deadline.astimezone(tz).date()
    slots = []
    for back in range(cfg.digest.days, -1, -1):
        day = last - timedelta(days=back)
        at = datetime.combine(day, cfg.digest.time, tzinfo=tz)
        if day.weekday() in cfg.digest.weekdays and at <= cfg.campaign.deadline:
            slots.append(DigestSlot(day, at))
    return slots


def digest_due(cfg: Config, now: datetime, sent: set[tuple[str, str]]) -> list[DigestSlot]:
    """The slots to record when a digest is due now (the latest slot passed is unsent), else [].

    Slots missed while mailbot was down are recorded with it: one mail, never one per missed day.
    """
    if not cfg.digest.enabled or not cfg.campaign.staff_emails or now > cfg.campaign.deadline:
        return []
    passed = [slot for slot in digest_slots(cfg) if slot.at <= now]
    if not passed or (STAFF, passed[-1].id) in sent:
        return []
    return [slot for slot in passed if (STAFF, slot.id) not in sent]


@dataclass(frozen=True, slots=True)
class UnitSnapshot:
    messages: tuple[str, ...] = ()     # content hashes of the unit's counted mail (decisions applied)
    received: tuple[str, ...] = ()     # dossier item ids
    nominees: tuple[str, ...] = ()     # names as read


@dataclass(frozen=True, slots=True)
class Snapshot:
    taken_at: datetime | None = None
    units: dict[str, UnitSnapshot] = field(default_factory=dict)
    review: tuple[str, ...] = ()       # review_key() of each item waiting for staff


def review_key(item: ReviewItem) -> str:
    """One review line's identity across digests (its message, reason and detail)."""
    return item.key


def take_snapshot(picture: Picture, now: datetime) -> Snapshot:
    """What a digest shows of the picture: each unit's counted mail, items and nominees; the open review."""
    units = {unit.id: UnitSnapshot(tuple(r.digest for r in unit.mails), unit.dossier.received,
                                   tuple(n.name for n in unit.dossier.nominees))
             for unit in picture.units}
    return Snapshot(now, units, tuple(item.key for item in picture.review.open))


def to_json(snapshot: Snapshot) -> str:
    return json.dumps({
        "taken_at": snapshot.taken_at.isoformat() if snapshot.taken_at else None,
        "units": {uid: {"messages": list(u.messages), "received": list(u.received), "nominees": list(u.nominees)}
                  for uid, u in snapshot.units.items()},
        "review": list(snapshot.review)}, ensure_ascii=False)


def from_json(text: str | None) -> Snapshot | None:
    """The stored snapshot; None when there is none or it cannot be read (the digest then starts afresh)."""
    if not text:
        return None
    try:
        data = json.loads(text)
        units = {str(uid): UnitSnapshot(tuple(u["messages"]), tuple(u["received"]), tuple(u["nominees"]))
                 for uid, u in data["units"].items()}
        taken = datetime.fromisoformat(data["taken_at"]) if data.get("taken_at") else None
        return Snapshot(taken, units, tuple(data["review"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


@dataclass(frozen=True, slots=True)
class UnitChange:
    unit_id: str
    new_messages: int = 0
    new_items: tuple[str, ...] = ()
    added: tuple[str, ...] = ()        # nominees now listed that were not
    removed: tuple[str, ...] = ()      # nominees no longer listed

    @property
    def empty(self) -> bool:
        return not (self.new_messages or self.new_items or self.added or self.removed)


def unit_changes(before: Snapshot | None, after: Snapshot) -> list[UnitChange]:
    """What changed for each unit since ``before`` (None: since the start), in ``after``'s unit order."""
    out = []
    for unit_id, now in after.units.items():
        was = (before.units.get(unit_id) if before else None) or UnitSnapshot()
        change = UnitChange(
            unit_id,
            new_messages=len(set(now.messages) - set(was.messages)),
            new_items=tuple(item for item in now.received if item not in was.received),
            added=tuple(name for name in now.nominees if name not in was.nominees),
            removed=tuple(name for name in was.nominees if name not in now.nominees))
        if not change.empty:
            out.append(change)
    return out


def new_review(before: Snapshot | None, review: Sequence[ReviewItem]) -> set[str]:
    """Keys of the review items the last digest did not show."""
    shown = set(before.review) if before else set()
    return {review_key(item) for item in review} - shown
