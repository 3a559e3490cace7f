"""A reply's own words: the quoted earlier message cut away. Pure text.

Cut at the first of: «On … wrote:» / «Vào … đã viết:» (also when the client wrapped it over two
lines), Outlook's «-----Original Message-----» or «From: … Sent: …» header block, Gmail's and
Thunderbird's quote ``<div>`` / ``<blockquote>`` in HTML; lines starting with ``>`` are dropped.
"""

from __future__ import annotations

import html
import re

_HTML_QUOTE = re.compile(
    r"<(div|blockquote)[^>]*(?:gmail_quote|moz-cite-prefix|yahoo_quoted|type=\"?cite)[^>]*>.*", re.I | re.S)
_HTML_BLOCKQUOTE = re.compile(r"<blockquote\b.*", re.I | re.S)
_BREAKS = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h\d)\s*/?>", re.I)
_TAGS = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"<(style|script|head)\b.*?</\1\s*>", re.I | re.S)
_ATTRIBUTION = re.compile(
    r"^\s*(?:on\b.{0,200}\bwrote|vào\b.{0,200}\bđã viết|le\b.{0,200}\ba écrit|am\b.{0,200}\bschrieb)\s*:\s*$",
    re.I | re.S)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*(?:original message|forwarded message|thư gốc|tin nhắn gốc)\s*-{2,}", re.I)
_HEADER_LINE = re.compile(r"^\s*\*?(?:from|từ|de|von)\s*:\*?\s", re.I)
_SENT_LINE = re.compile(r"^\s*\*?(?:sent|date|gửi|đã gửi|ngày|envoyé)\s*:", re.I)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")


def new_words(body: str, limit: int = 1500) -> str:
    """The text the sender wrote in this message (HTML turned to text), without what it quotes."""
    text = _html_text(body) if _looks_html(body) else body
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _quote_starts(lines, index):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
    words = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return words[:limit]


def has_quote(body: str) -> bool:
    """Does the body quote an earlier message (``>`` lines, an attribution, Outlook's header block, a quote div)?"""
    if _looks_html(body) and (_HTML_QUOTE.search(body) or _HTML_BLOCKQUOTE.search(body)):
        return True
    text = _html_text(body) if _looks_html(body) else body
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return any(line.lstrip().startswith(">") or _quote_starts(lines, index) for index, line in enumerate(lines))


def _looks_html(body: str) -> bool:
    head = body[:2000].lower()
    return "<html" in head or "<div" in head or "<p" in head or "<br" in head or "<body" in head


def _html_text(body: str) -> str:
    body = _STYLE.sub("", body)
    body = _HTML_QUOTE.sub("", body)
    body = _HTML_BLOCKQUOTE.sub("", body)
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", body))).replace("\xa0", " ")


def _quote_starts(lines: list[str], index: int) -> bool:
    line = lines[index]
    pair = line + " " + (lines[index + 1] if index + 1 < len(lines) else "")
    if _ATTRIBUTION.match(line) or (line.strip() and _ATTRIBUTION.match(pair)):
        return True
    if _ORIGINAL.match(line):
        return True
    if _UNDERSCORES.match(line) and any(_HEADER_LINE.match(x) for x in lines[index + 1:index + 3]):
        return True
    return bool(_HEADER_LINE.match(line)) and any(_SENT_LINE.match(x) for x in lines[index + 1:index + 4])

