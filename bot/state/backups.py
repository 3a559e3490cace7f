"""Daily copies of the ledger: ``state/backups/mailbot-YYYY-MM-DD.sqlite3``, the last ``paths.backups_days``.

A poll (also each of ``run``'s) takes at most one copy a day, before it reads new mail, with SQLite's
online backup (:meth:`bot.state.ledger.Ledger.copy_to`: consistent even while another process writes).
The copy is written under a temporary name and renamed, so a file named for a day is always a whole
ledger. Copies older than ``backups_days`` days are removed. To restore one: stop mailbot, copy it over
the state file, start again (docs/operations.md, «Backups and restore»).
"""

from __future__ import annotations

import contextlib
import logging
import re
from datetime import date, timedelta
from pathlib import Path

from bot.state.ledger import Ledger

log = logging.getLogger(__name__)
_NAME = re.compile(r"^mailbot-(\d{4}-\d{2}-\d{2})\.sqlite3$")


def name_for(day: date) -> str:
    return f"mailbot-{day.isoformat()}.sqlite3"


def daily_copy(ledger: Ledger, folder: Path, today: date, keep_days: int) -> Path | None:
    """Today's copy of the ledger unless there is one (``keep_days`` 0: none); older copies pruned. Returns
    the copy made, None when there was nothing to do."""
    if keep_days <= 0:
        return None
    target = folder / name_for(today)
    made = None
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{target.name}.tmp"
        temporary.unlink(missing_ok=True)
        try:
            ledger.copy_to(temporary)
            temporary.replace(target)
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        log.debug("state copied to %s", target)
        made = target
    prune(folder, today, keep_days)
    return made


def copies(folder: Path) -> dict[date, Path]:
    """The daily copies in ``folder`` by day."""
    found = {}
    for path in folder.glob("mailbot-*.sqlite3") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match:
            with contextlib.suppress(ValueError):
                found[date.fromisoformat(match.group(1))] = path
    return found


def prune(folder: Path, today: date, keep_days: int) -> list[Path]:
    """Remove the copies of days before the last ``keep_days`` (today included)."""
    oldest_kept = today - timedelta(days=keep_days - 1)
    removed = [path for day, path in copies(folder).items() if day < oldest_kept]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
