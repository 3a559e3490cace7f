"""Pure decisions on one parsed message: what its documents are and whose dossier it feeds."""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import parsers
from bot.config.doc_kinds import BIEN_BAN, UNCLASSIFIED
from bot.config.limits import Limits
from bot.config.schema import Config, Unit
from bot.core import (
    authres,
    campaign_mail,
    classify,
    followups,
    forwards,
    issuer,
    links,
    relevance,
    requests,
    runnable,
    sections,
)
from bot.core.model import (
    TNEF_BODY_ONLY,
    TNEF_BROKEN,
    Attachment,
    DocStatus,
    DocumentRecord,
    DocumentStatus,
    DocumentWarning,
    Finding,
    IncomingMail,
    MessageFinding,
    Nominee,
    Outcome,
)
from bot.core.relevance import Relevance
from parsers.meeting import meeting_facts
from parsers.model import ReadWarning


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    unit: Unit | None
    counted: bool
    findings: tuple[MessageFinding, ...] = ()
    acknowledge_forward: bool = False   # staff forwarded a unit's own dossier: the unit gets the reply
    note: str = ""                      # words for staff (MessageRecord.note)

    @property
    def replies(self) -> bool:
        return self.outcome == Outcome.ACCEPTED or self.acknowledge_forward


_MB = 1024 * 1024


def document_limits(limits: Limits) -> parsers.Limits:
    """The document part of config ``[limits]``, as the parsers take it."""
    return parsers.Limits(
        max_bytes=int(limits.max_document_mb * _MB), max_unzipped_bytes=int(limits.max_unzipped_document_mb * _MB),
        max_zip_members=limits.max_document_members, max_pages=limits.max_pages,
        max_sheet_rows=limits.max_sheet_rows, max_sheet_columns=limits.max_sheet_columns,
        max_table_rows=limits.max_table_rows,
        ocr_pages=limits.ocr_pages, ocr_page_seconds=limits.ocr_page_seconds, ocr_seconds=limits.ocr_seconds,
        office_seconds=limits.office_seconds)


def read_document(attachment: Attachment, cfg: Config,
                  extract: Callable[[str, bytes], parsers.Document] | None = None) -> DocumentRecord:
    """Parse, classify and extract nominees from one attachment as one document; never raises for bad files.

    ``extract`` is a guarded :func:`parsers.extract` (bot.app.guard: time and memory limits) or, when None,
    :func:`parsers.extract` itself, in this process; either keeps the document limits of ``cfg.limits``.
    """
    status, detail, document = _parse(attachment, _extractor(cfg, extract))
    return _record(attachment, status, detail, document, attachment.filename, cfg)


def _extractor(cfg: Config, extract: Callable[[str, bytes], parsers.Document] | None
               ) -> Callable[[str, bytes], parsers.Document]:
    return extract or functools.partial(parsers.extract, limits=document_limits(cfg.limits))


def read_items(attachment: Attachment, cfg: Config,
               extract: Callable[[str, bytes], parsers.Document] | None = None) -> list[DocumentRecord]:
    """One record per dossier item the attachment holds: a file with a tờ trình, a biên bản and a
    tóm tắt one after another gives three, named «hoso.docx (1/3)»… (:mod:`bot.core.sections`); ``extract``
    as for :func:`read_document`."""
    status, detail, document = _parse(attachment, _extractor(cfg, extract))
    parts = sections.split(document, cfg.documents) if document is not None and status == DocStatus.OK else []
    if len(parts) < 2:
        return [_record(attachment, status, detail, document, attachment.filename, cfg)]
    return [_record(attachment, status, detail, part.document, part_label(attachment.filename, n, len(parts)),
                    cfg, whole=False) for n, part in enumerate(parts, 1)]


def part_label(filename: str, number: int, count: int) -> str:
    return f"{filename} ({number}/{count})"


