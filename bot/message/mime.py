"""Raw message bytes -> :class:`IncomingMail`. Never raises on bad input: problems become defects.

Attachment bytes and RFC 2047/2231 file names go through the stdlib ``email`` package, once,
here; defects are collected over the whole MIME tree from that one parse (mail-parser, which
parsed every message a second time for the same defect list, was half the cost of this
module, and returns payloads as base64 text with known file-name bugs). Zip archives and forwarded
messages (message/rfc822, or an attached .eml) are unpacked within count, size and depth limits.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from functools import lru_cache
from typing import Any

from bot.config.limits import Limits
from bot.core.model import Attachment, AuthResults, IncomingMail
from bot.message import bigparts
from parsers.text import nfc

log = logging.getLogger(__name__)
_DEFAULTS = Limits()

MAX_HEADER_FIELD = 16 * 1024  # the stdlib's header parser is quadratic on long non-ASCII values
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FIELD_START = re.compile(rb"\r?\n(?![ \t])")
DECISION_HEADERS = (
    "auto-submitted", "precedence", "list-id", "list-unsubscribe", "return-path", "x-autoreply",
    "x-autorespond", "x-auto-response-suppress", "x-mailbot", "x-loop", "received", "reply-to",
    "content-type",
)
_AUTH_METHOD = re.compile(r"\b(dmarc|spf|dkim)\s*=\s*([a-z]+)", re.IGNORECASE)
_BODY_TYPES = ("text/plain", "text/html")
_CACHED_HEADER_CHARS = 2048
_BLANKS = re.compile(r"[ \t\u00a0]+")


class _ParsedOnce(email.policy.EmailPolicy):
    """``email.policy.default``, except that a header value is parsed once, not on every access.

    The stdlib builds a new header object each time a header is read, and walking a message for its
    body and attachments reads each part's Content-Type a dozen times: about half of this module's
    time. Header objects are immutable, so the same value can share one.
    """

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):  # already a header object
            return value
        if len(value) > _CACHED_HEADER_CHARS:  # a hostile giant value is not kept alive
            return super().header_fetch_parse(name, value)
        return _parsed_header(name, value)


@lru_cache(maxsize=256)
def _parsed_header(name: str, value: str) -> Any:
    return email.policy.default.header_fetch_parse(name, value)


_POLICY = _ParsedOnce()


@dataclass
class _Walk:
    """What a walk over the MIME tree collects, within the message limits of config ``[limits]``."""

    limits: Limits
    out: list[Attachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    forwarded: list[str] = field(default_factory=list)


def parse(raw: bigparts.Raw, limits: Limits = _DEFAULTS) -> IncomingMail:
    """Parse one message; anything unreadable is skipped and noted in ``defects``.

    ``limits``: attachments, forward depth and attached zips (``max_attachments``, ``max_forward_depth``,
    ``max_zip_members``, ``max_zip_mb``)."""
    raw, trimmed = _trim_long_headers(raw)
    skeleton, blobs = bigparts.lift(raw)
    message = email.message_from_bytes(skeleton, policy=_POLICY)
    bigparts.restore(message, blobs)
    walk = _Walk(limits, defects=_defects(message) + trimmed)
    _collect(message, walk, depth=0, origin="")
    sender_name, sender_addr = _sender(message)
    return IncomingMail(
        message_id=header(message, "Message-ID").strip(),
        from_addr=sender_addr,
        from_name=sender_name,
        subject=nfc(header(message, "Subject")),
        date=_date(message),
        references=_references(message),
        body=_body(message),
        attachments=tuple(walk.out[:limits.max_attachments]),
        headers={name: header(message, name) for name in DECISION_HEADERS if name in message},
        content_type=_content_type(message),
        auth=_auth(message),
        defects=tuple(dict.fromkeys(walk.defects)),
        forwarded_from=tuple(walk.forwarded),
    )


def _trim_long_headers(raw: bigparts.Raw) -> tuple[bigparts.Raw, list[str]]:
    """Cut header fields longer than MAX_HEADER_FIELD (a 2 MB Subject would take minutes to parse)."""
    end = _HEADER_END.search(raw)
    head_end = end.start() if end else len(raw)
    if head_end <= MAX_HEADER_FIELD:
        return raw, []
    fields = _FIELD_START.split(raw[:head_end])
    if all(len(field) <= MAX_HEADER_FIELD for field in fields):
        return raw, []
    head = b"\r\n".join(field[:MAX_HEADER_FIELD] for field in fields)
    return head + raw[head_end:], ["HeaderTooLong"]


def header(message: Message, name: str) -> str:
    """One header as text; a header the policy cannot parse falls back to its raw value."""
    try:
        value = message.get(name)
        return "" if value is None else str(value)
    except Exception:  # noqa: BLE001 - email's header classes raise many types on hostile input
        for key, value in message.raw_items():
            if key.lower() == name.lower():
                return str(value).encode("ascii", "replace").decode()
        return ""


def _references(message: Message) -> tuple[str, ...]:
    """References, then any In-Reply-To ID it lacks (RFC 5322 3.6.4: a reply may carry only In-Reply-To)."""
    references = header(message, "References").split()
    replying = re.findall(r"<[^<>\s]+>", header(message, "In-Reply-To"))
    return tuple(dict.fromkeys([*references, *replying]))


def _content_type(message: Message) -> str:
    try:
        return message.get_content_type()
    except Exception:  # noqa: BLE001
        return "text/plain"


def _defects(message: Message) -> list[str]:
    """The parser's defect classes over the whole MIME tree (what mail-parser reported, without a second parse)."""
    try:
        return [type(defect).__name__ for part in message.walk() for defect in part.defects]
    except Exception:  # noqa: BLE001 - a tree the parser itself cannot walk is one more defect
        return ["UnwalkableMessage"]


