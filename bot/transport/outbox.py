"""A file queue of outgoing mail that staff can open: ``pending/``, ``sent/``, ``failed/`` of .eml files.

Enqueue is idempotent: the file name derives from the idempotency key, and a key already in
any of the three folders is not queued again. Files are written whole (bot.state.files: temporary
file, fsync, rename, fsync of the folder), so a crash never leaves a half-written message in ``pending/``.
Between :meth:`Outbox.defer_sync` and :meth:`Outbox.sync_deferred` (a poll's group commit,
bot/app/commit_group.py) the fsyncs wait and are done together, before the ledger names the files.

Delivery is at-least-once. The one window for a duplicate: the SMTP server accepted the
message and mailbot died before moving the file to ``sent/``. The move happens right after
``send_message`` returns, and the Message-ID was fixed at enqueue time, so such a duplicate
carries the same Message-ID and mail clients fold it.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

from bot.config.schema import SmtpConfig
from bot.core.reply_keys import ReplyKey
from bot.errors import CredentialError, DeliveryError
from bot.state.files import sync_files, write_atomic
from bot.transport.credentials import oauth2_access_token, secret, xoauth2_string

log = logging.getLogger(__name__)

MAX_TEMPORARY_ATTEMPTS = 20


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    error: str = ""


class Outbox:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.pending = root / "pending"
        self.sent = root / "sent"
        self.failed = root / "failed"
        for folder in (self.pending, self.sent, self.failed):
            folder.mkdir(parents=True, exist_ok=True)
        self._unsynced: list[Path] | None = None  # queued since defer_sync(), not yet on disk for sure

    @staticmethod
    def file_name(idem_key: ReplyKey) -> str:
        return f"{idem_key.kind}-{hashlib.sha256(str(idem_key).encode()).hexdigest()[:20]}.eml"

    def _existing(self, idem_key: ReplyKey) -> Path | None:
        name = self.file_name(idem_key)
        return next((f / name for f in (self.pending, self.sent, self.failed) if (f / name).exists()), None)

    def contains(self, idem_key: ReplyKey) -> bool:
        return self._existing(idem_key) is not None

    def enqueue(self, message: EmailMessage, idem_key: ReplyKey) -> Path:
        """Queue once per key; returns the file (existing or new)."""
        existing = self._existing(idem_key)
        if existing is not None:
            return existing
        target = self.pending / self.file_name(idem_key)
        data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))  # the message's policy, SMTP line ends
        if self._unsynced is not None:
            write_atomic(target, data, fsync=False)
            self._unsynced.append(target)
        else:
            write_atomic(target, data, sync_folder=True)  # the ledger relies on it
        return target

    def defer_sync(self) -> None:
        """Queue without waiting for the disk until :meth:`sync_deferred`."""
        if self._unsynced is None:
            self._unsynced = []

    def sync_deferred(self) -> None:
        """Make every file queued since :meth:`defer_sync` durable (files, then the folder), stop deferring."""
        unsynced, self._unsynced = self._unsynced or [], None
        sync_files([path for path in unsynced if path.exists()])  # a file already sent on has moved on

    def withdraw(self, path: Path) -> bool:
        """Take back a reply queued since :meth:`defer_sync` (its message failed before its commit); a reply
        from before stays queued. True when the file was removed."""
        if self._unsynced is None or path not in self._unsynced:
            return False
        self._unsynced.remove(path)
        path.unlink(missing_ok=True)
        return True

    def discard_deferred(self) -> None:
        """Take back every reply queued since :meth:`defer_sync` (a group rolled back), stop deferring."""
        unsynced, self._unsynced = self._unsynced or [], None
        for path in unsynced:
            path.unlink(missing_ok=True)

    def pending_files(self) -> list[Path]:
        return sorted(self.pending.glob("*.eml"))

    def drain(self, cfg: SmtpConfig) -> DrainReport:
        """Send everything pending over one SMTP connection."""
        report = DrainReport()
        files = self.pending_files()
        if not files:
            return report
        with _connect(cfg) as smtp:
            for path in files:
                try:
                    self._send_one(smtp, path, report)
                except (smtplib.SMTPServerDisconnected, OSError) as exc:
                    # e.g. after a 421 smtplib closes the connection: the rest waits for the next drain
                    report.error = f"connection to {cfg.host} lost: {exc}"
                    log.warning("SMTP %s; %s stays pending", report.error, path.name)
                    break
        return report

    def _send_one(self, smtp: smtplib.SMTP, path: Path, report: DrainReport) -> None:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        recipients = [a for _, a in getaddresses(message.get_all("To", []) + message.get_all("Cc", [])) if a]
        sender = getaddresses([str(message.get("From", ""))])[0][1]
        try:
            smtp.send_message(message, from_addr=sender, to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(400 <= code < 500 for code in codes):  # greylisting, mailbox busy
                self._defer(path, f"recipients deferred: {exc.recipients}", report)
            else:
                self._fail(path, f"recipients refused: {exc.recipients}", report)
            return
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                self._defer(path, f"{exc.smtp_code} {_text(exc.smtp_error)}", report)
            else:
                self._fail(path, f"{exc.smtp_code} {_text(exc.smtp_error)}", report)
            return
        path.replace(self.sent / path.name)
        _sidecar(path, ".attempts").unlink(missing_ok=True)
        report.sent += 1
        log.info("reply sent: %s to %s", path.name, ", ".join(recipients))

    def _defer(self, path: Path, reason: str, report: DrainReport) -> None:
        counter = _sidecar(path, ".attempts")
        attempts = int(counter.read_text() or 0) + 1 if counter.exists() else 1
        if attempts >= MAX_TEMPORARY_ATTEMPTS:
            self._fail(path, f"gave up after {attempts} temporary failures, last: {reason}", report)
            return
        write_atomic(counter, str(attempts).encode())
        report.deferred += 1
        log.warning("SMTP deferred %s (%s); it stays pending", path.name, reason)

    def _fail(self, path: Path, reason: str, report: DrainReport) -> None:
        write_atomic(self.failed / (path.stem + ".err"), reason.encode())
        path.replace(self.failed / path.name)
        _sidecar(path, ".attempts").unlink(missing_ok=True)
        report.failed += 1
        log.error("SMTP refused %s for good: %s (moved to failed/)", path.name, reason)


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.stem + suffix)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def probe(cfg: SmtpConfig) -> None:
    """Connect, log in and say NOOP, as a drain would (``mailbot check``): DeliveryError when SMTP cannot be
    used at all, SMTPException or OSError when the server misbehaves after login."""
    with _connect(cfg) as smtp:
        smtp.noop()


def _connect(cfg: SmtpConfig) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=str(cfg.cafile) if cfg.cafile else None)
    try:
        if cfg.tls == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_seconds, context=context)
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_seconds)
            if cfg.tls == "starttls":
                smtp.starttls(context=context)
        if cfg.user:
            _login(smtp, cfg)
    except CredentialError as exc:
        raise DeliveryError(str(exc)) from exc
    except smtplib.SMTPAuthenticationError as exc:
        what = "OAuth2 token" if cfg.auth == "oauth2" else "app password"
        raise DeliveryError(f"SMTP login refused for {cfg.user} at {cfg.host}: check the {what}"
                            f" ({exc.smtp_code})") from exc
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS with {cfg.host}:{cfg.port} failed: {exc.reason or exc}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP server {cfg.host}:{cfg.port} unreachable: {exc}") from exc
    return smtp


def _login(smtp: smtplib.SMTP, cfg: SmtpConfig) -> None:
    if cfg.auth != "oauth2":
        smtp.login(cfg.user, secret(cfg.password_env, cfg.password_file, "smtp"))
        return
    assert cfg.token_file is not None  # noqa: S101 - config validation requires it
    initial = xoauth2_string(cfg.user, oauth2_access_token(cfg.token_file))
    smtp.ehlo_or_helo_if_needed()
    # On failure the server sends a 334 challenge (a JSON error); the empty answer ends the exchange.
    smtp.auth("XOAUTH2", lambda challenge=None: "" if challenge else initial, initial_response_ok=True)
