"""The decided picture the console's pages read: records with every staff decision applied, the
dossiers, the ``status --json`` object, the review queue (open and done items) and the decision log.

Built once per ledger generation (every stored message and every decision bumps it) and shared by
every request until the next change, so a page costs what it shows, not a rebuild of the ledger.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.app import decided
from bot.config.schema import Config
from bot.core.decisions import StaffDecision
from bot.core.model import MessageRecord, Outcome, UnitDossier
from bot.core.picture import Picture as CorePicture
from bot.core.review import ReviewItem
from bot.core.views import status_object
from bot.state.ledger import Ledger


@dataclass(frozen=True, slots=True)
class DoneItem:
    item: ReviewItem
    decision: StaffDecision      # the decision that settled it (who, when)


@dataclass(frozen=True, slots=True)
class Picture:
    """The console's view of the decided picture (bot/core/picture.py) of one ledger generation, its
    fields laid out once for the pages."""

    generation: int
    core: CorePicture            # the one picture every staff surface reads
    cfg: Config                  # with the addresses staff asked to remember
    stored: list[MessageRecord]  # as the ledger holds them
    records: list[MessageRecord]  # with the decisions applied
    dossiers: dict[str, UnitDossier]
    status: dict[str, Any]       # exactly what ``mailbot status --json`` prints
    open_items: list[ReviewItem]
    done_items: list[DoneItem]   # settled by a decision (items whose cause went away are in ``core``)
    decisions: list[StaffDecision]

    by_message: dict[str, MessageRecord]   # the processed copy of each Message-ID, as stored
    unit_mail: dict[str, list[MessageRecord]]   # each unit's mail as decided, newest first (Đơn vị's pages)

    def mail(self, message_id: str) -> MessageRecord | None:
        """The stored message with this Message-ID (a decision names it)."""
        return self.by_message.get(message_id) if message_id else None

    def unit_status(self, unit_id: str) -> dict[str, Any] | None:
        return next((u for u in self.status["units"] if u["id"] == unit_id), None)


def build(ledger: Ledger, base_cfg: Config) -> Picture:
    generation = ledger.generation()
    core = decided.picture(ledger, base_cfg)
    by_id = {d.id: d for d in core.decisions}
    done = [DoneItem(item, by_id[item.decision_id]) for item in core.review.done if item.decision_id in by_id]
    return Picture(generation, core, core.cfg, list(core.stored), list(core.records),
                   {unit.id: unit.dossier for unit in core.units}, status_object(core), list(core.review.open),
                   done, list(core.decisions), _by_message(core.stored), _unit_mail(core.records))


def _unit_mail(records: Sequence[MessageRecord]) -> dict[str, list[MessageRecord]]:
    mail: dict[str, list[MessageRecord]] = {}
    for record in records:
        if record.unit_id and record.outcome != Outcome.RECEIVED_OTHER_WAY:
            mail.setdefault(record.unit_id, []).append(record)
    for mine in mail.values():
        mine.sort(key=lambda r: r.received_at, reverse=True)
    return mail


def _by_message(stored: Sequence[MessageRecord]) -> dict[str, MessageRecord]:
    """Like find_message for every Message-ID at once: the first processed copy, a duplicate only when
    nothing else has that Message-ID."""
    found: dict[str, MessageRecord] = {}
    for record in stored:
        kept = found.get(record.message_id)
        if record.message_id and (kept is None or (kept.outcome == Outcome.DUPLICATE
                                                   and record.outcome != Outcome.DUPLICATE)):
            found[record.message_id] = record
    return found


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
                 builder: Callable[[Ledger, Config], Picture] = build, freeze_gc: bool = False) -> None:
        self.ledger, self.cfg, self.lock, self.builder = ledger, cfg, lock, builder
        self.freeze_gc = freeze_gc            # a server process of its own (not a test run): see _rebuild
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
                if self.freeze_gc:
                    gc.unfreeze()
                current = self._picture = self.builder(self._reader, self.cfg)
                # The picture's hundreds of thousands of objects live until the next change: kept out of
                # the collector's full passes, which otherwise stop a page for a third of a second now and then.
                if self.freeze_gc:
                    gc.freeze()
                self._seconds = time.monotonic() - began
            return current

    def close(self) -> None:
        with self._building:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
