"""The per-document guard: a worker process with a time and a memory limit, restarted after a kill."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import parsers
from bot.app.guard import DocumentGuard
from tests.samples import SAMPLE_DOSSIERS, to_trinh_docx

DOCX = to_trinh_docx(SAMPLE_DOSSIERS["tam_duong"])


@pytest.fixture
def guard() -> Iterator[DocumentGuard]:
    with DocumentGuard(seconds=20) as the_guard:
        yield the_guard


def test_guarded_extract_equals_the_bare_parser(guard: DocumentGuard) -> None:
    assert guard.extract("t.docx", DOCX) == parsers.extract("t.docx", DOCX)


@pytest.mark.parametrize(("data", "error"), [
    (b"", parsers.EmptyDocument),
    (DOCX[: len(DOCX) // 2], parsers.CorruptDocument),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, parsers.UnsupportedFormat),
])
def test_document_errors_come_back_with_their_type(guard: DocumentGuard, data: bytes,
                                                   error: type[parsers.DocumentError]) -> None:
    with pytest.raises(error):
        guard.extract("x.docx", data)


def test_a_hang_is_stopped_and_the_worker_restarted() -> None:
    with DocumentGuard(seconds=1, target="tests.hostile_samples:sleepy_extract") as guard:
        with pytest.raises(parsers.TooLarge, match="longer than 1 s"):
            guard.extract("loop.pdf", b"hang forever")
        assert guard.restarts == 1
        assert guard.extract("t.docx", DOCX).format == "docx"  # a fresh worker answers


def test_memory_exhaustion_is_refused_as_too_large() -> None:
    with DocumentGuard(seconds=30, memory_mb=400, target="tests.hostile_samples:greedy_extract") as guard:
        with pytest.raises(parsers.TooLarge, match="memory"):
            guard.extract("big.pdf", b"greedy")
        assert guard.extract("t.docx", DOCX).format == "docx"


def test_a_dying_worker_is_an_unreadable_file_and_is_replaced() -> None:
    with DocumentGuard(seconds=30, target="tests.hostile_samples:crashing_extract") as guard:
        with pytest.raises(parsers.CorruptDocument, match="died"):
            guard.extract("x.pdf", b"crash now")
        assert guard.extract("t.docx", DOCX).format == "docx"


def test_one_worker_serves_many_documents(guard: DocumentGuard) -> None:
    for _ in range(5):
        guard.extract("t.docx", DOCX)
    first = guard._process
    guard.extract("t.docx", DOCX)
    assert guard._process is first and guard.restarts == 0
