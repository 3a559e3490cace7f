"""Biên bản -> meeting facts: when the meeting was held, who attended, how the vote went.

Only what the minutes state is returned; nothing is guessed. Matching runs on an accent-free,
lower-case copy of each line that keeps digits, ``/`` and ``%`` (``Có mặt: 09/09`` and
``co mat 9/9`` read the same).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from parsers.model import Document, Table
from parsers.text import drop_marks, fold, nfc, strip_honorific

_DATE = r"ngay\s*(\d{1,2})\s*(?:thang\s*|[/.-]\s*)(\d{1,2})\s*(?:nam\s*|[/.-]\s*)(\d{4})"
_MEETING_DATE = re.compile(r"(?:vao\s+(?:luc|hoi)|hom\s+nay|bat\s+dau|khai\s+mac|to\s+chuc|tien\s+hanh)"
                           r"[^;]{0,90}?" + _DATE)
_PRESENT_OF = re.compile(r"co\s+mat\s*:?\s*(\d{1,3})\s*/\s*(\d{1,3})|"
                         r"(\d{1,3})\s*/\s*(\d{1,3})\s*(?:dong\s+chi|uy\s+vien|thanh\s+vien|dai\s+bieu)"
                         r"[^;]{0,20}?(?:co\s+mat|tham\s+du|du\s+hop)")
_PRESENT = re.compile(r"(?:co\s+mat|tham\s+du|du\s+hop)\s*:?\s*(\d{1,3})\s*(?:dong\s+chi|uy\s+vien|"
                      r"thanh\s+vien|dai\s+bieu|nguoi)")
_MEMBERS = re.compile(r"tong\s+so\s*(?:uy\s+vien|thanh\s+vien|dai\s+bieu)?[^;\d]{0,30}?:?\s*(\d{1,3})")
_ABSENT = re.compile(r"vang(?:\s+mat)?\s*:?\s*(\d{1,3}|khong)")
_VOTE_WORDS = r"(?:tan\s+thanh|nhat\s+tri|dong\s+y|bieu\s+quyet|thong\s+nhat)"
_VOTE_RATIO = re.compile(r"(\d{1,3})\s*/\s*(\d{1,3})\s*(?:phieu\s*)?(?:\(\s*\d+[.,]?\d*\s*%\s*\)\s*)?" + _VOTE_WORDS
                         + r"|" + _VOTE_WORDS + r"\s*:?\s*(\d{1,3})\s*/\s*(\d{1,3})"
                         + r"|so\s+phieu\s*:?\s*(\d{1,3})\s*/\s*(\d{1,3})")
_VOTE_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%\s*(?:so\s+)?(?:phieu\s+)?" + _VOTE_WORDS
                           + r"|" + _VOTE_WORDS + r"\s*(?:dat\s*)?(\d{1,3}(?:[.,]\d+)?)\s*%")
_ABOUT_MINUTES = re.compile(r"bien\s+ban\s+(?:ket\s+thuc|duoc\s+doc|da\s+duoc)|thong\s+qua\s+bien\s+ban")
_VOTE_HEADER = ("so phieu", "phieu dong y", "phieu tan thanh", "ket qua")
_MARK = re.compile(r"\s*\((?:tập thể|tap the|cá nhân|ca nhan)\)\s*$", re.IGNORECASE)
_NAME_HEADER = ("ho va ten", "ho ten", "ten tap the", "tap the ca nhan", "ten")


@dataclass(frozen=True, slots=True)
class Vote:
    name: str
    votes_for: int
    votes_total: int


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    held_on: date | None = None
    present: int | None = None
    members: int | None = None
    absent: int | None = None
    result: str = ""                   # the overall vote as stated: "4/4", "100%"
    votes: tuple[Vote, ...] = ()       # one per nominee, from a vote table

    @property
    def empty(self) -> bool:
        return self == MeetingFacts()

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form; keys with nothing stated are left out."""
        out: dict[str, Any] = {}
        if self.held_on:
            out["date"] = self.held_on.isoformat()
        for key in ("present", "members", "absent"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.result:
            out["result"] = self.result
        if self.votes:
            out["votes"] = [{"name": v.name, "for": v.votes_for, "of": v.votes_total} for v in self.votes]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MeetingFacts:
        return cls(
            held_on=date.fromisoformat(data["date"]) if data.get("date") else None,
            present=data.get("present"), members=data.get("members"), absent=data.get("absent"),
            result=data.get("result", ""),
            votes=tuple(Vote(v["name"], v["for"], v["of"]) for v in data.get("votes", ())),
        )


def plain(text: str) -> str:
    """Accent-free lower case that keeps digits and ``/ % : ; ( ) . ,``."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = drop_marks(decomposed)
    return re.sub(r"\s+", " ", stripped.casefold()).strip()


def meeting_facts(document: Document) -> MeetingFacts:
    """What the minutes state about the meeting; empty facts when they state nothing."""
    lines = [plain(line) for line in document.lines()]
    present, members = _attendance(lines)
    return MeetingFacts(
        held_on=_held_on(lines), present=present, members=members, absent=_absent(lines),
        result=_result(lines), votes=_vote_table(document.tables),
    )


def _held_on(lines: list[str]) -> date | None:
    for index, line in enumerate(lines):
        window = line + " " + (lines[index + 1] if index + 1 < len(lines) else "")
        match = _MEETING_DATE.search(window)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def _attendance(lines: list[str]) -> tuple[int | None, int | None]:
    for line in lines:
        match = _PRESENT_OF.search(line)
        if match:
            stated, of = (int(g) for g in match.groups() if g is not None)
            return stated, of
    present = next((int(m.group(1)) for m in map(_PRESENT.search, lines) if m), None)
    members = next((int(m.group(1)) for m in map(_MEMBERS.search, lines) if m), None)
    return present, members


def _absent(lines: list[str]) -> int | None:
    for line in lines:
        if "co mat" in line or "vang" in line.split(":", 1)[0]:
            match = _ABSENT.search(line)
            if match:
                return 0 if match.group(1) == "khong" else int(match.group(1))
    return None


def _result(lines: list[str]) -> str:
    """The first stated vote on the proposal (not the approval of the minutes themselves)."""
    for index, line in enumerate(lines):
        if _ABOUT_MINUTES.search(line):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        line = line + " " + ("" if _ABOUT_MINUTES.search(following) else following)
        ratio = _VOTE_RATIO.search(line)
        if ratio:
            votes_for, total = (int(g) for g in ratio.groups() if g is not None)
            return f"{votes_for}/{total}"
        percent = _VOTE_PERCENT.search(line)
        if percent:
            value = next(g for g in percent.groups() if g is not None).replace(",", ".")
            return f"{value.removesuffix('.0')}%"
    return ""


def _vote_table(tables: list[Table]) -> tuple[Vote, ...]:
    """Rows «name | 5/6 | 83,3» of a table whose header has a name and a vote column."""
    for table in tables:
        columns: tuple[int, int] | None = None
        votes: list[Vote] = []
        for row in table.rows:
            folded = [fold(cell) for cell in row]
            if columns is None:
                columns = _vote_columns(folded)
                continue
            match = re.fullmatch(r"\s*(\d{1,3})\s*/\s*(\d{1,3})\s*", row[columns[1]] if columns[1] < len(row) else "")
            name = _MARK.sub("", strip_honorific(nfc(row[columns[0]]))) if columns[0] < len(row) else ""
            if match and name:
                votes.append(Vote(name, int(match.group(1)), int(match.group(2))))
        if votes:
            return tuple(votes)
    return ()


def _vote_columns(folded: list[str]) -> tuple[int, int] | None:
    vote = next((i for i, cell in enumerate(folded) if cell.startswith(_VOTE_HEADER)), None)
    name = next((i for i, cell in enumerate(folded) if i != vote and cell.startswith(_NAME_HEADER)), None)
    return (name, vote) if name is not None and vote is not None else None
