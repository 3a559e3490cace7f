"""The pool of guarded document workers: parallel reads in submit order, one failure stays one
document's, workers start only when needed, helpers share the cores, pages of a scan spread."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

import parsers
from bot.app.guard import WORKER_NICENESS
from bot.app.pool import DocumentPool, cores_available, workers_for
from bot.app.slots import CpuSlots
from parsers import ocr
from tests.samples import SAMPLE_DOSSIERS, bien_ban_docx, to_trinh_docx
from tests.scan_samples import two_page_scan

DOCX = to_trinh_docx(SAMPLE_DOSSIERS["tam_duong"])
OTHER = bien_ban_docx(SAMPLE_DOSSIERS["phong_tho"])


def test_documents_come_back_in_submit_order_equal_to_the_bare_parser() -> None:
    files = [("a.docx", DOCX), ("b.docx", OTHER)] * 3
    with DocumentPool(workers=2, seconds=60) as pool:
        futures = [pool.submit(name, data) for name, data in files]
        results = [future.result() for future in futures]
    assert results == [parsers.extract(name, data) for name, data in files]


def test_a_hang_mid_pool_is_that_document_s_finding_only() -> None:
    """GIVEN two workers and a document that hangs among good ones
    THEN the hung one is TooLarge (time limit), every other document reads, one worker restarted."""
    data = [DOCX, b"hang forever", OTHER, DOCX, OTHER]
    with DocumentPool(workers=2, seconds=10, target="tests.hostile_samples:sleepy_extract") as pool:
        futures = [pool.submit(f"{index}.docx", item) for index, item in enumerate(data)]
        with pytest.raises(parsers.TooLarge):
            futures[1].result()
        assert [futures[i].result().format for i in (0, 2, 3, 4)] == ["docx"] * 4
        assert pool.restarts == 1


def test_a_dying_worker_mid_pool_is_that_document_s_finding_only() -> None:
    data = [DOCX, b"crash now", OTHER, b"crash again", DOCX]
    with DocumentPool(workers=2, seconds=30, target="tests.hostile_samples:crashing_extract") as pool:
        futures = [pool.submit(f"{index}.pdf" if item.startswith(b"crash") else f"{index}.docx", item)
                   for index, item in enumerate(data)]
        for index in (1, 3):
            with pytest.raises(parsers.CorruptDocument, match="parser process died"):
                futures[index].result()
        assert [futures[i].result().format for i in (0, 2, 4)] == ["docx"] * 3


def test_a_backlog_of_slow_documents_starts_every_worker() -> None:
    with DocumentPool(workers=2, seconds=60, target="tests.hostile_samples:slow_extract") as pool:
        futures = [pool.submit("t.docx", b"slow" + DOCX) for _ in range(4)]
        assert all(isinstance(future.result(), int) for future in futures)
        assert pool.running == 2


def test_one_document_at_a_time_starts_one_worker() -> None:
    with DocumentPool(workers=2, seconds=60) as pool:
        for _ in range(3):
            pool.extract("t.docx", DOCX)
        assert pool.running == 1
    assert pool.running == 0


def test_warming_starts_the_workers_asked_for_and_no_more() -> None:
    """GIVEN a backlog announced (warm) THEN that many workers start before any document, a later warm
    for fewer starts none, and the documents read on the warmed workers."""
    with DocumentPool(workers=3, seconds=60) as pool:
        pool.warm(2)
        deadline = time.monotonic() + 60
        while pool.running < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pool.running == 2
        pool.warm(1)
        pool.warm(2)
        assert pool.extract("t.docx", DOCX) == parsers.extract("t.docx", DOCX)
        time.sleep(0.3)
        assert pool.running == 2


def niceness(_request: object, _data: bytes) -> int:
    """A pool target: the worker's CPU priority (its niceness)."""
    return os.nice(0)


def test_workers_read_at_a_lower_priority_than_the_poll() -> None:
    with DocumentPool(workers=1, seconds=60, target="tests.unit.test_pool:niceness") as pool:
        assert pool.submit("x", b"x").result() == min(19, os.nice(0) + WORKER_NICENESS)


def test_workers_follow_the_setting_or_the_cores() -> None:
    assert workers_for(3) == 3
    assert workers_for(0) == cores_available() >= 1


def test_slots_bound_helpers_across_threads(tmp_path: Path) -> None:
    slots = CpuSlots(tmp_path, 2, wait=0.005)
    inside, most = [0], [0]
    lock = threading.Lock()

    def work() -> None:
        with slots.held():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 2


def _hold_forever(folder: str) -> None:
    with CpuSlots(Path(folder), 1).held():
        time.sleep(3600)


def test_a_killed_holder_frees_its_slot(tmp_path: Path) -> None:
    """A worker killed for its time limit while Tesseract ran must not keep the core's slot."""
    holder = multiprocessing.get_context("spawn").Process(target=_hold_forever, args=(str(tmp_path),))
    holder.start()
    slots = CpuSlots(tmp_path, 1, wait=0.01)
    deadline = time.monotonic() + 30
    while not any(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    taken = threading.Event()
    threading.Thread(target=lambda: (slots.held().__enter__(), taken.set()), daemon=True).start()
    assert not taken.wait(0.5), "the slot is held"
    holder.kill()
    holder.join()
    assert taken.wait(10), "the kernel released the dead holder's lock"


@pytest.mark.skipif(not ocr.available(), reason="Tesseract with Vietnamese data is not installed")
def test_pages_of_one_scan_read_in_parallel_keep_their_order() -> None:
    scan = two_page_scan(DOCX)
    with DocumentPool(workers=2, seconds=120) as pool:
        pooled = pool.extract("scan.pdf", scan)
    bare = parsers.extract("scan.pdf", scan)
    assert pooled.pages == 2 and "ocr" in pooled.warnings
    assert pooled == bare
