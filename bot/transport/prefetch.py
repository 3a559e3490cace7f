"""Messages downloaded ahead on a thread of their own, so fetching overlaps reading documents.

:class:`Prefetch` runs a source's ``fetch`` generator on a thread and hands its
``(uid, raw, received_at)`` items over in the same order, holding at most ``max_items`` items and
``max_bytes`` bytes not yet taken (always at least one item). A memory-mapped big message
(bot/transport/spool.py) is released by the generator when it resumes, so after handing one over
the thread waits until the consumer asks for the next item. An error raised by the fetch
(``SourceError``) reaches the consumer after the items fetched before it. Leaving the ``with``
block stops the thread and closes the generator on it, before the caller closes the connection.

The source must serialise its own commands (``ImapSource`` does) when the consumer calls it, e.g.
``mark_done``, while the thread fetches.
"""

from __future__ import annotations

import mmap
import threading
from collections import deque
from collections.abc import Iterator
from datetime import datetime
from typing import Any

Item = tuple[str, Any, datetime]
MAX_ITEMS = 10
MAX_BYTES = 16 * 1024 * 1024


class Prefetch:
    def __init__(self, items: Iterator[Item], max_items: int = MAX_ITEMS, max_bytes: int = MAX_BYTES) -> None:
        self._items = items
        self.max_items, self.max_bytes = max(1, max_items), max_bytes
        self._ready = threading.Condition()
        self._queue: deque[tuple[Item, int]] = deque()
        self._bytes = 0
        self._asked = 0          # __next__ calls so far: item k is done with at call k + 2
        self._done = False
        self._stop = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._produce, name="mailbot-fetch", daemon=True)

    def __enter__(self) -> Prefetch:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._ready:
            self._stop = True
            self._ready.notify_all()
        self._thread.join()

    def __iter__(self) -> Iterator[Item]:
        return self

    def __next__(self) -> Item:
        with self._ready:
            self._asked += 1
            self._ready.notify_all()
            self._ready.wait_for(lambda: self._queue or self._done)
            if self._queue:
                item, size = self._queue.popleft()
                self._bytes -= size
                self._ready.notify_all()
                return item
            error, self._error = self._error, None
        if error is not None:
            raise error
        raise StopIteration

    def _produce(self) -> None:
        try:
            for index, item in enumerate(self._items):
                if not self._hand_over(index, item):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            self._error = exc
        finally:
            close = getattr(self._items, "close", None)
            if close is not None:
                close()
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def _hand_over(self, index: int, item: Item) -> bool:
        """Queue ``item`` when there is room; False when the consumer has left."""
        size = len(item[1])
        with self._ready:
            self._ready.wait_for(lambda: self._stop or not self._queue or (
                len(self._queue) < self.max_items and self._bytes + size <= self.max_bytes))
            if self._stop:
                return False
            self._queue.append((item, size))
            self._bytes += size
            self._ready.notify_all()
            if isinstance(item[1], mmap.mmap):  # the generator unmaps it on resuming: wait until it is used
                self._ready.wait_for(lambda: self._stop or self._asked >= index + 2)
            return not self._stop
