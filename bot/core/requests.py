"""A unit's request or plea written in its mail: for a person to answer, never the bot. Pure.

Units write them beside their files: «kính mong LĐLĐ tỉnh xem xét, tạo điều kiện» (over the
quota), «kính mong Ban thông cảm» (late), «đề nghị Ban không tính vào đợt này», «xin gia hạn»,
«xin rút hồ sơ», «sẽ bổ sung sau». The dossier is still acknowledged; the words go to staff review
(``unit_request``). The ordinary closing of a cover letter («kính đề nghị LĐLĐ tỉnh xem xét, khen
thưởng») asks for nothing out of the way and is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.core.markers import plain


class RequestKind(StrEnum):
    CONSIDERATION = "consideration"   # over the quota, a special case: «tạo điều kiện», «châm chước»
    LATE = "late"                     # «thông cảm», «gửi chậm»
    EXCLUDE = "exclude"               # «không tính», «không xét»
    EXTENSION = "extension"           # «gia hạn», «lùi hạn»
    WITHDRAW = "withdraw"             # «rút hồ sơ»
    LATER = "later"                   # «bổ sung sau», «sẽ gửi»


WORDS: dict[RequestKind, str] = {
    RequestKind.CONSIDERATION: "xin xem xét, tạo điều kiện",
    RequestKind.LATE: "xin thông cảm vì gửi chậm",
    RequestKind.EXCLUDE: "đề nghị không tính",
    RequestKind.EXTENSION: "xin gia hạn",
    RequestKind.WITHDRAW: "xin rút hồ sơ",
    RequestKind.LATER: "sẽ gửi bổ sung sau",
}
_PATTERNS: dict[RequestKind, re.Pattern[str]] = {
    RequestKind.CONSIDERATION: re.compile(
        r"\btao dieu kien\b|\bcham chuoc\b|\bchieu co\b|\bxin (?:them|duoc them|duoc) (?:\d+ )?(?:chi tieu|suat)\b|"
        r"\b(?:xem xet|cho phep|dong y)\b[^.;\n]{0,60}\b(?:vuot|ngoai|them|qua) (?:chi tieu|so luong)\b"),
    RequestKind.LATE: re.compile(
        r"\bthong cam\b|\b(?:gui|nop) (?:cham|muon|tre)\b|\bcham tre\b|\b(?:qua|tre|lo) han\b"),
    RequestKind.EXCLUDE: re.compile(r"\bkhong tinh\b|\bkhong xet\b|\bloai (?:ra|bo) khoi\b|\bbo ten\b"),
    RequestKind.EXTENSION: re.compile(r"\bgia han\b|\blui han\b|\bkeo dai (?:thoi )?han\b"),
    RequestKind.WITHDRAW: re.compile(r"\brut (?:lai )?(?:ho so|ten|de nghi|danh sach)\b|\bxin rut\b"),
    RequestKind.LATER: re.compile(
        r"\b(?:gui|nop|bo sung) (?:bo sung |lai )?sau\b(?! khi| do)|\bse (?:gui|nop|bo sung)\b"),
}
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True, slots=True)
class UnitRequest:
    kinds: tuple[RequestKind, ...]
    words: str                        # the sentences that ask, as the unit wrote them

    def describe(self) -> str:
        """For staff: «Đơn vị xin gia hạn; đề nghị không tính: «…»»."""
        return f"Đơn vị {'; '.join(WORDS[k] for k in self.kinds)}: «{self.words}»"


def find(words: str, limit: int = 400) -> UnitRequest | None:
    """The request in a unit's own words (quotes and signature already cut), or None."""
    kinds: list[RequestKind] = []
    asking: list[str] = []
    for sentence in _SENTENCE.split(words):
        flat = plain(sentence)
        found = [kind for kind, pattern in _PATTERNS.items() if pattern.search(flat)]
        if found:
            kinds.extend(k for k in found if k not in kinds)
            asking.append(sentence.strip())
    if not kinds:
        return None
    return UnitRequest(tuple(kinds), " ".join(asking)[:limit])
