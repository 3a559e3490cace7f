"""The words that tell this campaign's mail from the rest: their defaults and ``[campaign.markers]``.

The defaults come from ``campaign.name`` and ``campaign.reference`` (see :func:`default_markers`);
every list of ``[campaign.markers]`` is added to them (see docs/operations.md), so a config needs the section only
to add a usual abbreviation, an older plan number or a local name of another movement. Every phrase is
kept folded (no accents, any case, punctuation as spaces); finding them in text is bot/core/markers.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.config.reader import Reader
from parsers.text import fold

# Words of a dossier of this kind of campaign (item names, "a proposal for commendation").
DOSSIER_WORDS: tuple[str, ...] = (
    "tờ trình đề nghị khen thưởng", "biên bản họp xét", "biên bản xét", "tóm tắt thành tích",
    "trích ngang thành tích", "báo cáo thành tích", "hồ sơ đề nghị khen thưởng", "hồ sơ khen thưởng",
    "hồ sơ thi đua", "đề nghị khen thưởng", "đề nghị tặng", "hồ sơ đề nghị",
)
# Another movement or purpose named outright (a year-end review is not a movement's sơ kết).
OTHER_CAMPAIGN_WORDS: tuple[str, ...] = (
    "tổng kết công tác công đoàn", "tổng kết công tác năm", "tổng kết hoạt động công đoàn",
    "tổng kết phong trào công nhân", "xanh - sạch - đẹp",
)
# The union's other movements and chuyên đề, added for a campaign that names its own movement (a
# generic «Đề nghị khen thưởng» campaign takes them as its own). Any of them that the campaign's own
# name uses is left out (:func:`default_markers`), so that movement's campaign uses the same defaults.
OTHER_MOVEMENT_WORDS: tuple[str, ...] = (
    "an toàn, vệ sinh lao động", "ATVSLĐ", "an toàn vệ sinh viên", "giỏi việc nước, đảm việc nhà",
    "lao động giỏi, lao động sáng tạo", "lao động sáng tạo", "hiến máu",
    "mái ấm công đoàn", "tháng công nhân", "đoàn kết sáng tạo", "AT-VSLĐ", "vệ sinh an toàn lao động",
    "phòng chống cháy nổ",
)
# The kinds of award of Luật Thi đua, khen thưởng 2022 / NĐ 98/2023 that are not a movement's sơ kết,
# and the occasions the union crowns on their own (folded; read by bot/core/purpose.py).
PURPOSE_WORDS: tuple[str, ...] = (
    "chuyen de", "dot xuat", "qua trinh cong hien", "cong hien", "nien han", "doi ngoai",
    "tong ket cong tac", "tong ket nam", "ky niem", "nhan dip", "ngay thanh lap", "nam thanh lap",
)
# Everyday business of the same units: reports, invitations, sports.
OTHER_BUSINESS_WORDS: tuple[str, ...] = (
    "giấy mời", "báo cáo tình hình", "báo cáo tháng", "báo cáo nhanh", "báo cáo công tác tháng",
    "hội thao", "giải bóng", "bóng đá", "bóng chuyền", "vận động viên", "đăng ký thi đấu", "đội tuyển",
    "lịch công tác", "thông báo kết luận", "mời họp", "mời dự",
)
_VERBS = ("thuc hien", "thi dua", "xay dung", "huong toi")    # «… thi đua thực hiện văn hóa công sở»
_QUOTED = re.compile(r"[\"“”«»‘’]([^\"“”«»‘’]{3,160})[\"“”«»‘’]")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_PLAN = re.compile(r"^\s*(\d+)\s*/\s*([A-Za-zĐđ]+)")


@dataclass(frozen=True, slots=True)
class Markers:
    """One campaign's words, already folded (see :func:`fold`)."""

    plans: tuple[str, ...]            # "199 kh": a plan's number and first symbol word
    keywords: tuple[str, ...]         # the movement's name and its core phrase
    abbreviations: tuple[str, ...]    # "vhcs": whole words
    year: int | None
    dossier: tuple[str, ...] = tuple(fold(w) for w in DOSSIER_WORDS)
    other_campaigns: tuple[str, ...] = tuple(fold(w) for w in OTHER_CAMPAIGN_WORDS)
    other_business: tuple[str, ...] = tuple(fold(w) for w in OTHER_BUSINESS_WORDS)
    purposes: tuple[str, ...] = ()    # purpose words of the campaign's own name (bot/core/purpose.py)


