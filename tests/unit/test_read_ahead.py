"""Fetching and reading ahead: items keep their order, the look-ahead is bounded by count and bytes,
a mapped message is not released while in use, errors arrive after what was fetched before them."""

from __future__ import annotations

import mmap
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.app.reading import Prepared, read_ahead
from bot.core.model import MessageKey
from bot.transport.prefetch import Prefetch

NOW = datetime(2020, 12, 1, tzinfo=UTC)


def _items(count: int, size: int = 10, log: list[str] | None = None) -> Iterator[tuple[str, bytes, datetime]]:
    for index in range(count):
        if log is not None:
            log.append(f"fetched {index}")
        yield str(index), b"x" * size, NOW


def test_prefetch_hands_everything_over_in_order() -> None:
    with Prefetch(_items(25), max_items=3) as fetched:
        assert [uid for uid, _raw, _at in fetched] == [str(i) for i in range(25)]


def test_prefetch_holds_at_most_max_items_ahead() -> None:
    log: list[str] = []
    with Prefetch(_items(20, log=log), max_items=3) as fetched:
        first = next(fetched)
        threading.Event().wait(0.2)
        assert first[0] == "0"
        assert len(log) <= 1 + 3 + 1, "one taken, three queued, one waiting for room"


def test_prefetch_bounds_bytes_but_always_hands_one_over() -> None:
    log: list[str] = []
    with Prefetch(_items(10, size=1000, log=log), max_items=10, max_bytes=1500) as fetched:
        assert next(fetched)[0] == "0"
        threading.Event().wait(0.2)
        assert len(log) <= 3
        assert [uid for uid, _raw, _at in fetched] == [str(i) for i in range(1, 10)]


def test_an_error_arrives_after_the_messages_fetched_before_it() -> None:
    def failing() -> Iterator[tuple[str, bytes, datetime]]:
        yield "1", b"a", NOW
        yield "2", b"b", NOW
        raise ConnectionError("server gone")

    taken = []
    with Prefetch(failing()) as fetched, pytest.raises(ConnectionError):
        for uid, _raw, _at in fetched:
            taken.append(uid)
    assert taken == ["1", "2"]


def test_a_mapped_message_stays_mapped_until_the_next_is_asked_for() -> None:
    released = threading.Event()

    def mapped() -> Iterator[tuple[str, mmap.mmap, datetime]]:
        view = mmap.mmap(-1, 4096)
        view.write(b"From: a\r\n\r\nbody")
        try:
            yield "1", view, NOW
        finally:
            released.set()
            view.close()
        yield "2", b"small", NOW

    with Prefetch(mapped()) as fetched:
        _uid, raw, _at = next(fetched)
        threading.Event().wait(0.2)
        assert not released.is_set() and raw[:7] == b"From: a"
        assert next(fetched)[0] == "2"
        assert released.is_set()


def test_leaving_early_closes_the_generator_on_its_thread() -> None:
    closed = threading.Event()

    def endless() -> Iterator[tuple[str, bytes, datetime]]:
        try:
            index = 0
            while True:
                index += 1
                yield str(index), b"x", NOW
        finally:
            closed.set()

    with Prefetch(endless(), max_items=2) as fetched:
        next(fetched)
    assert closed.is_set()


def _prepared(log: list[str]):  # type: ignore[no-untyped-def]
    def prepare(item: tuple[str, int]) -> Prepared:
        log.append(f"prepare {item[0]}")
        return Prepared(MessageKey("s", 1, item[0]), NOW, item[0], size=item[1])
    return prepare


def test_read_ahead_prepares_depth_messages_before_committing_in_order() -> None:
    log: list[str] = []
    for prepared in read_ahead([(str(i), 1) for i in range(6)], _prepared(log), depth=2):
        log.append(f"commit {prepared.key.uid}")
    assert log == ["prepare 0", "prepare 1", "prepare 2", "commit 0", "prepare 3", "commit 1", "prepare 4",
                   "commit 2", "prepare 5", "commit 3", "commit 4", "commit 5"]


def test_read_ahead_bounds_the_bytes_in_flight() -> None:
    log: list[str] = []
    items = [("0", 10), ("1", 100), ("2", 10), ("3", 10)]
    for prepared in read_ahead(items, _prepared(log), depth=5, max_bytes=50):
        log.append(f"commit {prepared.key.uid}")
    assert log == ["prepare 0", "prepare 1", "commit 0", "commit 1", "prepare 2", "prepare 3",
                   "commit 2", "commit 3"]


def test_a_poll_stopping_early_cancels_the_reads_not_started() -> None:
    from concurrent.futures import Future

    from bot.app.reading import Reading

    futures: list[Future[object]] = []

    def prepare(item: tuple[str, int]) -> Prepared:
        reading = Reading.__new__(Reading)
        reading.future = Future()
        futures.append(reading.future)
        return Prepared(MessageKey("s", 1, item[0]), NOW, item[0], size=item[1], readings=(reading,))

    ahead = read_ahead([(str(i), 1) for i in range(5)], prepare, depth=3)
    assert next(ahead).key.uid == "0"
    ahead.close()
    assert [f.cancelled() for f in futures] == [False, True, True, True]
