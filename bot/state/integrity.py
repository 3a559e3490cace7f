"""Is the state file a readable mailbot ledger? Refuse it, never reset it, when it is not.

The state file is the federation's only record of who sent what, of staff decisions and of the
reminders sent. A file that exists but cannot be read as a ledger (overwritten in part, truncated,
another program's database) is refused with :class:`bot.errors.StateUnreadable` before SQLite
touches it, and so is a missing or 0-byte state while earlier work lies on disk (``state/mail/``,
``outbox/``, ``archive/`` hold files): opening it would silently start a new, empty ledger and
process every message again. A brand-new state is created only when there is no trace of earlier
work. The remedy (restore a daily copy, bot/state/backups.py) is in the message and docs/operations.md.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from bot.config.schema import Paths
from bot.errors import StateUnreadable


def earlier_work(paths: Paths) -> tuple[Path, ...]:
    """The folders whose files show that a state existed: the mail copies, the outbox, the archive."""
    return paths.state_dir / "mail", paths.outbox, paths.archive


def check(path: Path, traces: Iterable[Path] = ()) -> None:
    """Raise StateUnreadable unless ``path`` is a readable mailbot ledger, or absent (or empty) with no file
    under any of ``traces``."""
    size = path.stat().st_size if path.exists() else None
    if not size:
        found = next((folder for folder in traces if _holds_files(folder)), None)
        if found is not None:
            what = "trống (0 byte)" if size == 0 else "không còn"
            english = "is empty (0 bytes)" if size == 0 else "is missing"
            raise StateUnreadable(_message(path, f"{what} trong khi {found} vẫn còn dữ liệu đã xử lý",
                                           f"{english} while {found} holds earlier work"))
        return
    # Only SQLite itself opens the file: closing any other descriptor of it would drop the POSIX locks
    # that the process's open connections hold (the console and `run` keep one while another opens),
    # and a writer in another process could then corrupt the file (sqlite.org/howtocorrupt.html, 2.2).
    try:
        with closing(sqlite3.connect(path, timeout=30)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if tables and "messages" not in tables:
                raise StateUnreadable(_message(path, "không phải sổ theo dõi của mailbot",
                                               "is not a mailbot ledger"))
            verdict = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise  # another process is writing: not damage
        raise StateUnreadable(_message(path, "bị hỏng", f"is damaged ({exc})")) from exc
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise StateUnreadable(_message(path, "bị hỏng (không phải tệp SQLite)",
                                           "is damaged (not an SQLite file)")) from exc
        raise StateUnreadable(_message(path, "bị hỏng", f"is damaged ({exc})")) from exc
    if verdict != "ok":
        raise StateUnreadable(_message(path, "bị hỏng", f"is damaged ({verdict})"))


def _holds_files(folder: Path) -> bool:
    """Whether a file of earlier work is there: hidden files (a checkout's ``.gitkeep``, a leftover
    ``.name.tmp`` of an interrupted write) are no trace of a ledger."""
    return folder.is_dir() and any(entry.is_file() and not entry.name.startswith(".") for entry in folder.rglob("*"))


def _message(path: Path, vietnamese: str, english: str) -> str:
    """One Vietnamese line and one English line: what is wrong, that nothing was changed, what to do."""
    backups = path.parent / "backups"
    return (f"Tệp trạng thái {path} {vietnamese}. mailbot dừng, không tạo sổ mới để khỏi mất dữ liệu; "
            f"hãy khôi phục bản sao lưu gần nhất trong {backups} (xem docs/operations.md, mục «Backups and restore»).\n"
            f"The state file {path} {english}. mailbot stops and does not start a new ledger; "
            f"restore the latest copy from {backups} (docs/operations.md, «Backups and restore»).")
