"""Mail as Outlook, Gmail, Yahoo and Zimbra send it: their real header and MIME shapes (generated, bytes only).

- Outlook (desktop, vi-VN): multipart/mixed > multipart/alternative, text parts quoted-printable,
  ``Thread-Topic`` / ``Thread-Index``, ``X-MS-Has-Attach``, «TL:» replies quoting a «From: … Sent: …»
  block (plain) and a bordered ``<div>`` (HTML), attachment names as RFC 2047 words.
- Gmail (web): multipart/mixed > multipart/alternative, text parts base64, ``In-Reply-To`` +
  ``References``, a ``gmail_quote`` div and «Vào … đã viết:» attribution, base64 attachments with
  RFC 2231 names (``filename*=UTF-8''…``) and ``X-Attachment-Id``.
- Yahoo (web): ``X-Mailer: WebService/1.1 … YMailNorrin``, a ``yahoo_quoted`` div, the ``> `` quoted plain part.
- Zimbra (web): ``X-Mailer: Zimbra …``, ``Thread-Topic`` / ``Thread-Index``, «----- Original Message -----».

Each builder takes the unit's new words, the quoted earlier mail (or ""), and attachments.
"""

from __future__ import annotations

import base64
import hashlib
import html
import quopri
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.utils import format_datetime
from urllib.parse import quote

CRLF = "\r\n"
BOT = "LĐLĐ tỉnh Lai Châu <tonghop.ldld@example.org>"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_TYPES = {"docx": _DOCX, "pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument."
          "spreadsheetml.sheet", "doc": "application/msword", "zip": "application/zip"}


@dataclass(frozen=True)
class Thread:
    """What the mail answers: the earlier Message-ID(s) and subject (empty: a new mail)."""

    in_reply_to: str = ""
    references: str = ""
    quoted: str = ""            # the earlier mail's text, as the client quotes it
    quoted_from: str = BOT
    quoted_date: str = "Thứ Ba, 01/12/2020 09:15"


NEW = Thread()


def _word(text: str) -> str:
    return Header(text, "utf-8").encode(maxlinelen=76)


def _address(name: str, addr: str) -> str:
    return f"{_word(name)} <{addr}>" if name else addr


def _id(kind: str, *parts: object) -> str:
    return hashlib.sha256("|".join(map(str, (kind, *parts))).encode()).hexdigest()[:20]


