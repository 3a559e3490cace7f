"""What the staff console reads of the ledger a page at a time: one message by its row number (the
``n`` of ``/thu/<n>``), the row numbers of the messages a page shows, a unit's mail newest first in pages.

Each query goes through an index (primary key, ``(source, validity, uid)``, ``(unit_id, received_at)``),
so a page costs what it shows, whatever the size of the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.model import MessageKey, MessageRecord
from bot.state.ledger import Ledger


def message_at(ledger: Ledger, row: int) -> MessageRecord | None:
    found = ledger._load("WHERE m.id=?", (row,))
    return found[0] if found else None


def row_numbers(ledger: Ledger, keys: Iterable[MessageKey]) -> dict[MessageKey, int]:
    out: dict[MessageKey, int] = {}
    for key in set(keys):
        row = ledger.db.execute("SELECT id FROM messages WHERE source=? AND validity=? AND uid=?",
                                (key.source, key.validity, key.uid)).fetchone()
        if row is not None:
            out[key] = int(row["id"])
    return out


def unit_mail(ledger: Ledger, unit_id: str, limit: int, offset: int = 0) -> tuple[list[MessageRecord], int]:
    """One page of a unit's stored messages, newest first, and how many it has in all."""
    total = int(ledger.db.execute("SELECT count(*) FROM messages WHERE unit_id=?", (unit_id,)).fetchone()[0])
    ids = [int(r["id"]) for r in ledger.db.execute(
        "SELECT id FROM messages WHERE unit_id=? ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?",
        (unit_id, limit, offset))]
    if not ids:
        return [], total
    marks = ",".join("?" * len(ids))
    found = ledger._load(f"WHERE m.id IN ({marks})", tuple(ids))
    return found[::-1], total
