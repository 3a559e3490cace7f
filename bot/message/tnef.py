"""Outlook's ``winmail.dat`` (``application/ms-tnef``, MS-OXTNEF), bytes in, files out, with tnefparse.

Outlook set to «Rich Text» wraps the attachments of a mail in one TNEF stream that other mail
programs show as an unreadable ``winmail.dat``. Its files are taken out under the archive limits
(config ``limits.max_zip_members``, ``limits.max_zip_mb``): the stream's headers are walked first,
counting the files and their declared sizes, before tnefparse copies anything. A stream that holds
only the message body (no files) says so (``body_only``); one that cannot be read gives
``Problem.UNREADABLE``, and the reply names Outlook's Rich Text setting as the cause.
"""

from __future__ import annotations

import logging
import struct
from typing import Any

from bot.core.filenames import visible
from bot.message.archives import Member, Problem, Unpacked, decode_name

TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"
_LEVEL_ATTACHMENT = 0x02
_ATT_ATTACH_REND_DATA = 0x9002   # starts each attachment (MS-OXTNEF 2.1.3.3)
_ATT_ATTACH_DATA = 0x800F
_ATT_ATTACHMENT = 0x9005         # the attachment's MAPI properties (may hold the data too)
_HEADER = 9                      # level (1), id (2), type (2), length (4)
_OBJECTS_PER_MEMBER = 12         # attributes a file may bring along (title, dates, rendering, properties…)


def is_tnef(data: bytes) -> bool:
    """A TNEF stream, by its signature, whatever the name (``winmail.dat``, ``ATT00001.dat``…) or type."""
    return data[:4] == TNEF_SIGNATURE


def unpack(data: bytes, max_members: int, max_bytes: float) -> tuple[Unpacked, bool]:
    """(the files inside, ``body_only``): ``body_only`` when the stream held the message body and no file."""
    counted = _count(data, max_members, max_bytes)
    if counted is not None:
        return counted, False
    logging.getLogger("tnefparse").setLevel(logging.ERROR)  # its checksum warnings are ours to report
    try:
        from tnefparse.tnef import TNEF

        parsed = TNEF(data, do_checksum=True)
        members = _members(parsed.attachments, max_members)
    except Exception as exc:  # noqa: BLE001 - tnefparse raises ValueError, IndexError, struct.error, …
        return Unpacked(problem=Problem.UNREADABLE, detail=f"TNEF: {type(exc).__name__}: {exc}"[:200],
                        defect="BadTnef"), False
    if len(members) > max_members or sum(len(m.data) for m in members) > max_bytes:
        return Unpacked(problem=Problem.TOO_LARGE, detail=f"over {max_members} files or {max_bytes:.0f} bytes"), False
    return Unpacked(tuple(members)), not members


def _count(data: bytes, max_members: int, max_bytes: float) -> Unpacked | None:
    """Walk the attribute headers without copying: too many files or bytes (TOO_LARGE), a stream cut
    short or lying about a length (UNREADABLE), else None."""
    offset, files, size, objects = 6, 0, 0, 0
    if len(data) < offset or not is_tnef(data):
        return Unpacked(problem=Problem.UNREADABLE, detail="not a TNEF stream", defect="BadTnef")
    while offset + _HEADER + 2 <= len(data):
        level, name, _, length = struct.unpack_from("<BHHI", data, offset)
        if offset + _HEADER + length + 2 > len(data):
            return Unpacked(problem=Problem.UNREADABLE, detail="TNEF attribute runs past the end", defect="BadTnef")
        objects += 1
        if level == _LEVEL_ATTACHMENT and name == _ATT_ATTACH_REND_DATA:
            files += 1
        if level == _LEVEL_ATTACHMENT and name in (_ATT_ATTACH_DATA, _ATT_ATTACHMENT):
            size += length
        if files > max_members or size > max_bytes or objects > (max_members + 1) * _OBJECTS_PER_MEMBER + 64:
            return Unpacked(problem=Problem.TOO_LARGE, detail=f"over {max_members} files or {max_bytes:.0f} bytes")
        offset += _HEADER + length + 2
    if data[offset:].strip(b"\x00"):
        return Unpacked(problem=Problem.UNREADABLE, detail="TNEF stream cut short", defect="BadTnef")
    return None


def _members(attachments: list[Any], max_members: int) -> list[Member]:
    """Each attachment with data; an attached Outlook message (an embedded TNEF) gives its own files, one
    level deep."""
    out: list[Member] = []
    for attachment in attachments:
        embedded = getattr(attachment, "embed", None)
        if embedded is not None:
            out.extend(m for m in _members(list(embedded.attachments), max_members) if len(out) <= max_members)
            continue
        data = attachment.data
        if isinstance(data, bytes) and data:
            out.append(Member(_name(attachment, len(out)), data))
    return out


def _name(attachment: Any, index: int) -> str:
    """The long (Unicode) file name when Outlook gave one, else the 8.3 title, decoded as UTF-8 or the
    Vietnamese code page."""
    long_names = [a.data for a in attachment.mapi_attrs if a.name == 0x3707]  # PR_ATTACH_LONG_FILENAME
    raw = long_names[0] if long_names else attachment._name
    name = raw if isinstance(raw, str) else decode_name(bytes(raw)) or bytes(raw).decode("latin-1")
    name = visible(name.replace("\\", "/").rsplit("/", 1)[-1]).replace("\x00", "").strip()
    return name or f"tệp-winmail-{index + 1}"
