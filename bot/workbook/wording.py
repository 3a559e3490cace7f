"""Vietnamese words for what the ledger stores (outcomes, findings, replies, readers' problems), for staff
eyes: no code and no English reaches a cell.

The words themselves live in the registry (bot/core/findings.py); this module only phrases them.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.findings import REGISTRY, Scope, failure_words, reader_problem_words, words
from bot.core.model import MessageRecord, Outcome, Reply
from parsers.nominees import NomineeKind

KIND_WORDS = {NomineeKind.COLLECTIVE: "Tập thể", NomineeKind.INDIVIDUAL: "Cá nhân"}
word = words
WAITING = "Chờ gửi"
_ENGLISH_TAIL = re.compile(r"\s*\([\x20-\x7e]*\)\s*$")   # «… (unknown unit id; known: a, b)»


def reason_text(code: str) -> str:
    """A review reason as staff read it: the registry's words (a code from a newer version as it is)."""
    return word(code)


def detail_text(reason: str, detail: str) -> str:
    """A review row's detail without code or English: a reader's refusal in words, a file's name kept."""
    if detail.startswith("size:"):
        size = detail.removeprefix("size:")
        return f"thư {int(size) / 1_048_576:.1f} MB" if size.isdigit() else ""
    if detail.startswith("error: "):
        return "lỗi khi xử lý thư; người quản trị xem nhật ký của mailbot"
    name, colon, rest = detail.partition(": ")
    if not colon or reason not in REGISTRY or REGISTRY[reason].scope != Scope.DOCUMENT:
        return staff_phrases(detail)
    return f"{name}: {staff_phrases(rest) or word(reason)}"


def staff_phrases(text: str) -> str:
    """The «; »-joined parts of a stored detail, each in Vietnamese: a reader's English refusal turned into
    words, other English (no letter of Vietnamese) left out."""
    out = []
    for part in (p.strip() for p in text.split("; ")):
        if part and not part.isascii():
            out.append(part)
        elif part:
            translated = reader_problem_words(part)
            if translated and translated not in out:
                out.append(translated)
    return "; ".join(out)


def outcome_words(record: MessageRecord) -> str:
    parts = [word(str(record.outcome)), *(word(f) for f in record.findings)]
    if record.outcome == Outcome.ERROR:
        return "; ".join([*parts, failure_words(record.stage, record.note)])
    if record.note and staff_phrases(record.note):
        parts.append(staff_phrases(record.note))
    return "; ".join(parts)


def reply_words(reply: Reply, sent_at: datetime | None = None) -> str:
    """«Đã gửi <when>» once the SMTP server accepted the reply, «Chờ gửi» while it is only queued, or why
    there is none. ``sent_at`` is local time."""
    if reply.sent:
        return f"Đã gửi {sent_at:%d/%m/%Y %H:%M}" if sent_at else WAITING
    return "Không trả lời: " + word(reply.withheld) if reply.withheld else ""


def without_english(text: str) -> str:
    """A refusal shared with the command line, without its English bracket at the end (codes, hints)."""
    return _ENGLISH_TAIL.sub("", text)
