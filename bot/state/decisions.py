"""Staff decisions in the ledger's SQLite file: one row per decision, never deleted (an undo marks it).

Tables (added by ``CREATE TABLE IF NOT EXISTS`` when a ledger opens, so older state files gain them):
- ``decisions``: kind, who, when, why, where it came from, what it says (JSON), and the undo;
  ``origin`` is the workbook cell (sheet|row key|text) it was read from, so a cell is applied once;
  ``undo_origin`` the cell («Huỷ quyết định») that undid it; ``cleared`` marks an undone decision
  whose cells the workbook no longer shows (the same choice made again is then a new decision);
- ``late_acks``: the acknowledgements queued because a decision made a message count, one per
  message for ever (undo and redo, restarts and rebuilds never send a second).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any

from bot.core.decisions import DecisionKind, Source, StaffDecision
from parsers.nominees import NomineeKind

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, source TEXT NOT NULL, made_by TEXT NOT NULL, made_at TEXT NOT NULL,
    why TEXT NOT NULL, body TEXT NOT NULL, origin TEXT NOT NULL DEFAULT '',
    undone_at TEXT, undone_by TEXT NOT NULL DEFAULT '', undo_origin TEXT NOT NULL DEFAULT '',
    cleared INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS decisions_origin ON decisions (origin);
CREATE TABLE IF NOT EXISTS late_acks (
    message_id TEXT PRIMARY KEY, unit_id TEXT NOT NULL, decision INTEGER NOT NULL,
    queued_at TEXT NOT NULL, file TEXT NOT NULL
);
"""
_BODY_FIELDS = ("message_id", "unit_id", "item", "filename", "name", "new_name", "new_kind", "remove",
                "remember", "address", "note")

Transaction = Callable[[], AbstractContextManager[sqlite3.Connection]]


class DecisionStore:
    """Reads and writes decisions through the ledger's connection; every change bumps its generation."""

    def __init__(self, db: sqlite3.Connection, transaction: Transaction) -> None:
        self.db = db
        self._transaction = transaction
        db.executescript(SCHEMA)

    def add(self, decision: StaffDecision) -> StaffDecision:
        body: dict[str, Any] = {name: getattr(decision, name) for name in _BODY_FIELDS}
        body["on"] = decision.on.isoformat() if decision.on else None
        body["new_kind"] = str(decision.new_kind or "")       # stored as before: "" when none
        with self._transaction() as db:
            cur = db.execute(
                "INSERT INTO decisions (kind, source, made_by, made_at, why, body, origin) VALUES (?,?,?,?,?,?,?)",
                (decision.kind, decision.source, decision.by, _utc(decision.at), decision.why,
                 json.dumps(body, ensure_ascii=False), decision.origin))
            _bump(db)
        return self.get(int(cur.lastrowid or 0)) or decision

    def undo(self, decision_id: int, by: str, at: datetime, origin: str = "") -> StaffDecision | None:
        """Mark the decision undone (kept, with who and when); None when there is no such active decision."""
        with self._transaction() as db:
            cur = db.execute("UPDATE decisions SET undone_at=?, undone_by=?, undo_origin=? WHERE id=?"
                             " AND undone_at IS NULL", (_utc(at), by, origin, decision_id))
            if cur.rowcount:
                _bump(db)
        return self.get(decision_id) if cur.rowcount else None

    def get(self, decision_id: int) -> StaffDecision | None:
        row = self.db.execute("SELECT * FROM decisions WHERE id=?", (decision_id,)).fetchone()
        return _decision(row) if row else None

    def all(self) -> list[StaffDecision]:
        return [_decision(row) for row in self.db.execute("SELECT * FROM decisions ORDER BY id")]

    def active(self) -> list[StaffDecision]:
        return [d for d in self.all() if d.active]

    def origin_pending(self, origin: str) -> bool:
        """A cell with this origin was already turned into a decision still shown in the workbook."""
        row = self.db.execute("SELECT 1 FROM decisions WHERE (origin=? AND (undone_at IS NULL OR cleared=0))"
                              " OR (undo_origin=? AND cleared=0) LIMIT 1", (origin, origin)).fetchone()
        return row is not None

    def mark_cleared(self, ids: Sequence[int]) -> None:
        """The workbook no longer shows these undone decisions' cells: the same choice made again is new."""
        with self._transaction() as db:
            db.executemany("UPDATE decisions SET cleared=1 WHERE id=? AND undone_at IS NOT NULL",
                           [(i,) for i in ids])

    # --- acknowledgements owed because of a decision ------------------------------------------

    def acknowledged(self, message_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM late_acks WHERE message_id=?", (message_id,)).fetchone() is not None

    def mark_acknowledged(self, message_id: str, unit_id: str, decision_id: int, at: datetime, file: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO late_acks VALUES (?,?,?,?,?)",
                       (message_id, unit_id, decision_id, _utc(at), file))


def _bump(db: sqlite3.Connection) -> None:
    """Views (the tally, a poll's cache) built before this change are stale."""
    db.execute("INSERT INTO meta VALUES ('generation', '1') ON CONFLICT (key)"
               " DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def _decision(row: sqlite3.Row) -> StaffDecision:
    body = json.loads(row["body"])
    on = body.pop("on", None)
    fields = {name: body[name] for name in _BODY_FIELDS if name in body}
    fields["new_kind"] = NomineeKind(body["new_kind"]) if body.get("new_kind") else None
    return StaffDecision(
        kind=DecisionKind(row["kind"]), by=row["made_by"], at=datetime.fromisoformat(row["made_at"]),
        source=Source(row["source"]), why=row["why"], on=date.fromisoformat(on) if on else None,
        origin=row["origin"], id=int(row["id"]),
        undone_at=datetime.fromisoformat(row["undone_at"]) if row["undone_at"] else None,
        undone_by=row["undone_by"], undo_origin=row["undo_origin"], **fields)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
