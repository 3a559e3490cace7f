"""Outlook's winmail.dat, written here: tnefparse only reads TNEF.

A minimal encoder after MS-OXTNEF: the signature and key, then attributes (level, id and type,
length, data, checksum). Message level: attTnefVersion, attOEMCodepage, attMessageClass and the body
(attBody); per attachment: attAttachRendData (which starts it), attAttachTitle (the 8.3 name in the
code page), attAttachData, and attAttachment (MAPI properties) with the long Unicode file name, as
Outlook writes them.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from datetime import datetime

from tests.samples import DEFAULT_DATE, eml

SIGNATURE = 0x223E9F78
LEVEL_MESSAGE, LEVEL_ATTACHMENT = 0x01, 0x02
ATP_STRING, ATP_TEXT, ATP_BYTE, ATP_WORD, ATP_DWORD = 0x0001, 0x0002, 0x0006, 0x0007, 0x0008
ATT_BODY, ATT_MESSAGE_CLASS, ATT_ATTACH_DATA, ATT_ATTACH_TITLE = 0x800C, 0x8008, 0x800F, 0x8010
ATT_ATTACH_REND_DATA, ATT_ATTACHMENT, ATT_TNEF_VERSION, ATT_OEM_CODEPAGE = 0x9002, 0x9005, 0x9006, 0x9007
PT_UNICODE, PR_ATTACH_LONG_FILENAME = 0x001F, 0x3707
OUTLOOK_HEADERS = {
    "X-Mailer": "Microsoft Outlook 16.0",
    "Thread-Index": "AdbHxyz0123456789ABCDEFabcdef==",
    "Content-Language": "vi",
    "X-MS-Has-Attach": "yes",
    "X-MS-TNEF-Correlator": "<00000000A1B2C3D4E5F6@example.vn>",
}


def _attribute(level: int, attr_id: int, attr_type: int, data: bytes) -> bytes:
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BII", level, (attr_type << 16) | attr_id, len(data)) + data + struct.pack("<H", checksum)


def _long_name(name: str) -> bytes:
    """One PT_UNICODE MAPI property (MS-OXTNEF 2.1.3.4): count 1, byte length, UTF-16LE padded to 4."""
    text = name.encode("utf-16-le") + b"\x00\x00"
    padded = text + b"\x00" * (-len(text) % 4)
    return struct.pack("<IHHII", 1, PT_UNICODE, PR_ATTACH_LONG_FILENAME, 1, len(text)) + padded


def _short_name(name: str) -> bytes:
    stem, _, extension = name.rpartition(".")
    ascii_stem = "".join(c for c in stem if c.isascii() and c.isalnum())[:6] or "FILE"
    return f"{ascii_stem.upper()}~1.{extension.upper()[:3]}".encode("ascii") + b"\x00"


def tnef_of(files: Sequence[tuple[str, bytes]], body: str = "", *, key: int = 0x1A2B) -> bytes:
    """A winmail.dat holding ``files`` (with their long Unicode names) and, when given, a plain body."""
    out = struct.pack("<IH", SIGNATURE, key)
    out += _attribute(LEVEL_MESSAGE, ATT_TNEF_VERSION, ATP_DWORD, struct.pack("<I", 0x00010000))
    out += _attribute(LEVEL_MESSAGE, ATT_OEM_CODEPAGE, ATP_BYTE, struct.pack("<II", 1252, 0))
    out += _attribute(LEVEL_MESSAGE, ATT_MESSAGE_CLASS, ATP_WORD, b"IPM.Microsoft Mail.Note\x00")
    if body:
        out += _attribute(LEVEL_MESSAGE, ATT_BODY, ATP_TEXT, body.encode("cp1258", "replace") + b"\x00")
    for name, data in files:
        out += _attribute(LEVEL_ATTACHMENT, ATT_ATTACH_REND_DATA, ATP_BYTE, struct.pack("<HIIIH", 1, 0xFFFFFFFF,
                                                                                         0xFFFFFFFF, 0, 0))
        out += _attribute(LEVEL_ATTACHMENT, ATT_ATTACH_TITLE, ATP_STRING, _short_name(name))
        out += _attribute(LEVEL_ATTACHMENT, ATT_ATTACH_DATA, ATP_BYTE, data)
        out += _attribute(LEVEL_ATTACHMENT, ATT_ATTACHMENT, ATP_BYTE, _long_name(name))
    return out


def outlook_rich_text_eml(*, sender: str, sender_name: str, subject: str, body: str,
                          files: Sequence[tuple[str, bytes]] = (), winmail: bytes | None = None,
                          date: datetime = DEFAULT_DATE) -> bytes:
    """A mail as Outlook sends it in Rich Text: a plain-text body and one winmail.dat
    (application/ms-tnef) carrying the files; ``winmail`` gives the stream as it is (a damaged one)."""
    stream = winmail if winmail is not None else tnef_of(files, body)
    return eml(sender=sender, sender_name=sender_name, subject=subject, body=body, date=date,
               attachments=[("winmail.dat", stream)], headers=OUTLOOK_HEADERS)
