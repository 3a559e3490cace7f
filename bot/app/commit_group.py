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
(bot/transport/outbox.py). A copy or reply that cannot be written (a full disk) drops the group's
rows the same way and stops the poll with the error. The pipeline closes the group before it waits
for a document still being read, so a long scan never holds the ledger's write lock or leaves a
reply unsynced.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
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
        self._copying: list[Future[None]] = []
        self._copied: set[Path] = set()  # one write per path: the first copy under a name stays, as before
        self._copier = ThreadPoolExecutor(COPY_THREADS, thread_name_prefix="mailbot-copy")
        self._marker = ThreadPoolExecutor(1, thread_name_prefix="mailbot-mark")

    def copy(self, path: Path, data: bytes) -> None:
        """Write ``data`` to ``path`` (unless it exists) before the commit of the group now open or next."""
        self.copy_all([(path, data)])

    def copy_all(self, files: list[tuple[Path, bytes]]) -> None:
        """:meth:`copy` for several files, written one after another by one thread."""
        wanted = [(path, data) for path, data in files if path not in self._copied]
        self._copied.update(path for path, _ in wanted)
        if wanted:
            self._copying.append(self._copier.submit(_copy_all, wanted))

    def open(self) -> None:
        """Before a message is committed: start a group unless one is open."""
        if self._opened is None:
            self.ledger.begin()
            self.outbox.defer_sync()
            self._opened, self._messages = self.clock(), 0

    def added(self, uid: str, mark: bool) -> None:
        """One message committed into the group (``mark``: to be marked done on the server); closes the
        group when it is full or old enough."""
        self._messages += 1
        if mark:
            self._to_mark.append(uid)
        if self._opened is not None and (self._messages >= self.max_messages
                                         or self.clock() - self._opened >= self.max_seconds):
            self.close()

    def close(self) -> None:
        """Replies to disk, then the commit, then the marks; a no-op when no group is open."""
        if self._opened is None:
            return
        self._opened = None
        copying, self._copying = self._copying, []
        try:
            for copied in copying:
                copied.result()
            self.outbox.sync_deferred()
        except BaseException:  # replies or copies maybe not on disk: the rows are dropped, as by a crash
            self.ledger.rollback()
            self._to_mark = []
            raise
        self.ledger.commit()
        marks, self._to_mark = self._to_mark, []
        if marks:
            self._marker.submit(self.source.mark_done, marks)

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
