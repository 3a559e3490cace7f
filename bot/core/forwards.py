"""Senders of messages forwarded inline, read from the forward's body. Pure.

A forward attached as message/rfc822 names its sender in its own headers (bot.message.mime). Most
mail programs forward inline instead: a separator line, then the original's header lines, e.g.

    ---------- Forwarded message ---------          (Gmail; «Thư đã chuyển tiếp» in Vietnamese)
    From: Công đoàn huyện X <cd.x@example.vn>       («Từ:» in Vietnamese)

Outlook writes «-----Original Message-----» or a rule of underscores followed by «From:»; Apple Mail
«Begin forwarded message:»; Thunderbird «-------- Forwarded Message --------».
"""

from __future__ import annotations

import html
import re
import unicodedata

_SEPARATOR = re.compile(
    r"-{2,}\s*(?:forwarded message|original message|thư đã chuyển tiếp|thư chuyển tiếp|thư được chuyển tiếp"
    r"|tin nhắn đã chuyển tiếp|weitergeleitete nachricht|message transféré|mensaje reenviado)\s*-{2,}"
    r"|begin forwarded message\s*:|_{10,}", re.IGNORECASE)
_FROM = re.compile(r"(?<!\w)(?:from|từ|người gửi|de|von|expéditeur)\s*\**\s*:", re.IGNORECASE)
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_HTML = re.compile(r"<(?:html|body|div|p|br|span|b|table)\b", re.IGNORECASE)
_LINE_END = re.compile(r"<br\s*/?>|</(?:p|div|tr|li|h\d)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
HEADER_CHARS = 400     # the original's header lines (From, Date, Subject, To) follow the separator
ADDRESS_CHARS = 200    # the address follows its «From:» label (after the display name)


def inline_senders(body: str) -> tuple[str, ...]:
    """Addresses after the first «From:» under each inline-forward separator, in order, each once.

    Works on text with or without its line breaks (bot.message.mime collapses white space)."""
    text = _plain(body)
    found: dict[str, None] = {}
    for separator in _SEPARATOR.finditer(text):
        label = _FROM.search(text, separator.end(), separator.end() + HEADER_CHARS)
        if label is None:
            continue
        address = _ADDRESS.search(text, label.end(), label.end() + ADDRESS_CHARS)
        if address is not None:
            found.setdefault(address.group(0).casefold(), None)
    return tuple(found)


def _plain(body: str) -> str:
    """An HTML body as text (tags that end a line become line breaks); plain text as it is; NFC."""
    if _HTML.search(body):
        body = html.unescape(_TAG.sub("", _LINE_END.sub("\n", body)))
    return unicodedata.normalize("NFC", body)
