"""Big messages fetched in parts into a spool file, then handed on memory-mapped.

imaplib reads a FETCH literal whole and imapclient keeps it while it parses the response: a 68 MB
message cost the poll about three times its size before the pipeline saw a byte. Fetched with
partial FETCH (``BODY.PEEK[]<offset.length>``) a few MB at a time into a file under the state dir
and mapped read-only, the raw message costs only the pages actually read, and those are page
cache the kernel can take back, not heap.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

Fetch = Callable[[list[int], list[str]], dict[int, dict[bytes, Any]]]


def fetch_in_parts(fetch: Fetch, uid: int, target: Path, chunk: int) -> tuple[mmap.mmap, Any] | None:
    """The whole message ``uid`` written to ``target`` ``chunk`` bytes at a time, and mapped; with its
    INTERNALDATE. None when the message vanished from the server meanwhile."""
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = None
    offset = 0
    with target.open("wb") as out:  # a file a killed poll left under this name is overwritten
        while True:
            items = [f"BODY.PEEK[]<{offset}.{chunk}>"] + (["INTERNALDATE"] if offset == 0 else [])
            item = fetch([uid], items).get(uid) or {}
            part = item.get(f"BODY[]<{offset}>".encode())
            if part is None:
                return None
            stamp = stamp or item.get(b"INTERNALDATE")
            out.write(part)
            offset += len(part)
            if len(part) < chunk:
                break
    if offset == 0:
        return None
    with target.open("rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), stamp


def drop_pages(raw: object) -> None:
    """Let the pages of a mapped message already read go from this process (it stays readable: the
    kernel reads them back from the page cache), so the raw message is not held while documents are
    parsed. Bytes are left alone."""
    if isinstance(raw, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        raw.madvise(mmap.MADV_DONTNEED)


def release(view: mmap.mmap, target: Path) -> None:
    """Drop the spool file and its mapping (the mapping lingers until the last view of it is gone)."""
    target.unlink(missing_ok=True)
    with suppress(BufferError):
        view.close()


def clear(folder: Path) -> None:
    """Remove what a poll killed between its ledger commit and :func:`release` left behind (polls of
    one state dir never overlap: bot/state/lock.py)."""
    for stale in folder.glob("*.eml.part"):
        stale.unlink(missing_ok=True)
