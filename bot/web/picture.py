"""The decided picture the console's pages read: records with every staff decision applied, the
dossiers, the ``status --json`` object, the review queue (open and done items) and the decision log.

Built once per ledger generation (every stored message and every decision bumps it) and shared by
every request until the next change, so a page costs what it shows, not a rebuild of the ledger.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.app import decided
from bot.config.schema import Config
from bot.core import corrections
from bot.core.decisions import StaffDecision
from bot.core.model import MessageRecord, Outcome, UnitDossier
from bot.core.rules import assess_all
from bot.core.views import ReviewItem, review_items, status_object
from bot.state.ledger import Ledger


@dataclass(frozen=True, slots=True)
class DoneItem:
    item: ReviewItem
    decision: StaffDecision      # the decision that settled it (who, when)


@dataclass(frozen=True, slots=True)
class Picture:
    generation: int
    cfg: Config                  # with the addresses staff asked to remember
    stored: list[MessageRecord]  # as the ledger holds them
    records: list[MessageRecord]  # with the decisions applied
    dossiers: dict[str, UnitDossier]
    status: dict[str, Any]       # exactly what ``mailbot status --json`` prints
    open_items: list[ReviewItem]
    done_items: list[DoneItem]
    decisions: list[StaffDecision]

    by_message: dict[str, MessageRecord]   # the processed copy of each Message-ID, as stored

    def mail(self, message_id: str) -> MessageRecord | None:
        """The stored message with this Message-ID (a decision names it)."""
        return self.by_message.get(message_id) if message_id else None

    def unit_status(self, unit_id: str) -> dict[str, Any] | None:
        return next((u for u in self.status["units"] if u["id"] == unit_id), None)


def build(ledger: Ledger, base_cfg: Config) -> Picture:
    generation = ledger.generation()
    cfg = decided.effective_config(ledger, base_cfg)
    stored = ledger.records()
    decisions = ledger.decisions.all()
    records = corrections.apply(stored, [d for d in decisions if d.active], cfg)
    open_items = review_items(records)
    return Picture(generation, cfg, stored, records, {d.unit_id: d for d in assess_all(records, cfg)},
                   status_object(cfg, records), open_items, _done(stored, open_items, decisions), decisions,
                   _by_message(stored))


def _by_message(stored: list[MessageRecord]) -> dict[str, MessageRecord]:
    """Like find_message for every Message-ID at once: the first processed copy, a duplicate only when
    nothing else has that Message-ID."""
    found: dict[str, MessageRecord] = {}
    for record in stored:
        kept = found.get(record.message_id)
        if record.message_id and (kept is None or (kept.outcome == Outcome.DUPLICATE
                                                   and record.outcome != Outcome.DUPLICATE)):
            found[record.message_id] = record
    return found


def _done(stored: list[MessageRecord], open_items: list[ReviewItem], decisions: list[StaffDecision]) -> list[DoneItem]:
    """Review items of the records as stored that a decision settled (no longer open)."""
    deciding: dict[str, StaffDecision] = {}
    for decision in decisions:
        if decision.active and decision.message_id:
            deciding[decision.message_id] = decision   # the latest one wins
    if not deciding:
        return []
    still_open = {(i.record.message_id, i.reason, i.detail) for i in open_items}
    return [DoneItem(item, deciding[item.record.message_id])
            for item in review_items([r for r in stored if r.message_id in deciding])
            if (item.record.message_id, item.reason, item.detail) not in still_open]


class PictureCache:
    """The latest picture; rebuilt by the first request after the ledger changed."""

    def __init__(self, ledger: Ledger, cfg: Config, lock: threading.Lock,
                 builder: Callable[[Ledger, Config], Picture] = build) -> None:
        self.ledger, self.cfg, self.lock, self.builder = ledger, cfg, lock, builder
        self._picture: Picture | None = None

    def get(self) -> Picture:
        with self.lock:
            current = self._picture
            if current is None or current.generation != self.ledger.generation():
                current = self._picture = self.builder(self.ledger, self.cfg)
            return current