def _b64(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return CRLF.join(text[i:i + 76] for i in range(0, len(text), 76))


def _qp(text: str) -> str:
    return quopri.encodestring(text.encode("utf-8")).decode().replace("\n", CRLF)


def _html(words: str) -> str:
    return "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in words.split("\n"))


def _type(filename: str) -> str:
    return _TYPES.get(filename.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def _head(fields: Sequence[tuple[str, str]]) -> str:
    return "".join(f"{name}: {value}{CRLF}" for name, value in fields if value)


def _thread_fields(thread: Thread) -> list[tuple[str, str]]:
    return [("In-Reply-To", thread.in_reply_to), ("References", thread.references)]


def _text_part(content_type: str, body: str, encoding: str) -> str:
    encoded = _qp(body) if encoding == "quoted-printable" else _b64(body.encode("utf-8"))
    return (f"Content-Type: {content_type}; charset=\"UTF-8\"{CRLF}Content-Transfer-Encoding: {encoding}{CRLF}{CRLF}"
            f"{encoded}{CRLF}")


def _alternative(boundary: str, plain: str, rich: str, encoding: str) -> str:
    return (f"Content-Type: multipart/alternative; boundary=\"{boundary}\"{CRLF}{CRLF}"
            f"--{boundary}{CRLF}{_text_part('text/plain', plain, encoding)}"
            f"--{boundary}{CRLF}{_text_part('text/html', rich, encoding)}--{boundary}--{CRLF}")


def _attachment_rfc2047(filename: str, data: bytes) -> str:
    name = _word(filename)
    return (f"Content-Type: {_type(filename)};{CRLF}\tname=\"{name}\"{CRLF}"
            f"Content-Description: {name}{CRLF}"
            f"Content-Disposition: attachment;{CRLF}\tfilename=\"{name}\"; size={len(data)}{CRLF}"
            f"Content-Transfer-Encoding: base64{CRLF}{CRLF}{_b64(data)}{CRLF}")


def _attachment_rfc2231(filename: str, data: bytes, index: int) -> str:
    encoded = quote(filename, safe="")
    return (f"Content-Type: {_type(filename)}; name=\"{_word(filename)}\"{CRLF}"
            f"Content-Disposition: attachment; filename*=UTF-8''{encoded}{CRLF}"
            f"Content-Transfer-Encoding: base64{CRLF}X-Attachment-Id: f_k{index:02d}abc{index}{CRLF}"
            f"Content-ID: <f_k{index:02d}abc{index}>{CRLF}{CRLF}{_b64(data)}{CRLF}")


def _mixed(boundary: str, first: str, attachments: Sequence[str]) -> str:
    parts = [first, *attachments]
    if len(parts) == 1:
        return first
    body = "".join(f"--{boundary}{CRLF}{part}" for part in parts)
    return f"Content-Type: multipart/mixed; boundary=\"{boundary}\"{CRLF}{CRLF}{body}--{boundary}--{CRLF}"


def _message(head: list[tuple[str, str]], mime: str) -> bytes:
    return (_head([*head, ("MIME-Version", "1.0")]) + mime).encode("ascii")


def _common(sender: str, name: str, subject: str, when: datetime, message_id: str) -> list[tuple[str, str]]:
    return [("From", _address(name, sender)), ("To", _address("LĐLĐ tỉnh Lai Châu", "tonghop.ldld@example.org")),
            ("Subject", _word(subject)), ("Date", format_datetime(when)), ("Message-ID", message_id)]


def outlook(*, sender: str, name: str, subject: str, words: str, when: datetime,
            attachments: Sequence[tuple[str, bytes]] = (), thread: Thread = NEW) -> bytes:
    """Outlook 2016 desktop in Vietnamese: «TL:» subject, quoted-printable alternative, RFC 2047 names."""
    key = _id("outlook", sender, subject, words, when, *[n for n, _ in attachments])
    plain, rich = words, _html(words)
    if thread.quoted:
        plain += (f"\n\nFrom: {thread.quoted_from}\nSent: {thread.quoted_date}\nTo: {name} <{sender}>\n"
                  f"Subject: {subject.split(':', 1)[-1].strip()}\n\n{thread.quoted}")
        rich += ("<div style=\"border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm\">"
                 f"<p><b>From:</b> {html.escape(thread.quoted_from)}<br><b>Sent:</b> {thread.quoted_date}</p></div>"
                 f"{_html(thread.quoted)}")
    head = [*_common(sender, name, subject, when, f"<{key[:12]}$0{key[12:]}$@example.vn>"),
            *_thread_fields(thread), ("Thread-Topic", _word(subject.split(":", 1)[-1].strip())),
            ("Thread-Index", base64.b64encode(bytes.fromhex(key) + b"\x01\x02").decode()),
            ("Content-Language", "vi-VN"), ("X-MS-Has-Attach", "yes" if attachments else ""),
            ("X-MS-TNEF-Correlator", " "), ("X-Mailer", "Microsoft Outlook 16.0")]
    body = _alternative(f"----=_NextPart_001_{key[:8]}", plain, f"<html><body>{rich}</body></html>",
                        "quoted-printable")
    files = [_attachment_rfc2047(n, d) for n, d in attachments]
    return _message(head, _mixed(f"----=_NextPart_000_{key[:8]}", body, files))


def gmail(*, sender: str, name: str, subject: str, words: str, when: datetime,
          attachments: Sequence[tuple[str, bytes]] = (), thread: Thread = NEW) -> bytes:
    """Gmail web: base64 alternative, gmail_quote, In-Reply-To + References, RFC 2231 names."""
    key = _id("gmail", sender, subject, words, when, *[n for n, _ in attachments])
    plain, rich = words, f"<div dir=\"ltr\">{_html(words)}</div>"
    if thread.quoted:
        attribution = f"Vào {thread.quoted_date} {thread.quoted_from} đã viết:"
        plain += f"\n\n{attribution}\n" + "\n".join(f"> {line}" for line in thread.quoted.split("\n"))
        rich += (f"<br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">{html.escape(attribution)}"
                 f"</div><blockquote class=\"gmail_quote\">{_html(thread.quoted)}</blockquote></div>")
    head = [*_common(sender, name, subject, when, f"<CAK{key}@mail.gmail.com>"), *_thread_fields(thread)]
    body = _alternative(f"000000000000{key[:16]}", plain, rich, "base64")
    files = [_attachment_rfc2231(n, d, i) for i, (n, d) in enumerate(attachments)]
    return _message(head, _mixed(f"000000000000{key[4:20]}", body, files))


def yahoo(*, sender: str, name: str, subject: str, words: str, when: datetime,
          attachments: Sequence[tuple[str, bytes]] = (), thread: Thread = NEW) -> bytes:
    """Yahoo Mail web: YMailNorrin, a yahoo_quoted div, quoted-printable alternative, RFC 2231 names."""
    key = _id("yahoo", sender, subject, words, when, *[n for n, _ in attachments])
    plain, rich = words, f"<div class=\"ydp{key[:8]}yahoo-style-wrap\">{_html(words)}</div>"
    if thread.quoted:
        attribution = f"Vào {thread.quoted_date}, {thread.quoted_from} đã viết:"
        plain += f"\n\n{attribution}\n\n" + "\n".join(f"> {line}" for line in thread.quoted.split("\n"))
        rich += (f"<div id=\"yahoo_quoted_{key[:10]}\" class=\"yahoo_quoted\"><div>{html.escape(attribution)}</div>"
                 f"{_html(thread.quoted)}</div>")
    head = [*_common(sender, name, subject, when, f"<{int(key[:12], 16)}.{int(key[12:], 16)}@mail.yahoo.com>"),
            *_thread_fields(thread), ("X-Mailer", "WebService/1.1.16960 YMailNorrin")]
    body = _alternative(f"----=_Part_{int(key[:6], 16)}_{int(key[6:12], 16)}.1606800000000", plain,
                        f"<html><head></head><body>{rich}</body></html>", "quoted-printable")
    files = [_attachment_rfc2231(n, d, i) for i, (n, d) in enumerate(attachments)]
    return _message(head, _mixed(f"----=_Part_{int(key[12:18], 16)}_1.1606800000001", body, files))


def zimbra(*, sender: str, name: str, subject: str, words: str, when: datetime,
           attachments: Sequence[tuple[str, bytes]] = (), thread: Thread = NEW) -> bytes:
    """Zimbra web client: X-Mailer Zimbra, Thread-Topic/Index, «----- Original Message -----», RFC 2231 names."""
    key = _id("zimbra", sender, subject, words, when, *[n for n, _ in attachments])
    plain, rich = words, f"<html><body><div style=\"font-family: times new roman\">{_html(words)}"
    if thread.quoted:
        block = (f"----- Original Message -----\nFrom: \"{thread.quoted_from}\"\nTo: \"{name}\" <{sender}>\n"
                 f"Sent: {thread.quoted_date}\nSubject: {subject.split(':', 1)[-1].strip()}\n\n{thread.quoted}")
        plain += f"\n\n{block}"
        rich += f"<hr id=\"zwchr\"><div data-marker=\"__QUOTED_TEXT__\">{_html(block)}</div>"
    rich += "</div></body></html>"
    head = [*_common(sender, name, subject, when, f"<{int(key[:10], 16)}.{int(key[10:16], 16)}.1606800000000."
                                                    "JavaMail.zimbra@example.vn>"),
            *_thread_fields(thread), ("X-Originating-IP", "[10.0.0.8]"),
            ("X-Mailer", "Zimbra 8.8.15_GA_4177 (ZimbraWebClient - GC86 (Win)/8.8.15_GA_4177)"),
            ("Thread-Topic", _word(subject.split(":", 1)[-1].strip())),
            ("Thread-Index", base64.b64encode(bytes.fromhex(key[:16])).decode())]
    body = _alternative(f"=_{key[:8]}-{key[8:12]}-{key[12:16]}", plain, rich, "quoted-printable")
    files = [_attachment_rfc2231(n, d, i) for i, (n, d) in enumerate(attachments)]
    return _message(head, _mixed(f"=_{key[4:12]}-mixed", body, files))


CLIENTS = {"outlook": outlook, "gmail": gmail, "yahoo": yahoo, "zimbra": zimbra}
