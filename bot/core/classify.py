"""Pure decisions about one message: is it automated, which unit sent it, what each document is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.config.doc_kinds import DEFAULT_DOC_KINDS, OTHER, UNCLASSIFIED, DocKindSpec, ItemKind
from bot.config.schema import Unit
from bot.core import automated
from bot.core import doc_kinds as dk
from bot.core.model import IncomingMail, Outcome
from parsers import Document
from parsers.text import fold

MAILBOT_HEADER = automated.MAILBOT_HEADER


def automated_verdict(mail: IncomingMail) -> automated.Verdict | None:
    """Why this message must get no reply (a machine wrote it: see bot.core.automated), or None."""
    return automated.judge(mail)


def automated_outcome(mail: IncomingMail) -> Outcome | None:
    """The outcome word of :func:`automated_verdict`, or None for a person's mail."""
    verdict = automated.judge(mail)
    return verdict.outcome if verdict else None


def unit_by_address(address: str, units: tuple[Unit, ...]) -> Unit | None:
    address = address.casefold()
    return next((unit for unit in units if address in unit.emails), None)


def unit_by_text(lines: list[str], units: tuple[Unit, ...]) -> Unit | None:
    """The unit whose name or alias appears in these lines; the longest match wins (``tỉnh`` vs ``thành phố``)."""
    text = " " + " ".join(fold(line) for line in lines) + " "
    best: tuple[int, Unit] | None = None
    for unit in units:
        for alias in (unit.name, *unit.aliases):
            key = fold(alias)
            if len(key) >= 6 and f" {key} " in text and (best is None or len(key) > best[0]):
                best = (len(key), unit)
    return best[1] if best else None


def document_unit(document: Document, units: tuple[Unit, ...]) -> Unit | None:
    """The issuing body at the top left (NĐ 30/2020 layout), else the signature block.

    The top-left block names the governing body first and the issuing body below it
    («LĐLĐ TỈNH LAI CHÂU» / «LĐLĐ HUYỆN TAM ĐƯỜNG»), so it is read from the bottom up. Only a
    document without such a block is searched further (any unit named near its top or end):
    the federation's own Quyết định citing a unit's tờ trình is no document of that unit.
    """
    lines = document.lines()
    header = _header(lines)
    unit = _issuer(header, units) or _signatory(lines, units)
    if unit is not None or any(_ISSUING_BODY.search(line) for line in header):
        return unit
    return unit_by_text(lines[:12], units) or unit_by_text(lines[-12:], units)


_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc", "dang cong san viet nam")
_HEADER_END = re.compile(r"^(?:s[ốo]\s*[:/\d]|v/v|về việc|kính gửi|hôm nay|căn cứ)", re.IGNORECASE)
_SIGN_MARK = re.compile(r"(?:^|\s)(?:T/?M|K/?T|T/?L)\s*\.\s*\S")   # TM. BAN THƯỜNG VỤ, T/M., KT.
_ISSUING_BODY = re.compile(r"\b(?:lien doan|ldld|cong doan|cdcs|uy ban|ubnd|so|bo|ban)\b")
_ISSUER_LINES = 10


def issuer_block(lines: list[str]) -> list[str]:
    """The folded lines of the top-left block (governing body first, issuing body last)."""
    return _header(lines)


def _header(lines: list[str]) -> list[str]:
    """The folded lines of the top-left block, without the nation's name a PDF line may run into."""
    header: list[str] = []
    for line in lines[:_ISSUER_LINES]:
        if _HEADER_END.match(line) or dk.title_evidence([line], DEFAULT_DOC_KINDS) is not None:
            break
        folded = fold(line)
        cut = min((folded.find(m) for m in _MOTTO if m in folded), default=-1)
        header.append(folded[:cut].strip() if cut >= 0 else folded)
    return [line for line in header if line]


def _issuer(header: list[str], units: tuple[Unit, ...]) -> Unit | None:
    for index in range(len(header) - 1, -1, -1):
        pair = [header[index - 1] + " " + header[index]] if index else []
        unit = unit_by_text([header[index]], units) or (unit_by_text(pair, units) if pair else None)
        if unit is not None:
            return unit
    return None


def _signatory(lines: list[str], units: tuple[Unit, ...]) -> Unit | None:
    """«TM. BAN THƯỜNG VỤ» then the body on the same or the next two lines."""
    tail = lines[-25:]
    for index, line in enumerate(tail):
        mark = _SIGN_MARK.search(line)
        if mark:
            unit = unit_by_text([line[mark.start():], *tail[index + 1:index + 3]], units)
            if unit is not None:
                return unit
    return None


@dataclass(frozen=True, slots=True)
class KindGuess:
    kind: ItemKind
    source: str            # "title", "symbol", "subject", "layout", "filename" or "" when unclassified
    note: str = ""         # what else was seen, for staff (Vietnamese)
    confidence: float = 0.0
    reason: str = ""       # why this kind, for staff (Vietnamese)


