"""SQLite state: every examined message, its documents and nominees, cursors and reminders sent.

This is the source of truth: the workbook, ``status`` and the replies are derived from it.
One transaction per message is the commit point of processing (see pipeline.py).
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Paths
from bot.core.model import (
    NOT_PROCESSED,
    DocumentRecord,
    MessageFinding,
    MessageKey,
    MessageRecord,
    Nominee,
    Outcome,
    Reply,
    Stage,
    document_status,
    document_warning,
    message_finding,
)
from bot.state import integrity
from bot.state.decisions import DecisionStore
from parsers.meeting import MeetingFacts
from parsers.nominees import NomineeKind

SCHEMA_VERSION = 6
SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL, validity INTEGER NOT NULL, uid TEXT NOT NULL,
    message_id TEXT NOT NULL, digest TEXT NOT NULL, received_at TEXT NOT NULL,
    from_addr TEXT NOT NULL, from_name TEXT NOT NULL, subject TEXT NOT NULL,
    unit_id TEXT, counted INTEGER NOT NULL, outcome TEXT NOT NULL, findings TEXT NOT NULL,
    reply TEXT NOT NULL, processed_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1,
    withheld TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '', stage TEXT NOT NULL DEFAULT '',
    UNIQUE (source, validity, uid)
);
CREATE INDEX IF NOT EXISTS messages_message_id ON messages (message_id);
CREATE INDEX IF NOT EXISTS messages_digest ON messages (digest);
CREATE INDEX IF NOT EXISTS messages_outcome ON messages (outcome);
CREATE INDEX IF NOT EXISTS messages_unit ON messages (unit_id, received_at);
CREATE INDEX IF NOT EXISTS messages_sender ON messages (from_addr, processed_at);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    message INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position INTEGER NOT NULL, filename TEXT NOT NULL, kind TEXT NOT NULL, format TEXT NOT NULL,
    status TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, warnings TEXT NOT NULL,
    detail TEXT NOT NULL, archive_path TEXT NOT NULL, unit_hint TEXT
);
CREATE TABLE IF NOT EXISTS nominees (
    id INTEGER PRIMARY KEY,
    document INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, title TEXT NOT NULL
);
-- The foreign keys are indexed: without them replacing a row (ON DELETE CASCADE) or reading one
-- message's documents scans the whole table, and a poll turns quadratic in the ledger's size.
CREATE INDEX IF NOT EXISTS documents_message ON documents (message);
CREATE INDEX IF NOT EXISTS nominees_document ON nominees (document);
CREATE TABLE IF NOT EXISTS cursors (
    source TEXT NOT NULL, validity INTEGER NOT NULL, last_uid INTEGER NOT NULL,
    PRIMARY KEY (source, validity)
);
CREATE TABLE IF NOT EXISTS reminders (
    unit_id TEXT NOT NULL, slot TEXT NOT NULL, sent_at TEXT NOT NULL, PRIMARY KEY (unit_id, slot)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Version 2: classification confidence and reason, meeting facts, a nominee's workplace; version 3: a
# nominee's achievements summary; version 4: the reply as fields (``reply`` holds the queued file name
# only, ``withheld`` the code of why none) and a failed or oversize message's error and size as columns
# (they were strings inside ``findings``). Added to an older file in place (ALTER TABLE ... ADD COLUMN
# and the one UPDATE below), so existing state files keep working. Version 5: staff decisions (their
# own tables, created if absent: bot/state/decisions.py) and ``note``, words for staff (a unit's question
# in a campaign thread, why a message is not this campaign's). Version 6: ``stage``, where handling a
# message failed (an ``error`` row: bot/app/containment.py).
MIGRATIONS = (
    ("messages", "withheld", "TEXT NOT NULL DEFAULT ''"),
    ("messages", "error", "TEXT NOT NULL DEFAULT ''"),
    ("messages", "size", "INTEGER NOT NULL DEFAULT 0"),
    ("messages", "note", "TEXT NOT NULL DEFAULT ''"),
    ("messages", "stage", "TEXT NOT NULL DEFAULT ''"),
    ("documents", "confidence", "REAL"),
    ("documents", "reason", "TEXT NOT NULL DEFAULT ''"),
    ("documents", "meeting", "TEXT NOT NULL DEFAULT ''"),
    ("nominees", "workplace", "TEXT NOT NULL DEFAULT ''"),
    ("nominees", "achievements", "TEXT NOT NULL DEFAULT ''"),
)
MAX_ATTEMPTS = 3   # the default of config limits.message_attempts: tries of a message that keeps failing
_NOT_PROCESSED = sorted(NOT_PROCESSED)  # a Message-ID or content seen only in these rows is processed again


class Ledger:
    def __init__(self, path: Path, traces: Iterable[Path] = ()) -> None:
        """Open (or, with no trace of earlier work under ``traces``, create) the state file; a file that is
        not a readable mailbot ledger raises StateUnreadable and is left as it is (bot/state/integrity.py)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        integrity.check(path, traces)
        self.path = path
        # `run` uses the ledger from APScheduler's worker thread; its single job (max_instances=1)
        # serialises every access, so sharing the connection across threads is safe.
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        # NORMAL, not FULL: in WAL mode a commit is then written to the WAL but fsynced only at the next
        # checkpoint. A killed process loses nothing (the WAL is in the OS cache); a power cut may roll
        # back the last few commits, never corrupt the file. Rolling back is safe here because a commit
        # is only ever a record of work that is idempotent to redo: the reply it names was fsynced in
        # outbox/ BEFORE the commit (and is found there by name, so it is not queued twice), the raw mail
        # and documents are rewritten from the server, IMAP keywords are only a marker (the ledger, not
        # the server, says what is done) and nothing is deleted from the server. The lost rows' messages
        # are simply processed again. It saves one WAL fsync per message (a poll's main disk wait).
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._migrate()
        self.decisions = DecisionStore(self.db, self.transaction)
        self._unit_records: dict[str, list[MessageRecord]] = {}  # see records()
        self._cache_generation: int | None = None

    def _migrate(self) -> None:
        with self.transaction() as db:
            for table, column, decl in MIGRATIONS:
                columns = {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}
                if column not in columns:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
            _reply_and_findings_as_fields(db)
            db.execute("INSERT INTO meta VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value=excluded.value",
                       (str(SCHEMA_VERSION),))

    @classmethod
    def of(cls, paths: Paths) -> Ledger:
        """The configured state file, refused when it is missing or empty while earlier work is on disk."""
        return cls(paths.state, integrity.earlier_work(paths))

    def close(self) -> None:
        self.db.close()

    def copy_to(self, target: Path) -> None:
        """A consistent copy of the whole ledger in ``target`` (SQLite's online backup: other processes may
        go on writing meanwhile), a single file without a journal."""
        with closing(sqlite3.connect(target)) as copy:
            self.db.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write, all or nothing; inside a group (:meth:`begin`) a savepoint of the group's transaction."""
        if self.db.in_transaction:
            self.db.execute("SAVEPOINT part")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK TO part")
                self.db.execute("RELEASE part")
                raise
            self.db.execute("RELEASE part")
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def begin(self) -> None:
        """Open a group of writes (bot/app/commit_group.py): nothing is committed until :meth:`commit`,
        and this connection reads what the group wrote so far."""
        if not self.db.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    def rollback(self) -> None:
        """Drop the group's writes (and the per-unit lists that included them)."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self._unit_records.clear()
        self._cache_generation = None

    # --- what is already known -------------------------------------------------------------

    def known_uids(self, source: str, validity: int, max_attempts: int = MAX_ATTEMPTS) -> set[str]:
        """UIDs done with: processed, or failed ``max_attempts`` times (left for staff)."""
        rows = self.db.execute(
            "SELECT uid FROM messages WHERE source=? AND validity=? AND (outcome!=? OR attempts>=?)",
            (source, validity, Outcome.ERROR, max_attempts))
        return {row["uid"] for row in rows}

    def is_known(self, source: str, validity: int, uid: str, max_attempts: int = MAX_ATTEMPTS) -> bool:
        """One UID of :meth:`known_uids`, through the unique index (no scan of a big mailbox's rows)."""
        row = self.db.execute(
            "SELECT 1 FROM messages WHERE source=? AND validity=? AND uid=? AND (outcome!=? OR attempts>=?)",
            (source, validity, uid, Outcome.ERROR, max_attempts)).fetchone()
        return row is not None

    def retry_uids(self, source: str, validity: int, max_attempts: int = MAX_ATTEMPTS) -> list[str]:
        """UIDs that failed fewer than ``max_attempts`` times: tried again at the next poll."""
        rows = self.db.execute(
            "SELECT uid FROM messages WHERE source=? AND validity=? AND outcome=? AND attempts<?",
            (source, validity, Outcome.ERROR, max_attempts))
        return [row["uid"] for row in rows]

    def known_message_ids(self, message_ids: list[str]) -> set[str]:
        wanted = [m for m in message_ids if m]
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT message_id FROM messages WHERE message_id IN ({marks}) "  # noqa: S608
                                   "AND outcome NOT IN (?, ?, ?)", (*chunk, *_NOT_PROCESSED))
            found |= {row["message_id"] for row in rows}
        return found

    def seen_content(self, message_id: str, digest: str, key: MessageKey) -> bool:
        """Same message already processed under another key (other folder, UIDVALIDITY reset)."""
        row = self.db.execute(
            "SELECT 1 FROM messages WHERE (digest=? OR (message_id!='' AND message_id=?))"
            " AND outcome NOT IN (?, ?, ?, ?) AND NOT (source=? AND validity=? AND uid=?) LIMIT 1",
            (digest, message_id, *_NOT_PROCESSED, Outcome.DUPLICATE, key.source, key.validity, key.uid)).fetchone()
        return row is not None

    def cursor(self, source: str, validity: int) -> int:
        row = self.db.execute("SELECT last_uid FROM cursors WHERE source=? AND validity=?",
                              (source, validity)).fetchone()
        return int(row["last_uid"]) if row else 0

    def advance_cursor(self, source: str, validity: int, uid: int) -> None:
        self.db.execute(
            "INSERT INTO cursors VALUES (?, ?, ?) ON CONFLICT (source, validity) "
            "DO UPDATE SET last_uid=max(last_uid, excluded.last_uid)", (source, validity, uid))

    def replies_since(self, from_addr: str, since: datetime) -> int:
        row = self.db.execute("SELECT count(*) FROM messages WHERE from_addr=? AND reply!=''"
                              " AND processed_at>=?", (from_addr, _utc(since))).fetchone()
        return int(row[0])

    def stranger_replies_since(self, unit_id: str, since: datetime, finding: MessageFinding) -> int:
        """Messages naming ``unit_id`` from addresses not the unit's (``finding`` among their findings)
        that were answered since ``since``: the per-unit brake on forged senders."""
        row = self.db.execute("SELECT count(*) FROM messages WHERE unit_id=? AND reply!='' AND processed_at>=?"
                              " AND instr(findings, ?) > 0", (unit_id, _utc(since), json.dumps(finding))).fetchone()
        return int(row[0])

    # --- writing ---------------------------------------------------------------------------

    def record(self, record: MessageRecord) -> None:
        """Store one processed message with its documents (replacing an earlier failed attempt)."""
        with self.transaction() as db:
            before = self.generation()  # under the write lock: no other writer in between
            key = record.key
            replaced = db.execute("DELETE FROM messages WHERE source=? AND validity=? AND uid=?",
                                  (key.source, key.validity, key.uid)).rowcount > 0
            cur = db.execute(
                "INSERT INTO messages (source, validity, uid, message_id, digest, received_at, from_addr,"
                " from_name, subject, unit_id, counted, outcome, findings, reply, processed_at, attempts,"
                " withheld, error, size, note, stage) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (key.source, key.validity, key.uid, record.message_id, record.digest,
                 _utc(record.received_at), record.from_addr, record.from_name, record.subject,
                 record.unit_id, int(record.counted), record.outcome, json.dumps(list(record.findings)),
                 record.reply.queued, _utc(record.processed_at or record.received_at), record.attempts,
                 record.reply.withheld, record.error, record.size, record.note, record.stage or ""))
            for position, doc in enumerate(record.documents):
                self._insert_document(db, cur.lastrowid, position, doc)
            if key.uid.isdigit():
                self.advance_cursor(key.source, key.validity, int(key.uid))
            db.execute("INSERT INTO meta VALUES ('generation', '1') ON CONFLICT (key)"
                       " DO UPDATE SET value = CAST(value AS INTEGER) + 1")
        self._keep_current(record, cur.lastrowid, before, replaced)

    def _keep_current(self, record: MessageRecord, row_id: int | None, before: int, replaced: bool) -> None:
        """Bring the per-unit lists of :meth:`records` up to date with the row just written."""
        if self._cache_generation != before:  # another process wrote in between: start over
            self._unit_records.clear()
            self._cache_generation = None
            return
        self._cache_generation = before + 1
        for cached in self._unit_records.values() if replaced else ():  # an earlier attempt of the same key
            cached[:] = [r for r in cached if r.key != record.key]
        unit_list = self._unit_records.get(record.unit_id or "")
        if unit_list is not None:
            stored = self._load("WHERE m.id=?", (row_id,))[0]  # as read back, exactly like a reload
            stamp = _utc(stored.received_at)  # the order of _load: received_at text, then id (the newest)
            unit_list.insert(bisect_right(unit_list, stamp, key=lambda r: _utc(r.received_at)), stored)

    @staticmethod
    def _insert_document(db: sqlite3.Connection, message: int | None, position: int, doc: DocumentRecord) -> None:
        cur = db.execute(
            "INSERT INTO documents (message, position, filename, kind, format, status, size, sha256, warnings,"
            " detail, archive_path, unit_hint, confidence, reason, meeting) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (message, position, doc.filename, doc.kind, doc.format, doc.status, doc.size, doc.sha256,
             json.dumps(list(doc.warnings)), doc.detail, doc.archive_path, doc.unit_hint, doc.confidence,
             doc.reason, json.dumps(doc.meeting.as_dict(), ensure_ascii=False) if doc.meeting else ""))
        db.executemany(
            "INSERT INTO nominees (document, position, kind, name, title, workplace, achievements)"
            " VALUES (?,?,?,?,?,?,?)",
            [(cur.lastrowid, i, n.kind, n.name, n.position, n.workplace, n.achievements)
             for i, n in enumerate(doc.nominees)])

    def generation(self) -> int:
        """Bumped by every :meth:`record`: views built from an older generation are stale."""
        return int(self.meta("generation") or 0)

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value=excluded.value",
                        (key, value))

    def attempts(self, key: MessageKey) -> int:
        row = self.db.execute("SELECT attempts FROM messages WHERE source=? AND validity=? AND uid=?",
                              (key.source, key.validity, key.uid)).fetchone()
        return int(row["attempts"]) if row else 0

    def mark_reminded(self, unit_id: str, slots: list[str], at: datetime, meta: dict[str, str] | None = None) -> None:
        """Record slots as sent, with ``meta`` keys (e.g. the digest's snapshot) in the same transaction."""
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO reminders VALUES (?, ?, ?)",
                           [(unit_id, slot, _utc(at)) for slot in slots])
            for key, value in (meta or {}).items():
                self.set_meta(key, value)

    def reminders_sent(self) -> set[tuple[str, str]]:
        return {(row["unit_id"], row["slot"]) for row in self.db.execute("SELECT unit_id, slot FROM reminders")}

    # --- reading back ----------------------------------------------------------------------

    def records(self, unit_id: str | None = None) -> list[MessageRecord]:
        """Every message (or one unit's), in arrival order, with documents and nominees.

        A unit's list is kept between calls: every acknowledgement reads its unit's whole history,
        and rebuilding it each time made a poll quadratic in the messages. :meth:`record` keeps the
        list current; a write by another process (a generation we did not make) drops it.
        """
        if not unit_id:
            return self._load("", ())
        generation = self.generation()
        if self._cache_generation != generation:
            self._unit_records.clear()
            self._cache_generation = generation
        if unit_id not in self._unit_records:
            self._unit_records[unit_id] = self._load("WHERE m.unit_id=?", (unit_id,))
        return list(self._unit_records[unit_id])

    def records_of(self, message_ids: list[str]) -> list[MessageRecord]:
        """The messages with these Message-IDs (the few a staff decision names), in arrival order."""
        wanted = sorted({m for m in message_ids if m})[:500]
        marks = ",".join("?" * len(wanted))
        return self._load(f"WHERE m.message_id IN ({marks})", tuple(wanted)) if wanted else []

    def _load(self, where: str, args: tuple[object, ...]) -> list[MessageRecord]:
        nominees: dict[int, list[Nominee]] = {}
        query = ("SELECT n.*, d.filename FROM nominees n JOIN documents d ON d.id=n.document"  # noqa: S608
                 f" JOIN messages m ON m.id=d.message {where} ORDER BY n.document, n.position")
        for row in self.db.execute(query, args):
            nominees.setdefault(row["document"], []).append(
                Nominee(NomineeKind(row["kind"]), row["name"], row["title"], row["filename"], row["workplace"],
                        row["achievements"]))
        documents: dict[int, list[DocumentRecord]] = {}
        for row in self.db.execute(f"SELECT d.* FROM documents d JOIN messages m ON m.id=d.message {where}"  # noqa: S608
                                   " ORDER BY d.message, d.position", args):
            documents.setdefault(row["message"], []).append(_document(row, nominees.get(row["id"], [])))
        rows = self.db.execute(f"SELECT * FROM messages m {where} ORDER BY received_at, id", args)  # noqa: S608
        return [_message(row, documents.get(row["id"], [])) for row in rows]


