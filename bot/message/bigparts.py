"""Keep big base64 bodies out of the stdlib MIME parser, which needs about five times a message's
size in memory (bytes -> str -> lines -> joined payload). Pure.

Before parsing, every long run of base64 lines in the raw message is replaced by a random token;
the runs stay as zero-copy views of the raw bytes. After parsing, a part whose whole payload is a
token is decoded straight from its view (binascii); any other part that holds a token (text, or
a transfer encoding other than base64) gets its original text back, so the result never differs
from parsing the message whole.
"""

from __future__ import annotations

import binascii
import mmap
import re
import secrets
from email.message import Message

MIN_MESSAGE = 2 * 1024 * 1024
# >= 8,192 lines of >= 60 base64 characters (about 600 kB), with the short last line of the body.
# Possessive: a greedy repeat keeps a backtracking entry per line, 209 MB for a 68 MB run.
_RUN = re.compile(rb"(?:[A-Za-z0-9+/]{60,}+={0,2}\r?\n){8192,}+(?:[A-Za-z0-9+/]{1,59}={0,2}\r?\n)?")

Blobs = dict[str, memoryview]
Raw = bytes | mmap.mmap  # a big message fetched into a spool file comes memory-mapped (bot/transport/spool.py)
_ATTRIBUTE = "_mailbot_lifted_body"


def lift(raw: Raw) -> tuple[bytes, Blobs]:
    """``raw`` with each long base64 run replaced by a token line, and the runs by token (views of ``raw``)."""
    if len(raw) < MIN_MESSAGE:
        return bytes(raw), {}
    view, nonce = memoryview(raw), secrets.token_hex(8)
    pieces: list[bytes | memoryview] = []
    blobs: Blobs = {}
    last = 0
    for match in _RUN.finditer(raw):
        token = f"MAILBOTPART{len(blobs)}X{nonce}"
        end = match.end() - (2 if raw[match.end() - 2:match.end()] == b"\r\n" else 1)  # the line end stays
        pieces += [view[last:match.start()], token.encode()]
        blobs[token] = view[match.start():end]
        last = end
    if not blobs:
        return bytes(raw), {}
    pieces.append(view[last:])
    return b"".join(pieces), blobs


def restore(message: Message, blobs: Blobs) -> None:
    """Mark each part whose whole base64 body was lifted; give every other part its original text back."""
    if not blobs:
        return
    for part in message.walk():
        body = part.get_payload()
        if part.is_multipart() or not isinstance(body, str) or "MAILBOTPART" not in body:
            continue
        encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        token = body.strip()
        if token in blobs and encoding == "base64" and part.get_content_maintype() != "text":
            setattr(part, _ATTRIBUTE, blobs[token])
            continue
        for token, blob in blobs.items():
            body = body.replace(token, bytes(blob).decode("ascii"))
        part.set_payload(body)


def payload(part: Message) -> bytes:
    """Like ``part.get_payload(decode=True)``, decoding a lifted body from its view of the raw bytes."""
    blob = getattr(part, _ATTRIBUTE, None)
    if blob is None:
        data = part.get_payload(decode=True)
        return data if isinstance(data, bytes) else b""  # a multipart's decoded payload is None
    return binascii.a2b_base64(blob)
