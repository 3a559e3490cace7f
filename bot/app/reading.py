"""Read ahead: the next messages are parsed and their documents read by the pool while one is committed.

``poll_once`` takes the fetched messages in mailbox order. For each, ``prepare`` (digest, raw
archived, the MIME parse sent to the pool) runs up to ``depth`` messages and ``max_bytes`` bytes
ahead of the commit; as each parse comes back its attachments are sent to the pool at once, from
the pool's own thread (:func:`parse_and_read`), so no worker idles while the main thread commits
or waits for an earlier message. The MIME parse was the largest serial part of a poll of small
messages: done in the main process it held every worker back on a two-core machine. A big message, handed over
memory-mapped (bot/transport/spool.py), is still parsed in the main process, where its pages can be
let go as soon as its attachments are decoded. Everything that depends on earlier messages (the
duplicate check, the reply and its rate limit, the ledger row) happens at commit, strictly in
order, so the ledger, replies and workbook equal a one-message-at-a-time run, and a SIGKILL at
any point loses only uncommitted work, which the next poll redoes.

A worker does all of :func:`bot.core.intake.read_items` (parse, split into dossier items, classify,
nominees: it depends on the attachment and the config only) and sends back the small records, not
the parsed document.
"""

from __future__ import annotations

import importlib
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent import futures
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

import parsers
from bot.app.pool import DocumentPool
from bot.config.schema import Config
from bot.core import intake
from bot.core.model import Attachment, DocumentRecord, IncomingMail, MessageKey
from bot.message import mime

READ_AHEAD_BYTES = 32 * 1024 * 1024
T = TypeVar("T")


@dataclass(frozen=True)
class ParseMessage:
    """A request to the pool: the raw message sent with it, parsed (:func:`bot.message.mime.parse`)."""


PARSE = ParseMessage()


@dataclass(frozen=True)
class DocumentReader:
    """The pool's target, run in a worker with the config it was made with: ``(attachment without its
    bytes, bytes) -> [DocumentRecord]`` (one per dossier item in the file), or ``(PARSE, raw message)
    -> IncomingMail``; ``extract`` names the parser ("module:function", for tests)."""

    cfg: Config
    extract: str = ""   # "": parsers.extract within the document limits of cfg.limits

    def __call__(self, request: Attachment | ParseMessage, data: bytes) -> list[DocumentRecord] | IncomingMail:
        if isinstance(request, ParseMessage):
            return mime.parse(data, self.cfg.limits)
        return self.read(request, data)

    def read(self, attachment: Attachment, data: bytes) -> list[DocumentRecord]:
        extract = None
        if self.extract:
            module, _, name = self.extract.partition(":")
            extract = getattr(importlib.import_module(module), name)
        return intake.read_items(replace(attachment, data=data), self.cfg, extract)


class Reading:
    """One attachment's records, read by the pool (submitted at once unless ``submit`` is False)."""

    def __init__(self, pool: DocumentPool, attachment: Attachment, submit: bool = True) -> None:
        self.pool, self.attachment = pool, attachment
        self.future: Future[list[DocumentRecord]] | None = self._submit() if submit else None

    def records(self, cfg: Config) -> list[DocumentRecord]:
        """The worker's records; when the worker failed (time, memory, died) the record of that failure."""
        future = self.future or self._submit()
        if future is None:
            return intake.read_items(self.attachment, cfg)  # refused before any parsing
        try:
            return future.result()
        except parsers.DocumentError as exc:
            return intake.read_items(self.attachment, cfg, _raising(exc))

    def _submit(self) -> Future[list[DocumentRecord]] | None:
        if not intake.parsed(self.attachment):
            return None
        return self.pool.submit(replace(self.attachment, data=b""), self.attachment.data)


def _raising(error: parsers.DocumentError) -> Callable[[str, bytes], parsers.Document]:
    def extract(_filename: str, _data: bytes) -> parsers.Document:
        raise error
    return extract


Parsed = tuple[IncomingMail, tuple[Reading, ...]]


def parse_and_read(pool: DocumentPool, raw: bytes, read: bool) -> Future[Parsed]:
    """The message parsed by a worker, then (``read``) each attachment submitted to the pool as soon as
    the parse is back; the future holds the mail and its readings."""
    def readings(mail: IncomingMail) -> Parsed:
        return mail, tuple(Reading(pool, attachment, submit=read) for attachment in mail.attachments)
    return pool.submit(PARSE, raw, then=readings)


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
    spam_folder: str = ""            # the spam folder it came from: only recorded, its files never read
    parsing: Future[Parsed] | None = None  # parse_and_read's answer, until the pipeline takes it
    head: bytes = b""                # the top headers (mime.head_of): who sent it, should handling it fail

    def take_parse(self, wait: bool = True) -> None:
        """Take the worker's parse once it is back (``wait``: wait for it): its mail and readings, or, when it
        failed or ran out of time, its error (an ERROR row at commit, in order)."""
        parsing = self.parsing
        if parsing is None or not (wait or parsing.done()):
            return
        self.parsing = None
        try:
            self.mail, self.readings = parsing.result()
        except Exception as exc:  # noqa: BLE001 - recorded, never raised into the poll
            self.error = exc

    def wait(self) -> None:
        """Wait until it is parsed and every document read (or failed)."""
        self.take_parse()
        futures.wait([item.future for item in self.readings if item.future is not None])

    def ready(self) -> bool:
        """Parsed and every document read: committing it waits for nothing."""
        self.take_parse(wait=False)
        return self.parsing is None and all(item.future is None or item.future.done() for item in self.readings)

    def cancel(self) -> None:
        """Drop the reads not started yet (the poll stops before committing this message)."""
        if self.parsing is not None:
            self.parsing.cancel()
        self.take_parse(wait=False)
        for item in self.readings:
            if item.future is not None:
                item.future.cancel()


def read_ahead(items: Iterable[T], prepare: Callable[[T], Prepared], depth: int,
               max_bytes: int = READ_AHEAD_BYTES) -> Generator[Prepared, None, None]:
    """``prepare(item)`` for each item, yielded in order once ``depth`` more (or ``max_bytes`` of
    messages) are prepared behind it; the oldest always goes first."""
    window: deque[Prepared] = deque()
    try:
        for item in items:
            window.append(prepare(item))
            while window and (len(window) > depth or sum(p.size for p in window) > max_bytes):
                yield window.popleft()
        while window:
            yield window.popleft()
    finally:  # closed early: the reads of messages not committed are not needed now
        for prepared in window:
            prepared.cancel()
