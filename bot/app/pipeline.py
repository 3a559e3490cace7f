"""The use cases: one poll cycle and one reminder round, composed from the pure core and the I/O edges.

Order per message (crash-safe): archive raw bytes -> parse and decide -> enqueue the reply
(idempotent by file name) -> commit to the ledger. A crash before the commit means the
message is processed again next time and the enqueue is a no-op; nothing is lost.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from bot.app import decided, workbook_decisions
from bot.app.guard import DocumentGuard
from bot.config.schema import Config
from bot.core import intake, rules
from bot.core.model import (
    Attachment,
    DocumentRecord,
    Finding,
    IncomingMail,
    MessageKey,
    MessageRecord,
    Outcome,
    Reply,
)
from bot.core.spam import spam_verdict
from bot.message import mime, replies
from bot.message.bigparts import Raw
from bot.state.ledger import Ledger
from bot.transport import spool
from bot.transport.inbox import Candidate, FolderMissing, MailSource
from bot.transport.outbox import DeliveryError, Outbox, write_atomic

log = logging.getLogger(__name__)
TALLY_REFRESH = timedelta(hours=1)


@dataclass
class PollReport:
    examined: int = 0
    replies: int = 0
    sent: int = 0
    errors: int = 0
    delivery_error: str = ""

    def line(self) -> str:
        text = f"{self.examined} new message(s), {self.replies} reply(ies) queued, {self.sent} sent"
        if self.errors:
            text += f", {self.errors} failed (kept for retry and review)"
        return text + (f"; SMTP: {self.delivery_error}" if self.delivery_error else "")


class _KnownUids:
    """``uid in known`` asked of the ledger per UID: an IMAP poll checks only the few UIDs above its
    cursor, so an idle poll no longer loads every UID of a 50,000-message mailbox."""

    def __init__(self, ledger: Ledger, source: str, validity: int) -> None:
        self.ledger, self.source, self.validity = ledger, source, validity

    def __contains__(self, uid: object) -> bool:
        return self.ledger.is_known(self.source, self.validity, str(uid))


class Runner:
    """Holds the long-lived pieces (config, ledger, outbox) of one process."""

    def __init__(self, cfg: Config, ledger: Ledger, outbox: Outbox) -> None:
        self.base_cfg = cfg      # the file as written; ``cfg`` adds the addresses staff asked to remember
        self.cfg = decided.effective_config(ledger, cfg)
        self.ledger = ledger
        self.outbox = outbox
        self.guard = DocumentGuard()
        self._missing: set[str] = set()  # folders already reported missing (one warning per process)

    def poll_once(self, source: MailSource, now: datetime) -> PollReport:
        """Fetch what is new, process it, queue replies, rewrite the tally (reading staff decisions), send."""
        return self.poll_all([source], now)

    def poll_all(self, sources: Sequence[MailSource], now: datetime) -> PollReport:
        """:meth:`poll_once` over several folders in turn; a missing folder after the first is logged and
        skipped. The ledger sees each message before the next folder is read: nothing counts twice."""
        report = PollReport()
        self.cfg = decided.effective_config(self.ledger, self.base_cfg)
        try:
            for index, source in enumerate(sources):
                try:
                    self._poll_folder(source, now, report)
                except FolderMissing as exc:
                    if index == 0:
                        raise
                    log.log(logging.WARNING if source.name not in self._missing else logging.DEBUG,
                            "%s; its mail is not read", exc)
                    self._missing.add(source.name)
        finally:
            self.guard.close()
        self.rewrite_tally(now, force=False)   # first: a decision read from it may owe an acknowledgement
        self.send(report)
        return report

    def _poll_folder(self, source: MailSource, now: datetime, report: PollReport) -> None:
        try:
            validity = source.open()
            for uid, raw, received_at in source.fetch(self._to_fetch(source, validity, now)):
                record = self.process(MessageKey(source.name, validity, uid), raw, received_at, now,
                                      spam_folder=source.folder if source.spam else "")
                report.examined += 1
                report.replies += record.reply.sent
                report.errors += record.outcome == Outcome.ERROR
                if record.outcome != Outcome.ERROR:
                    source.mark_done([uid])
        finally:
            source.close()

    def _to_fetch(self, source: MailSource, validity: int, now: datetime) -> list[str]:
        """New UIDs minus what needs no body: known Message-IDs (a UIDVALIDITY reset) and oversize mail."""
        known = _KnownUids(self.ledger, source.name, validity)
        retry = self.ledger.retry_uids(source.name, validity)
        candidates = source.candidates(self.ledger.cursor(source.name, validity), known, retry)  # type: ignore[arg-type]
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
        digest = hashlib.sha256(raw).hexdigest()
        self._archive_raw(digest, raw)
        try:
            record = self._assess(key, raw, digest, received_at, now, spam_folder)
        except Exception as exc:
            log.exception("message %s could not be processed", key.uid)
            record = MessageRecord(
                key=key, message_id="", digest=digest, received_at=received_at, from_addr="", from_name="",
                subject="", unit_id=None, counted=False, outcome=Outcome.ERROR,
                error=f"{type(exc).__name__}: {exc}"[:500], reply=Reply.none(Outcome.ERROR),
                processed_at=now, attempts=self.ledger.attempts(key) + 1)
        self.ledger.record(record)
        log.info("message %s from %s: %s, %s", key.uid, record.from_addr or "?", record.outcome, record.reply)
        return record

    def _assess(self, key: MessageKey, raw: Raw, digest: str, received_at: datetime,
                now: datetime, spam_folder: str) -> MessageRecord:
        mail = mime.parse(raw)
        spool.drop_pages(raw)  # the attachments are decoded: a big message's mapped bytes are not needed now
        base = MessageRecord(
            key=key, message_id=mail.message_id, digest=digest, received_at=received_at,
            from_addr=mail.from_addr, from_name=mail.from_name, subject=mail.subject, unit_id=None,
            counted=False, outcome=Outcome.DUPLICATE, findings=(), reply=Reply.none(Outcome.DUPLICATE),
            processed_at=now)
        if self.ledger.seen_content(mail.message_id, digest, key):
            return base
        if spam_folder:
            spam = spam_verdict(mail, self.cfg)
            return replace(base, unit_id=spam.unit_id, outcome=spam.outcome, reply=Reply.none(spam.outcome))
        items = [intake.read_items(a, self.cfg, self.guard.extract) for a in mail.attachments]
        documents = [doc for docs in items for doc in docs]
        decision = intake.decide(mail, documents, self.cfg)
        findings = decision.findings + ((str(Finding.MIME_DEFECTS),) if mail.defects else ())
        unit_id = decision.unit.id if decision.unit else None
        if documents and decision.outcome not in (Outcome.BOUNCE, Outcome.READ_RECEIPT, Outcome.OWN_REPLY):
            documents = self._archive_documents(items, mail.attachments, unit_id, received_at, digest)
        record = replace(base, unit_id=unit_id, counted=decision.counted, outcome=decision.outcome,
                         findings=findings, documents=tuple(documents), reply=Reply.none(decision.outcome))
        if decision.replies and decision.unit is not None:
            record = self._acknowledge(mail, record, now)
        return record

    def _acknowledge(self, mail: IncomingMail, record: MessageRecord, now: datetime) -> MessageRecord:
        unit = self.cfg.unit(record.unit_id or "")
        assert unit is not None  # noqa: S101 - decided above
        hour_ago = now - timedelta(hours=1)
        if self.ledger.replies_since(record.from_addr, hour_ago) >= self.cfg.limits.replies_per_sender_per_hour:
            return replace(record, findings=(*record.findings, str(Finding.RATE_LIMITED)),
                           reply=Reply.none(Finding.RATE_LIMITED))
        dossier = rules.assess(unit, [*decided.unit_records(self.ledger, self.cfg, unit.id), record], self.cfg)
        to, cc = replies.reply_recipients(record, unit, mail)
        message = replies.acknowledgement(mail, record, unit, dossier, self.cfg, now, to=to, cc=cc)
        path = self.outbox.enqueue(message, f"ack:{record.digest}")
        return replace(record, reply=Reply.queued_as(path.name))

    def _archive_raw(self, digest: str, raw: Raw) -> None:
        target = self.cfg.paths.state_dir / "mail" / f"{digest}.eml"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, raw, durable=False)  # the original stays on the mail server

    def _archive_documents(self, items: list[list[DocumentRecord]], attachments: tuple[Attachment, ...],
                           unit_id: str | None, received_at: datetime, digest: str) -> list[DocumentRecord]:
        """Keep each attachment under archive/<unit>/ with a sanitised name; the path goes in the records
        of every item it holds."""
        root = self.cfg.paths.archive.resolve()
        folder = root / intake.safe_filename(unit_id or "_chua_xac_dinh")
        folder.mkdir(parents=True, exist_ok=True)
        stamp = received_at.astimezone(self.cfg.campaign.tz).strftime("%Y%m%d-%H%M%S")
        out = []
        for docs, attachment in zip(items, attachments, strict=True):
            target = folder / f"{stamp}_{digest[:8]}_{intake.safe_filename(attachment.filename)}"
            if target.resolve().parent != folder:
                raise ValueError(f"refusing to write outside the archive: {target}")
            if not target.exists():
                write_atomic(target, attachment.data, durable=False)
            out.extend(replace(doc, archive_path=str(target.relative_to(root.parent))) for doc in docs)
        return out

    def send(self, report: PollReport) -> None:
        if self.cfg.smtp is None:
            return
        try:
            drained = self.outbox.drain(self.cfg.smtp)
        except DeliveryError as exc:
            report.delivery_error = str(exc)
            log.error("%s; replies wait in %s", exc, self.outbox.pending)
            return
        report.sent += drained.sent
        report.delivery_error = drained.error

    def rewrite_tally(self, now: datetime, force: bool = True, read_cells: bool = True) -> bool:
        """Read the staff's decision cells, then rebuild the workbook; a poll (``force=False``) skips it while
        the ledger is unchanged since the last write, that write is under TALLY_REFRESH old and nobody saved
        the workbook since, so an idle poll costs the same at any size (bot/app/workbook_decisions.py)."""
        return workbook_decisions.rewrite(self, now, force, read_cells)

    def _tally_fresh(self, generation: int, now: datetime) -> bool:
        built, _, stamp = (self.ledger.meta("tally") or "").partition(" ")
        if not stamp or built != str(generation) or not self.cfg.paths.tally.exists():
            return False
        return now - datetime.fromisoformat(stamp) < TALLY_REFRESH

    def remind_once(self, now: datetime, dry_run: bool = False) -> list[Path | str]:
        """Queue (or, dry, describe) one reminder per unit owing something for the latest slot due."""
        self.cfg = decided.effective_config(self.ledger, self.base_cfg)
        due = rules.due_slots(self.cfg, now)
        dossiers = rules.assess_all(decided.records(self.ledger, self.cfg), self.cfg)
        out: list[Path | str] = []
        for dossier, slots in rules.reminders_due(dossiers, due, self.ledger.reminders_sent()):
            unit = self.cfg.unit(dossier.unit_id)
            assert unit is not None  # noqa: S101
            message = replies.reminder(unit, dossier, self.cfg, now, due[-1].id)
            if dry_run:
                out.append(f"{unit.id} ({', '.join(unit.emails)}): {message['Subject']}\n{message.get_content()}")
                continue
            out.append(self.outbox.enqueue(message, f"remind:{unit.id}:{due[-1].id}"))
            self.ledger.mark_reminded(unit.id, [slot.id for slot in slots], now)
        return out
