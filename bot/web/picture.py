"""The decided picture the console's pages read: records with every staff decision applied, the
dossiers, the ``status --json`` object, the review queue (open and done items) and the decision log.

Built once per ledger generation (every stored message and every decision bumps it) and shared by
every request until the next change, so a page costs what it shows, not a rebuild of the ledger.
"""

from __future__ import annotations

import threading
import time
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


WAIT_SECONDS = 1.0


class PictureCache:
    """The latest picture, and how a request gets it.

    A picture is built on a connection of its own (never holding the console's ledger lock, so other
    pages go on while a big ledger is read). After a change the first request builds a new one and
    waits for it. Only where a build takes long (over :data:`WAIT_SECONDS`, tens of thousands of
    messages) does a request that need not show the change at once (not the page after a click) get
    the picture it had, marked stale, while the new one is built in the background: a poll of ``run``
    changes the ledger with every message, and nobody should wait seconds for each of those.
    """

    def __init__(self, ledger: Ledger, cfg: Config, lock: threading.Lock,
                 builder: Callable[[Ledger, Config], Picture] = build) -> None:
        self.ledger, self.cfg, self.lock, self.builder = ledger, cfg, lock, builder
        self._picture: Picture | None = None
        self._building = threading.Lock()     # one build at a time, on the reader connection
        self._reader: Ledger | None = None
        self._seconds = 0.0                   # how long the last build took

    def get(self) -> Picture:
        """The picture of the ledger as it is now."""
        return self.current(fresh=True)[0]

    def current(self, fresh: bool) -> tuple[Picture, bool]:
        """(picture, stale): stale only when not ``fresh`` and a newer one is being built meanwhile."""
        with self.lock:
            generation = self.ledger.generation()
        picture = self._picture
        if picture is not None and picture.generation == generation:
            return picture, False
        if picture is not None and not fresh and self._seconds > WAIT_SECONDS:
            if not self._building.locked():
                threading.Thread(target=self._rebuild, name="mailbot-console-picture", daemon=True).start()
            return picture, True
        return self._rebuild(), False

    def _rebuild(self) -> Picture:
        with self._building:
            if self._reader is None:
                self._reader = Ledger(self.ledger.path)
            current = self._picture
            if current is None or current.generation != self._reader.generation():
                began = time.monotonic()
                current = self._picture = self.builder(self._reader, self.cfg)
                self._seconds = time.monotonic() - began
            return current

    def close(self) -> None:
        with self._building:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
