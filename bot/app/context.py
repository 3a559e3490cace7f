"""What the staff use cases (digest, summary, decisions, the workbook's decision cells) need from the
process, passed explicitly instead of the whole poll ``Runner``: the config as written, the ledger and
the outbox (and sending what waits in it). The clock is the ``now`` each use case is given.

``config()`` is the one place the config with the addresses staff asked to remember is worked out
(``assign --remember``); the picture (bot/core/picture.py) carries the same config for the surfaces.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.app import decided
from bot.config.schema import Config
from bot.core.picture import Picture
from bot.errors import DeliveryError
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

    def send(self) -> Delivery:
        """Try to send what waits in the outbox (nothing to do without an ``[smtp]`` section)."""
        smtp = self.base_cfg.smtp
        if smtp is None:
            return Delivery()
        try:
            drained = self.outbox.drain(smtp)
        except DeliveryError as exc:
            return Delivery(error=str(exc), unreachable=True)
        return Delivery(drained.sent, drained.error)


@dataclass(frozen=True, slots=True)
class Delivery:
    sent: int = 0
    error: str = ""          # why mail still waits in the outbox ("" when all went)
    unreachable: bool = False   # the SMTP server could not be reached at all
