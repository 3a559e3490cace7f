"""``[digest]``: the morning mail to staff before the deadline (see docs/operations.md, *The staff digest*).

Kept apart from bot/config/schema.py so that file stays about the campaign; same ``Reader`` conventions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot.config.reader import Reader

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Digest:
    """When the staff digest goes out: every chosen weekday at ``time``, the last ``days`` days before the
    deadline and the deadline day itself."""

    enabled: bool = True
    days: int = 7
    time: time = time(8, 0)
    weekdays: tuple[int, ...] = tuple(range(7))   # date.weekday() numbers: 0 is Monday


def parse_digest(sec: Reader, reminder_days: tuple[int, ...], reminder_time: time) -> Digest:
    """Defaults follow ``[reminders]``: from the first reminder slot to the deadline, at the reminder time."""
    sec.no_unknown({"enabled", "days", "time", "weekdays"})
    text = sec.str("time", reminder_time.strftime("%H:%M"))
    try:
        at = time.fromisoformat(text)
    except ValueError:
        sec.problem("time", f"{text!r} is not a time of day like \"07:30\"")
        at = reminder_time
    names = [name.casefold()[:3] for name in sec.str_list("weekdays", list(WEEKDAYS))]
    unknown = [name for name in names if name not in WEEKDAYS]
    if unknown or not names:
        sec.problem("weekdays", f"must list days among {', '.join(WEEKDAYS)}, got {unknown or 'none'}")
        names = list(WEEKDAYS)
    return Digest(enabled=sec.bool("enabled", True), days=sec.int("days", max(reminder_days, default=0), minimum=0),
                  time=at, weekdays=tuple(sorted({WEEKDAYS.index(name) for name in names})))