def doc_kind(filename: str, document: Document | None, kinds: tuple[DocKindSpec, ...]) -> KindGuess:
    """The item from the title, the number/symbol line, the «V/v» line and the file name, with a confidence.

    The document's own words outrank its file name; when they contradict each other, or only a
    công văn's «V/v đề nghị khen thưởng» speaks for it, the answer is ``unclassified`` (staff decide).
    """
    by_name = dk.filename_evidence(filename, kinds)
    if document is None:
        return _from_name(by_name)
    lines = document.lines()[: dk.HEAD_LINES]
    title = dk.title_evidence(lines, kinds)
    symbol, numbered = dk.symbol_evidence(lines, kinds)
    subject, has_subject = dk.subject_evidence(lines, kinds)
    if title is not None:
        return _from_title(title, symbol, subject, by_name)
    if symbol is not None:
        return _from_symbol(symbol, subject, by_name)
    if subject is not None or (has_subject and numbered):
        return _from_subject(subject, by_name, cong_van=has_subject and numbered)
    return _from_name(by_name)


def _said(evidence: dk.Evidence) -> str:
    where = {"title": "tiêu đề", "symbol": "số, ký hiệu", "subject": "trích yếu", "filename": "tên tệp"}
    return f"{where.get(evidence.source, evidence.source)} «{evidence.text}» → {evidence.kind}"


def _conflict(*evidence: dk.Evidence) -> KindGuess:
    reason = "các nguồn mâu thuẫn: " + "; ".join(_said(e) for e in evidence)
    return KindGuess(UNCLASSIFIED, "", reason, 0.3, reason)


def _agreement(kind: str, others: tuple[dk.Evidence | None, ...]) -> tuple[float, str]:
    """Confidence bonus for agreeing evidence, and a note on a file name that says otherwise."""
    bonus, note = 0.0, ""
    for other in others:
        if other is None:
            continue
        if other.kind == kind or (other.source != "filename" and dk.compatible(other.kind, kind)):
            bonus += 0.05
        elif other.source == "filename":
            bonus -= 0.1
            note = f"tên tệp gợi ý {other.kind}"
    return bonus, note


def _from_title(title: dk.Evidence, symbol: dk.Evidence | None, subject: dk.Evidence | None,
                by_name: dk.Evidence | None) -> KindGuess:
    if symbol is not None and not dk.compatible(title.kind, symbol.kind):
        return _conflict(title, symbol)
    bonus, note = _agreement(title.kind, (symbol, by_name))
    if subject is not None and subject.kind == title.kind:
        bonus += 0.05
    return KindGuess(title.kind, "title", note, round(min(0.9 + bonus, 1.0), 2), _said(title))


def _from_symbol(symbol: dk.Evidence, subject: dk.Evidence | None, by_name: dk.Evidence | None) -> KindGuess:
    kind = symbol.kind
    if by_name is not None and by_name.kind != kind:
        if not dk.compatible(by_name.kind, kind):
            return _conflict(symbol, by_name)
        kind = by_name.kind                  # «Số: 12/BC-…» saved as «Tóm tắt thành tích.docx»
    bonus, _ = _agreement(kind, (subject, by_name))
    return KindGuess(kind, "symbol", "", round(0.75 + bonus, 2), _said(symbol))


def _from_subject(subject: dk.Evidence | None, by_name: dk.Evidence | None, *, cong_van: bool) -> KindGuess:
    """No title, no item symbol: a «V/v» line under a number is the layout of a công văn."""
    if subject is not None and subject.kind != OTHER:
        if by_name is not None and by_name.kind != subject.kind:
            return _conflict(subject, by_name)
        if by_name is not None:
            return KindGuess(subject.kind, "subject", "", 0.7, _said(subject))
        if cong_van:
            reason = f"công văn {_said(subject)}: không có tiêu đề tài liệu, cần người xem"
            return KindGuess(UNCLASSIFIED, "", reason, 0.4, reason)
        return KindGuess(subject.kind, "subject", "", 0.6, _said(subject))
    reason = _said(subject) if subject else "bố cục công văn (số, trích yếu «V/v», không có tiêu đề)"
    if by_name is not None and by_name.kind != OTHER:
        return _conflict(subject or dk.Evidence(OTHER, "layout", "V/v"), by_name)
    return KindGuess(OTHER, "subject" if subject else "layout", "", 0.7 if subject else 0.6, reason)


def _from_name(by_name: dk.Evidence | None) -> KindGuess:
    if by_name is None:
        return KindGuess(UNCLASSIFIED, "", "", 0.0, "không nhận ra loại tài liệu")
    return KindGuess(by_name.kind, "filename", "", 0.5, _said(by_name) + " (chỉ theo tên tệp)")
