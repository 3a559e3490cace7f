"""Pure decisions about one message: is it automated, which unit sent it, what each document is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.config import Unit
from bot.doc_kinds import NON_DOSSIER_SYMBOLS, NON_DOSSIER_TITLES, OTHER, TOM_TAT, UNCLASSIFIED, DocKindSpec
from bot.model import IncomingMail, Outcome
from parsers import Document
from parsers.text import fold, is_upper_title, nfc

MAILBOT_HEADER = "X-Mailbot"
_BOUNCE_SENDERS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon")
_AUTO_SUBJECTS = (
    "tu dong tra loi", "tra loi tu dong", "automatic reply", "auto reply", "autoreply", "auto response",
    "out of office", "out of the office", "vacation", "absence", "abwesenheit", "reponse automatique",
)
_BOUNCE_SUBJECTS = (
    "undeliverable", "undelivered mail", "delivery status notification", "mail delivery failed",
    "returned mail", "delivery failure", "failure notice", "non remis", "nicht zustellbar",
)
_SYMBOL = re.compile(r"^s[ốo]\s*:?\s*[\d.\s]*/\s*([A-ZĐa-zđ]+)", re.IGNORECASE)
_HEAD_LINES = 30


def automated(mail: IncomingMail) -> Outcome | None:
    """Why this message must get no reply (RFC 3834, bounces, lists, our own mail), or None."""
    h = mail.headers
    if MAILBOT_HEADER.lower() in h:
        return Outcome.OWN_REPLY
    if mail.content_type == "multipart/report":
        return Outcome.READ_RECEIPT if "disposition-notification" in _report_type(mail) else Outcome.BOUNCE
    local = mail.from_addr.split("@", 1)[0]
    if local in _BOUNCE_SENDERS or h.get("return-path", "").strip() == "<>":
        return Outcome.BOUNCE
    if h.get("auto-submitted", "no").strip().lower() not in ("", "no") or "x-autoreply" in h or "x-autorespond" in h:
        return Outcome.AUTO_REPLY
    precedence = h.get("precedence", "").strip().lower()
    if precedence in ("bulk", "junk", "auto_reply"):
        return Outcome.AUTO_REPLY
    if precedence == "list" or "list-id" in h or "list-unsubscribe" in h:
        return Outcome.MAILING_LIST
    return _automated_by_subject(fold(mail.subject))


def _report_type(mail: IncomingMail) -> str:
    return mail.headers.get("content-type", "").lower()


def _automated_by_subject(subject: str) -> Outcome | None:
    if subject.startswith(_AUTO_SUBJECTS):
        return Outcome.AUTO_REPLY
    if subject.startswith(_BOUNCE_SUBJECTS):
        return Outcome.BOUNCE
    return None


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
    """The issuing body at the top left (NĐ 30/2020 layout), else the signature block at the end."""
    lines = document.lines()
    return unit_by_text(lines[:12], units) or unit_by_text(lines[-12:], units)


@dataclass(frozen=True, slots=True)
class KindGuess:
    kind: str
    source: str            # "title", "symbol", "filename" or "" when unclassified
    note: str = ""


def doc_kind(filename: str, document: Document | None, kinds: tuple[DocKindSpec, ...]) -> KindGuess:
    """Title line first, then the number/symbol line (``Số: 19/TTr-…``), then the file name."""
    by_name = _kind_from_filename(filename, kinds)
    if document is not None:
        lines = document.lines()[:_HEAD_LINES]
        for guess in (_kind_from_title(lines, kinds), _kind_from_symbol(lines, kinds)):
            if guess is not None:
                note = "" if by_name in (None, guess.kind) else f"file name suggests {by_name}"
                return KindGuess(guess.kind, guess.source, note)
    if by_name is not None:
        return KindGuess(by_name, "filename")
    return KindGuess(UNCLASSIFIED, "")


def _kind_from_title(lines: list[str], kinds: tuple[DocKindSpec, ...]) -> KindGuess | None:
    ordered = _specific_first(kinds)
    for index, line in enumerate(lines):
        folded = fold(line)
        if not folded or not (is_upper_title(line) or len(folded) <= 90):
            continue
        joined = folded + " " + fold(lines[index + 1]) if index + 1 < len(lines) else folded
        for spec in ordered:
            if any(c.startswith(fold(t)) for t in spec.titles for c in (folded, joined)):
                return KindGuess(spec.id, "title")
        if is_upper_title(line) and folded.startswith(tuple(fold(t) for t in NON_DOSSIER_TITLES)):
            return KindGuess(OTHER, "title")
    return None


def _specific_first(kinds: tuple[DocKindSpec, ...]) -> list[DocKindSpec]:
    """Longer titles first, so ``báo cáo tóm tắt`` wins over ``báo cáo``."""
    return sorted(kinds, key=lambda spec: -max((len(t) for t in spec.titles), default=0))


def _kind_from_symbol(lines: list[str], kinds: tuple[DocKindSpec, ...]) -> KindGuess | None:
    for line in lines:
        match = _SYMBOL.match(nfc(line))
        if not match:
            continue
        symbol = fold(match.group(1))
        for spec in kinds:
            if symbol in {fold(s) for s in spec.symbols}:
                return KindGuess(spec.id, "symbol")
        if symbol in {fold(s) for s in NON_DOSSIER_SYMBOLS}:
            return KindGuess(OTHER, "symbol")
    return None


_NON_DOSSIER_NAMES = ("quyet dinh", "quyetdinh", "thong tu", "thongtu", "cong van", "congvan", "huong dan",
                      "huongdan", "ke hoach", "kehoach", "thong bao", "thongbao", "nghi dinh", "qd")


def _kind_from_filename(filename: str, kinds: tuple[DocKindSpec, ...]) -> str | None:
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    spaced = re.sub(r"(?<=[a-zà-ỹ])(?=[A-ZÀ-Ỹ])", " ", stem)  # TomTat_ThanhTich -> Tom Tat Thanh Tich
    text = " " + fold(spaced) + " "
    glued = " " + fold(stem) + " "
    for spec in sorted(kinds, key=lambda s: s.id != TOM_TAT):
        for word in spec.filenames:
            key = fold(word)
            if f" {key} " in text or (len(key) > 3 and (key in text or key in glued)):
                return spec.id
    if any(f" {w} " in text or (len(w) > 3 and w in glued) for w in _NON_DOSSIER_NAMES):
        return OTHER
    return None