def _document(row: sqlite3.Row, nominees: list[Nominee]) -> DocumentRecord:
    return DocumentRecord(
        filename=row["filename"], kind=ItemKind(row["kind"]), format=row["format"],
        status=document_status(row["status"]), size=row["size"], sha256=row["sha256"], nominees=tuple(nominees),
        warnings=tuple(document_warning(code) for code in json.loads(row["warnings"])), detail=row["detail"],
        archive_path=row["archive_path"], unit_hint=row["unit_hint"], confidence=row["confidence"],
        reason=row["reason"], meeting=MeetingFacts.from_dict(json.loads(row["meeting"])) if row["meeting"] else None)


def _message(row: sqlite3.Row, documents: list[DocumentRecord]) -> MessageRecord:
    return MessageRecord(
        key=MessageKey(row["source"], row["validity"], row["uid"]), message_id=row["message_id"],
        digest=row["digest"], received_at=datetime.fromisoformat(row["received_at"]),
        from_addr=row["from_addr"], from_name=row["from_name"], subject=row["subject"],
        unit_id=row["unit_id"], counted=bool(row["counted"]), outcome=Outcome(row["outcome"]),
        findings=tuple(message_finding(code) for code in json.loads(row["findings"])), documents=tuple(documents),
        reply=Reply(queued=row["reply"], withheld=row["withheld"]),
        processed_at=datetime.fromisoformat(row["processed_at"]), attempts=row["attempts"],
        error=row["error"], size=row["size"], note=row["note"], stage=_stage(row["stage"]))


