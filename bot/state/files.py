"""Whole-or-nothing file writes: readers see the old file or the whole new one, never a part.

One routine for every file mailbot writes in place (outbox messages and their sidecars, copies of
mail, the tally workbook, the decision annex, the OAuth2 token file): a temporary file in the same
folder (created 0600 by :func:`tempfile.mkstemp`, so a secret is never readable on the way), fsync,
the final permissions, :func:`os.replace`. The temporary name starts with a dot and ends in ``.tmp``
(``.<name>.<random>.tmp``, the name cut to fit in 255 bytes) so that globs for the real files
(``*.eml``, ``*.xlsx``) never see it.
"""

from __future__ import annotations

import contextlib
import glob
import mmap
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from bot.core.filenames import NAME_MAX, cut_bytes

Writer = Callable[[BinaryIO], None]
_TEMPORARY_EXTRA = len(".") + len(".") + 16 + len(".tmp")   # the dots, mkstemp's random part (8) with room, .tmp


def write_atomic(path: Path, data: bytes | mmap.mmap | Writer, *, mode: int | None = None, fsync: bool = True,
                 sync_folder: bool = False) -> None:
    """Replace ``path`` with ``data`` (bytes, a memory-mapped spool file, or a
    function that writes into the open binary file).

    ``mode``: the new file's permissions; None keeps those of the file replaced, or gives a new file the
    usual ones (``0o666`` less the umask). ``fsync=False`` skips the flush to disk: still whole-or-nothing
    when the process dies, but a power cut may lose the file (fine for copies whose original stays on the
    mail server). ``sync_folder`` also fsyncs the folder, so that the new name itself survives a power
    cut (for files another record relies on, e.g. a queued reply the ledger then names). Raises
    OSError; the temporary file never stays behind.
    """
    handle, name = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            if callable(data):
                data(stream)
            else:
                stream.write(data)
            stream.flush()
            if fsync:
                os.fsync(stream.fileno())
        tmp.chmod(_mode(path) if mode is None else mode)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    if fsync and sync_folder:
        _fsync_folder(path.parent)


def sync_files(paths: list[Path]) -> None:
    """fsync files written with ``fsync=False``, then each of their folders once: what
    ``sync_folder=True`` does per file, for a group of files at the cost of one folder flush."""
    for path in paths:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    for folder in dict.fromkeys(path.parent for path in paths):
        _fsync_folder(folder)


def temporaries(path: Path) -> list[Path]:
    """Temporary files :func:`write_atomic` may have left for ``path`` when the machine stopped mid-write."""
    return sorted(path.parent.glob(f"{glob.escape(_temporary_prefix(path))}*.tmp"))


def _temporary_prefix(path: Path) -> str:
    """``.<name>.``, the name cut so that the temporary name (with mkstemp's random part and ``.tmp``)
    still fits in a file name's 255 bytes."""
    return f".{cut_bytes(path.name, NAME_MAX - _TEMPORARY_EXTRA)}."


def _mode(path: Path) -> int:
    """The replaced file's permissions; a new file gets the usual ones (mkstemp's 0600 would lock staff out)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
