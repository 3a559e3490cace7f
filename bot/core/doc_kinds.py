"""The evidence a document gives about its dossier item kind (the kinds themselves: bot/config/doc_kinds.py).

Each kind is overridable per campaign in ``[documents.<id>]``; titles, subjects and file-name
words are matched in folded form (no accents, any case, any spacing), so ``to trinh`` and
``T Ờ  T R Ì N H`` both find ``TỜ TRÌNH``. This module only reads evidence; the decision
(with its confidence) is :func:`bot.classify.doc_kind`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.config.doc_kinds import BAO_CAO, OTHER, TOM_TAT, DocKindSpec, ItemKind
from parsers.text import fold, is_upper_title, nfc

# Titles of documents that are no dossier item at all (a Quyết định, Công văn, Thông tư ...).
NON_DOSSIER_TITLES: tuple[str, ...] = (
    "quyết định", "thông tư", "nghị định", "công văn", "hướng dẫn", "kế hoạch", "thông báo",
    "chỉ thị", "nghị quyết", "giấy mời", "công điện", "luật", "quy chế", "quy định",
)
NON_DOSSIER_SYMBOLS: tuple[str, ...] = ("QĐ", "QD", "TT", "NĐ", "CV", "HD", "KH", "TB", "CT", "NQ")
# «V/v …» of a cover letter that only sends the dossier: the letter itself is no item.
COVER_SUBJECTS: tuple[str, ...] = ("gửi hồ sơ", "nộp hồ sơ", "chuyển hồ sơ", "bổ sung hồ sơ", "gửi danh sách",
                                   "gửi tài liệu", "gửi báo cáo", "gửi tờ trình", "gửi biên bản")
# Items that share a symbol: a «Số: 12/BC-…» may head a báo cáo tóm tắt as well as a sơ kết.
SAME_FAMILY: frozenset[frozenset[ItemKind]] = frozenset({frozenset({TOM_TAT, BAO_CAO})})

HEAD_LINES = 30
_SYMBOL = re.compile(
    r"^s[ốo]\s*:?\s*(?:[\d.\s]*(?:/\s*\d{4}\s*)?/\s*([A-ZĐa-zđ]+)|\d+\s*-\s*([A-ZĐa-zđ]+)\s*/)", re.IGNORECASE)
_SUBJECT = re.compile(r"^(?:v/v|v\.v|về việc)\s*:?\s*(.*)$", re.IGNORECASE)
_BODY_START = ("kinh gui", "can cu", "hom nay", "vao hoi", "vao luc", "thuc hien", "thuc hien ke hoach")
_CITATION = re.compile(r"\bso\s*\d")                 # «Kế hoạch số 199/KH-…» cites, it is no title
_LIST_MARK = re.compile(r"^\s*(?:[-–•+*]|\d{1,3}\s*[.)/])")


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: ItemKind     # a dossier item or OTHER
    source: str        # "title", "symbol", "subject", "layout", "filename"
    text: str          # what was read (for the reason shown to staff)


def compatible(a: str, b: str) -> bool:
    return a == b or frozenset({a, b}) in SAME_FAMILY


def _glued(text: str) -> str:
    return fold(text).replace(" ", "")


_NON_DOSSIER_GLUED = tuple(_glued(t) for t in NON_DOSSIER_TITLES)


def title_evidence(lines: Sequence[str], kinds: tuple[DocKindSpec, ...]) -> Evidence | None:
    """The document's own title (a capitals line, or a short line before the body starts)."""
    keys = _title_keys(kinds)
    for index, line in enumerate(lines):
        folded = fold(line)
        if folded.startswith(_BODY_START):
            return None
        if not folded or _LIST_MARK.match(line) or not (is_upper_title(line) or len(folded) <= 60):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        candidates = (_glued(line), _glued(line + " " + following))
        for kind, titles in keys:
            if candidates[0].startswith(titles) or candidates[1].startswith(titles):
                return Evidence(kind, "title", nfc(line))
        if candidates[0].startswith(_NON_DOSSIER_GLUED) and not _CITATION.search(folded):
            return Evidence(OTHER, "title", nfc(line))
    return None


@functools.lru_cache(maxsize=8)
def _title_keys(kinds: tuple[DocKindSpec, ...]) -> tuple[tuple[ItemKind, tuple[str, ...]], ...]:
    """(kind, its titles folded without spaces), the kinds with the longest title first (their titles
    may begin with a shorter kind's: «báo cáo tóm tắt» before «báo cáo»); worked out once per campaign."""
    ordered = sorted(kinds, key=lambda spec: -max((len(t) for t in spec.titles), default=0))
    return tuple((spec.id, tuple(_glued(t) for t in spec.titles)) for spec in ordered)


def symbol_evidence(lines: list[str], kinds: tuple[DocKindSpec, ...]) -> tuple[Evidence | None, bool]:
    """The kind named by the «Số: 19/TTr-…» line, and whether a number line was seen at all."""
    for line in lines:
        match = _SYMBOL.match(nfc(line))
        if not match:
            continue
        symbol = match.group(1) or match.group(2)
        key = fold(symbol)
        for spec in kinds:
            if key in {fold(s) for s in spec.symbols}:
                return Evidence(spec.id, "symbol", symbol), True
        if key in {fold(s) for s in NON_DOSSIER_SYMBOLS}:
            return Evidence(OTHER, "symbol", symbol), True
        return None, True
    return None, False


def subject_evidence(lines: list[str], kinds: tuple[DocKindSpec, ...]) -> tuple[Evidence | None, bool]:
    """What the «V/v …» / «Về việc …» line says, and whether the document has such a line."""
    for line in lines:
        match = _SUBJECT.match(nfc(line))
        if not match:
            continue
        subject = fold(match.group(1))
        if any(fold(s) in subject for s in COVER_SUBJECTS):
            return Evidence(OTHER, "subject", nfc(line)), True
        for spec in kinds:
            if any(fold(s) in subject for s in spec.subjects):
                return Evidence(spec.id, "subject", nfc(line)), True
        return None, True
    return None, False


_NON_DOSSIER_NAMES = ("quyet dinh", "quyetdinh", "thong tu", "thongtu", "cong van", "congvan", "huong dan",
                      "huongdan", "ke hoach", "kehoach", "thong bao", "thongbao", "nghi dinh", "qd")


def filename_evidence(filename: str, kinds: tuple[DocKindSpec, ...]) -> Evidence | None:
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    spaced = re.sub(r"(?<=[a-zà-ỹ])(?=[A-ZÀ-Ỹ])", " ", stem)  # TomTat_ThanhTich -> Tom Tat Thanh Tich
    text = " " + fold(spaced) + " "
    glued = " " + fold(stem) + " "
    for spec in sorted(kinds, key=lambda s: s.id != TOM_TAT):
        for word in spec.filenames:
            key = fold(word)
            if f" {key} " in text or (len(key) > 3 and (key in text or key in glued)):
                return Evidence(spec.id, "filename", filename)
    if any(f" {w} " in text or (len(w) > 3 and w in glued) for w in _NON_DOSSIER_NAMES):
        return Evidence(OTHER, "filename", filename)
    return None
