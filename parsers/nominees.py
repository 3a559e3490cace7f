"""Document -> nominees: header-matched tables, «I. TẬP THỂ / II. CÁ NHÂN» sections, numbered prose.

Kinds are ``collective`` (tập thể) and ``individual`` (cá nhân). Names come back NFC, trimmed,
without honorifics. The same nominee named twice in one document is kept once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final, Literal

from parsers.model import Document, Table
from parsers.text import fold, name_key, nfc, strip_honorific


class NomineeKind(StrEnum):
    COLLECTIVE = "collective"     # tập thể
    INDIVIDUAL = "individual"     # cá nhân


COLLECTIVE: Final = NomineeKind.COLLECTIVE
INDIVIDUAL: Final = NomineeKind.INDIVIDUAL
_ANY: Final = "any"               # a list whose lines may be either kind
Heading = NomineeKind | Literal["any"]

_SECTION = re.compile(r"^(?:(?:[ivx]+|\d{1,2}|[a-d])\s+)?(?:danh sach\s+)?(?:(?:de nghi\s+)?khen thuong\s+)?"
                      r"(?:cho\s+)?(tap the|ca nhan)(?:\s+\d{1,3})?(?:\s+(?:dong chi|nguoi|tap the|ca nhan))?$")
# «1. …», «a) …», «- …»; an OCR'd table keeps its rules as «|» («1. | Ông …»).
_NUMBERED = re.compile(r"^\s*(?:\d{1,3}\s*[.)/]|[a-zđ]\s*\)|[-–•+*])[\s|]*(.+)$")
# A prose lead-in that opens a list with no «Tập thể / Cá nhân» heading («… các cá nhân sau:»).
_LEAD_IN = re.compile(r"(?:khen thuong|de nghi|tang)\b.*\b(?:sau|nhu sau|gom|cu the)$")
_NAME_HEADERS = ("ho va ten", "ho ten", "ten tap the", "ten don vi", "tap the ca nhan")
_POSITION_HEADERS = ("chuc vu", "chuc danh")
_WORKPLACE_HEADERS = ("don vi cong tac", "noi cong tac", "co quan cong tac", "don vi")
_KIND_HEADERS = ("loai", "phan loai", "doi tuong")
# The achievements column of a báo cáo tóm tắt (a summary outranks a bare «Thành tích», which outranks
# the award asked for); looked for before position/workplace so «Thành tích của đơn vị» is not a workplace.
_ACHIEVEMENT_HEADERS = ("tom tat thanh tich", "thanh tich dat duoc", "noi dung thanh tich", "thanh tich",
                        "hinh thuc de nghi khen thuong", "hinh thuc khen thuong", "danh hieu")
_ROLES = (("kind", _KIND_HEADERS), ("achievements", _ACHIEVEMENT_HEADERS), ("position", _POSITION_HEADERS),
          ("workplace", _WORKPLACE_HEADERS))
_TOTAL_ROW = re.compile(r"^(?:tong cong|tong so|tong|cong)(?:\s+\d|\s*$|\s+(?:tap the|ca nhan|so))")
# Ranks and degrees written before a name (Đại tá Lê Văn Tiến, ThS. Lò Thị Hoa): not part of the name.
_RANK = re.compile(r"^(?:(?:đại|thượng|trung|thiếu)\s+(?:tá|úy|uý|tướng)|(?:pgs|gs|ts|ths|bs|ds|ks|cn)"
                   r"(?:\s*\.\s*(?:ts|ths|bs|ck\s*i{1,2}))?\s*\.)\s*", re.IGNORECASE)
# Folded prefixes that no Vietnamese surname shares.
_COLLECTIVE_FOLDED = (
    "cong doan", "tap the", "cong ty", "chi nhanh", "uy ban", "ubnd", "trung tam", "benh vien",
    "co quan", "van phong", "chi bo", "cdcs", "nha may", "xi nghiep", "hop tac xa",
)
# Prefixes that do collide with surnames once accents go (Trường/Trương, Ban/Bàn, Tổ/Tô): diacritics kept.
_COLLECTIVE_EXACT = (
    "trường ", "phòng ", "ban ", "tổ ", "khoa ", "sở ", "trạm ", "đội ", "hội ", "viện ", "cục ", "cđ ",
    "nhà trường", "bộ phận", "liên đoàn", "ủy ban", "uỷ ban",
)
_SPLIT_POSITION = re.compile(r"\s+[-–—]\s+|\s*,\s*|\s*:\s+|\s*\(\s*")
_FORMULA_LEAD = "=+@- \t"
_BULLET = re.compile(r"^[-+–•*]\s+")   # a list mark before the name, not part of it
_COLLECTIVE_MARK = re.compile(r"\s*\((?:tập thể|tap the)\)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ExtractedNominee:
    kind: NomineeKind
    name: str
    position: str = ""
    workplace: str = ""
    achievements: str = ""


def extract_nominees(document: Document) -> list[ExtractedNominee]:
    """All nominees the document names, from its tables and its numbered prose lists."""
    found = _from_blocks(document) + _from_prose(document.lines())
    return _dedupe(found)


def section_kind(text: str) -> NomineeKind | None:
    """``I. TẬP THỂ`` -> collective, ``2. Cá nhân (04):`` -> individual, anything else -> None."""
    folded = fold(text)
    if len(folded) > 40:
        return None
    match = _SECTION.match(folded)
    if not match:
        return None
    return COLLECTIVE if match.group(1) == "tap the" else INDIVIDUAL


def looks_collective(name: str) -> bool:
    name = _without_formula_lead(name)
    lowered = nfc(name).casefold() + " "
    return (
        fold(name).startswith(_COLLECTIVE_FOLDED)
        or lowered.startswith(_COLLECTIVE_EXACT)
        or bool(_COLLECTIVE_MARK.search(name))
    )


def looks_like_person(name: str) -> bool:
    words = _without_formula_lead(name).split()
    return 2 <= len(words) <= 6 and all(w[:1].isupper() and not any(c.isdigit() for c in w) for w in words)


def _from_blocks(document: Document) -> list[ExtractedNominee]:
    section: NomineeKind | None = None
    found: list[ExtractedNominee] = []
    for block in document.blocks:
        if isinstance(block, Table):
            rows, section = _from_table(block, section)
            found.extend(rows)
        else:
            section = section_kind(block) or section
    return found


def _from_table(table: Table, section: NomineeKind | None) -> tuple[list[ExtractedNominee], NomineeKind | None]:
    found: list[ExtractedNominee] = []
    columns: dict[str, int] | None = None
    previous: tuple[str, ...] = ()
    for row in table.rows:
        header = _header_columns(row)
        if header is not None:
            columns = _with_upper_row(header, previous, row)
            previous = row
            continue
        previous = row if columns is None else ()     # only a row above the header, never a data row
        row_section = _row_section(row)
        if row_section:
            section = row_section
            continue
        if columns is not None:
            nominee = _row_nominee(row, columns, section)
            if nominee:
                found.append(nominee)
    return found, section


def _header_columns(row: tuple[str, ...]) -> dict[str, int] | None:
    """Column indexes by role, whatever the order; a «Chức vụ, đơn vị công tác» column is the position."""
    folded = [fold(cell) for cell in row]
    name = _first_column(folded, _NAME_HEADERS[:-1]) or _first_column(folded, _NAME_HEADERS[-1:])
    if name is None:
        return None
    columns = {"name": name}
    for key, heads in _ROLES:
        index = _first_column(folded, heads, skip=set(columns.values()), prefix=key == "kind")
        if index is not None:
            columns[key] = index
    if "position" not in columns and "workplace" in columns and _has(folded[columns["workplace"]], ("chuc",)):
        columns["position"] = columns.pop("workplace")
    return columns


def _with_upper_row(columns: dict[str, int], upper: tuple[str, ...], row: tuple[str, ...]) -> dict[str, int]:
    """A header over two rows: a role named only in the row above (over a blank cell of the header row,
    as a merged cell of a spreadsheet leaves it) is taken from there when the rows line up."""
    if len(upper) != len(row):
        return columns
    folded = [fold(above) if not below.strip() else "" for above, below in zip(upper, row, strict=True)]
    columns = dict(columns)
    for key, heads in _ROLES:
        if key not in columns:
            index = _first_column(folded, heads, skip=set(columns.values()), prefix=key == "kind")
            if index is not None:
                columns[key] = index
    return columns


def _has(cell: str, heads: Iterable[str]) -> bool:
    return any(h in cell for h in heads)


def _first_column(
    folded: list[str], heads: Iterable[str], skip: AbstractSet[int] = frozenset(), prefix: bool = False
) -> int | None:
    """The first column whose header has the earliest of ``heads`` (a head outranks those after it)."""
    for head in heads:
        for index, cell in enumerate(folded):
            if index in skip or len(cell) > 60:
                continue
            if cell.startswith(head) if prefix else head in cell:
                return index
    return None


def _row_section(row: tuple[str, ...]) -> NomineeKind | None:
    texts = {nfc(cell) for cell in row if cell.strip()}
    return section_kind(texts.pop()) if len(texts) == 1 else None


def _row_nominee(row: tuple[str, ...], columns: dict[str, int],
                 section: NomineeKind | None) -> ExtractedNominee | None:
    raw = _cell(row, columns["name"])
    first_line = nfc(raw.splitlines()[0]) if raw.strip() else ""
    if not first_line or re.fullmatch(r"\(?\d+\)?", first_line) or _TOTAL_ROW.match(fold(first_line)):
        return None
    kind = _kind_word(_cell(row, columns["kind"])) if "kind" in columns else None
    kind = kind or (COLLECTIVE if _COLLECTIVE_MARK.search(first_line) else None) or section
    name = _clean_name(first_line)
    if kind is None:
        kind = COLLECTIVE if looks_collective(name) else INDIVIDUAL if looks_like_person(name) else None
    if kind is None or (kind == INDIVIDUAL and not looks_like_person(name)):
        return None
    return ExtractedNominee(kind=kind, name=name, position=nfc(_cell(row, columns.get("position", -1))),
                            workplace=nfc(_cell(row, columns.get("workplace", -1))),
                            achievements=_achievements(_cell(row, columns.get("achievements", -1))))


def _achievements(text: str) -> str:
    """The cell's text; a code with no word in it (a form's drop-down id, «1650360491») is not a summary."""
    text = nfc(text).strip()
    return text if any(c.isalpha() for c in text) else ""


def _cell(row: tuple[str, ...], index: int) -> str:
    return row[index] if 0 <= index < len(row) else ""


def _kind_word(text: str) -> NomineeKind | None:
    folded = fold(text).replace(" ", "")
    if "tapthe" in folded:
        return COLLECTIVE
    if "canhan" in folded:
        return INDIVIDUAL
    return None


def _clean_name(text: str) -> str:
    """Bullets, honorifics, ranks and the collective mark out; a ``=``, ``+``, ``@`` or ``-`` stuck to the
    name is kept as written (the name is still a name; the workbook writes it as text, never a formula)."""
    text = _BULLET.sub("", nfc(text).strip())
    rest = _without_formula_lead(text)
    lead = text[: len(text) - len(rest)]
    rest = strip_honorific(nfc(_COLLECTIVE_MARK.sub(" ", rest)).rstrip(" ;.,:"))
    return lead + strip_honorific(_RANK.sub("", rest))


def _without_formula_lead(text: str) -> str:
    """``text`` without the characters a spreadsheet reads as the start of a formula (and spaces)."""
    return text.lstrip(_FORMULA_LEAD)


def _from_prose(lines: list[str]) -> list[ExtractedNominee]:
    """Numbered or bulleted lines under a «Tập thể» / «Cá nhân» heading or a «… sau:» lead-in.

    Wrapped lines are joined. Under a lead-in the kind of each line comes from its wording.
    """
    found: list[ExtractedNominee] = []
    section: Heading | None = None
    item: list[str] = []

    def flush() -> None:
        if item and section:
            nominee = _prose_nominee(" ".join(item), section)
            if nominee:
                found.append(nominee)
        item.clear()

    for line in lines:
        if len(fold(line)) < 3:           # OCR specks («D)», «|») between the lines of a list
            continue
        lead_in = _LEAD_IN.search(fold(line)) and line.rstrip().endswith(":")
        heading: Heading | None = section_kind(line) or (_ANY if lead_in else None)
        numbered = _NUMBERED.match(line)
        if heading:
            flush()
            section = heading
        elif section and numbered:
            flush()
            item.append(numbered.group(1))
        elif section and item and not item[-1].rstrip().endswith((";", ".", ":")):
            item.append(line)
        else:
            flush()
            section = None
    flush()
    return found


def _prose_nominee(text: str, heading: Heading) -> ExtractedNominee | None:
    text = nfc(text).rstrip(" ;.")
    if isinstance(heading, NomineeKind):
        kind = heading
    else:
        kind = COLLECTIVE if looks_collective(strip_honorific(text)) else INDIVIDUAL
    if kind == COLLECTIVE:
        name = _clean_name(text)
        return ExtractedNominee(kind=kind, name=name) if 2 <= len(name.split()) <= 30 else None
    text = strip_honorific(text)
    parts = _SPLIT_POSITION.split(text, maxsplit=1)
    name = _clean_name(parts[0])
    position = nfc(parts[1]).rstrip(" )") if len(parts) > 1 else ""
    return ExtractedNominee(kind=kind, name=name, position=position) if looks_like_person(name) else None


def _dedupe(nominees: list[ExtractedNominee]) -> list[ExtractedNominee]:
    seen: dict[str, ExtractedNominee] = {}
    for nominee in nominees:
        key = name_key(nominee.name)
        if key and key not in seen:
            seen[key] = nominee
            continue
        if key and not seen[key].position and nominee.position:
            seen[key] = replace(seen[key], kind=nominee.kind, position=nominee.position, workplace=nominee.workplace)
        if key and not seen[key].achievements and nominee.achievements:
            seen[key] = replace(seen[key], achievements=nominee.achievements)
    return list(seen.values())
