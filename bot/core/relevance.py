"""Is a message about this campaign, another campaign or other business? Pure judgement.

Evidence, strongest first (docs/developer.md «How it decides»):
1. the message answers a campaign thread (In-Reply-To / References known to the ledger);
2. its subject or new words name this campaign: plan number, movement name or abbreviation;
3. one of its documents names this campaign in its title zone, or cites the plan anywhere;
4. its words name another movement or purpose, and no everyday business (another campaign);
5. every document belongs elsewhere and one names another movement or purpose (another campaign);
6. it speaks of a commendation dossier (item names, «đề nghị khen thưởng») in the campaign's year;
7. every document belongs elsewhere, or its words are everyday business and no dossier (other business);
8. dossier-shaped but unmarked (dossier words without the year, dossier item documents): counted and
   flagged for staff (``unsure``), so that a dossier never vanishes silently;
9. nothing at all: other business.
A document is judged alone: one whose title zone names another movement, purpose or business
(and not this campaign) is no item of this campaign, even inside a campaign message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.config.doc_kinds import ItemKind
from bot.config.markers import Markers
from bot.core.markers import first, original, padded, plain
from bot.core.model import Finding
from bot.core.purpose import foreign_purpose
from parsers.text import fold

OTHER_CAMPAIGN_KIND = ItemKind.OTHER_CAMPAIGN   # DocumentRecord.kind of a document of another campaign
OTHER_BUSINESS_KIND = ItemKind.OTHER_BUSINESS   # ... of a document of other business
NAMES_CAMPAIGN = Finding.NAMES_CAMPAIGN  # DocumentRecord warning: the document names this campaign
NOT_THIS_CAMPAIGN = (OTHER_CAMPAIGN_KIND, OTHER_BUSINESS_KIND)
TITLE_ZONE = 15                          # lines before the body of a document: title, number, «V/v»


class Relevance(StrEnum):
    CAMPAIGN = "campaign"
    UNSURE = "unsure"                    # counted, flagged for staff
    OTHER_CAMPAIGN = "other_campaign"
    OTHER_BUSINESS = "other_business"
    NEUTRAL = "neutral"                  # a document that says nothing either way


@dataclass(frozen=True, slots=True)
class Verdict:
    relevance: Relevance
    reason: str = ""                     # why, for staff (Vietnamese)
    in_thread: bool = False              # the message answers a campaign thread
    mixed: str = ""                      # this campaign's, but part of the evidence names another (why)


@dataclass(frozen=True, slots=True)
class TextSignals:
    """What a message's subject and new words say (each field: the phrase found, or "")."""

    ours: str = ""
    dossier: str = ""
    year: bool = False
    other_campaign: str = ""
    other_business: str = ""


def read_text(text: str, markers: Markers) -> TextSignals:
    folded = padded(text)
    return TextSignals(
        ours=original(text, names_campaign(folded, markers)),
        dossier=original(text, first(markers.dossier, folded)),
        year=markers.year is not None and f" {markers.year} " in folded,
        other_campaign=(original(text, first(markers.other_campaigns, folded)) or other_movement(text, markers)
                        or foreign_purpose(text, markers)),
        other_business=original(text, first(markers.other_business, folded) or _monthly(folded)),
    )


def names_campaign(folded: str, markers: Markers) -> str:
    """The plan, a movement keyword or an abbreviation found in ``folded`` (from :func:`padded`)."""
    plan = first(markers.plans, folded) or next(
        (p for p in markers.plans if re.search(rf" ke hoach (?:so )?{p.split()[0]} ", folded)), "")
    return plan or first(markers.keywords, folded) or first(markers.abbreviations, folded)


_MONTHLY = re.compile(r" bao cao(?: \w+){0,8} thang \d{1,2}(?: \d{4})? ")


def _monthly(folded: str) -> str:
    match = _MONTHLY.search(folded)
    return match.group(0).strip() if match else ""


_MOVEMENT = re.compile(r"\b(?:phong trao|cuoc van dong)\s+(?:thi dua\s+)?(.{1,160})")
_QUOTE_CHARS = "\"“”«»‘’'"
_CUT = re.compile(r"[\n.;:()\[\],]|\bnam (?:19|20)\d\d\b|\bgiai doan\b|\s-\s(?=ldld|lien doan|cong doan|cd)")
_GENERIC = frozenset({
    "thi", "dua", "yeu", "nuoc", "nam", "nay", "cua", "tai", "trong", "va", "cac", "do", "noi", "tren", "o", "co",
    "so", "don", "vi", "nganh", "tinh", "huyen", "tu", "den", "lan", "thu", "dot", "chung", "toan", "the", "cung",
    "voi", "da", "duoc", "de", "nhu", "sau"})


