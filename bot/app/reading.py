"""Read ahead: the documents of the next messages are read by the pool while one is committed.

``poll_once`` takes the fetched messages in mailbox order. For each, ``prepare`` (digest, raw
archived, MIME parse, attachments submitted to the pool) runs up to ``depth`` messages and
``max_bytes`` bytes ahead of the commit. Everything that depends on earlier messages (the
duplicate check, the reply and its rate limit, the ledger row) happens at commit, strictly in
order, so the ledger, replies and workbook equal a one-message-at-a-time run, and a SIGKILL at
any point loses only uncommitted work, which the next poll redoes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from bot.app.pool import DocumentPool
from bot.core.model import IncomingMail, MessageKey
from parsers import Document

READ_AHEAD_BYTES = 32 * 1024 * 1024
T = TypeVar("T")


class Reading:
    """One attachment's document: the pool's future, or read on demand when it was not submitted."""

    def __init__(self, pool: DocumentPool, future: Future[Document] | None = None) -> None:
        self.pool, self.future = pool, future

    def extract(self, filename: str, data: bytes) -> Document:
        return self.future.result() if self.future is not None else self.pool.extract(filename, data)


@dataclass
class Prepared:
    """A fetched message, parsed, its documents being read; ``error`` when the MIME parse failed."""

    key: MessageKey
    received_at: datetime
    digest: str
    size: int
    mail: IncomingMail | None = None
    readings: tuple[Reading, ...] = ()
    error: Exception | None = None


def read_ahead(items: Iterable[T], prepare: Callable[[T], Prepared], depth: int,
               max_bytes: int = READ_AHEAD_BYTES) -> Iterator[Prepared]:
    """``prepare(item)`` for each item, yielded in order once ``depth`` more (or ``max_bytes`` of
    messages) are prepared behind it; the oldest always goes first."""
    window: deque[Prepared] = deque()
    for item in items:
        window.append(prepare(item))
        while window and (len(window) > depth or sum(p.size for p in window) > max_bytes):
            yield window.popleft()
    while window:
        yield window.popleft()
