"""Fault injection for the containment tests: a document reader that fails in the worker process.

The MIME parse of a message runs in a reader process (bot/app/reading.py), where a test's monkeypatch
does not reach. :class:`FaultyReader` is the pool's target with one difference: asked to parse a
message carrying ``marker``, it raises (stage reading), kills its own process or hangs past the time
limit (stage worker) while the file ``flag`` exists; ``once`` removes the flag on the first fault, so
the next poll succeeds. Kept in a module of its own so the spawned worker imports little.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from bot.app.reading import DocumentReader, ParseMessage
from bot.core.model import Attachment, DocumentRecord, IncomingMail


@dataclass(frozen=True)
class FaultyReader(DocumentReader):
    marker: bytes = b"FAULT"
    flag: str = ""
    die: bool = False        # True: the worker process exits; False: the parse raises
    once: bool = False
    hang: float = 0          # > 0: the parse sleeps this long instead (past the pool's time limit)

    def __call__(self, request: Attachment | ParseMessage, data: bytes) -> list[DocumentRecord] | IncomingMail:
        if isinstance(request, ParseMessage) and self.marker in data and self.flag and Path(self.flag).exists():
            if self.once:
                Path(self.flag).unlink()
            if self.die:
                os._exit(3)
            if self.hang:
                time.sleep(self.hang)
            raise ValueError("injected parse failure")
        return super().__call__(request, data)
