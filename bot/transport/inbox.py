"""Mail sources: they move bytes, nothing else. IMAP (imapclient) and Maildir (stdlib).

Neither changes what staff see as read or unread: IMAP fetches with BODY.PEEK, so \\Seen stays
the staff's. With ``mailbox.mark_processed`` the folder is opened read-write only to add a Gmail
label (servers with X-GM-EXT-1) or an IMAP keyword elsewhere to each processed message; without
it the folder is selected read-only. Maildir files are never moved.
"""

from __future__ import annotations

import email.utils
import logging
import mailbox
import mmap
import os
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from bot.config.schema import MailboxConfig
from bot.transport.credentials import CredentialError, oauth2_access_token, secret
from bot.transport.progress import Progress
from bot.transport.spool import clear, fetch_in_parts, release

log = logging.getLogger(__name__)

FETCH_BATCH = 10
SPOOL_OVER = 8 * 1024 * 1024  # messages above this size (RFC822.SIZE) are fetched in parts into a file
SPOOL_CHUNK = 4 * 1024 * 1024
META_BATCH = 200
_MSGID_ITEM = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"


class SourceError(Exception):
    """The mailbox cannot be reached or read: this run stops, the next tick tries again."""


class FolderMissing(SourceError):
    """The configured folder does not exist on the server (a typo, or not a Gmail account)."""


# Gmail names its system folders in the account's language («[Gmail]/Thư rác»); they carry these
# RFC 6154 special-use flags whatever their name.
SPECIAL_USE = {"[gmail]/all mail": b"\\All", "[gmail]/spam": b"\\Junk"}


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

    def candidates(self, after_uid: int, known: set[str], retry: list[str]) -> list[Candidate]:
        """Messages not processed yet, cheapest metadata only."""

    def fetch(self, uids: list[str]) -> Iterator[tuple[str, bytes | mmap.mmap, datetime]]:
        """(uid, raw bytes, server arrival time) for each uid, in order; a big message's bytes may come
        memory-mapped, valid until the next item is asked for."""

    def mark_done(self, uids: list[str]) -> None:
        """Show staff that these messages were processed (a label or keyword); never raises."""

    def close(self) -> None: ...


def open_source(cfg: MailboxConfig, stopping: threading.Event | None = None,
                spool_dir: Path | None = None) -> MailSource:
    """The configured source; once ``stopping`` is set, ``fetch`` ends after the message in hand.
    Big IMAP messages are fetched into ``spool_dir`` (the state dir's spool/ in the bot)."""
    if cfg.kind == "maildir":
        assert cfg.path is not None  # noqa: S101 - guaranteed by config validation
        return MaildirSource(cfg.path, stopping)
    return ImapSource(cfg, stopping, spool_dir)


def open_sources(cfg: MailboxConfig, stopping: threading.Event | None = None,
                 spool_dir: Path | None = None) -> list[MailSource]:
    """Every folder to read, in order (``mailbox.folders``), then the spam folder when there is one."""
    if cfg.kind == "maildir":
        return [open_source(cfg, stopping, spool_dir)]
    sources: list[MailSource] = [ImapSource(cfg, stopping, spool_dir, folder) for folder in cfg.folders]
    if cfg.spam_folder:
        sources.append(ImapSource(cfg, stopping, spool_dir, cfg.spam_folder, spam=True))
    return sources


def _stop_requested(stopping: threading.Event | None, left: int) -> bool:
    if stopping is None or not stopping.is_set():
        return False
    log.info("stopping: %d message(s) left for the next run", left)
    return True


class MaildirSource:
    """A local Maildir (the embedded default). UIDs are Maildir keys; validity is 0."""

    def __init__(self, path: Path, stopping: threading.Event | None = None) -> None:
        self.path = path
        self.stopping = stopping
        self.name = f"maildir:{path.name}"
        self.folder = path.name
        self.spam = False
        self._box: mailbox.Maildir | None = None

    def open(self) -> int:
        if not (self.path / "cur").is_dir() and not (self.path / "new").is_dir():
            raise SourceError(f"{self.path} is not a Maildir (no cur/ or new/ folder)")
        self._box = mailbox.Maildir(self.path, factory=None, create=False)
        return 0

    def candidates(self, after_uid: int, known: set[str], retry: list[str]) -> list[Candidate]:
        assert self._box is not None  # noqa: S101
        keys = (key for key in sorted(self._box.keys()) if not key.startswith("."))  # dotfiles are not mail
        return [Candidate(uid=key) for key in keys if key not in known or key in retry]

    def fetch(self, uids: list[str]) -> Iterator[tuple[str, bytes, datetime]]:
        assert self._box is not None  # noqa: S101
        for index, uid in enumerate(uids):
            if _stop_requested(self.stopping, len(uids) - index):
                return
            path = self.path / self._box._lookup(uid)
            raw = path.read_bytes()
            yield uid, raw, arrival_time(raw, datetime.fromtimestamp(path.stat().st_mtime, UTC))

    def mark_done(self, uids: list[str]) -> None:
        """Maildir files are left exactly as they are."""

    def close(self) -> None:
        self._box = None


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


