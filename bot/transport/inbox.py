"""Mail sources: they move bytes, nothing else. IMAP (imapclient) and Maildir (stdlib).

Neither changes what staff see as read or unread: IMAP fetches with BODY.PEEK, so \\Seen stays
the staff's. With ``mailbox.mark_processed`` the folder is opened read-write only to add a Gmail
label (servers with X-GM-EXT-1) or an IMAP keyword elsewhere to each processed message; without
it the folder is selected read-only. Maildir files are never moved.
"""

from __future__ import annotations

import logging
import mmap
import os
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Container, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.config.schema import MailboxConfig
from bot.errors import CredentialError, FolderMissing, SourceError
from bot.transport.credentials import oauth2_access_token, secret
from bot.transport.maildir import MaildirSource
from bot.transport.progress import Progress
from bot.transport.source import Candidate, MailSource, stop_requested
from bot.transport.spool import clear, fetch_in_parts, release

log = logging.getLogger(__name__)
_R = TypeVar("_R")

if TYPE_CHECKING:
    from imapclient import IMAPClient

FETCH_BATCH = 10
SPOOL_OVER = 8 * 1024 * 1024  # messages above this size (RFC822.SIZE) are fetched in parts into a file
SPOOL_CHUNK = 4 * 1024 * 1024
META_BATCH = 200
_MSGID_ITEM = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"


# Gmail names its system folders in the account's language («[Gmail]/Thư rác»); they carry these
# RFC 6154 special-use flags whatever their name.
SPECIAL_USE = {"[gmail]/all mail": b"\\All", "[gmail]/spam": b"\\Junk"}


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
        self._client: IMAPClient | None = None
        self._capabilities: set[bytes] = set()
        self._marking = False  # set at open; off once a mark failed on this connection
        self._label_ready = False
        self._commands = threading.RLock()  # a prefetch thread fetches while the poll marks (prefetch.py)

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

    def _select(self, client: IMAPClient) -> dict[bytes, Any]:
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

    def candidates(self, after_uid: int, known: Container[str], retry: list[str]) -> list[Candidate]:
        criteria: list[object] = ["UID", f"{after_uid + 1}:*"]
        if self.cfg.since and after_uid == 0:
            criteria += ["SINCE", self.cfg.since]
        uids = [u for u in self._call(self.client.search, criteria) if u > after_uid and str(u) not in known]
        uids = sorted(set(uids) | {int(u) for u in retry})
        return self._metadata(uids)

    def _metadata(self, uids: list[int]) -> list[Candidate]:
        out = []
        for start in range(0, len(uids), META_BATCH):
            batch = uids[start:start + META_BATCH]
            data = self._call(self.client.fetch, batch, ["RFC822.SIZE", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
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
            data = self._call(self.client.fetch, whole, ["BODY.PEEK[]", "INTERNALDATE"]) if whole else {}
            for index, uid in enumerate(batch, start):
                if stop_requested(self.stopping, len(numbers) - index):
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
        fetched = self._call(fetch_in_parts, self.client.fetch, uid, target, self.spool_chunk)
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
            with self._commands:
                self._mark(numbers)
        except (OSError, IMAPClientError) as exc:
            self._marking = False
            log.warning("could not mark UID(s) %s as processed for staff: %s; no more marks on this connection",
                        uids, _text(exc))

    def _mark(self, numbers: list[int]) -> None:
        if self.is_gmail():
            if not self._label_ready:  # a label is a folder in Gmail's IMAP; make sure it exists once
                if not self.client.folder_exists(self.cfg.label):
                    self.client.create_folder(self.cfg.label)
                self._label_ready = True
            self.client.add_gmail_labels(numbers, [self.cfg.label], silent=True)
        else:
            self.client.add_flags(numbers, [self.cfg.keyword], silent=True)

    def can_idle(self) -> bool:
        return b"IDLE" in self._capabilities

    def is_gmail(self) -> bool:
        return b"X-GM-EXT-1" in self._capabilities

    def wait_for_mail(self, seconds: float, stopping: threading.Event) -> bool:
        """IDLE for up to ``seconds`` (or until ``stopping``); True when the server announced new mail."""
        client = self.client
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
        return _announces_mail(self._call(self.client.noop)[1])

    @property
    def client(self) -> IMAPClient:
        """The connection :meth:`open` made."""
        if self._client is None:
            raise SourceError(f"IMAP {self.cfg.host}: not connected")
        return self._client

    def _call(self, method: Callable[..., _R], *args: object) -> _R:
        """``method(*args)`` on the connection; a broken connection becomes a SourceError."""
        from imapclient.exceptions import IMAPClientError

        try:
            with self._commands:
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