def other_movement(text: str, markers: Markers) -> str:
    """A movement named after «phong trào» / «cuộc vận động» that is not this campaign's, or "".

    Only a campaign that names its own movement can tell another one apart (a generic campaign cannot)."""
    if not markers.keywords:
        return ""
    for match in _MOVEMENT.finditer(plain(text)):
        phrase = _movement_phrase(match.group(1))
        words = [w for w in padded(phrase).split() if w not in _GENERIC and not w.isdigit()]
        if not words or (len(words) == 1 and (len(words[0]) < 3 or _has_vowel(words[0]))):
            continue                      # «phong trào thi đua năm 2020», «phong trào này»
        folded = padded(phrase)
        if names_campaign(folded, markers) or any(folded.strip() in k for k in markers.keywords):
            continue
        return original(text, fold(phrase))
    return ""


def _movement_phrase(tail: str) -> str:
    tail = tail.lstrip()
    if tail[:1] in _QUOTE_CHARS:
        closing = re.search(f"[{_QUOTE_CHARS}]", tail[1:])
        return tail[1:closing.start() + 1] if closing else tail[1:]
    return _CUT.split(tail, maxsplit=1)[0]


def _has_vowel(word: str) -> bool:
    """Vietnamese syllables have vowels; ``vhcs``, ``xsd`` (abbreviations) do not."""
    return any(ch in "aeiouy" for ch in word)


@dataclass(frozen=True, slots=True)
class DocumentSignal:
    relevance: Relevance                 # CAMPAIGN (names us), OTHER_CAMPAIGN, OTHER_BUSINESS or NEUTRAL
    reason: str = ""


def judge_document(lines: Sequence[str], markers: Markers) -> DocumentSignal:
    """The title zone decides (ours, another movement or purpose, other business); then the plan cited anywhere."""
    zone = title_zone(lines)
    signals = read_text("\n".join(zone), markers)
    if signals.ours:
        return DocumentSignal(Relevance.CAMPAIGN, f"nêu «{signals.ours}»")
    if signals.other_business:           # «GIẤY MỜI dự hội nghị tổng kết …» is an invitation
        return DocumentSignal(Relevance.OTHER_BUSINESS, f"việc khác: «{signals.other_business}»")
    if signals.other_campaign:
        return DocumentSignal(Relevance.OTHER_CAMPAIGN, f"của phong trào/việc khác: «{signals.other_campaign}»")
    found = names_campaign(f" {' '.join(fold(line) for line in lines)} ", markers)  # per line: fold is cached
    return DocumentSignal(Relevance.CAMPAIGN, f"nêu «{found}»") if found else DocumentSignal(Relevance.NEUTRAL)


_MOVEMENT_TALK = (" phong trao ", " thi dua ", " so ket ", " khen thuong ", " thanh tich ", " cuoc van dong ",
                  " van dong ")


def judge_report(lines: Sequence[str], markers: Markers) -> DocumentSignal:
    """A báo cáo that names nothing: the campaign's báo cáo sơ kết only when its title zone speaks of a
    movement, emulation or commendation; «Báo cáo thu, chi tài chính công đoàn năm 2020» is other business.

    Only a campaign that names its own movement can tell (a generic campaign takes every report)."""
    zone = title_zone(lines)
    folded = padded(" ".join(zone))
    if not markers.keywords or not zone or any(word in folded for word in _MOVEMENT_TALK):
        return DocumentSignal(Relevance.NEUTRAL)
    subject = _report_subject(zone)
    return DocumentSignal(Relevance.OTHER_BUSINESS, f"báo cáo việc khác: «{subject}»")


def _report_subject(zone: Sequence[str]) -> str:
    """The line after «BÁO CÁO» (the report's subject), else the title zone's last line."""
    lines = [line.strip() for line in zone if line.strip()]
    after = next((lines[i + 1] for i, line in enumerate(lines[:-1]) if fold(line) == "bao cao"), "")
    return (after or lines[-1])[:160]


_BODY = re.compile(r"^\s*(?:kinh gui|can cu|thuc hien|hom nay|vao hoi|vao luc|i\s*[.:-]|1\s*[.)])")


def title_zone(lines: Sequence[str]) -> list[str]:
    """The lines before the body starts (Kính gửi, Căn cứ, Thực hiện, Hôm nay, I., 1.), at most TITLE_ZONE."""
    zone = []
    for line in lines[:TITLE_ZONE]:
        if _BODY.match(plain(line)):
            break
        zone.append(line)
    return zone


