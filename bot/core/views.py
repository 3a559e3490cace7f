"""Derived views of the ledger shared by ``status``, the workbook and replies. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Config
from bot.core.details import unit_details
from bot.core.findings import (
    NO_DOCUMENTS,
    REVIEW_DOCUMENT_STATUSES,
    REVIEW_MESSAGE_FINDINGS,
    REVIEW_OUTCOMES,
    failure_words,
)
from bot.core.issuer import GRASSROOTS_KIND
from bot.core.model import (
    NOT_PROCESSED,
    DocStatus,
    DocumentRecord,
    Finding,
    MessageRecord,
    Outcome,
    UnitDossier,
    Verdict,
)
from bot.core.relevance import NOT_THIS_CAMPAIGN
from bot.core.rules import assess_all, describe, list_differences, outdated_documents

_MESSAGE_DETAIL: dict[str, str] = {
    str(Finding.CLOUD_LINKS): "thư gửi đường dẫn tới tệp trên mạng (Google Drive, OneDrive…): "
                              "các tệp đó chưa được tính, đơn vị được đề nghị gửi tệp đính kèm"}

# Findings whose review detail is the message's note (why it is unsure or mixed; the unit's words).
_NOTE_DETAIL = frozenset({Finding.CAMPAIGN_UNSURE, Finding.CAMPAIGN_MIXED, Finding.UNIT_REQUEST})


@dataclass(frozen=True, slots=True)
class ReviewItem:
    record: MessageRecord
    reason: str
    detail: str = ""


def review_items(records: Sequence[MessageRecord]) -> list[ReviewItem]:
    """Everything that needs a human, one line per (message, reason)."""
    items: list[ReviewItem] = []
    moved = _processed_elsewhere(records)
    for record in records:
        if record.outcome == Outcome.IN_SPAM and (record.digest in moved or record.message_id in moved):
            continue  # staff moved it out of the spam folder and it was processed there
        if record.outcome in REVIEW_OUTCOMES:
            items.append(ReviewItem(record, str(record.outcome), _outcome_detail(record)))
        if record.outcome == Outcome.ACCEPTED and not record.documents and Finding.CLOUD_LINKS not in record.findings:
            items.append(ReviewItem(record, NO_DOCUMENTS, "thư không kèm tài liệu: có thể là câu hỏi"))
        for finding in REVIEW_MESSAGE_FINDINGS:
            if finding in record.findings:
                why = record.note if finding in _NOTE_DETAIL else _MESSAGE_DETAIL.get(finding, "")
                items.append(ReviewItem(record, str(finding), why))
        if record.counted:
            items.extend(ReviewItem(record, str(Finding.LISTS_DISAGREE), line)
                         for line in describe(list_differences(record.documents)))
        for doc in record.documents:
            reason = doc.status if doc.status != DocStatus.OK else doc.kind if doc.kind == ItemKind.UNCLASSIFIED else ""
            if reason in REVIEW_DOCUMENT_STATUSES:
                items.append(ReviewItem(record, reason, f"{doc.filename}: {doc.detail}".rstrip(": ")))
            if record.counted and doc.kind in NOT_THIS_CAMPAIGN:
                items.append(ReviewItem(record, doc.kind, f"{doc.filename}: {doc.reason}, không tính vào hồ sơ"))
            if record.counted and doc.kind == GRASSROOTS_KIND:
                items.append(ReviewItem(record, str(Finding.GRASSROOTS_DOCUMENT),
                                        f"{doc.filename}: {doc.reason}; không tính vào hồ sơ của đơn vị"))
            if Finding.OCR_TO_CONFIRM in doc.warnings:
                items.append(ReviewItem(record, str(Finding.OCR_TO_CONFIRM), _ocr_detail(doc)))
            if Finding.TABLE_CUT in doc.warnings:
                items.append(ReviewItem(record, str(Finding.TABLE_CUT),
                                        f"{doc.filename}: bảng quá dài, danh sách có thể thiếu người ở phần bị cắt"))
    return items + _outdated_items(records)


def _outdated_items(records: Sequence[MessageRecord]) -> list[ReviewItem]:
    """Per unit, each older file a newer list left naming people it no longer proposes (bot/core/rules.py)."""
    by_unit: dict[str, list[MessageRecord]] = {}
    for record in records:
        if record.counted and record.unit_id:
            by_unit.setdefault(record.unit_id, []).append(record)
    by_digest = {record.digest: record for record in records}
    return [ReviewItem(by_digest[old.digest], str(Finding.OUTDATED_NAMES),
                       f"{old.filename}: còn tên {', '.join(old.names)}, không còn trong danh sách đề nghị mới")
            for unit_records in by_unit.values() for old in outdated_documents(unit_records)]


def _outcome_detail(record: MessageRecord) -> str:
    if record.outcome == Outcome.IN_SPAM:
        folder = record.key.source.split("/", 1)[-1]  # the source is "imap:user@host/<folder>"
        return f"thư nằm trong thư mục «{folder}»: chưa tính, chưa trả lời; chuyển về Hộp thư đến để xử lý"
    if record.outcome == Outcome.ERROR:
        return failure_words(record.stage, record.note)
    return f"size:{record.size}" if record.size else record.note


def _processed_elsewhere(records: Sequence[MessageRecord]) -> set[str]:
    """Content hashes and Message-IDs of every message processed from a folder that is not the spam folder."""
    if not any(record.outcome == Outcome.IN_SPAM for record in records):
        return set()
    done = [r for r in records if r.outcome not in NOT_PROCESSED and r.outcome != Outcome.DUPLICATE]
    return {r.digest for r in done} | {r.message_id for r in done if r.message_id}


def _ocr_detail(doc: DocumentRecord) -> str:
    names = ", ".join(n.name for n in doc.nominees)
    return f"{doc.filename}: đọc bằng OCR từ bản scan, cần đối chiếu" + (f" danh sách: {names}" if names else "")


def status_words(dossier: UnitDossier, cfg: Config) -> str:
    """Đủ hồ sơ / Thiếu … / Vượt chỉ tiêu / Chưa nộp, as staff say it."""
    if dossier.verdict == Verdict.NOT_SUBMITTED:
        return "Chưa nộp"
    words = []
    if dossier.missing:
        labels = [spec.label for spec in (cfg.doc_kind(i) for i in dossier.missing) if spec]
        words.append("Thiếu " + ", ".join(labels))
    if dossier.over_quota:
        words.append("Vượt chỉ tiêu")
    if dossier.late:
        words.append("Nộp muộn")
    return "; ".join(words) or "Đủ hồ sơ"


def _iso(moment: datetime | None, cfg: Config) -> str | None:
    return moment.astimezone(cfg.campaign.tz).isoformat() if moment else None


def status_object(cfg: Config, records: Sequence[MessageRecord]) -> dict[str, Any]:
    """The ``mailbot status --json`` object of the contract."""
    dossiers = assess_all(records, cfg)
    campaign = cfg.campaign
    return {
        "campaign": {"name": campaign.name, "reference": campaign.reference,
                     "deadline": campaign.deadline.isoformat()},
        "units": [{**_unit_object(cfg, dossier), **unit_details(dossier, records)} for dossier in dossiers],
        "needs_review": [
            {"message_id": item.record.message_id, "from": item.record.from_addr,
             "subject": item.record.subject, "reason": item.reason, "detail": item.detail,
             "unit": item.record.unit_id, "received_at": _iso(item.record.received_at, cfg)}
            for item in review_items(records)
        ],
    }


def _unit_object(cfg: Config, dossier: UnitDossier) -> dict[str, Any]:
    unit = cfg.unit(dossier.unit_id)
    assert unit is not None  # noqa: S101 - dossiers are built from cfg.units
    return {
        "id": unit.id, "name": unit.name,
        "received": list(dossier.received), "missing": list(dossier.missing), "complete": dossier.complete,
        "collectives": dossier.collectives, "individuals": dossier.individuals,
        "quota": {"collectives": dossier.quota_collectives, "individuals": dossier.quota_individuals},
        "over_quota": dossier.over_quota, "late": dossier.late,
        "last_message_at": _iso(dossier.last_message_at, cfg),
        "messages": dossier.messages,
        "status": status_words(dossier, cfg),
        "verdict": str(dossier.verdict),
        "nominees": [{"kind": n.kind, "name": n.name, "position": n.position, "source": n.source,
                      "workplace": n.workplace, "achievements": n.achievements}
                     for n in dossier.nominees],
        "flags": list(dossier.flags),
    }
