"""Is a message an answer to an earlier one, and what did the unit itself write? Pure.

A reply is a reply whoever wrote the mail it answers: mailbot's acknowledgement, an
acknowledgement sent before mailbot ran, or a clerk's own answer from the Gmail web page. So the
headers (In-Reply-To, References) are enough, known Message-ID or not; without them a «Re:» /
«Trả lời:» / «TL:» subject counts when the body quotes the earlier mail.
"""

from __future__ import annotations

import re

from bot.core import quotes
from bot.core.markers import plain
from bot.core.model import IncomingMail

# Reply prefixes of the mail clients units use (Outlook vi-VN «TL:» / «Trả lời:», Gmail «Re:»,
# German/Nordic Outlook «AW:» / «SV:»), possibly repeated or numbered («Re[2]:»).
_REPLY_SUBJECT = re.compile(r"^\s*(?:re|tl|tra loi|aw|sv|antw)\s*(?:\[\d+\])?\s*:", re.IGNORECASE)
# Where the unit's own words end: the closing, a signature separator, a phone's footer.
_SIGNATURE = re.compile(
    r"^\s*(?:--\s*$|__+\s*$|tran trong|tran trong cam on|kinh thu|than ai|best regards|regards\b|"
    r"sent from my|duoc gui tu|gui tu (?:dien thoai|iphone|samsung)|get outlook for)", re.IGNORECASE)
WORDS_LIMIT = 500


def reply_subject(subject: str) -> bool:
    return bool(_REPLY_SUBJECT.match(plain(subject)))


def is_reply(mail: IncomingMail) -> bool:
    """In-Reply-To / References present, or a reply subject over a body that quotes an earlier mail."""
    if mail.references:
        return True
    return reply_subject(mail.subject) and quotes.has_quote(mail.body)


def unit_words(body: str, limit: int = WORDS_LIMIT) -> str:
    """What the sender wrote: quoted text and the signature (from «Trân trọng», «--», «Sent from …») cut."""
    kept: list[str] = []
    for line in quotes.new_words(body, limit=max(limit * 4, 2000)).splitlines():
        if _SIGNATURE.match(plain(line)) and kept:
            break
        kept.append(line)
    words = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return words[:limit]
