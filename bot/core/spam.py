"""Mail found in the spam folder: a registered unit's is reported to staff, the rest only recorded. Pure.

Nothing from the spam folder is counted or answered: staff look at it and move it to the inbox (it is
then processed like any new mail) or settle it otherwise. Its attachments are not opened.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.schema import Config
from bot.core import classify
from bot.core.model import IncomingMail, Outcome


@dataclass(frozen=True, slots=True)
class SpamVerdict:
    outcome: Outcome                   # IN_SPAM (a unit's, for review) or SPAM
    unit_id: str | None


def spam_verdict(mail: IncomingMail, cfg: Config) -> SpamVerdict:
    """A unit's mail (its registered address, not an auto-reply or a bounce) is IN_SPAM, anything else SPAM."""
    unit = classify.unit_by_address(mail.from_addr, cfg.units)
    if unit is None or classify.automated_outcome(mail) is not None:
        return SpamVerdict(Outcome.SPAM, None)
    return SpamVerdict(Outcome.IN_SPAM, unit.id)
