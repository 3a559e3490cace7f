"""What the staff use cases (digest, summary, decisions, the workbook's decision cells) need from the
process, passed explicitly instead of the whole poll ``Runner``: the config as written, the ledger and
the outbox. The clock is the ``now`` each use case is given.

``config()`` is the one place the config with the addresses staff asked to remember is worked out
(``assign --remember``); the picture (bot/core/picture.py) carries the same config for the surfaces.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.app import decided
from bot.config.schema import Config
from bot.core.picture import Picture
from bot.state.ledger import Ledger
from bot.transport.outbox import Outbox


@dataclass(frozen=True, slots=True)
class StaffContext:
    base_cfg: Config         # the config file as written
    ledger: Ledger
    outbox: Outbox

    def config(self) -> Config:
        """The config with the remembered addresses added to their units (the file is not touched)."""
        return decided.effective_config(self.ledger, self.base_cfg)

    def picture(self) -> Picture:
        """The decided picture, the ledger read once (bot/core/picture.py)."""
        return decided.picture(self.ledger, self.base_cfg)
