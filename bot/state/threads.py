"""Which Message-IDs belong to this campaign's threads: mail it handled as campaign mail, and the
replies and reminders mailbot queued. A message whose In-Reply-To or References names one of them
is a follow-up in a campaign thread (bot/core/relevance.py).

The replies' IDs live in their own table of the ledger file (``sent``), written before the ledger
commit of the message they answer and idempotent, like the outbox (pipeline.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from bot.core.model import Outcome
from bot.state.ledger import Ledger

# Outcomes of a message that is itself part of a campaign thread (staff mail only when it was counted).
THREAD_OUTCOMES = (Outcome.ACCEPTED, Outcome.THREAD_FOLLOWUP, Outcome.THREAD_THANKS)
_SCHEMA = "CREATE TABLE IF NOT EXISTS sent (message_id TEXT PRIMARY KEY, kind TEXT NOT NULL, at TEXT NOT NULL)"


class Threads:
    def __init__(self, ledger: Ledger) -> None:
        self.db = ledger.db
        self.db.execute(_SCHEMA)

    def remember(self, message_id: str, kind: str, at: datetime) -> None:
        """An outgoing message's ID (``kind``: ack, remind); a second call for the same ID is a no-op."""
        if message_id:
            self.db.execute("INSERT OR IGNORE INTO sent VALUES (?, ?, ?)",
                            (message_id.strip(), kind, at.astimezone(UTC).isoformat()))

    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM sent LIMIT 1").fetchone() is None

    def in_campaign_thread(self, references: Iterable[str]) -> bool:
        """Does any of these IDs name a reply mailbot sent, or a message it took as campaign mail?"""
        ids = list(dict.fromkeys(r.strip() for r in references if r.strip()))[-50:]
        if not ids:
            return False
        marks = ",".join("?" * len(ids))
        if self.db.execute(f"SELECT 1 FROM sent WHERE message_id IN ({marks}) LIMIT 1", ids).fetchone():  # noqa: S608
            return True
        outcomes = ",".join("?" * len(THREAD_OUTCOMES))
        row = self.db.execute(f"SELECT 1 FROM messages WHERE message_id IN ({marks})"  # noqa: S608
                              f" AND (outcome IN ({outcomes}) OR (outcome=? AND counted=1)) LIMIT 1",
                              (*ids, *THREAD_OUTCOMES, Outcome.STAFF)).fetchone()
        return row is not None



def remember_old_replies(threads: Threads, ack_id: Callable[[str], str]) -> None:
    """The acknowledgements queued before the ``sent`` table existed: ``ack_id(digest)`` is their Message-ID."""
    rows = threads.db.execute("SELECT digest, processed_at FROM messages WHERE reply != ''").fetchall()
    for row in rows:
        threads.remember(ack_id(row["digest"]), "ack", datetime.fromisoformat(row["processed_at"]))
