"""Nominees written in a mail's own words instead of an attached file. Pure.

Such a list is never counted (the tờ trình and the tóm tắt are the dossier); it only lets the reply
ask for the files instead of saying that nothing was read.
"""

from __future__ import annotations

import re

import parsers
from bot.core import followups
from parsers.html import read as read_text

_WORDS = 6000
# «Tập thể: Công đoàn cơ sở …» / «- Cá nhân: Ông …» on one line: the heading, then the item.
_HEADED = re.compile(r"^[ \t*•+-]*((?:\d+[ \t]*)?(?:tập thể|cá nhân))[ \t]*:[ \t]*(\S.+)$",
                     re.IGNORECASE | re.MULTILINE)


def names_in_body(body: str) -> tuple[str, ...]:
    """The names of the collectives and individuals the sender listed in the body (quotes and signature cut)."""
    words = followups.unit_words(body, limit=_WORDS)
    if not words:
        return ()
    try:
        document = read_text(_HEADED.sub(r"\1:\n1. \2", words).encode("utf-8"))
    except parsers.DocumentError:
        return ()
    return tuple(dict.fromkeys(n.name for n in parsers.extract_nominees(document)))