def _record(attachment: Attachment, status: DocumentStatus, detail: str, document: parsers.Document | None, label: str,
            cfg: Config, *, whole: bool = True) -> DocumentRecord:
    """The record of a whole attachment, or (``whole=False``) of one item inside it, named ``label``."""
    data = attachment.data
    guess = classify.doc_kind(attachment.filename if whole else "", document, cfg.documents)
    spec = cfg.doc_kind(guess.kind)
    found = parsers.extract_nominees(document) if document and spec and spec.lists_nominees else []
    hint = classify.document_unit(document, cfg.units) if document else None
    meeting = meeting_facts(document) if document and guess.kind == BIEN_BAN else None
    unsure = guess.reason if guess.kind == UNCLASSIFIED else ""
    record = DocumentRecord(
        filename=label, kind=guess.kind,
        format=document.format if document else parsers.sniff_format(attachment.filename, data),
        status=status, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        nominees=tuple(Nominee(n.kind, n.name, n.position, label, n.workplace, n.achievements) for n in found),
        warnings=_record_warnings(document),
        detail="; ".join(x for x in (detail, guess.note, unsure) if x), unit_hint=hint.id if hint else None,
        confidence=guess.confidence, reason=guess.reason,
        meeting=None if meeting is None or meeting.empty else meeting,
    )
    return _mark_grassroots(campaign_mail.mark_document(record, document, cfg), document, cfg)


def _mark_grassroots(record: DocumentRecord, document: parsers.Document | None, cfg: Config) -> DocumentRecord:
    """A dossier item a body under the unit issued (bot/core/issuer.py) is that body's: no item of the
    unit's, no nominees of the unit's; staff see it as «hồ sơ của cơ sở gửi kèm»."""
    if document is None or not (cfg.doc_kind(record.kind) or record.kind == UNCLASSIFIED):
        return record
    found = issuer.role(document.lines(), cfg.units, cfg.campaign.organization)
    if not found.grassroots:
        return record
    was = cfg.doc_kind(record.kind)
    what = f" ({was.label.lower()})" if was else ""
    return replace(record, kind=issuer.GRASSROOTS_KIND, nominees=(), unit_hint=None, confidence=0.8,
                   reason=f"{issuer.GRASSROOTS_WORDS}{what}: {found.body}")


def parsed(attachment: Attachment) -> bool:
    """Whether :func:`read_items` hands this attachment to the parser (a refused archive it does not)."""
    return attachment.origin not in ("zip-refused", TNEF_BROKEN, TNEF_BODY_ONLY)


_UNOPENED = {
    "zip-refused": (Finding.ATTACHMENT_TOO_LARGE, "archive over the size or member limit"),
    TNEF_BROKEN: (Finding.TNEF_UNREADABLE, "Outlook winmail.dat (TNEF) could not be read"),
    TNEF_BODY_ONLY: (Finding.TNEF_BODY_ONLY, "Outlook winmail.dat (TNEF) held only the message body"),
}


def _parse(attachment: Attachment,
           extract: Callable[[str, bytes], parsers.Document]) -> tuple[DocumentStatus, str, parsers.Document | None]:
    """(status, detail, document): ``ok`` with the document, or the finding that explains its absence."""
    if not parsed(attachment):
        status, detail = _UNOPENED[attachment.origin]
        return status, detail, None
    if runnable.is_runnable(attachment.filename, attachment.data):
        return Finding.EXECUTABLE_ATTACHMENT, "program or script: not opened", None
    try:
        document = extract(attachment.filename, attachment.data)
    except parsers.DocumentError as exc:
        return Finding(exc.code), str(exc), None
    if ReadWarning.NEEDS_OCR in document.warnings:
        return Finding.NEEDS_OCR, "no text layer (scan)", document
    return DocStatus.OK, "", document


def _record_warnings(document: parsers.Document | None) -> tuple[DocumentWarning, ...]:
    """The parser's warnings, ``needs_ocr`` aside (it is the status); OCR'd text asks staff to confirm."""
    found = tuple(w for w in (document.warnings if document else ()) if w != ReadWarning.NEEDS_OCR)
    return (Finding.OCR_TO_CONFIRM, *found) if ReadWarning.OCR in found else found


