"""Group commit: a poll's messages committed to the ledger a few at a time.

Each ledger row needs its reply file on disk first (an fsync of the file, then of the folder) and
the IMAP server a STORE of the staff marker: per message two waits on the disk, a commit and a
round trip, the largest serial part of a poll once the documents are read on every core. A group
keeps one SQLite transaction open over up to :data:`GROUP_MESSAGES` messages or
:data:`GROUP_SECONDS`; its replies are written without waiting for the disk. Closing the group
fsyncs them (the files, then the folder once), commits, and only then marks the messages on the
server in one command. Later messages of the group read the earlier ones' rows (one connection),
so every decision is the one a message-at-a-time commit makes.

The copies a group's rows name (the raw mail under ``state/mail/``, attachments under
``archive/``: whole-file writes, not fsynced, bot/state/files.py) are written on threads of their
own while the main thread goes on deciding; creating thousands of files blocked it on the disk's
journal for seconds per thousand messages. The group waits for them before its commit, and the
server marks go out on a thread too, after the commit.

A crash before the COMMIT loses the group's rows, never a reply or copy they name: the next poll
processes those messages again and finds each reply already queued under its name
(bot/transport/outbox.py). A copy belongs to the message it was made for (``owner``, its UID): when
one cannot be written (a name too long, a full disk), closing rolls the group back, takes back the
replies it queued and returns the failed owners; the pipeline then commits the same messages again,
those owners as failures (bot/app/containment.py), so one message's copy never costs the others their
commit. A copy of a message read ahead (not in the group yet) that failed is kept in
:attr:`CommitGroup.failed_copies` for that message's commit. A reply that cannot be synced, or a copy
of no message, still drops the group's rows and stops the poll with the error. The pipeline closes the
group before it waits for a document still being read, so a long scan never holds the ledger's write
lock or leaves a reply unsynced.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

from bot.state.files import write_atomic
from bot.state.ledger import Ledger
from bot.transport.outbox import Outbox
from bot.transport.source import MailSource

GROUP_MESSAGES = 25
GROUP_SECONDS = 1.0
COPY_THREADS = 2


class CommitGroup:
    def __init__(self, ledger: Ledger, outbox: Outbox, source: MailSource, *, max_messages: int = GROUP_MESSAGES,
                 max_seconds: float = GROUP_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ledger, self.outbox, self.source = ledger, outbox, source
        self.max_messages, self.max_seconds, self.clock = max_messages, max_seconds, clock
        self._opened: float | None = None
        self._messages = 0
        self._to_mark: list[str] = []
        self._members: list[str] = []   # UIDs committed into the open group
        self._copying: list[tuple[str | None, Future[None]]] = []
        self.failed_copies: dict[str, BaseException] = {}  # owner UID -> why, for messages not committed yet
        self._copied: set[Path] = set()  # one write per path: the first copy under a name stays, as before
        self._copier = ThreadPoolExecutor(COPY_THREADS, thread_name_prefix="mailbot-copy")
        self._marker = ThreadPoolExecutor(1, thread_name_prefix="mailbot-mark")

    def copy(self, path: Path, data: bytes, owner: str | None = None) -> None:
        """Write ``data`` to ``path`` (unless it exists) before the commit of the group now open or next;
        ``owner``: the UID of the message it is a copy for."""
        self.copy_all([(path, data)], owner)

    def copy_all(self, files: list[tuple[Path, bytes]], owner: str | None = None) -> None:
        """:meth:`copy` for several files, written one after another by one thread."""
        wanted = [(path, data) for path, data in files if path not in self._copied]
        self._copied.update(path for path, _ in wanted)
        if wanted:
            self._copying.append((owner, self._copier.submit(_copy_all, wanted)))

    def open(self) -> None:
        """Before a message is committed: start a group unless one is open."""
        if self._opened is None:
            self.ledger.begin()
            self.outbox.defer_sync()
            self._opened, self._messages = self.clock(), 0

    def added(self, uid: str, mark: bool) -> None:
        """One message committed into the group (``mark``: to be marked done on the server)."""
        self._messages += 1
        self._members.append(uid)
        if mark:
            self._to_mark.append(uid)

    def full(self) -> bool:
        """The open group holds enough messages, or is old enough, to be closed."""
        return self._opened is not None and (self._messages >= self.max_messages
                                             or self.clock() - self._opened >= self.max_seconds)

    def close(self) -> dict[str, BaseException]:
        """Copies and replies to disk, then the commit, then the marks; a no-op when no group is open.

        Returns the messages of the group whose copies could not be written (UID -> why): then nothing
        was committed and the replies the group queued are taken back, for the caller to commit the
        group's messages again with those as failures."""
        if self._opened is None:
            return {}
        self._opened = None
        members, self._members = set(self._members), []
        failed: dict[str, BaseException] = {}
        try:
            for owner, copied in self._copying_now():
                error = copied.exception()
                if error is None:
                    continue
                if owner is None:
                    raise error
                failed[owner] = error
            mine = {owner: error for owner, error in failed.items() if owner in members}
            self.failed_copies.update({o: e for o, e in failed.items() if o not in members})
            if mine:
                self.ledger.rollback()
                self.outbox.discard_deferred()
                self._to_mark = []
                return mine
            self.outbox.sync_deferred()
        except BaseException:  # replies or copies maybe not on disk: the rows are dropped, as by a crash
            self.ledger.rollback()
            self._to_mark = []
            raise
        self.ledger.commit()
        marks, self._to_mark = self._to_mark, []
        if marks:
            self._marker.submit(self.source.mark_done, marks)
        return {}

    def _copying_now(self) -> list[tuple[str | None, Future[None]]]:
        """The copies handed over so far, each waited for (its error read back with ``exception()``)."""
        copying, self._copying = self._copying, []
        wait([copied for _, copied in copying])
        return copying

    def __enter__(self) -> CommitGroup:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.close()
        finally:
            self._copier.shutdown(wait=True)
            self._marker.shutdown(wait=True)  # the marks are sent before the caller closes the connection


def _copy_all(files: list[tuple[Path, bytes]]) -> None:
    for path, data in files:
        if not path.exists():
            write_atomic(path, data, fsync=False)  # a copy: the original stays on the mail server
