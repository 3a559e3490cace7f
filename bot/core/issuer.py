"""Whose document it is: the unit's own, or a body's under it (a grassroots union's file sent along). Pure.

A unit often sends, with its own dossier, the files its công đoàn cơ sở sent up to it: the CĐCS's tờ
trình and biên bản, issued by «CĐ NGÀNH Y TẾ LAI CHÂU / CÔNG ĐOÀN CƠ SỞ BỆNH VIỆN ĐA KHOA TỈNH» and
addressed «Kính gửi: Ban Thường vụ Công đoàn ngành Y tế». The top-left block names the governing body
first and the issuing body last (NĐ 30/2020), so its lowest body decides: a công đoàn cơ sở, công đoàn
bộ phận, tổ công đoàn or an office of the unit issued it; so does a «Kính gửi» to a unit (a unit does
not write to itself). Such a file is that body's: kept with the mail, shown to staff as «hồ sơ của cơ
sở gửi kèm», never an item of the unit nor a source of its nominees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Unit
from bot.core import classify
from parsers.text import fold


class DocumentRole(StrEnum):
    """Whose document it is (``DocumentRecord.kind`` of a grassroots file is ``GRASSROOTS_KIND``)."""

    OWN = "own"                  # the unit's own (or nothing says otherwise)
    GRASSROOTS = "grassroots"    # issued by a body under the unit, or addressed to the unit


GRASSROOTS_KIND = ItemKind.GRASSROOTS   # the same word as the review reason Finding.GRASSROOTS_DOCUMENT
GRASSROOTS_WORDS = "hồ sơ của cơ sở gửi kèm"

# Bodies under a unit, folded: công đoàn cơ sở (CĐCS), công đoàn bộ phận, tổ công đoàn, nghiệp đoàn, and the
# offices of a union (ban, văn phòng, ủy ban kiểm tra) when the block names them below the union.
_GRASSROOTS_BODY = re.compile(
    r"\b(?:cong doan co so|cd co so|cdcs|cong doan bo phan|cd bo phan|cdbp|to cong doan|nghiep doan)\b")
# Unions between the federation and the grassroots: a CĐCS under one of these is that union's grassroots;
# a CĐCS right under the provincial federation («LIÊN ĐOÀN LAO ĐỘNG TỈNH …») is itself a unit.
_INTERMEDIATE = re.compile(
    r"\b(?:cong doan nganh|cd nganh|cdn|(?:ldld|lien doan lao dong) (?:huyen|thanh pho|thi xa|tp)|"
    r"cong doan vien chuc|cd vien chuc|cdvc|cong doan (?:cac )?khu|cong doan tong cong ty|cd tong cong ty)\b")
_OFFICE = re.compile(r"^(?:ban (?:nu cong|to chuc|tuyen giao|chinh sach|phap luat|kinh te|tai chinh|phong trao|"
                     r"quan ly)|van phong|uy ban kiem tra|ubkt)\b")
_DATE_LINE = re.compile(r"\bngay \d{1,2} thang \d{1,2} nam \d{4}\b")
_ADDRESSED = re.compile(r"^kinh gui\b")
_FEDERATION = re.compile(r"\b(?:(?:lien doan lao dong|ldld) tinh|tong lien doan|tld)\b")
_LETTER_STARTS = re.compile(r"^(?:can cu|thuc hien|theo|hom nay|de nghi|ve viec|v v)\b")
_HEAD_LINES = 30
_MOTTO_START = re.compile(r"CỘNG H[ÒO]A|Cộng h[òo]a|ĐỘC LẬP|Độc lập")


@dataclass(frozen=True, slots=True)
class Role:
    role: DocumentRole
    body: str = ""      # the body whose document it is, as written (the issuer block's line, or «Kính gửi …»)

    @property
    def grassroots(self) -> bool:
        return self.role == DocumentRole.GRASSROOTS


OWN = Role(DocumentRole.OWN)


def role(lines: list[str], units: tuple[Unit, ...], federation: str) -> Role:
    """The document's role from its first lines: the issuer block's lowest body, then its «Kính gửi»."""
    head = lines[:_HEAD_LINES]
    issuer = _lowest_body(head, units)
    if issuer is not None:
        return Role(DocumentRole.GRASSROOTS, issuer)
    addressed = _addressed_unit(head, units, federation)
    return Role(DocumentRole.GRASSROOTS, addressed) if addressed else OWN


def _lowest_body(lines: list[str], units: tuple[Unit, ...]) -> str | None:
    """The issuer block's last line, when it is a body under a unit or an intermediate union (not right
    under the federation) and names no unit itself."""
    block = [line for line in classify.issuer_block(lines)
             if any(c.isalpha() for c in line) and not _DATE_LINE.search(line)]
    if not block:
        return None
    lowest = block[-1]
    if classify.unit_by_text([lowest], units) is not None:
        return None
    above = block[:-1]
    under_unit = classify.unit_by_text(above, units) is not None if above else False
    under_union = under_unit or any(_INTERMEDIATE.search(line) for line in above)
    if (under_union and _GRASSROOTS_BODY.search(lowest)) or (under_unit and _OFFICE.match(lowest)):
        return _original(lines, lowest)
    return None


def _original(lines: list[str], folded: str) -> str:
    """The issuer line as written (the national motto a PDF line runs into cut off), for staff."""
    for line in lines:
        if fold(line).startswith(folded):
            cut = _MOTTO_START.search(line)
            return line[:cut.start()].strip() if cut else line.strip()
    return folded.upper()


def _addressed_unit(lines: list[str], units: tuple[Unit, ...], federation: str) -> str | None:
    """«Kính gửi: Ban Thường vụ Công đoàn ngành Y tế» (or «Kính gửi:» with the addressees on the bulleted
    lines below). An addressee list that names the federation is a unit's letter up, not a unit's own."""
    for index, line in enumerate(lines):
        folded = fold(line)
        if not _ADDRESSED.match(folded):
            continue
        addressee = [folded] if folded.removeprefix("kinh gui").strip() else _addressees(lines[index + 1:index + 5])
        text = " ".join(addressee)
        if not text or _FEDERATION.search(text) or (federation and fold(federation) in text):
            return None
        if classify.unit_by_text([text], units) is None:
            return None
        below = lines[index + 1:index + 1 + len(addressee)] if folded == "kinh gui" else []
        return " ".join(part.strip() for part in (line, *below))
    return None


def _addressees(lines: list[str]) -> list[str]:
    """The bulleted (or one short) addressee lines under a bare «Kính gửi:»."""
    out: list[str] = []
    for line in lines:
        text = fold(line)
        if not text or _LETTER_STARTS.match(text) or not (line.lstrip().startswith(("-", "+", "•")) or
                                                          (not out and len(text) < 90)):
            break
        out.append(text)
    return out