def decide(mail: IncomingMail, documents: list[DocumentRecord], cfg: Config, *, in_thread: bool = False) -> Decision:
    """Automated mail, DMARC failures, staff, registered units, units named only by documents, strangers;
    then whether it is this campaign's (``in_thread``: it answers a campaign message or reply)."""
    by_address = classify.unit_by_address(mail.from_addr, cfg.units)
    machine = classify.automated_verdict(mail)
    if machine is not None:
        return Decision(machine.outcome, by_address, counted=False, findings=(machine.finding,))
    if authres.failed(authres.trusted(mail, cfg.mailbox.authserv_ids)):
        return Decision(Outcome.DMARC_FAIL, by_address, counted=False)
    verdict = campaign_mail.judge(mail, documents, cfg, in_thread=in_thread)
    return _with_links(_from_person(mail, documents, by_address, cfg, verdict), mail)


_NOT_OURS = {Relevance.OTHER_BUSINESS: Outcome.OTHER_BUSINESS, Relevance.OTHER_CAMPAIGN: Outcome.OTHER_CAMPAIGN}


def _from_person(mail: IncomingMail, documents: list[DocumentRecord], by_address: Unit | None,
                 cfg: Config, verdict: relevance.Verdict) -> Decision:
    named = by_address or _named_unit(mail, documents, cfg)
    not_ours = _NOT_OURS.get(verdict.relevance)
    if mail.from_addr in cfg.campaign.staff_emails:
        staff = _staff(mail, documents, named, cfg)
        return staff if not_ours is None else replace(  # staff mail about something else counts nothing
            staff, counted=False, acknowledge_forward=False, findings=(*staff.findings, not_ours),
            note=verdict.reason)
    if named is None:
        return Decision(Outcome.UNKNOWN_SENDER, None, counted=False)
    words = followups.unit_words(mail.body)
    request = requests.find(words)
    if verdict.in_thread and not documents:
        thanks = relevance.is_thanks(words) and request is None
        outcome = Outcome.THREAD_THANKS if thanks else Outcome.THREAD_FOLLOWUP
        return Decision(outcome, named, counted=False, note=words or "(không có lời nhắn)")
    asks: tuple[MessageFinding, ...] = (Finding.UNIT_REQUEST,) if request is not None else ()
    if not_ours is not None:   # a request about another campaign's dossier («không tính …») still reaches staff
        asks = asks if not_ours == Outcome.OTHER_CAMPAIGN else ()
        return Decision(not_ours, named, counted=False, findings=asks,
                        note=_note(verdict.reason, request.describe() if asks and request else ""))
    findings: tuple[MessageFinding, ...] = () if by_address else (Finding.UNVERIFIED_SENDER,)
    unsure = verdict.relevance == Relevance.UNSURE
    findings += ((Finding.CAMPAIGN_UNSURE,) if unsure else ()) + (
        (Finding.CAMPAIGN_MIXED,) if verdict.mixed else ()) + asks
    asked = words if not documents and request is None else ""   # no document: staff read what it says
    note = _note(verdict.reason if unsure else "", verdict.mixed, request.describe() if request else "", asked)
    return Decision(Outcome.ACCEPTED, named, counted=True, findings=findings, note=note)


def _note(*parts: str) -> str:
    """Words for staff: why the message is unsure or mixed, and what the unit asks."""
    return " | ".join(part for part in parts if part)


def _staff(mail: IncomingMail, documents: list[DocumentRecord], named: Unit | None, cfg: Config) -> Decision:
    """Staff's own mail, or a unit's dossier staff forwarded: acknowledged to the unit when the
    forwarded original (attached, or inline in the body) came from the unit's registered address
    and brought documents."""
    originals = _originals(mail)
    named = next((u for u in (classify.unit_by_address(a, cfg.units) for a in originals) if u), None) or named
    if named is None:
        return Decision(Outcome.STAFF, None, counted=False)
    from_unit = forwarded_unit_address(mail, named) is not None
    return Decision(Outcome.STAFF, named, counted=True, findings=(Finding.FORWARDED_BY_STAFF,),
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
    return replace(decision, findings=(*decision.findings, Finding.CLOUD_LINKS))


def _named_unit(mail: IncomingMail, documents: list[DocumentRecord], cfg: Config) -> Unit | None:
    """A unit vouched for by a forwarded original's sender, else by most of the documents."""
    for address in mail.forwarded_from:
        unit = classify.unit_by_address(address, cfg.units)
        if unit:
            return unit
    hints = Counter(doc.unit_hint for doc in documents if doc.unit_hint)
    return cfg.unit(hints.most_common(1)[0][0]) if hints else None


