"""Cores shared by the document workers of a pool: at most N helper programs (Tesseract,
LibreOffice) at once across their processes (the gate of :mod:`parsers.proc`)."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class CpuSlots:
    """At most ``count`` helpers at once across processes and threads: one ``flock``-ed file per slot.

    The kernel drops a lock when its holder dies, so a worker killed for its time or memory limit
    never keeps a slot (a shared semaphore would leak it).
    """

    def __init__(self, folder: Path, count: int, wait: float = 0.02) -> None:
        self.folder, self.count, self.wait = folder, max(1, count), wait

    @contextmanager
    def held(self) -> Iterator[int]:
        """Wait for a free slot, hold it for the ``with`` body; yields its number."""
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            for index in range(self.count):
                fd = os.open(self.folder / f"slot-{index}", os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(fd)
                    continue
                try:
                    yield index
                finally:
                    os.close(fd)  # closing the file releases the lock
                return
            time.sleep(self.wait)
