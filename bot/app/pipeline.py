"""The use cases: one poll cycle and one reminder round, composed from the pure core and the I/O edges.

Order per message (crash-safe): archive raw bytes -> parse and decide -> enqueue the reply
(idempotent by file name) -> commit to the ledger (a few messages at a time, after their replies
are on disk: bot/app/commit_group.py). A crash before the commit means the message is processed
again next time and the enqueue is a no-op; nothing is lost. Messages are
downloaded ahead (bot/transport/prefetch.py) and their documents read ahead by a pool of workers
(bot/app/reading.py, bot/app/pool.py); the decisions and commits stay one message at a time, in order.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections import Counter
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from bot.app import containment, decided, reading
from bot.app.commit_group import CommitGroup
from bot.app.context import StaffContext
from bot.app.pool import DocumentPool, workers_for
from bot.app.reading import Prepared
from bot.config.schema import Config
from bot.core import filenames, intake, rules, runnable
from bot.core.model import (
    Attachment,
    DocumentRecord,
    Finding,
    IncomingMail,
    MessageKey,
    MessageRecord,
    Outcome,
    Reply,
    Stage,
)
from bot.core.picture import Picture
from bot.core.reply_keys import ReplyKey
from bot.core.spam import spam_verdict
from bot.errors import FolderMissing
from bot.message import mime, replies
from bot.message.bigparts import Raw
from bot.state import backups
from bot.state.files import write_atomic
from bot.state.ledger import Ledger
from bot.state.threads import Threads, remember_old_replies
from bot.transport import spool
from bot.transport.outbox import Outbox
from bot.transport.prefetch import Prefetch
from bot.transport.source import Candidate, MailSource

log = logging.getLogger(__name__)
WARM_ALL_FROM = 4  # messages to read per worker from which a poll starts every worker at once


# A machine returning mail (ours or a unit's): its attachments are copies, not a dossier to keep.
_RETURNED_MAIL = frozenset({Outcome.BOUNCE, Outcome.READ_RECEIPT, Outcome.OWN_REPLY, Outcome.FEEDBACK_REPORT})


@dataclass
class PollReport:
    examined: int = 0
    replies: int = 0
    sent: int = 0
    errors: int = 0
    delivery_error: str = ""
    tally: str = ""                  # what became of the workbook (bot.workbook.tally.TallyWrite's value)

    def count(self, record: MessageRecord, sign: int = 1) -> None:
        """Add one committed message (``sign=-1``: take it back, its group is committed again)."""
        self.examined += sign
        self.replies += sign * record.reply.sent
        self.errors += sign * (record.outcome == Outcome.ERROR)

    def line(self) -> str:
        text = f"{self.examined} new message(s), {self.replies} reply(ies) queued, {self.sent} sent"
        if self.errors:
            text += f", {self.errors} failed (kept for retry and review)"
        return text + (f"; SMTP: {self.delivery_error}" if self.delivery_error else "")


class _KnownUids:
    """``uid in known`` asked of the ledger per UID: an IMAP poll checks only the few UIDs above its
    cursor, so an idle poll no longer loads every UID of a 50,000-message mailbox."""

    def __init__(self, ledger: Ledger, source: str, validity: int, max_attempts: int) -> None:
        self.ledger, self.source, self.validity, self.max_attempts = ledger, source, validity, max_attempts

    def __contains__(self, uid: object) -> bool:  # Container[str]
        return self.ledger.is_known(self.source, self.validity, str(uid), self.max_attempts)


def _stopping(source: MailSource, left: int) -> bool:
    """Stop asked (SIGTERM in `run`): the message in hand is committed, the ones read ahead are left."""
    stopping = getattr(source, "stopping", None)
    if stopping is None or not stopping.is_set() or left <= 0:
        return False
    log.info("stopping: %d message(s) left for the next run", left)
    return True


class Runner:
    """Holds the long-lived pieces (config, ledger, outbox) of one process."""

    def __init__(self, cfg: Config, ledger: Ledger, outbox: Outbox) -> None:
        self.base_cfg = cfg      # the file as written; ``cfg`` adds the addresses staff asked to remember
        self.ledger = ledger
        self.outbox = outbox
        self.context = StaffContext(cfg, ledger, outbox)  # what the staff use cases are given
        self.cfg = self.context.config()
        self.threads = Threads(ledger)
        if self.threads.is_empty():  # a state file from before thread tracking: its replies' IDs
            domain = getaddresses([replies.sender_address(cfg)])[0][1]
            remember_old_replies(self.threads, lambda digest: replies.message_id_for(ReplyKey.ack(digest), domain))
        limits = cfg.limits
        self.pool = DocumentPool(workers_for(limits.document_workers), limits.document_seconds,
                                 limits.worker_memory_mb, target=reading.DocumentReader(self.cfg))
        self.keep_workers = False  # `run` keeps them between polls: a new mail is read without starting any
        self._missing: set[str] = set()  # folders already reported missing (one warning per process)
        self._group: CommitGroup | None = None  # the commit group of the folder being polled
        # committed into the open group: the message, its row, the failure of one of its copies (if any)
        self._in_group: list[tuple[Prepared, MessageRecord, BaseException | None]] = []

    def poll_once(self, source: MailSource, now: datetime) -> PollReport:
        """Fetch what is new, process it, queue replies, rewrite the tally (reading staff decisions), send."""
        return self.poll_all([source], now)

    def poll_all(self, sources: Sequence[MailSource], now: datetime) -> PollReport:
        """:meth:`poll_once` over several folders in turn; a missing folder after the first is logged and
        skipped. The ledger sees each message before the next folder is read: nothing counts twice."""
        report = PollReport()
        self._daily_copy(now)
        self.cfg = self.context.config()
        self._readers_follow_config()
        try:
            for index, source in enumerate(sources):
                try:
                    if self._poll_folder(source, now, report):
                        break
                except FolderMissing as exc:
                    if index == 0:
                        raise
                    log.log(logging.WARNING if source.name not in self._missing else logging.DEBUG,
                            "%s; its mail is not read", exc)
                    self._missing.add(source.name)
        finally:
            if not self.keep_workers:
                self.pool.close()
        report.tally = self.refresh_tally(now)   # first: a decision read from it may owe an acknowledgement
        # decisions made meanwhile by the console or the command line (they do not wait for this lock)
        decided.late_acknowledgements(self.ledger, self.outbox, self.cfg, now)
        self.send(report)
        if report.sent:   # the replies just sent read «Đã gửi» in the workbook, not «Chờ gửi» until the next poll
            again = self.refresh_tally(now)
            report.tally = report.tally if again == _TALLY_CURRENT else again
        return report

    def _daily_copy(self, now: datetime) -> None:
        """The day's copy of the ledger, before the day's first poll reads mail (bot/state/backups.py); a
        copy that cannot be written is logged, never a reason not to poll."""
        paths = self.base_cfg.paths
        try:
            backups.daily_copy(self.ledger, paths.backups, now.astimezone(self.cfg.campaign.tz).date(),
                               paths.backups_days)
        except (OSError, sqlite3.Error) as exc:
            log.error("the day's copy of the state could not be written to %s: %s", paths.backups, exc)

    def _poll_folder(self, source: MailSource, now: datetime, report: PollReport) -> bool:
        """One folder's new mail, read ahead and committed in order; True when asked to stop."""
        validity = source.open()
        spam_folder = source.folder if source.spam else ""

        def prepare(item: tuple[str, Raw, datetime]) -> Prepared:
            return self.prepare(MessageKey(source.name, validity, item[0]), item[1], item[2], spam_folder)

        try:
            uids = self._to_fetch(source, validity, now)
            if uids:  # one worker for a message or two; every worker for a backlog
                self.pool.warm(self.pool.workers if len(uids) >= WARM_ALL_FROM * self.pool.workers else 1)
            examined = 0
            with Prefetch(source.fetch(uids)) as fetched, \
                    closing(reading.read_ahead(fetched, prepare, depth=4 * self.pool.workers)) as ready, \
                    CommitGroup(self.ledger, self.outbox, source) as group:
                self._group = group
                for prepared in ready:
                    if not prepared.ready():  # about to wait for a document: what is done goes to disk first,
                        self._close_group(group, now, report)
                        prepared.wait()   # and the ledger's write lock is not held meanwhile
                    group.open()
                    self._commit_into(group, prepared, now, report, group.failed_copies.pop(prepared.key.uid, None))
                    examined += 1
                    if group.full():
                        self._close_group(group, now, report)
                    if _stopping(source, len(uids) - examined):
                        self._close_group(group, now, report)
                        return True
                self._close_group(group, now, report)
        finally:
            self._group = None
            self._in_group = []
            source.close()
        return False

    def _commit_into(self, group: CommitGroup, prepared: Prepared, now: datetime, report: PollReport,
                     copy_failed: BaseException | None = None) -> None:
        failure = containment.MessageFailed(Stage.ARCHIVING, copy_failed) if copy_failed is not None else None
        record = self.commit(prepared, now, failure)
        group.added(prepared.key.uid, mark=record.outcome != Outcome.ERROR)
        self._in_group.append((prepared, record, copy_failed))
        report.count(record)

    def _close_group(self, group: CommitGroup, now: datetime, report: PollReport) -> None:
        """Close the group; when copies of some of its messages could not be written, the group was rolled
        back (its replies taken back): commit the same messages again, those as failures, the others as
        before. Each round has one failure more, so this ends."""
        failed = group.close()
        while failed:
            redo, self._in_group = self._in_group, []
            group.open()
            for prepared, old, copy_failed in redo:
                report.count(old, -1)
                self._commit_into(group, prepared, now, report, failed.get(prepared.key.uid, copy_failed))
            failed = group.close()
        self._in_group = []

    def _readers_follow_config(self) -> None:
        """The workers read with the config of this poll: a changed one (an address staff asked to
        remember) restarts them with it."""
        target = self.pool.target
        if isinstance(target, reading.DocumentReader) and target.cfg != self.cfg:
            self.pool.close()
            self.pool = DocumentPool(self.pool.workers, target=replace(target, cfg=self.cfg))

    def _to_fetch(self, source: MailSource, validity: int, now: datetime) -> list[str]:
        """New UIDs minus what needs no body: known Message-IDs (a UIDVALIDITY reset) and oversize mail."""
        attempts = self.cfg.limits.message_attempts
        known = _KnownUids(self.ledger, source.name, validity, attempts)
        retry = self.ledger.retry_uids(source.name, validity, attempts)
        candidates = source.candidates(self.ledger.cursor(source.name, validity), known, retry)
        seen = self.ledger.known_message_ids([c.message_id for c in candidates])
        limit = self.cfg.limits.max_message_mb * 1024 * 1024
        wanted = []
        for candidate in candidates:
            if candidate.message_id in seen and candidate.uid not in retry:
                self._record_unfetched(source.name, validity, candidate, Outcome.DUPLICATE, now)
            elif candidate.size > limit:
                self._record_unfetched(source.name, validity, candidate, Outcome.TOO_LARGE, now)
            else:
                wanted.append(candidate.uid)
        return wanted

    def _record_unfetched(self, source: str, validity: int, candidate: Candidate, outcome: Outcome,
                          now: datetime) -> None:
        self.ledger.record(MessageRecord(
            key=MessageKey(source, validity, candidate.uid), message_id=candidate.message_id,
            digest=f"unfetched:{candidate.message_id or candidate.uid}", received_at=now, from_addr="",
            from_name="", subject="", unit_id=None, counted=False, outcome=outcome,
            size=candidate.size if outcome == Outcome.TOO_LARGE else 0,
            reply=Reply.none(outcome), processed_at=now))

    def process(self, key: MessageKey, raw: Raw, received_at: datetime, now: datetime,
                spam_folder: str = "") -> MessageRecord:
        """One message to one ledger row; failures become an ERROR row, never an escaping exception.
        Mail of the spam folder (``spam_folder``, its name) is only recorded (bot/core/spam.py)."""
        return self.commit(self.prepare(key, raw, received_at, spam_folder), now)

    def prepare(self, key: MessageKey, raw: Raw, received_at: datetime, spam_folder: str = "") -> Prepared:
        """What needs no earlier message: digest, raw archived, the MIME parse and then the documents read
        in the pool (a big mapped message is parsed here). A copy already processed under another key is
        parsed but not read; one with the same Message-ID and other bytes is found at commit. Never raises:
        a failure is kept in ``error`` and recorded at commit, in order."""
        digest = hashlib.sha256(raw).hexdigest()
        prepared = Prepared(key, received_at, digest, len(raw), spam_folder=spam_folder, head=mime.head_of(raw))
        try:
            with containment.stage(Stage.ARCHIVING):
                self._archive_raw(digest, raw, key.uid)
        except containment.MessageFailed as failed:
            prepared.error = failed
            return prepared
        read = not (spam_folder or self.ledger.seen_content("", digest, key))
        if isinstance(raw, bytes):
            prepared.parsing = reading.parse_and_read(self.pool, raw, read)
            return prepared
        try:
            mail = mime.parse(raw, self.cfg.limits)
            spool.drop_pages(raw)  # the attachments are decoded: a big message's mapped bytes are not needed now
            prepared.mail = mail
            prepared.readings = tuple(reading.Reading(self.pool, a, submit=read) for a in mail.attachments)
        except Exception as exc:  # noqa: BLE001 - recorded as an ERROR row at commit, in order
            prepared.error = containment.failed(exc, Stage.READING)
        return prepared

    def commit(self, prepared: Prepared, now: datetime,
               failure: containment.MessageFailed | None = None) -> MessageRecord:
        """Decide, reply and record one prepared message (in mailbox order). Whatever fails on the way
        (``failure``: a copy that could not be written) is rolled back, its reply taken back, and the
        message recorded as an ``error`` row with its sender, the stage and the reason
        (bot/app/containment.py)."""
        prepared.wait()  # before any write: waiting for a document never holds the ledger's write lock
        written: list[Path] = []
        try:
            if failure is not None:
                raise failure
            with self.ledger.transaction():  # inside a group a savepoint: this message's writes go together
                record = self._assess(prepared, now, written)
                with containment.stage(Stage.COMMITTING):
                    self.ledger.record(record)
        except Exception as exc:  # noqa: BLE001 - contained: recorded with the message, the poll goes on
            for path in written:
                self.outbox.withdraw(path)
            record = self._failed(prepared, containment.failed(exc, Stage.DECIDING), now)
            self.ledger.record(record)
        log.info("message %s from %s: %s, %s", prepared.key.uid, record.from_addr or "?", record.outcome,
                 record.reply)
        return record

    def _failed(self, prepared: Prepared, failed: containment.MessageFailed, now: datetime) -> MessageRecord:
        """The ``error`` row of a message whose handling failed: who sent it (its parse, else its top
        headers), where it failed and why, in words staff read."""
        key = prepared.key
        attempts = self.ledger.attempts(key) + 1
        limit = self.cfg.limits.message_attempts
        log.error("message %s failed at %s (attempt %d of %d): %s", key.uid, failed.stage, attempts, limit, failed)
        log.debug("the failure of message %s in full", key.uid, exc_info=failed.cause)  # -v
        mail = prepared.mail or mime.envelope(prepared.head)
        return MessageRecord(
            key=key, message_id=_storable(mail.message_id), digest=prepared.digest,
            received_at=prepared.received_at, from_addr=_storable(mail.from_addr),
            from_name=_storable(mail.from_name), subject=_storable(mail.subject), unit_id=None, counted=False,
            outcome=Outcome.ERROR, error=_storable(f"{type(failed.cause).__name__}: {failed.cause}")[:500],
            stage=failed.stage, note=containment.note(failed, attempts, limit), reply=Reply.none(Outcome.ERROR),
            processed_at=now, attempts=attempts)

    def _assess(self, prepared: Prepared, now: datetime, written: list[Path]) -> MessageRecord:
        """The message's record (its reply queued, its files added to ``written``); raises MessageFailed."""
        if prepared.error is not None or prepared.mail is None:
            raise containment.failed(prepared.error or ValueError("message not parsed"), Stage.READING)
        mail, key, digest, received_at = prepared.mail, prepared.key, prepared.digest, prepared.received_at
        base = MessageRecord(
            key=key, message_id=mail.message_id, digest=digest, received_at=received_at,
            from_addr=mail.from_addr, from_name=mail.from_name, subject=mail.subject, unit_id=None,
            counted=False, outcome=Outcome.DUPLICATE, findings=(), reply=Reply.none(Outcome.DUPLICATE),
            processed_at=now)
        if self.ledger.seen_content(mail.message_id, digest, key):
            return base
        if prepared.spam_folder:
            spam = spam_verdict(mail, self.cfg)
            return replace(base, unit_id=spam.unit_id, outcome=spam.outcome, reply=Reply.none(spam.outcome))
        with containment.stage(Stage.READING):
            items = [r.records(self.cfg) for r in prepared.readings]
        documents = [doc for docs in items for doc in docs]
        with containment.stage(Stage.DECIDING):
            in_thread = self.threads.in_campaign_thread(mail.references)
            decision = intake.decide(mail, documents, self.cfg, in_thread=in_thread)
        findings = decision.findings + ((Finding.MIME_DEFECTS,) if mail.defects else ())
        unreadable = mime.MIME_TOO_DEEP in mail.defects  # only its top headers were read: staff open it
        findings += (Finding.UNREADABLE_MESSAGE,) if unreadable else ()
        unit_id = decision.unit.id if decision.unit else None
        if documents and decision.outcome not in _RETURNED_MAIL:
            with containment.stage(Stage.ARCHIVING):
                documents = self._archive_documents(items, mail.attachments, unit_id, received_at, digest, key.uid)
        record = replace(base, unit_id=unit_id, counted=decision.counted, outcome=decision.outcome,
                         findings=findings, documents=tuple(documents), reply=Reply.none(decision.outcome),
                         note=decision.note)
        if unreadable:
            return replace(record, reply=Reply.none(Finding.UNREADABLE_MESSAGE))
        if decision.replies and decision.unit is not None:
            with containment.stage(Stage.REPLYING):
                record = self._acknowledge(mail, record, now, written)
        return record

    def _acknowledge(self, mail: IncomingMail, record: MessageRecord, now: datetime,
                     written: list[Path]) -> MessageRecord:
        unit = self.cfg.unit(record.unit_id or "")
        assert unit is not None  # noqa: S101 - decided above
        if self._braked(record, now):
            return replace(record, findings=(*record.findings, Finding.RATE_LIMITED),
                           reply=Reply.none(Finding.RATE_LIMITED))
        queued = []
        if rules.awaits_confirmation(record):  # the stranger hears nothing of the dossier; the unit hears it all
            receipt = replies.receipt(mail, record, self.cfg, now)
            queued.append(self._queue(receipt, ReplyKey.receipt(record.digest), now, written))
        to, cc = replies.reply_recipients(record, unit, mail)
        if not rules.awaits_confirmation(record) or unit.emails:
            dossier = rules.assess(unit, [*decided.unit_records(self.ledger, self.cfg, unit.id), record], self.cfg)
            message = replies.acknowledgement(mail, record, unit, dossier, self.cfg, now, to=to, cc=cc)
            queued.insert(0, self._queue(message, ReplyKey.ack(record.digest), now, written))
        return replace(record, reply=Reply.queued_as(queued[0]))

    def _queue(self, message: EmailMessage, key: ReplyKey, now: datetime, written: list[Path]) -> str:
        """Queue a reply; its file is added to ``written`` (taken back should the message fail)."""
        path = self.outbox.enqueue(message, key)
        written.append(path)
        self.threads.remember(message["Message-ID"], "ack", now)
        return path.name

    def _braked(self, record: MessageRecord, now: datetime) -> bool:
        """Too many replies: to this sender within the hour, or (mail from addresses not the unit's, which
        anyone can forge by the dozen) about this unit within the day."""
        limits = self.cfg.limits
        if self.ledger.replies_since(record.from_addr, now - timedelta(hours=1)) >= limits.replies_per_sender_per_hour:
            return True
        return rules.awaits_confirmation(record) and record.unit_id is not None and self.ledger.stranger_replies_since(
            record.unit_id, now - timedelta(days=1), Finding.UNVERIFIED_SENDER) >= limits.receipts_per_unit_per_day

    def _archive_raw(self, digest: str, raw: Raw, owner: str) -> None:
        target = self.cfg.paths.state_dir / "mail" / f"{digest}.eml"
        target.parent.mkdir(parents=True, exist_ok=True)
        self._copy([(target, raw)], owner)

    def _copy(self, files: list[tuple[Path, Raw]], owner: str) -> None:
        """Copies whose originals stay on the mail server: written on the commit group's threads when a
        poll is under way, on behalf of message ``owner`` (a mapped big message is written here: its
        mapping goes with the next fetch)."""
        in_memory = [(target, data) for target, data in files if isinstance(data, bytes)]
        if self._group is not None and len(in_memory) == len(files):
            self._group.copy_all(in_memory, owner)
            return
        for target, data in files:
            if not target.exists():
                write_atomic(target, data, fsync=False)

    def _archive_documents(self, items: list[list[DocumentRecord]], attachments: tuple[Attachment, ...],
                           unit_id: str | None, received_at: datetime, digest: str, owner: str) -> list[DocumentRecord]:
        """Keep each attachment under archive/<unit>/ with a sanitised name; the path goes in the records
        of every item it holds."""
        root = self.cfg.paths.archive.resolve()
        folder = root / filenames.safe_filename(unit_id or "_chua_xac_dinh")
        folder.mkdir(parents=True, exist_ok=True)
        stamp = received_at.astimezone(self.cfg.campaign.tz).strftime("%Y%m%d-%H%M%S")
        out: list[DocumentRecord] = []
        copies: list[tuple[Path, Raw]] = []
        seen: Counter[str] = Counter()   # a name met twice in one message (a file and its copy in a .zip)
        for docs, attachment in zip(items, attachments, strict=True):
            program = any(doc.runnable for doc in docs)  # a program or script: no double click runs it
            name = _archive_name(attachment.filename, f"{stamp}_{digest[:8]}_", program)
            seen[name] += 1
            if seen[name] > 1:
                name = _archive_name(attachment.filename, f"{stamp}_{digest[:8]}-{seen[name]}_", program)
            if "/" in name or "\\" in name or "\0" in name:  # safe_filename leaves none; a last check, no disk access
                raise ValueError(f"refusing to write outside the archive: {name!r}")
            target = folder / name
            copies.append((target, attachment.data))
            out.extend(replace(doc, archive_path=str(target.relative_to(root.parent))) for doc in docs)
        self._copy(copies, owner)
        return out

    def send(self, report: PollReport) -> None:
        delivery = self.context.send()
        if delivery.unreachable:
            log.error("%s; replies wait in %s", delivery.error, self.outbox.pending)
        report.sent += delivery.sent
        report.delivery_error = delivery.error

    def rewrite_tally(self, now: datetime, force: bool = True, read_cells: bool = True) -> bool:
        """Read the staff's decision cells, then rebuild the workbook; a poll (``force=False``) skips it while
        the ledger is unchanged since the last write, that write is under an hour old and nobody saved
        the workbook since, so an idle poll costs the same at any size (bot/app/workbook_decisions.py)."""
        # Imported here: openpyxl is about 20 MB, needed only after the documents are read and the workers
        # stopped, so it does not add to the poll's peak while a big attachment is in two processes at once.
        from bot.app import workbook_decisions

        written = workbook_decisions.rewrite(self.context, now, force, read_cells)
        self.cfg = self.context.config()   # a decision cell may have remembered an address
        return written

    def follow_decisions(self) -> Picture:
        """The decided picture, the poll's config following it (an address staff asked to remember)."""
        picture = self.context.picture()
        self.cfg = picture.cfg
        return picture

    def refresh_tally(self, now: datetime) -> str:
        """A poll's rewrite (skipped while nothing changed); what became of it, as TallyWrite's value."""
        from bot.app import workbook_decisions

        written = workbook_decisions.refresh(self.context, now, force=False)
        self.cfg = self.context.config()   # a decision cell may have remembered an address
        return str(written)

    def remind_once(self, now: datetime, dry_run: bool = False) -> list[Path | str]:
        """Queue (or, dry, describe) one reminder per unit owing something for the latest slot due."""
        picture = self.follow_decisions()
        due = rules.due_slots(self.cfg, now)
        out: list[Path | str] = []
        for dossier, slots in rules.reminders_due(picture.dossiers, due, self.ledger.reminders_sent()):
            unit = picture.cfg.unit(dossier.unit_id)
            assert unit is not None  # noqa: S101
            message = replies.reminder(unit, dossier, picture.cfg, now, due[-1].id)
            if dry_run:
                out.append(f"{unit.id} ({', '.join(unit.emails)}): {message['Subject']}\n{message.get_content()}")
                continue
            out.append(self.outbox.enqueue(message, ReplyKey.reminder(unit.id, due[-1].id)))
            self.threads.remember(message["Message-ID"], "remind", now)
            self.ledger.mark_reminded(unit.id, [slot.id for slot in slots], now)
        return out


_TALLY_CURRENT = "current"   # bot.workbook.tally.TallyWrite.CURRENT (openpyxl is imported only when writing)


def _storable(text: str) -> str:
    """Text SQLite can store: a header's undecodable bytes (lone surrogates) become U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _archive_name(filename: str, prefix: str, program: bool) -> str:
    """``prefix`` + the attachment's safe name (+ the neutral suffix of a program), in 255 bytes."""
    suffix = runnable.NEUTRAL_SUFFIX if program else ""
    room = filenames.NAME_MAX - len(prefix.encode()) - len(suffix.encode())
    return f"{prefix}{filenames.safe_filename(filename, room)}{suffix}"
