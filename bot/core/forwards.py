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

from parsers.text import fold, nfc

_MARKERS = ("forwarded message", "original message", "begin forwarded message", "thu da chuyen tiep",
            "thu chuyen tiep", "thu duoc chuyen tiep", "tin nhan da chuyen tiep", "message transfere",
            "weitergeleitete nachricht", "mensaje reenviado")
_RULE = re.compile(r"^\s*_{10,}\s*$")
_FROM = re.compile(r"^\s*\**\s*(?:from|từ|người gửi|de|von|expéditeur)\s*\**\s*:", re.IGNORECASE)
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_HTML = re.compile(r"<(?:html|body|div|p|br|span|b|table)\b", re.IGNORECASE)
_LINE_END = re.compile(r"<br\s*/?>|</(?:p|div|tr|li|h\d)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
HEADER_LINES = 10


def inline_senders(body: str) -> tuple[str, ...]:
    """Addresses on the «From:» line under each inline-forward separator, in order, each once."""
    lines = [line.lstrip("> ").rstrip() for line in _plain(body).splitlines()]
    found: dict[str, None] = {}
    for index, line in enumerate(lines):
        if not _separator(line):
            continue
        for following in lines[index + 1:index + 1 + HEADER_LINES]:
            if _FROM.match(nfc(following)):
                address = _ADDRESS.search(following)
                if address:
                    found.setdefault(address.group(0).casefold(), None)
                break
    return tuple(found)


def _separator(line: str) -> bool:
    if _RULE.match(line):
        return True
    folded = fold(line).strip(" -_*:")
    return len(folded) < 40 and folded.startswith(_MARKERS)


def _plain(body: str) -> str:
    """An HTML body as text lines (tags that end a line become line breaks); plain text as it is."""
    if not _HTML.search(body):
        return body
    return html.unescape(_TAG.sub("", _LINE_END.sub("\n", body)))
