"""What every mail source gives the pipeline: candidates before their bodies, the stop rule, arrival times."""

from __future__ import annotations

import email.utils
import logging
import mmap
import threading
from collections.abc import Container, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Candidate:
    """What is known of a message before its body is fetched."""

    uid: str
    message_id: str = ""
    size: int = 0


class MailSource(Protocol):
    name: str
    folder: str
    spam: bool          # the spam folder: its mail is only reported to staff, never answered

    def open(self) -> int:
        """Connect and return the folder's UIDVALIDITY (0 where there is none)."""

    def candidates(self, after_uid: int, known: Container[str], retry: list[str]) -> list[Candidate]:
        """Messages not processed yet, cheapest metadata only; ``uid in known`` may ask the ledger each time."""

    def fetch(self, uids: list[str]) -> Iterator[tuple[str, bytes | mmap.mmap, datetime]]:
        """(uid, raw bytes, server arrival time) for each uid, in order; a big message's bytes may come
        memory-mapped, valid until the next item is asked for."""

    def mark_done(self, uids: list[str]) -> None:
        """Show staff that these messages were processed (a label or keyword); never raises."""

    def close(self) -> None: ...


def stop_requested(stopping: threading.Event | None, left: int) -> bool:
    if stopping is None or not stopping.is_set():
        return False
    log.info("stopping: %d message(s) left for the next run", left)
    return True


def arrival_time(raw: bytes, fallback: datetime) -> datetime:
    """When the message reached our server: the topmost Received header, else Date, else ``fallback``."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].decode("ascii", "replace")
    unfolded = head.replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ").splitlines()
    for prefix in ("received:", "date:"):
        for line in unfolded:
            if line.lower().startswith(prefix):
                stamp = _parse_date(line.rsplit(";", 1)[-1] if prefix == "received:" else line[5:])
                if stamp is not None:
                    return stamp
    return fallback


def _parse_date(text: str) -> datetime | None:
    try:
        stamp = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
