"""Which automated mail a message is: one typed key from where it is composed to where it is queued.

The key names the outbox file and the Message-ID (both derive from its text), and its kind is the
``X-Mailbot`` header that tells mailbot's own mail from a person's. Its text is therefore made only at
those edges (bot/transport/outbox.py, bot/message/replies.py) and must stay what it is: a new spelling
would queue again a reply that is already queued or sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ReplyKind(StrEnum):
    ACK = "ack"            # the acknowledgement of a unit's message (also a late one, after a staff decision)
    REMIND = "remind"      # a reminder to a unit that still owes something
    DIGEST = "digest"      # the staff digest before the deadline
    SUMMARY = "summary"    # the one staff summary after the deadline
    RECEIPT = "receipt"    # to a sender whose address is not the unit's: says nothing of the dossier
    SIGNIN = "signin"      # a staff console sign-in link (bot/web), to a staff address


@dataclass(frozen=True, slots=True)
class ReplyKey:
    kind: ReplyKind
    about: str              # ACK: the message's content digest (or Message-ID); REMIND: the unit; else the campaign
    occasion: str = ""      # REMIND: the reminder slot; DIGEST: the day or manual moment; SUMMARY: the deadline
    after_decision: bool = False   # an ACK queued when staff decided about the message (``about`` its Message-ID)

    @classmethod
    def ack(cls, digest: str) -> ReplyKey:
        return cls(ReplyKind.ACK, digest)

    @classmethod
    def receipt(cls, digest: str) -> ReplyKey:
        return cls(ReplyKind.RECEIPT, digest)

    @classmethod
    def late_ack(cls, message_id: str) -> ReplyKey:
        return cls(ReplyKind.ACK, message_id, after_decision=True)

    @classmethod
    def reminder(cls, unit_id: str, slot_id: str) -> ReplyKey:
        return cls(ReplyKind.REMIND, unit_id, slot_id)

    @classmethod
    def digest(cls, campaign: str, day_or_moment: str) -> ReplyKey:
        return cls(ReplyKind.DIGEST, campaign, day_or_moment)

    @classmethod
    def summary(cls, campaign: str, deadline: datetime) -> ReplyKey:
        return cls(ReplyKind.SUMMARY, campaign, deadline.isoformat())

    def __str__(self) -> str:
        """``ack:<digest>``, ``receipt:<digest>``,
        ``ack:decision:<Message-ID>``, ``remind:<unit>:<slot>``, ``digest:<campaign>:<day>``,
        ``summary:<campaign>:<deadline>``: the text the outbox file name and the Message-ID derive from."""
        head = [str(self.kind), "decision"] if self.after_decision else [str(self.kind)]
        return ":".join([*head, self.about, *([self.occasion] if self.occasion else [])])
