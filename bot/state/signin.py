"""The console's sign-in links and sessions, in the ledger's SQLite file; only hashes are stored.

A link token or session token is 32 random bytes handed to the browser once; the table keeps its
SHA-256, so a copy of the state file signs nobody in. A link is used at most once (the UPDATE that
marks it used is the check), and both expire.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_links (
    token_hash TEXT PRIMARY KEY, address TEXT NOT NULL, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, used_at TEXT
);
CREATE INDEX IF NOT EXISTS web_links_address ON web_links (address, created_at);
CREATE TABLE IF NOT EXISTS web_sessions (
    token_hash TEXT PRIMARY KEY, address TEXT NOT NULL, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, ended_at TEXT
);
"""
LINK_LIFETIME = timedelta(minutes=15)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class SignInStore:
    """Short writes of their own (one statement each): they never wait for a poll's transaction for long."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.executescript(SCHEMA)

    def new_link(self, address: str, now: datetime, lifetime: timedelta = LINK_LIFETIME) -> str:
        token = secrets.token_urlsafe(32)
        with self.db:
            self.db.execute("INSERT INTO web_links VALUES (?, ?, ?, ?, NULL)",
                            (_hash(token), address.casefold(), _utc(now), _utc(now + lifetime)))
        return token

    def links_since(self, address: str, since: datetime) -> int:
        row = self.db.execute("SELECT count(*) FROM web_links WHERE address=? AND created_at>=?",
                              (address.casefold(), _utc(since))).fetchone()
        return int(row[0])

    def redeem(self, token: str, now: datetime) -> str | None:
        """The address the link was made for, once; None when unknown, used or expired."""
        with self.db:
            row = self.db.execute(
                "UPDATE web_links SET used_at=? WHERE token_hash=? AND used_at IS NULL AND expires_at>?"
                " RETURNING address", (_utc(now), _hash(token), _utc(now))).fetchone()
        return None if row is None else str(row[0])

    def open_session(self, address: str, now: datetime, lifetime: timedelta) -> str:
        token = secrets.token_urlsafe(32)
        with self.db:
            self.db.execute("INSERT INTO web_sessions VALUES (?, ?, ?, ?, NULL)",
                            (_hash(token), address.casefold(), _utc(now), _utc(now + lifetime)))
        return token

    def session(self, token: str, now: datetime) -> str | None:
        """The signed-in address of a live session, else None."""
        row = self.db.execute("SELECT address FROM web_sessions WHERE token_hash=? AND ended_at IS NULL"
                              " AND expires_at>?", (_hash(token), _utc(now))).fetchone()
        return None if row is None else str(row[0])

    def end_session(self, token: str, now: datetime) -> None:
        with self.db:
            self.db.execute("UPDATE web_sessions SET ended_at=? WHERE token_hash=?", (_utc(now), _hash(token)))
