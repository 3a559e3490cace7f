"""A hand-made progress bar for long fetches, shown only when stderr is a terminal."""

from __future__ import annotations

import sys


class Progress:
    """``đang tải thư 120/3400`` on the terminal for a first run of a big mailbox; silent when not a TTY."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty()

    def show(self, done: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * done // max(self.total, 1)
        end = "\n" if done >= self.total else ""
        sys.stderr.write(f"\rđang tải thư [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}{end}")
        sys.stderr.flush()
