"""Vietnamese words for what the ledger stores (outcomes, findings, replies), for staff eyes.

The words themselves live in the registry (bot/core/findings.py); this module only phrases them.
"""

from __future__ import annotations

from bot.core.findings import REGISTRY, failure_words, words
from bot.core.model import MessageRecord, Outcome, Reply
from parsers.nominees import NomineeKind

KIND_WORDS = {NomineeKind.COLLECTIVE: "Tập thể", NomineeKind.INDIVIDUAL: "Cá nhân"}
word = words


def reason_words(code: str) -> str:
    """Vietnamese with the code in brackets, so a row can be matched with ``status --json``."""
    return f"{REGISTRY[code].words} ({code})" if code in REGISTRY else code


def outcome_words(record: MessageRecord) -> str:
    parts = [word(str(record.outcome)), *(word(f) for f in record.findings)]
    if record.outcome == Outcome.ERROR:
        return "; ".join([*parts, failure_words(record.stage, record.note)])
    if record.note:
        parts.append(record.note)
    return "; ".join(parts)


def reply_words(reply: Reply) -> str:
    if reply.sent:
        return f"Đã trả lời ({reply.queued})"
    return "Không trả lời: " + word(reply.withheld) if reply.withheld else ""