NO_MARKERS = Markers((), (), (), None)


def quoted(text: str) -> list[str]:
    """Phrases between quotation marks (“…”, "…", «…»)."""
    return [m.group(1).strip() for m in _QUOTED.finditer(text)]


def core_phrase(phrase: str) -> str:
    """The subject of a movement's name: «Cán bộ … thi đua thực hiện văn hóa công sở» -> ``van hoa cong so``."""
    folded = fold(phrase)
    for verb in _VERBS:
        _, found, tail = folded.rpartition(f" {verb} ")
        if found and len(tail.split()) >= 2:
            return tail
    return folded


def initials(phrase: str) -> str:
    """``van hoa cong so`` -> ``vhcs`` (only for three words or more: two letters name nothing)."""
    words = fold(phrase).split()
    return "".join(w[0] for w in words) if len(words) >= 3 else ""


def plan_key(reference: str) -> str:
    """``199/KH-LĐLĐ`` -> ``199 kh``: the number and the kind of document, as a folded phrase."""
    match = _PLAN.match(reference)
    return f"{match.group(1)} {fold(match.group(2))}" if match else fold(reference)


def default_markers(name: str, reference: str, deadline_year: int) -> Markers:
    """Markers from the campaign's name (its quoted movement, or the words after «phong trào») and plan."""
    movements = quoted(name) or _after_movement_word(name)
    keywords = [fold(m) for m in movements]
    keywords += [core_phrase(m) for m in movements if core_phrase(m) not in keywords]
    abbreviations = [a for a in (initials(core_phrase(m)) for m in movements) if len(a) >= 3]
    years = _YEAR.findall(name) or _YEAR.findall(reference)
    own = f" {fold(name)} "
    return Markers(plans=(plan_key(reference),) if reference else (), keywords=tuple(k for k in keywords if k),
                   abbreviations=tuple(abbreviations), year=int(years[0]) if years else deadline_year,
                   other_campaigns=not_named_in(own, tuple(fold(w) for w in (
                       *OTHER_CAMPAIGN_WORDS, *(OTHER_MOVEMENT_WORDS if keywords else ())))),
                   purposes=tuple(w for w in PURPOSE_WORDS if f" {w} " in own))


def not_named_in(own: str, phrases: tuple[str, ...]) -> tuple[str, ...]:
    """The phrases (folded) that the campaign's own name (folded, padded with spaces) does not use."""
    return tuple(p for p in phrases if p and f" {p} " not in own)


def _after_movement_word(name: str) -> list[str]:
    folded = fold(name)
    _, found, tail = folded.partition("phong trao ")
    tail = re.split(r"\bnam \d{4}\b|\bgiai doan\b", tail)[0].strip()
    return [tail] if found and len(tail.split()) >= 2 else []


KEYS = {"plans", "keywords", "abbreviations", "year", "dossier_words", "other_campaigns", "other_business"}


def campaign_markers(sec: Reader, name: str, reference: str, deadline_year: int) -> Markers:
    sec.no_unknown(KEYS)
    base = default_markers(name, reference, deadline_year)
    year = sec.int("year", base.year or deadline_year, minimum=1900)
    return replace(
        base,
        plans=_more(base.plans, [plan_key(p) for p in sec.str_list("plans", [])]),
        keywords=_more(base.keywords, [fold(k) for k in sec.str_list("keywords", [])]),
        abbreviations=_more(base.abbreviations, [fold(a) for a in sec.str_list("abbreviations", [])]),
        year=year,
        dossier=_more(base.dossier, [fold(w) for w in sec.str_list("dossier_words", [])]),
        other_campaigns=_more(base.other_campaigns, [fold(w) for w in sec.str_list("other_campaigns", [])]),
        other_business=_more(base.other_business, [fold(w) for w in sec.str_list("other_business", [])]),
    )


def _more(base: tuple[str, ...], extra: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*base, *(e for e in extra if e)]))
