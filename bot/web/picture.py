"""The decided picture the console's pages read: records with every staff decision applied, the
dossiers, the ``status --json`` object, the review queue (open and done items) and the decision log.

Built once per ledger generation (every stored message and every decision bumps it) and shared by
every request until the next change, so a page costs what it shows, not a rebuild of the ledger.
"""

from __future__ import annotations

import threading
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
                   done, list(core.decisions), _by_message(core.stored))


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
