"""Per-document time and memory limits: attachments are parsed in a long-lived worker process.

A pathological PDF or docx can make a parser loop for minutes or grab gigabytes. The parsers run
in one child process (started on first use, reused for every attachment of the poll) whose address
space is capped with ``RLIMIT_AS``; the parent waits at most ``seconds`` for each answer. A
document that runs out of memory comes back as :class:`parsers.TooLarge`; one that runs out of
time (or kills the worker) has its worker killed and restarted, and is reported as
:class:`parsers.TooLarge` too, so the message is still recorded and the poll goes on.

Why a process and not a thread: a thread stuck in C code (pdfminer, lxml) cannot be stopped, and
memory limits only exist per process. Why long-lived: starting an interpreter and importing the
parsers costs far more than one document; reuse keeps the guard's overhead to one pickle round trip.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import parsers
from bot.config.limits import Limits
from parsers import Document, DocumentError

log = logging.getLogger(__name__)

DEFAULT_SECONDS = Limits().document_seconds       # config [limits] document_seconds
DEFAULT_MEMORY_MB = Limits().worker_memory_mb     # config [limits] worker_memory_mb
DEFAULT_TARGET = "parsers:extract"
_START_SECONDS = 60.0
# Workers read at a lower CPU priority than the poll process: it is the one that commits in mailbox order
# and feeds them, so when the documents fill every core it still gets its turn (and an office machine's
# other programs theirs); Tesseract and LibreOffice inherit it.
WORKER_NICENESS = 10
_UNGUARDED = threading.Lock()


class WorkerDied(parsers.CorruptDocument):
    """The worker process died on this request (killed, crashed): it is restarted for the next one."""


class WorkerTimedOut(parsers.TooLarge):
    """The worker did not answer within the time limit: it was stopped and is restarted for the next one."""


@dataclass(frozen=True, slots=True)
class HelperShare:
    """How a worker shares the cores with the others of its pool (bot/app/pool.py): pages of one
    scan read at once, and the slot files bounding Tesseract/LibreOffice runs across workers."""

    pages: int = 1
    slot_dir: str | None = None
    slots: int = 1

    def apply(self) -> None:
        from bot.app.slots import CpuSlots
        from parsers import ocr, proc

        ocr.PAGE_WORKERS = self.pages
        proc.GATE = CpuSlots(Path(self.slot_dir), self.slots).held if self.slot_dir else None


Target = str | Callable[[Any, bytes], Any]  # "module:function", or a picklable callable


class DocumentGuard:
    """``extract(filename, data)`` like :func:`parsers.extract`, but in a limited worker process.

    The worker runs ``target(request, data)``: :func:`parsers.extract` by default, or any picklable
    callable (bot/app/reading.py reads, classifies and extracts nominees there) through :meth:`run`.
    """

    def __init__(self, seconds: float = DEFAULT_SECONDS, memory_mb: int = DEFAULT_MEMORY_MB,
                 target: Target = DEFAULT_TARGET, share: HelperShare | None = None) -> None:
        self.seconds = seconds
        self.memory_mb = memory_mb
        self.target = target
        self.share = share or HelperShare()
        self.restarts = 0
        self._process: Any = None
        self._conn: Connection | None = None

    def extract(self, filename: str, data: bytes) -> Document:
        """Parse one attachment; raises only :class:`parsers.DocumentError` subclasses."""
        if not data:  # cheap refusals need no round trip
            raise parsers.EmptyDocument("0 bytes")
        return self.run(filename, data)

    def run(self, request: object, data: bytes) -> Any:
        """``target(request, data)`` in the worker; raises only :class:`parsers.DocumentError` subclasses."""
        try:
            conn = self._worker()
        except (EOFError, OSError) as exc:  # no process can be started here: parse unguarded, as before
            log.warning("document worker unavailable (%s); parsing in-process without limits", exc)
            with _UNGUARDED:  # the parsers (pdfium) are not thread-safe within one process
                return _resolve(self.target)(request, data)
        try:
            conn.send(request)
            conn.send_bytes(data)  # raw bytes, no pickled copy of a big attachment
            answered = conn.poll(self.seconds)
            reply = conn.recv() if answered else None
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._kill()
            raise WorkerDied(f"the parser process died on this file ({type(exc).__name__})") from exc
        if reply is None:
            self._kill()
            raise WorkerTimedOut(f"parsing took longer than {self.seconds:g} s (stopped)")
        return _unpack(reply)

    def start(self) -> None:
        """Start the worker now rather than on the first document (a failure shows again on first use)."""
        try:
            self._worker()
        except (EOFError, OSError) as exc:
            log.debug("document worker did not start ahead: %s", exc)

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def close(self) -> None:
        """Stop the worker (it also exits by itself when this process dies: its pipe closes)."""
        if self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                log.debug("document worker already gone")
        self._kill(graceful=True)

    def __enter__(self) -> DocumentGuard:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _worker(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self._kill()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=serve, args=(child, self.memory_mb, self.target, self.share),
                                  name="mailbot-document-worker", daemon=True)
        process.start()
        child.close()
        if not parent.poll(_START_SECONDS) or parent.recv() != "ready":
            process.kill()
            raise OSError("the document worker did not start")
        self._process, self._conn = process, parent
        return parent

    def _kill(self, graceful: bool = False) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn = None, None
        if conn is not None:
            conn.close()
        if process is None:
            return
        if graceful:
            process.join(2)
        if process.is_alive():
            process.kill()
            self.restarts += 1
            log.warning("document worker stopped (time or memory limit); a new one starts on demand")
        process.join(5)


def _unpack(reply: tuple[str, Any, str]) -> Document:
    kind, value, message = reply
    if kind == "ok":
        return value
    error_type = getattr(parsers, value, None)
    if isinstance(error_type, type) and issubclass(error_type, DocumentError):
        raise error_type(message)
    raise parsers.CorruptDocument(message)


def serve(conn: Connection, memory_mb: int, target: Target, share: HelperShare | None = None) -> None:
    """The worker loop: cap memory, then answer (request, data) requests until ``None`` or EOF."""
    (share or HelperShare()).apply()
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    extract = _resolve(target)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
            if request is None:
                return
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        conn.send(_answer(extract, request, data))
        del data


def _answer(extract: Callable[[Any, bytes], Any], request: object, data: bytes) -> tuple[str, Any, str]:
    try:
        return "ok", extract(request, data), ""
    except DocumentError as exc:
        return "error", type(exc).__name__, str(exc)
    except MemoryError:
        return "error", "TooLarge", "parsing needed more memory than allowed"
    except RecursionError:
        return "error", "CorruptDocument", "document structure nested too deeply"
    except Exception as exc:  # noqa: BLE001 - a parser bug on hostile bytes is an unreadable file, not a crash
        return "error", "CorruptDocument", f"{type(exc).__name__}: {exc}"[:300]


def _resolve(target: Target) -> Callable[[Any, bytes], Any]:
    if not isinstance(target, str):
        return target
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)
