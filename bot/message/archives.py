"""Attached RAR and 7-Zip archives, unpacked with libarchive: bytes in, files out.

Offices compress a dossier with WinRAR or 7-Zip as often as with zip. The same limits as a .zip
apply (config ``limits.max_zip_members``, ``limits.max_zip_mb``), counted while the bytes are
inflated, so an archive that lies about its sizes is stopped at the limit, not after it. Nothing
touches the disk. An encrypted or broken archive, or a machine without libarchive, gives
``Problem.UNREADABLE``: mime.py then keeps the archive whole as one attachment for staff.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from parsers import RAR_SIGNATURES, SEVEN_ZIP_SIGNATURE


class Problem(StrEnum):
    TOO_LARGE = "too_large"     # more files or more unpacked bytes than the limits allow
    UNREADABLE = "unreadable"   # broken, encrypted, or no libarchive on this machine (``detail`` says which)


@dataclass(frozen=True, slots=True)
class Member:
    name: str      # the file's own name (folders inside the archive dropped), NFC
    data: bytes


@dataclass(frozen=True, slots=True)
class Unpacked:
    """The archive's regular files in order, or (``problem``) why there are none."""

    members: tuple[Member, ...] = ()
    problem: Problem | None = None
    detail: str = ""


def is_archive(data: bytes) -> bool:
    """A RAR or 7-Zip archive, by its signature (the file name is not trusted)."""
    return _format(data) is not None


def _format(data: bytes) -> str | None:
    """libarchive's reader for the signature. Named, not guessed: with every reader on, libarchive's zip
    reader finds the central directory of a .docx stored in a RAR and reads that instead."""
    if data.startswith(RAR_SIGNATURES[0]):
        return "rar"
    if data.startswith(RAR_SIGNATURES[1]):
        return "rar5"
    if data.startswith(SEVEN_ZIP_SIGNATURE):
        return "7zip"
    return None


def junk_member(path: str) -> bool:
    """Files archivers and desktops add that no unit meant to send: macOS resource forks, dot files,
    Office lock files (``~$…``)."""
    return path.startswith("__MACOSX/") or path.rsplit("/", 1)[-1].startswith((".", "~$"))


def unpacker() -> str | None:
    """None when libarchive can be loaded here, else why not (for `mailbot check`)."""
    try:
        import libarchive  # noqa: F401 - loads the C library
    except (ImportError, OSError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"[:120]
    return None


def unpack(data: bytes, max_members: int, max_bytes: int) -> Unpacked:
    """The regular files of the archive, within ``max_members`` files and ``max_bytes`` unpacked."""
    try:
        import libarchive  # loads the C library: only when an archive is attached
    except (ImportError, OSError, AttributeError) as exc:
        return Unpacked(problem=Problem.UNREADABLE, detail=f"libarchive is not available here ({type(exc).__name__})")
    members: list[Member] = []
    total = 0
    try:
        with libarchive.memory_reader(data, format_name=_format(data) or "all", filter_name="none") as archive:
            for entry in archive:
                path = _path(entry.pathname)
                if not entry.isfile or junk_member(path):
                    continue
                if len(members) >= max_members or total + max(entry.size or 0, 0) > max_bytes:
                    return Unpacked(problem=Problem.TOO_LARGE, detail=f"over {max_members} files or {max_bytes} bytes")
                chunks = []
                for block in entry.get_blocks():
                    total += len(block)
                    if total > max_bytes:   # the declared size lied
                        return Unpacked(problem=Problem.TOO_LARGE, detail=f"over {max_bytes} bytes unpacked")
                    chunks.append(bytes(block))
                members.append(Member(_own_name(path, len(members)), b"".join(chunks)))
    except libarchive.ArchiveError as exc:
        return Unpacked(problem=Problem.UNREADABLE, detail=str(exc).split(" (errno=")[0] or "unreadable archive")
    return Unpacked(tuple(members))


def _path(pathname: str | bytes | None) -> str:
    """libarchive gives bytes when the name is in no encoding it knows: UTF-8, else the Vietnamese code page."""
    if isinstance(pathname, bytes):
        for encoding in ("utf-8", "cp1258"):
            try:
                return pathname.decode(encoding)
            except UnicodeDecodeError:
                continue
        return pathname.decode("utf-8", "replace")
    return (pathname or "").replace("\\", "/")


def _own_name(path: str, index: int) -> str:
    name = unicodedata.normalize("NFC", path.rsplit("/", 1)[-1]).replace("\x00", "")
    return name or f"tệp-nén-{index + 1}"
