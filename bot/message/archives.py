"""Attached archives, bytes in, files out: .zip with zipfile, RAR and 7-Zip with libarchive.

Offices compress a dossier with WinRAR or 7-Zip as often as with zip. One set of limits for all
(config ``limits.max_zip_members``, ``limits.max_zip_mb``); a RAR or 7z is counted while its bytes
inflate, so one that lies about its sizes is stopped at the limit, not after it. Nothing touches the
disk. A broken or encrypted archive, or a RAR/7z on a machine without libarchive, gives
``Problem.UNREADABLE``: mime.py then keeps the archive whole as one attachment for staff.
"""

from __future__ import annotations

import ctypes
import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.core.filenames import visible
from parsers import RAR_SIGNATURES, SEVEN_ZIP_SIGNATURE

_BLOCK = 64 * 1024
ENTRIES_PER_MEMBER = 10   # folders and junk an archive may hold per file taken from it


class Problem(StrEnum):
    TOO_LARGE = "too_large"     # more files or more unpacked bytes than the limits allow
    UNREADABLE = "unreadable"   # broken, encrypted, or no libarchive on this machine (``detail`` says which)


@dataclass(frozen=True, slots=True)
class Member:
    name: str      # the file's own name (folders inside the archive dropped), NFC, visible
    data: bytes


@dataclass(frozen=True, slots=True)
class Unpacked:
    """The archive's regular files in order, or (``problem``) why there are none."""

    members: tuple[Member, ...] = ()
    problem: Problem | None = None
    detail: str = ""
    defect: str = "BadArchive"   # the MIME defect recorded for an unreadable archive


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


def unpack_zip(data: bytes, max_members: int, max_bytes: float) -> Unpacked:
    """A .zip's files, within the sizes its directory declares (zipfile checks each member's length and
    CRC as it reads)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and not junk_member(i.filename)]
            if len(infos) > max_members or sum(i.file_size for i in infos) > max_bytes:
                return Unpacked(problem=Problem.TOO_LARGE, detail=f"over {max_members} files or {max_bytes:.0f} bytes")
            return Unpacked(tuple(Member(_zip_name(info), archive.read(info)) for info in infos))
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
        return Unpacked(problem=Problem.UNREADABLE, detail=str(exc)[:200], defect=f"BadZip:{type(exc).__name__}")


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Zip names without the UTF-8 flag were decoded as cp437; most Vietnamese zips are UTF-8 or cp1258."""
    name = info.filename
    if not info.flag_bits & 0x800:
        name = decode_name(name.encode("cp437", "replace")) or name
    return visible(name.rsplit("/", 1)[-1])


def unpacker() -> str | None:
    """None when libarchive can be loaded here, else why not (for `mailbot check`)."""
    try:
        import libarchive  # noqa: F401 - loads the C library
    except (ImportError, OSError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"[:120]
    return None


def unpack(data: bytes, max_members: int, max_bytes: float) -> Unpacked:
    """The regular files of the archive, within ``max_members`` files and ``max_bytes`` unpacked.

    Every entry's data is read and counted, the skipped ones (junk, folders) too: in a solid archive
    they are inflated anyway to reach the next file, so a 400 MB ``.DS_Store`` of zeros is no way around
    the limit."""
    try:
        import libarchive  # loads the C library: only when an archive is attached
    except (ImportError, OSError, AttributeError) as exc:
        return Unpacked(problem=Problem.UNREADABLE, detail=f"libarchive is not available here ({type(exc).__name__})")
    members: list[Member] = []
    total = 0
    try:
        with libarchive.memory_reader(data, format_name=_format(data) or "all", filter_name="none") as archive:
            for seen, entry in enumerate(archive):
                path = _path(entry)
                keep = entry.isfile and not junk_member(path)
                if seen >= max_members * ENTRIES_PER_MEMBER or (keep and len(members) >= max_members) \
                        or total + max(entry.size or 0, 0) > max_bytes:
                    return Unpacked(problem=Problem.TOO_LARGE, detail=f"over {max_members} files or {max_bytes} bytes")
                content = _read(libarchive, entry, max_bytes - total)
                if isinstance(content, Problem):
                    return Unpacked(problem=content, detail=f"over {max_bytes} bytes unpacked"
                                    if content == Problem.TOO_LARGE else "damaged data (checksum or structure)")
                total += len(content)
                if keep:
                    members.append(Member(_own_name(path, len(members)), content))
    except Exception as exc:  # noqa: BLE001 - libarchive-c raises ArchiveError, ValueError (no such reader), ...
        detail = str(exc).split(" (errno=")[0]
        return Unpacked(problem=Problem.UNREADABLE, detail=detail if detail not in ("", "None") else type(exc).__name__)
    return Unpacked(tuple(members))


def _read(libarchive: Any, entry: Any, room: float) -> bytes | Problem:
    """The entry's data; TOO_LARGE past ``room`` bytes (the declared size may lie); UNREADABLE on damage.
    libarchive-c's own ``get_blocks`` passes a warning (a 7-Zip CRC error) on as if it were a length and
    hands back stale buffer bytes, so the data is read here, through its ``read_data`` binding and the
    entry's (private) archive pointer: any negative answer is damage."""
    buffer = ctypes.create_string_buffer(_BLOCK)
    chunks: list[bytes] = []
    size = 0
    while True:
        got = libarchive.ffi.read_data(entry._archive_p, buffer, _BLOCK)
        if got < 0:
            return Problem.UNREADABLE
        if got == 0:
            return b"".join(chunks)
        size += got
        if size > room:
            return Problem.TOO_LARGE
        chunks.append(buffer.raw[:got])


def _path(entry: Any) -> str:
    """The entry's path with ``/`` separators. libarchive gives bytes when the name is in no encoding it
    knows (tried: UTF-8, then the Vietnamese code page), and nothing when the locale cannot show it: then
    the UTF-8 form it keeps is asked for."""
    name = entry.pathname
    if name is None:
        name = _utf8_pathname(entry)
    if isinstance(name, bytes):
        name = decode_name(name) or name.decode("utf-8", "replace")
    return (name or "").replace("\\", "/")


def decode_name(raw: bytes) -> str | None:
    """A file name stored in an archive without saying its encoding: UTF-8, else the Vietnamese Windows
    code page (cp1258), else None."""
    for encoding in ("utf-8", "cp1258"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _utf8_pathname(entry: Any) -> bytes | None:
    try:
        from libarchive import ffi

        function = ffi.libarchive.archive_entry_pathname_utf8
        function.argtypes, function.restype = [ffi.c_archive_entry_p], ctypes.c_char_p
        value: bytes | None = function(entry._entry_p)
    except (AttributeError, OSError):
        return None
    return value


def _own_name(path: str, index: int) -> str:
    name = visible(path.rsplit("/", 1)[-1]).replace("\x00", "")
    return name or f"tệp-nén-{index + 1}"