class ImapSource:
    """One IMAP folder (default: the first of ``mailbox.folders``) through imapclient, TLS verified."""

    def __init__(self, cfg: MailboxConfig, stopping: threading.Event | None = None,
                 spool_dir: Path | None = None, folder: str | None = None, spam: bool = False) -> None:
        self.cfg = cfg
        self.folder = folder or cfg.folder
        self.spam = spam
        self.stopping = stopping
        self.spool_dir = spool_dir or Path(tempfile.gettempdir()) / f"mailbot-spool-{os.getpid()}"
        self.spool_over, self.spool_chunk = SPOOL_OVER, SPOOL_CHUNK
        self._sizes: dict[int, int] = {}
        self.name = f"imap:{cfg.user}@{cfg.host}/{self.folder}"
        self._client = None
        self._capabilities: set[bytes] = set()
        self._marking = False  # set at open; off once a mark failed on this connection
        self._label_ready = False

    def open(self) -> int:
        from imapclient import IMAPClient
        from imapclient.exceptions import IMAPClientError, LoginError

        cfg = self.cfg
        try:
            context = ssl.create_default_context(cafile=str(cfg.cafile) if cfg.cafile else None)
            client = IMAPClient(cfg.host, port=cfg.port, ssl=cfg.tls == "ssl", ssl_context=context,
                                timeout=cfg.timeout_seconds)
            client.normalise_times = False
            if cfg.tls == "starttls":
                client.starttls(context)
            self._client = client
            if cfg.auth == "oauth2":
                assert cfg.token_file is not None  # noqa: S101 - config validation requires it
                client.oauth2_login(cfg.user, oauth2_access_token(cfg.token_file))
            else:
                client.login(cfg.user, secret(cfg.password_env, cfg.password_file, "mailbox"))
            info = self._select(client)
            self._capabilities = set(client.capabilities())
            self._marking = cfg.mark_processed and not self.spam
        except CredentialError as exc:
            raise SourceError(str(exc)) from exc
        except LoginError as exc:
            what = "OAuth2 token" if cfg.auth == "oauth2" else "app password"
            raise SourceError(f"IMAP login refused for {cfg.user} at {cfg.host}: check the user and the {what}"
                              f" ({_text(exc)})") from exc
        except ssl.SSLError as exc:
            raise SourceError(f"TLS with {cfg.host}:{cfg.port} failed: {exc.reason or exc}") from exc
        except (OSError, IMAPClientError) as exc:
            raise SourceError(f"IMAP server {cfg.host}:{cfg.port} unreachable or refused: {_text(exc)}") from exc
        return int(info.get(b"UIDVALIDITY", 0))

    def _select(self, client):  # type: ignore[no-untyped-def]
        """Select the folder; a missing one may be a Gmail system folder under a localised name."""
        from imapclient.exceptions import IMAPClientError

        readonly = self.spam or not self.cfg.mark_processed
        try:
            return client.select_folder(self.folder, readonly=readonly)
        except IMAPClientError:
            if client.folder_exists(self.folder):
                raise
        flag = SPECIAL_USE.get(self.folder.casefold())
        found = next((name for flags, _, name in client.list_folders() if flag in flags), None) if flag else None
        if found is None:
            raise FolderMissing(f"folder «{self.folder}» does not exist in {self.cfg.user} at {self.cfg.host}"
                                " (check mailbox.folders / mailbox.spam_folder)")
        log.debug("folder %s is «%s» on this server", self.folder, found)
        return client.select_folder(found, readonly=readonly)

    def candidates(self, after_uid: int, known: set[str], retry: list[str]) -> list[Candidate]:
        criteria: list[object] = ["UID", f"{after_uid + 1}:*"]
        if self.cfg.since and after_uid == 0:
            criteria += ["SINCE", self.cfg.since]
        uids = [u for u in self._call(self._client.search, criteria) if u > after_uid and str(u) not in known]
        uids = sorted(set(uids) | {int(u) for u in retry})
        return self._metadata(uids)

    def _metadata(self, uids: list[int]) -> list[Candidate]:
        out = []
        for start in range(0, len(uids), META_BATCH):
            batch = uids[start:start + META_BATCH]
            data = self._call(self._client.fetch, batch, ["RFC822.SIZE", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
            for uid in batch:
                item = data.get(uid, {})
                header = item.get(_MSGID_ITEM, b"").decode("ascii", "replace")
                message_id = header.split(":", 1)[1].strip() if ":" in header else ""
                out.append(Candidate(str(uid), message_id, int(item.get(b"RFC822.SIZE", 0))))
                self._sizes[uid] = out[-1].size
        return out

    def fetch(self, uids: list[str]) -> Iterator[tuple[str, bytes | mmap.mmap, datetime]]:
        numbers = [int(u) for u in uids]
        progress = Progress(len(numbers)) if len(numbers) > FETCH_BATCH else None
        clear(self.spool_dir)
        for start in range(0, len(numbers), FETCH_BATCH):
            if progress:
                progress.show(start)
            batch = numbers[start:start + FETCH_BATCH]
            whole = [uid for uid in batch if self._sizes.get(uid, 0) <= self.spool_over]
            data = self._call(self._client.fetch, whole, ["BODY.PEEK[]", "INTERNALDATE"]) if whole else {}
            for index, uid in enumerate(batch, start):
                if _stop_requested(self.stopping, len(numbers) - index):
                    return
                if uid not in whole:
                    yield from self._spooled(uid)
                    continue
                item = data.get(uid)
                if item is None or b"BODY[]" not in item:
                    log.warning("message UID %s vanished from the server before it was fetched", uid)
                    continue
                yield str(uid), bytes(item[b"BODY[]"]), _aware(item.get(b"INTERNALDATE"))

        if progress:
            progress.show(len(numbers))

    def _spooled(self, uid: int) -> Iterator[tuple[str, mmap.mmap, datetime]]:
        """A big message fetched in parts into a spool file and mapped, instead of read whole into memory."""
        target = self.spool_dir / f"{uid}.eml.part"
        fetched = self._call(fetch_in_parts, self._client.fetch, uid, target, self.spool_chunk)
        if fetched is None:
            target.unlink(missing_ok=True)
            log.warning("message UID %s vanished from the server before it was fetched", uid)
            return
        view, stamp = fetched
        try:
            yield str(uid), view, _aware(stamp)
        finally:
            release(view, target)

    def mark_done(self, uids: list[str]) -> None:
        if not self._marking or not uids:
            return
        from imapclient.exceptions import IMAPClientError

        numbers = [int(u) for u in uids if u.isdigit()]
        try:
            if self.is_gmail():
                if not self._label_ready:  # a label is a folder in Gmail's IMAP; make sure it exists once
                    if not self._client.folder_exists(self.cfg.label):
                        self._client.create_folder(self.cfg.label)
                    self._label_ready = True
                self._client.add_gmail_labels(numbers, [self.cfg.label], silent=True)
            else:
                self._client.add_flags(numbers, [self.cfg.keyword], silent=True)
        except (OSError, IMAPClientError) as exc:
            self._marking = False
            log.warning("could not mark UID(s) %s as processed for staff: %s; no more marks on this connection",
                        uids, _text(exc))

    def can_idle(self) -> bool:
        return b"IDLE" in self._capabilities

    def is_gmail(self) -> bool:
        return b"X-GM-EXT-1" in self._capabilities

    def wait_for_mail(self, seconds: float, stopping: threading.Event) -> bool:
        """IDLE for up to ``seconds`` (or until ``stopping``); True when the server announced new mail."""
        client = self._client
        self._call(client.idle)
        new = False
        try:
            end = time.monotonic() + seconds
            while not new and not stopping.is_set() and time.monotonic() < end:
                new = _announces_mail(self._call(client.idle_check, min(1.0, max(0.05, end - time.monotonic()))))
        finally:
            done = self._call(client.idle_done)
        return new or _announces_mail(done[1])

    def mail_arrived(self) -> bool:
        """NOOP: did mail arrive while we were not idling (the server tells on the next command)?"""
        return _announces_mail(self._call(self._client.noop)[1])

    def _call(self, method, *args):  # type: ignore[no-untyped-def]
        from imapclient.exceptions import IMAPClientError

        try:
            return method(*args)
        except (OSError, IMAPClientError) as exc:
            raise SourceError(f"IMAP connection to {self.cfg.host} failed: {_text(exc)}") from exc

    def close(self) -> None:
        if self._client is None:
            return
        try:
            self._client.logout()
        except Exception:  # noqa: BLE001 - the connection may already be broken; closing must not raise
            log.debug("IMAP logout failed; dropping the connection")
        self._client = None


def _aware(stamp: datetime | None) -> datetime:
    stamp = stamp or datetime.now(UTC)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _announces_mail(responses: list[object]) -> bool:
    return any(isinstance(r, tuple) and len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses)


def _text(exc: BaseException) -> str:
    value = exc.args[0] if exc.args else exc
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
