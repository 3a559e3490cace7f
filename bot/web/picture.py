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
from bot.core.decisions import StaffDecision
from bot.core.model import MessageRecord, UnitDossier
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
    """The console's view of the decided picture (bot/core/picture.py) of one ledger generation."""

    generation: int
    core: CorePicture            # the one picture every staff surface reads
    status: dict[str, Any]       # exactly what ``mailbot status --json`` prints

    @property
    def cfg(self) -> Config:     # with the addresses staff asked to remember
        return self.core.cfg

    @property
    def stored(self) -> list[MessageRecord]:      # as the ledger holds them
        return list(self.core.stored)

    @property
    def records(self) -> list[MessageRecord]:     # with the decisions applied
        return list(self.core.records)

    @property
    def dossiers(self) -> dict[str, UnitDossier]:
        return {unit.id: unit.dossier for unit in self.core.units}

    @property
    def open_items(self) -> list[ReviewItem]:
        return list(self.core.review.open)

    @property
    def done_items(self) -> list[DoneItem]:
        """Review items a decision settled (items whose cause went away by itself are in ``core``)."""
        by_id = {d.id: d for d in self.core.decisions}
        return [DoneItem(item, by_id[item.decision_id]) for item in self.core.review.done
                if item.decision_id in by_id]

    @property
    def decisions(self) -> list[StaffDecision]:
        return list(self.core.decisions)

    def unit_status(self, unit_id: str) -> dict[str, Any] | None:
        return next((u for u in self.status["units"] if u["id"] == unit_id), None)


def build(ledger: Ledger, base_cfg: Config) -> Picture:
    generation = ledger.generation()
    core = decided.picture(ledger, base_cfg)
    return Picture(generation, core, status_object(core))


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
