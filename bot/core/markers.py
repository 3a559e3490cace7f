"""Finding a campaign's phrases (bot/config/markers.py) in text. Pure.

Every phrase is compared in folded form (no accents, any case, punctuation as spaces, whole
words), so «Văn hóa công sở», ``VAN HOA CONG SO`` and ``văn-hóa công sở`` are one phrase.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from parsers.text import drop_marks, fold


def plain(text: str) -> str:
    """Lower case without accents (đ -> d), punctuation kept: for finding phrases and their ends."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = drop_marks(decomposed)
    return re.sub(r"[ \t\u00a0]+", " ", stripped.casefold())


def padded(text: str) -> str:
    """Folded text with a space at both ends, for whole-phrase ``in`` tests."""
    return f" {fold(text)} "


def first(phrases: tuple[str, ...], folded_text: str) -> str:
    """The first of ``phrases`` (folded) found as whole words in ``folded_text`` (from :func:`padded`)."""
    return next((p for p in phrases if p and f" {p} " in folded_text), "")


def original(text: str, phrase: str) -> str:
    """The words of ``text`` that fold to ``phrase`` (for showing staff «Báo cáo tình hình», not its key)."""
    if not phrase:
        return ""
    folded, where = _folded_with_positions(text)
    start = f" {folded} ".find(f" {phrase} ")
    if start < 0:
        return phrase
    end = start + len(phrase) - 1
    return text[where[start]:where[end] + 1]


@functools.lru_cache(maxsize=32)  # one text is asked for several phrases in a row (bot/core/relevance.py)
def _folded_with_positions(text: str) -> tuple[str, tuple[int, ...]]:
    """``fold(text)`` built one character at a time, with the index in ``text`` of each folded character."""
    chars: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(text):
        key = fold(ch) or " "
        for out in key:
            if out == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(out)
            where.append(index)
    while chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), tuple(where)