def _sender(message: Message) -> tuple[str, str]:
    pairs = email.utils.getaddresses([header(message, "From")])
    name, address = pairs[0] if pairs else ("", "")
    return nfc(name), address.strip().casefold()


def _date(message: Message) -> datetime | None:
    try:
        value = getattr(message.get("Date"), "datetime", None)
    except Exception:  # noqa: BLE001
        return None
    return value if isinstance(value, datetime) else None


def _auth(message: Message) -> AuthResults:
    """Only the topmost Authentication-Results counts: it is the one our own server added."""
    value = header(message, "Authentication-Results")
    found = {method.lower(): result.lower() for method, result in _AUTH_METHOD.findall(value)}
    return AuthResults(dmarc=found.get("dmarc", ""), spf=found.get("spf", ""), dkim=found.get("dkim", ""))


def _body(message: Message) -> str:
    try:
        part = message.get_body(("plain", "html")) if isinstance(message, EmailMessage) else None
        return _text_lines(part.get_content()) if part is not None else ""
    except Exception:  # noqa: BLE001 - undecodable bodies are common in the wild
        return ""


def _text_lines(text: str) -> str:
    """NFC text with its line breaks kept (quoted replies are cut by line: bot/core/quotes.py)."""
    lines = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_BLANKS.sub(" ", line).strip() for line in lines).strip()


def _collect(part: Message, walk: _Walk, depth: int, origin: str) -> None:
    if len(walk.out) >= walk.limits.max_attachments:
        return
    ctype = _content_type(part)
    if ctype == "message/rfc822" or (ctype.startswith("message/") and part.is_multipart()):
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            _enter_forward(inner[0], walk, depth)
        return
    if part.is_multipart():
        for sub in part.get_payload() or []:
            if isinstance(sub, Message):
                _collect(sub, walk, depth, origin)
        return
    _leaf(part, ctype, walk, depth, origin)


def _enter_forward(inner: Message, walk: _Walk, depth: int) -> None:
    if depth >= walk.limits.max_forward_depth:
        walk.defects.append("NestingTooDeep")
        return
    walk.forwarded.append(_sender(inner)[1])
    _collect(inner, walk, depth + 1, "forwarded")


def _leaf(part: Message, ctype: str, walk: _Walk, depth: int, origin: str) -> None:
    filename = _filename(part)
    if not filename and (ctype in _BODY_TYPES or ctype.startswith("message/")):
        return
    if ctype.startswith("image/") and _is_decoration(part, filename):
        return  # signature logos and HTML decorations, not dossier scans
    try:
        data = bigparts.payload(part)
    except Exception:  # noqa: BLE001
        walk.defects.append("UndecodablePart")
        return
    if filename.lower().endswith(".eml") and depth < walk.limits.max_forward_depth:
        _enter_forward(email.message_from_bytes(data, policy=_POLICY), walk, depth)
        return
    name = filename or f"tệp-đính-kèm-{len(walk.out) + 1}"
    if data[:4] == b"PK\x03\x04" and name.lower().endswith(".zip"):
        _unzip(name, data, walk)
        return
    walk.out.append(Attachment(filename=name, content_type=ctype, data=data, origin=origin))


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - broken RFC 2231 parameters
        param = part.get_param("name", header="content-type") or ""
        name = param if isinstance(param, str) else ""
    return nfc(name.replace("\x00", ""))


def _is_decoration(part: Message, filename: str) -> bool:
    """An image referenced by the HTML body (Content-ID) or nameless: a logo, not a scanned page."""
    disposition = (part.get_content_disposition() or "").lower()
    return disposition != "attachment" and ("Content-ID" in part or not filename)


def _unzip(name: str, data: bytes, walk: _Walk) -> None:
    out, defects, limits = walk.out, walk.defects, walk.limits
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [i for i in archive.infolist() if not i.is_dir() and not _junk_member(i.filename)]
            too_big = sum(i.file_size for i in members) > limits.max_zip_mb * 1024 * 1024
            if len(members) > limits.max_zip_members or too_big:
                defects.append("ZipTooLarge")
                out.append(Attachment(name, "application/zip", b"", origin="zip-refused"))
                return
            for info in members:
                member = _member_name(info)
                out.append(Attachment(member, "application/octet-stream", archive.read(info), origin=name))
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
        defects.append(f"BadZip:{type(exc).__name__}")
        out.append(Attachment(name, "application/zip", data, origin="zip-broken"))


def _junk_member(path: str) -> bool:
    return path.startswith("__MACOSX/") or path.rsplit("/", 1)[-1].startswith((".", "~$"))


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip names without the UTF-8 flag were decoded as cp437; most Vietnamese zips are UTF-8 or cp1258."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", "replace")
        for encoding in ("utf-8", "cp1258"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return unicodedata.normalize("NFC", name.rsplit("/", 1)[-1])