def _stage(value: str) -> Stage | None:
    """A stored stage; none for rows before version 6, or a stage word of a newer version."""
    try:
        return Stage(value) if value else None
    except ValueError:
        return None


def _reply_and_findings_as_fields(db: sqlite3.Connection) -> None:
    """Version 4: «queued X» / «none: Y» replies and «error: …» / «size:N» findings become columns."""
    row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    if row is not None and int(row["value"]) >= 4:
        return
    db.execute("UPDATE messages SET withheld=trim(substr(reply, 6)), reply='' WHERE reply LIKE 'none:%'")
    db.execute("UPDATE messages SET reply=trim(substr(reply, 7)) WHERE reply LIKE 'queued%'")
    rows = db.execute("SELECT id, findings FROM messages"
                      " WHERE findings LIKE '%error:%' OR findings LIKE '%size:%'").fetchall()
    for row in rows:
        codes, error, size = [], "", 0
        for finding in json.loads(row["findings"]):
            if finding.startswith("error:"):
                error = finding.removeprefix("error:").strip()
            elif finding.startswith("size:") and finding[5:].isdigit():
                size = int(finding[5:])
            else:
                codes.append(finding)
        db.execute("UPDATE messages SET findings=?, error=?, size=? WHERE id=?",
                   (json.dumps(codes), error, size, row["id"]))


def _utc(moment: datetime) -> str:
    """Stored in UTC so that text order is time order."""
    return moment.astimezone(UTC).isoformat()
