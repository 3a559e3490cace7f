"""A local Maildir as a mail source: files are read, never moved or changed."""

from __future__ import annotations

import os
import threading
from collections.abc import Container, Iterator
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import SourceError
from bot.transport.source import Candidate, arrival_time, stop_requested


class MaildirSource:
    """A local Maildir (the embedded default). UIDs are Maildir keys (a file's name before ``:``); validity is 0.

    Files are found by listing ``new/`` and ``cur/`` (as :class:`mailbox.Maildir` does), listed again once
    when another program moved a file meanwhile (``new/`` to ``cur/``, flags changed).
    """

    def __init__(self, path: Path, stopping: threading.Event | None = None) -> None:
        self.path = path
        self.stopping = stopping
        self.name = f"maildir:{path.name}"
        self.folder = path.name
        self.spam = False
        self._files: dict[str, Path] | None = None

    def open(self) -> int:
        if not (self.path / "cur").is_dir() and not (self.path / "new").is_dir():
            raise SourceError(f"{self.path} is not a Maildir (no cur/ or new/ folder)")
        self._files = self._scan()
        return 0

    def candidates(self, after_uid: int, known: Container[str], retry: list[str]) -> list[Candidate]:
        assert self._files is not None  # noqa: S101
        keys = (key for key in sorted(self._files) if not key.startswith("."))  # dotfiles are not mail
        return [Candidate(uid=key) for key in keys if key not in known or key in retry]

    def fetch(self, uids: list[str]) -> Iterator[tuple[str, bytes, datetime]]:
        assert self._files is not None  # noqa: S101
        for index, uid in enumerate(uids):
            if stop_requested(self.stopping, len(uids) - index):
                return
            path = self._file(uid)
            raw = path.read_bytes()
            yield uid, raw, arrival_time(raw, datetime.fromtimestamp(path.stat().st_mtime, UTC))

    def mark_done(self, uids: list[str]) -> None:
        """Maildir files are left exactly as they are."""

    def close(self) -> None:
        self._files = None

    def _file(self, uid: str) -> Path:
        """The file of ``uid``; KeyError when it is gone even after listing the folders again."""
        assert self._files is not None  # noqa: S101
        path = self._files.get(uid)
        if path is None or not path.is_file():
            self._files = self._scan()
            path = self._files[uid]
        return path

    def _scan(self) -> dict[str, Path]:
        files: dict[str, Path] = {}
        for sub in ("new", "cur"):
            try:
                entries = list(os.scandir(self.path / sub))
            except FileNotFoundError:
                continue
            for entry in entries:
                if not entry.is_dir():
                    files[entry.name.split(":", 1)[0]] = Path(entry.path)
        return files
