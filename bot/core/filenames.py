"""File names a sender chose, made safe to show and to write: visible, inside their folder, within 255 bytes.

Linux (and every common file system) refuses a name over 255 *bytes*; a Vietnamese letter such as «ữ»
takes 3 in UTF-8, so a limit in characters is no limit. Whatever mailbot adds to a name (a date and
digest prefix, the neutral suffix of a program, the ``.tmp`` of an atomic write) is counted in the
room the caller asks for. A name is cut on a character boundary and keeps its extension.
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 255            # bytes in one file name (ext4, XFS, Btrfs, tmpfs, NTFS in UTF-16 units)
FALLBACK = "tep-dinh-kem"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_LONGEST_EXTENSION = 16   # bytes after the last dot still treated as an extension worth keeping


def visible(name: str) -> str:
    """The name without invisible format characters (Unicode category Cf): the bidi controls that make
    ``To trinh<U+202E>xcod.hta`` read as a .docx (U+202A-202E, U+2066-2069, U+200E/F, U+061C), zero-width
    spaces and joiners, soft hyphens, byte-order marks. NFC."""
    return unicodedata.normalize("NFC", "".join(c for c in name if unicodedata.category(c) != "Cf"))


def cut_bytes(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` of UTF-8, never inside a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max(max_bytes, 0)].decode("utf-8", "ignore")


def safe_filename(name: str, max_bytes: int = NAME_MAX) -> str:
    """A visible file name that stays inside its folder (no separators, control characters or leading
    dots) and fits in ``max_bytes`` of UTF-8, its extension kept when it has to be cut."""
    cleaned = _UNSAFE.sub("_", visible(name)).strip(" ._")
    cleaned = cleaned.replace("..", "_")
    if not cleaned:
        cleaned = FALLBACK
    if len(cleaned.encode("utf-8")) <= max_bytes:
        return cleaned
    stem, dot, extension = cleaned.rpartition(".")
    suffix = f".{extension}"
    if not dot or not stem or len(suffix.encode("utf-8")) > min(_LONGEST_EXTENSION, max_bytes // 2):
        return cut_bytes(cleaned, max_bytes).rstrip(" .") or cut_bytes(FALLBACK, max_bytes)
    short_stem = cut_bytes(stem, max_bytes - len(suffix.encode("utf-8"))).rstrip(" ._")
    return (short_stem or cut_bytes(FALLBACK, max_bytes - len(suffix.encode("utf-8")))) + suffix
