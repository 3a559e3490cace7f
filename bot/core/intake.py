"""Pure decisions on one parsed message: what its documents are and whose dossier it feeds."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import parsers
from bot.config.schema import Config, Unit
from bot.core import authres, classify
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

    @property
    def replies(self) -> bool:
        return self.outcome == Outcome.ACCEPTED


def read_document(attachment: Attachment, cfg: Config,
                  extract: Callable[[str, bytes], parsers.Document] = parsers.extract) -> DocumentRecord:
    """Parse, classify and extract nominees from one attachment; never raises for bad files.

    ``extract`` is :func:`parsers.extract` or a guarded equivalent (bot.app.guard: time and memory limits).
    """
    data = attachment.data
    status, detail, document = _parse(attachment, extract)
    guess = classify.doc_kind(attachment.filename, document, cfg.documents)
    spec = cfg.doc_kind(guess.kind)
    found = parsers.extract_nominees(document) if document and spec and spec.lists_nominees else []
    hint = classify.document_unit(document, cfg.units) if document else None
    meeting = meeting_facts(document) if document and guess.kind == BIEN_BAN else None
    unsure = guess.reason if guess.kind == UNCLASSIFIED else ""
    return DocumentRecord(
        filename=attachment.filename, kind=guess.kind,
        format=document.format if document else parsers.sniff_format(attachment.filename, data),
        status=status, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        nominees=tuple(Nominee(n.kind, n.name, n.position, attachment.filename, n.workplace,
                               n.achievements) for n in found),
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
    machine = classify.automated_verdict(mail)
    if machine is not None:
        return Decision(machine.outcome, by_address, counted=False, findings=(machine.finding,))
    if authres.failed(authres.trusted(mail, cfg.mailbox.authserv_ids)):
        return Decision(Outcome.DMARC_FAIL, by_address, counted=False)
    named = by_address or _named_unit(mail, documents, cfg)
    if mail.from_addr in cfg.campaign.staff_emails:
        findings = (str(Finding.FORWARDED_BY_STAFF),) if named else ()
        return Decision(Outcome.STAFF, named, counted=named is not None, findings=findings)
    if named is None:
        return Decision(Outcome.UNKNOWN_SENDER, None, counted=False)
    findings = () if by_address else (str(Finding.UNVERIFIED_SENDER),)
    return Decision(Outcome.ACCEPTED, named, counted=True, findings=findings)


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
