"""Group commit: a poll's messages committed to the ledger a few at a time.

Each ledger row needs its reply file on disk first (an fsync of the file, then of the folder) and
the IMAP server a STORE of the staff marker: per message two waits on the disk, a commit and a
round trip, the largest serial part of a poll once the documents are read on every core. A group
keeps one SQLite transaction open over up to :data:`GROUP_MESSAGES` messages or
:data:`GROUP_SECONDS`; its replies are written without waiting for the disk. Closing the group
fsyncs them (the files, then the folder once), commits, and only then marks the messages on the
server in one command. Later messages of the group read the earlier ones' rows (one connection),
so every decision is the one a message-at-a-time commit makes.

A crash before the COMMIT loses the group's rows, never a reply they name: the next poll processes
those messages again and finds each reply already queued under its name (bot/transport/outbox.py).
The pipeline closes the group before it waits for a document still being read, so a long scan never
holds the ledger's write lock or leaves a reply unsynced.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.state.ledger import Ledger
from bot.transport.outbox import Outbox
from bot.transport.source import MailSource

GROUP_MESSAGES = 25
GROUP_SECONDS = 1.0


class CommitGroup:
    def __init__(self, ledger: Ledger, outbox: Outbox, source: MailSource, *, max_messages: int = GROUP_MESSAGES,
                 max_seconds: float = GROUP_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ledger, self.outbox, self.source = ledger, outbox, source
        self.max_messages, self.max_seconds, self.clock = max_messages, max_seconds, clock
        self._opened: float | None = None
        self._messages = 0
        self._to_mark: list[str] = []

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
        try:
            self.outbox.sync_deferred()
        except BaseException:  # replies maybe not on disk: the rows are dropped, as by a crash, and redone
            self.ledger.rollback()
            self._to_mark = []
            raise
        self.ledger.commit()
        marks, self._to_mark = self._to_mark, []
        self.source.mark_done(marks)

    def __enter__(self) -> CommitGroup:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
