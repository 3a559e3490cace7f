"""A pool of guarded document workers: the documents of a poll read on every core.

Each worker is a :class:`bot.app.guard.DocumentGuard` (its own process, the same memory cap and
time limit per document as before). Documents are submitted as futures and taken by an idle
worker, the most recently used first, so a worker process starts only when all the started ones
are busy: a poll that reads one document at a time still costs one process. A worker that dies
or runs out of time is restarted by its guard and only that document's future carries the error.
A second worker starts only when a document has waited :data:`SPAWN_AFTER` seconds for a busy
one: starting a process costs about a second of CPU, reading a text document a few milliseconds,
so a poll of a few documents runs one worker and a backlog or a long scan gets them all.

Pages of one scan are spread too: each worker reads up to ``workers`` pages of a scan at once,
and all workers together run at most ``workers`` Tesseract/LibreOffice processes
(:class:`parsers.proc.CpuSlots`), so a lone ten-page scan uses every core and a busy poll does
not run more helpers than cores.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from bot.app.guard import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, DEFAULT_TARGET, DocumentGuard, HelperShare, Target
from parsers import Document

SPAWN_AFTER = 0.5  # seconds a document waits for a busy worker before another worker is started


def cores_available() -> int:
    """The cores this process may run on (its CPU affinity), else the machine's count."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def workers_for(setting: int) -> int:
    """``limits.document_workers``: a positive number as given, 0 for one worker per core."""
    return setting if setting > 0 else cores_available()


class DocumentPool:
    """``submit(request, data)`` -> a future of ``target(request, data)`` (by default
    :func:`parsers.extract`'s answer), run by a guarded worker."""

    def __init__(self, workers: int = 1, seconds: float = DEFAULT_SECONDS, memory_mb: int = DEFAULT_MEMORY_MB,
                 target: Target = DEFAULT_TARGET) -> None:
        self.workers = max(1, workers)
        self.seconds, self.memory_mb, self.target = seconds, memory_mb, target
        self._executor: ThreadPoolExecutor | None = None
        self._guards: list[DocumentGuard] = []
        self._idle: queue.LifoQueue[DocumentGuard] = queue.LifoQueue()  # started, free
        self._fresh: list[DocumentGuard] = []                           # not started yet
        self._taking = threading.Lock()
        self._slot_dir: str | None = None
        self._restarts_before = 0    # of the workers stopped by close()

    def submit(self, request: object, data: bytes, then: Callable[[Any], Any] | None = None) -> Future[Any]:
        """Errors come back as :class:`parsers.DocumentError` subclasses (time, memory, a dead worker).
        ``then``: applied to the answer on the pool's thread once the worker is free again; the future
        holds what it returns (it may submit more work: nothing waits for the poll's main thread)."""
        return self._started().submit(self._run, request, data, then)

    def warm(self, count: int) -> None:
        """Have ``count`` workers (at most :attr:`workers`) started, starting the missing ones now in the
        background: starting them while the first messages download hides their start-up."""
        executor = self._started()
        with self._taking:
            missing = count - (len(self._guards) - len(self._fresh))
            guards = [self._fresh.pop() for _ in range(max(0, min(missing, len(self._fresh))))]
        for guard in guards:
            executor.submit(self._start, guard)

    def _start(self, guard: DocumentGuard) -> None:
        try:
            guard.start()
        finally:
            self._idle.put(guard)

    def extract(self, filename: str, data: bytes) -> Document:
        """Read one document now with the default target."""
        return self.submit(filename, data).result()

    @property
    def restarts(self) -> int:
        """Workers killed for a time or memory limit (or found dead) since this pool was made."""
        return self._restarts_before + sum(guard.restarts for guard in self._guards)

    @property
    def running(self) -> int:
        """Worker processes alive now."""
        return sum(guard.alive for guard in self._guards)

    def close(self) -> None:
        """Drop what was not started, wait for what was, stop every worker."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        for guard in self._guards:
            guard.close()
        self._restarts_before = self.restarts
        self._guards, self._idle, self._fresh = [], queue.LifoQueue(), []
        if self._slot_dir is not None:
            shutil.rmtree(self._slot_dir, ignore_errors=True)
            self._slot_dir = None

    def __enter__(self) -> DocumentPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _started(self) -> ThreadPoolExecutor:
        if self._executor is None:
            share = HelperShare()
            if self.workers > 1:
                self._slot_dir = tempfile.mkdtemp(prefix="mailbot-slots-")
                share = HelperShare(pages=self.workers, slot_dir=self._slot_dir, slots=self.workers)
            self._guards = [DocumentGuard(self.seconds, self.memory_mb, self.target, share)
                            for _ in range(self.workers)]
            self._fresh = list(reversed(self._guards))  # the first guard is taken first
            self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="mailbot-reader")
        return self._executor

    def _take(self) -> DocumentGuard:
        """A free started worker; a new one when none is started, or when the started ones are up and
        none freed up within SPAWN_AFTER (a worker still starting is not a reason to start another)."""
        with self._taking:
            if self._fresh and len(self._fresh) == len(self._guards):
                return self._fresh.pop()
        while True:
            try:
                return self._idle.get(timeout=SPAWN_AFTER if self._fresh else None)
            except queue.Empty:
                with self._taking:
                    if self._fresh and any(guard.alive for guard in self._guards):
                        return self._fresh.pop()

    def _run(self, request: object, data: bytes, then: Callable[[Any], Any] | None) -> Any:
        guard = self._take()
        try:
            answer = guard.run(request, data)
        finally:
            self._idle.put(guard)
        return answer if then is None else then(answer)