def judge_message(text: TextSignals, documents: Sequence[tuple[str, DocumentSignal]], *,
                  dossier_documents: bool, in_thread: bool) -> Verdict:
    """The message's verdict from its words, its documents' signals (file name, signal) and its thread.

    A verdict for this campaign says in ``mixed`` when part of the evidence points to another campaign
    (a document of another movement or purpose, or words that name one): staff look at it."""
    verdict = _judge(text, documents, dossier_documents=dossier_documents, in_thread=in_thread)
    if verdict.relevance not in (Relevance.CAMPAIGN, Relevance.UNSURE) or verdict.in_thread:
        return verdict
    return replace(verdict, mixed=_mixed(text, documents))


def _judge(text: TextSignals, documents: Sequence[tuple[str, DocumentSignal]], *,
           dossier_documents: bool, in_thread: bool) -> Verdict:
    if in_thread:
        return Verdict(Relevance.CAMPAIGN, "trả lời trong chuỗi thư của đợt này", in_thread=True)
    if text.ours:
        return Verdict(Relevance.CAMPAIGN, f"thư nêu «{text.ours}»")
    ours = next(((name, s) for name, s in documents if s.relevance == Relevance.CAMPAIGN), None)
    if ours is not None:
        return Verdict(Relevance.CAMPAIGN, f"{ours[0]}: {ours[1].reason}")
    if text.other_campaign and not text.other_business:
        return Verdict(Relevance.OTHER_CAMPAIGN, f"thư nêu «{text.other_campaign}»")
    elsewhere = [(name, s) for name, s in documents if s.relevance in (Relevance.OTHER_CAMPAIGN,
                                                                         Relevance.OTHER_BUSINESS)]
    all_elsewhere = bool(documents) and len(elsewhere) == len(documents)
    campaigns = [(name, s) for name, s in elsewhere if s.relevance == Relevance.OTHER_CAMPAIGN]
    if all_elsewhere and campaigns:       # «đề nghị khen thưởng» fits any award: the documents say which
        return Verdict(Relevance.OTHER_CAMPAIGN, f"{campaigns[0][0]}: {campaigns[0][1].reason}")
    if text.dossier and text.year and not all_elsewhere:
        return Verdict(Relevance.CAMPAIGN, f"thư nêu «{text.dossier}» năm của đợt này")
    if all_elsewhere and not text.dossier:
        name, signal = elsewhere[0]
        return Verdict(signal.relevance, f"{name}: {signal.reason}")
    if text.other_business and not text.dossier:   # both: the words disagree, staff decide (below)
        return Verdict(Relevance.OTHER_BUSINESS, f"thư nêu «{text.other_business}»")
    if text.dossier or dossier_documents:
        said = f"«{text.dossier}»" if text.dossier else "tài liệu giống hồ sơ"
        return Verdict(Relevance.UNSURE, f"{said} nhưng không nêu kế hoạch, phong trào hay năm của đợt này")
    return Verdict(Relevance.OTHER_BUSINESS, "không nêu kế hoạch, phong trào hay hồ sơ của đợt này")


def _mixed(text: TextSignals, documents: Sequence[tuple[str, DocumentSignal]]) -> str:
    """Why a message judged this campaign's also points elsewhere ("" when it does not).

    Its words name another movement or purpose while a document or its words name this campaign, or
    while its documents are all another's. A document of another campaign beside this campaign's is
    listed for staff on its own (bot/core/views.py), so it needs no second word here."""
    if text.other_campaign:
        return f"thư nêu «{text.other_campaign}»"
    others = [name for name, s in documents if s.relevance == Relevance.OTHER_CAMPAIGN]
    if documents and len(others) == len(documents):
        return f"mọi tài liệu thuộc phong trào/đợt khác ({', '.join(others)})"
    return ""


_THANKS = re.compile(r"\b(?:cam on|thank|thanks|xin cam on|tran trong cam on|da nhan|ok|okay)\b")
_NOT_THANKS = re.compile(r"\?|\b(?:hoi|xin hoi|lam sao|the nao|bao gio|khi nao|chua|tai sao|vi sao|gui lai|bo sung)\b")


def is_thanks(words: str) -> bool:
    """Only thanks or «đã nhận»: short, no question, no request."""
    folded = plain(words)
    return bool(_THANKS.search(folded)) and not _NOT_THANKS.search(folded) and len(folded.split()) <= 40
