"""Pure decisions on one parsed message: what its documents are and whose dossier it feeds."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import parsers
from bot.config.schema import Config, Unit
from bot.core import classify, forwards, links, sections
from bot.core.doc_kinds import BIEN_BAN, UNCLASSIFIED
from bot.core.model import Attachment, DocumentRecord, Finding, IncomingMail, Nominee, Outcome
from parsers.meeting import meeting_facts

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    unit: Unit | None
    counted: bool
    findings: tuple[str, ...] = ()
    acknowledge_forward: bool = False   # staff forwarded a unit's own dossier: the unit gets the reply

    @property
    def replies(self) -> bool:
        return self.outcome == Outcome.ACCEPTED or self.acknowledge_forward


def read_document(attachment: Attachment, cfg: Config,
                  extract: Callable[[str, bytes], parsers.Document] = parsers.extract) -> DocumentRecord:
    """Parse, classify and extract nominees from one attachment as one document; never raises for bad files.

    ``extract`` is :func:`parsers.extract` or a guarded equivalent (bot.app.guard: time and memory limits).
    """
    status, detail, document = _parse(attachment, extract)
    return _record(attachment, status, detail, document, attachment.filename, cfg)


def read_items(attachment: Attachment, cfg: Config,
               extract: Callable[[str, bytes], parsers.Document] = parsers.extract) -> list[DocumentRecord]:
    """One record per dossier item the attachment holds: a file with a tờ trình, a biên bản and a
    tóm tắt one after another gives three, named «hoso.docx (1/3)»… (:mod:`bot.core.sections`)."""
    status, detail, document = _parse(attachment, extract)
    parts = sections.split(document, cfg.documents) if document is not None and status == "ok" else []
    if len(parts) < 2:
        return [_record(attachment, status, detail, document, attachment.filename, cfg)]
    return [_record(attachment, status, detail, part.document, part_label(attachment.filename, n, len(parts)),
                    cfg, whole=False) for n, part in enumerate(parts, 1)]


def part_label(filename: str, number: int, count: int) -> str:
    return f"{filename} ({number}/{count})"


def _record(attachment: Attachment, status: str, detail: str, document: parsers.Document | None, label: str,
            cfg: Config, *, whole: bool = True) -> DocumentRecord:
    """The record of a whole attachment, or (``whole=False``) of one item inside it, named ``label``."""
    data = attachment.data
    guess = classify.doc_kind(attachment.filename if whole else "", document, cfg.documents)
    spec = cfg.doc_kind(guess.kind)
    found = parsers.extract_nominees(document) if document and spec and spec.lists_nominees else []
    hint = classify.document_unit(document, cfg.units) if document else None
    meeting = meeting_facts(document) if document and guess.kind == BIEN_BAN else None
    unsure = guess.reason if guess.kind == UNCLASSIFIED else ""
    return DocumentRecord(
        filename=label, kind=guess.kind,
        format=document.format if document else parsers.sniff_format(attachment.filename, data),
        status=status, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        nominees=tuple(Nominee(n.kind, n.name, n.position, label, n.workplace, n.achievements) for n in found),
        warnings=_record_warnings(document),
        detail="; ".join(x for x in (detail, guess.note, unsure) if x), unit_hint=hint.id if hint else None,
        confidence=guess.confidence, reason=guess.reason,
        meeting=None if meeting is None or meeting.empty else meeting,
    )


def _parse(attachment: Attachment,
           extract: Callable[[str, bytes], parsers.Document]) -> tuple[str, str, parsers.Document | None]:
    """(status, detail, document): ``ok`` with the document, or the finding that explains its absence."""
    if attachment.origin == "zip-refused":
        return str(Finding.ATTACHMENT_TOO_LARGE), "archive over the size or member limit", None
    try:
        document = extract(attachment.filename, attachment.data)
    except parsers.DocumentError as exc:
        return exc.code, str(exc), None
    if "needs_ocr" in document.warnings:
        return str(Finding.NEEDS_OCR), "no text layer (scan)", document
    return "ok", "", document


def _record_warnings(document: parsers.Document | None) -> tuple[str, ...]:
    """The parser's warnings, ``needs_ocr`` aside (it is the status); OCR'd text asks staff to confirm."""
    found = tuple(w for w in (document.warnings if document else ()) if w != "needs_ocr")
    return (str(Finding.OCR_TO_CONFIRM), *found) if "ocr" in found else found


def decide(mail: IncomingMail, documents: list[DocumentRecord], cfg: Config) -> Decision:
    """Automated mail, DMARC failures, staff, registered units, units named only by documents, strangers."""
    by_address = classify.unit_by_address(mail.from_addr, cfg.units)
    automated = classify.automated(mail)
    if automated is not None:
        return Decision(automated, by_address, counted=False)
    if mail.auth.dmarc == "fail" or mail.auth.spf in ("fail", "hardfail"):
        return Decision(Outcome.DMARC_FAIL, by_address, counted=False)
    return _with_links(_from_person(mail, documents, by_address, cfg), mail)


def _from_person(mail: IncomingMail, documents: list[DocumentRecord], by_address: Unit | None,
                 cfg: Config) -> Decision:
    named = by_address or _named_unit(mail, documents, cfg)
    if mail.from_addr in cfg.campaign.staff_emails:
        return _staff(mail, documents, named, cfg)
    if named is None:
        return Decision(Outcome.UNKNOWN_SENDER, None, counted=False)
    findings = () if by_address else (str(Finding.UNVERIFIED_SENDER),)
    return Decision(Outcome.ACCEPTED, named, counted=True, findings=findings)


def _staff(mail: IncomingMail, documents: list[DocumentRecord], named: Unit | None, cfg: Config) -> Decision:
    """Staff's own mail, or a unit's dossier staff forwarded: acknowledged to the unit when the
    forwarded original (attached, or inline in the body) came from the unit's registered address
    and brought documents."""
    originals = _originals(mail)
    named = next((u for u in (classify.unit_by_address(a, cfg.units) for a in originals) if u), None) or named
    if named is None:
        return Decision(Outcome.STAFF, None, counted=False)
    from_unit = forwarded_unit_address(mail, named) is not None
    return Decision(Outcome.STAFF, named, counted=True, findings=(str(Finding.FORWARDED_BY_STAFF),),
                    acknowledge_forward=from_unit and bool(documents))


def _originals(mail: IncomingMail) -> tuple[str, ...]:
    """Senders of what a message forwards: attached originals first, then inline forwards."""
    return tuple(dict.fromkeys((*mail.forwarded_from, *forwards.inline_senders(mail.body))))


def forwarded_unit_address(mail: IncomingMail, unit: Unit) -> str | None:
    """The unit's registered address among the senders of the forwarded originals, if any.

    Only staff forwards are read this way: a body line «From: …» is anyone's to type, so inline
    forwards vouch for nobody in a unit's or a stranger's mail."""
    return next((address for address in _originals(mail) if address.casefold() in unit.emails), None)


def _with_links(decision: Decision, mail: IncomingMail) -> Decision:
    """Links to cloud files are never followed: the reply says they were not counted; staff review."""
    if not links.cloud_links(mail.body):
        return decision
    return replace(decision, findings=(*decision.findings, str(Finding.CLOUD_LINKS)))


def _named_unit(mail: IncomingMail, documents: list[DocumentRecord], cfg: Config) -> Unit | None:
    """A unit vouched for by a forwarded original's sender, else by most of the documents."""
    for address in mail.forwarded_from:
        unit = classify.unit_by_address(address, cfg.units)
        if unit:
            return unit
    hints = Counter(doc.unit_hint for doc in documents if doc.unit_hint)
    return cfg.unit(hints.most_common(1)[0][0]) if hints else None


def safe_filename(name: str, limit: int = 120) -> str:
    """A file name that stays inside its folder: no separators, control characters or leading dots."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" ._")
    cleaned = cleaned.replace("..", "_")
    if not cleaned:
        return "tep-dinh-kem"
    if len(cleaned) <= limit:
        return cleaned
    stem, dot, extension = cleaned.rpartition(".")
    if dot and len(extension) <= 8:
        return stem[: limit - len(extension) - 1] + "." + extension
    return cleaned[:limit]
