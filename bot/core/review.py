"""The review queue: what needs a person, each item open or done (by whom, when, which decision). Pure.

An item is one (message, reason, detail). It is *open* while the decided records still raise it, and
*done* once they no longer do: settled by a staff decision (the latest active one about its message,
or, for differing lists, a nominee correction of its unit), or closed by itself when its cause went
away (a later dossier replaced the lists that disagreed). Differing lists are raised once per unit, on
the message whose lists the dossier uses now (bot/core/rules.py), never on a message it superseded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.config.doc_kinds import ItemKind
from bot.core.decisions import DecisionKind, StaffDecision
from bot.core.findings import (
    NO_DOCUMENTS,
    REVIEW_DOCUMENT_STATUSES,
    REVIEW_MESSAGE_FINDINGS,
    REVIEW_OUTCOMES,
    failure_words,
)
from bot.core.issuer import GRASSROOTS_KIND
from bot.core.model import NOT_PROCESSED, DocStatus, DocumentRecord, Finding, MessageRecord, Outcome, UnitDossier
from bot.core.relevance import NOT_THIS_CAMPAIGN
from bot.core.rules import describe, list_differences, outdated_documents

_MESSAGE_DETAIL: dict[str, str] = {
    str(Finding.CLOUD_LINKS): "thư gửi đường dẫn tới tệp trên mạng (Google Drive, OneDrive…): "
                              "các tệp đó chưa được tính, đơn vị được đề nghị gửi tệp đính kèm"}
# Findings whose review detail is the message's note (why it is unsure or mixed; the unit's words).
_NOTE_DETAIL = frozenset({Finding.CAMPAIGN_UNSURE, Finding.CAMPAIGN_MIXED, Finding.UNIT_REQUEST})
_ABOUT_A_MESSAGE = (DecisionKind.ASSIGN, DecisionKind.IGNORE, DecisionKind.KIND, DecisionKind.SETTLE)


class ReviewState(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One thing a person must look at: a message and why (a code of bot/core/findings.py)."""

    record: MessageRecord            # the message as decided (as stored when no decision touches it)
    reason: str                      # Outcome / Finding code (contract: ``needs_review[].reason``)
    detail: str = ""                 # words for staff: the file, the unit's own question, the lists
    state: ReviewState = ReviewState.OPEN
    decided_by: str = ""             # done: who settled it ("" when it closed by itself)
    decided_at: datetime | None = None   # done: when the decision was made (None when it closed by itself)
    decision_id: int = 0             # done: the decision that settled it (0 when it closed by itself)

    @property
    def is_open(self) -> bool:
        return self.state == ReviewState.OPEN

    @property
    def closed_by_itself(self) -> bool:
        return self.state == ReviewState.DONE and not self.decision_id

    @property
    def key(self) -> str:
        """The item's identity across reads (its message, reason and detail): digests compare on it."""
        text = f"{self.record.digest}|{self.reason}|{self.detail}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    open: tuple[ReviewItem, ...] = ()
    done: tuple[ReviewItem, ...] = ()

    @property
    def open_count(self) -> int:
        return len(self.open)


def review_queue(stored: Sequence[MessageRecord], decided: Sequence[MessageRecord],
                 dossiers: Sequence[UnitDossier], decisions: Iterable[StaffDecision]) -> ReviewQueue:
    """The open items of the decided records, and the done ones: raised by the stored (or decided) records
    once, no longer raised now."""
    open_items = [*message_items(decided), *list_items(decided, dossiers), *outdated_items(decided)]
    now_raised = {_identity(item) for item in open_items}
    by_key = {record.key: record for record in decided}
    active = sorted((d for d in decisions if d.active), key=lambda d: d.id)
    done: dict[tuple[str, str, str], ReviewItem] = {}
    open_items = _without_settled(open_items, active, done)
    for item in [*message_items(stored), *record_list_items(stored), *record_list_items(decided),
                 *outdated_items(stored)]:
        identity = _identity(item)
        if identity in now_raised or identity in done:
            continue
        record = by_key.get(item.record.key, item.record)
        done[identity] = _closed(replace(item, record=record), active)
    return ReviewQueue(tuple(open_items), tuple(done.values()))


def _without_settled(items: list[ReviewItem], decisions: Sequence[StaffDecision],
                     done: dict[tuple[str, str, str], ReviewItem]) -> list[ReviewItem]:
    """The items no «Đã xử lý» decision settles; the settled ones go to ``done`` with that decision."""
    settled = {(d.message_id, d.item): d for d in decisions if d.kind == DecisionKind.SETTLE}
    if not settled:
        return items
    still_open = []
    for item in items:
        message_id = item.record.message_id
        decision = settled.get((message_id, item.reason)) or settled.get((message_id, "")) if message_id else None
        if decision is None:
            still_open.append(item)
            continue
        done[_identity(item)] = replace(item, state=ReviewState.DONE, decided_by=decision.by,
                                        decided_at=decision.at, decision_id=decision.id)
    return still_open


def _identity(item: ReviewItem) -> tuple[str, str, str]:
    return (item.record.digest, item.reason, item.detail)


def _closed(item: ReviewItem, decisions: Sequence[StaffDecision]) -> ReviewItem:
    """The item marked done, by the latest decision that is about it (none: it closed by itself)."""
    record = item.record
    about = [d for d in decisions
             if (d.kind in _ABOUT_A_MESSAGE and d.message_id and d.message_id == record.message_id)
             or (item.reason == Finding.LISTS_DISAGREE and d.kind == DecisionKind.NOMINEE
                 and d.unit_id == record.unit_id)]
    if not about:
        return replace(item, state=ReviewState.DONE)
    latest = about[-1]
    return replace(item, state=ReviewState.DONE, decided_by=latest.by, decided_at=latest.at, decision_id=latest.id)


def message_items(records: Sequence[MessageRecord]) -> list[ReviewItem]:
    """What each message raises by itself, one item per (message, reason); differing lists are the unit's."""
    items: list[ReviewItem] = []
    moved = _processed_elsewhere(records)
    for record in records:
        if record.outcome == Outcome.IN_SPAM and (record.digest in moved or record.message_id in moved):
            continue  # staff moved it out of the spam folder and it was processed there
        if record.outcome in REVIEW_OUTCOMES:
            items.append(ReviewItem(record, str(record.outcome), _outcome_detail(record)))
        if record.outcome == Outcome.ACCEPTED and not record.documents and Finding.CLOUD_LINKS not in record.findings:
            items.append(ReviewItem(record, NO_DOCUMENTS, _question(record)))
        for finding in REVIEW_MESSAGE_FINDINGS:
            if finding in record.findings:
                why = record.note if finding in _NOTE_DETAIL else _MESSAGE_DETAIL.get(finding, "")
                items.append(ReviewItem(record, str(finding), why))
        items.extend(_document_items(record))
    return items


def _document_items(record: MessageRecord) -> list[ReviewItem]:
    items = []
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
    return items


def list_items(records: Sequence[MessageRecord], dossiers: Sequence[UnitDossier]) -> list[ReviewItem]:
    """Differing lists, one item per lacking list, on the message whose lists each unit's dossier uses now."""
    items: list[ReviewItem] = []
    for dossier in dossiers:
        if not dossier.differences:
            continue
        current = _current_list_record(records, dossier)
        if current is not None:
            items.extend(ReviewItem(current, str(Finding.LISTS_DISAGREE), line) for line in dossier.disagreements)
    return items


def _current_list_record(records: Sequence[MessageRecord], dossier: UnitDossier) -> MessageRecord | None:
    files = {name for difference in dossier.differences for name in (*difference.listed_in, *difference.missing_from)}
    mine = [r for r in records if r.counted and r.unit_id == dossier.unit_id
            and files <= {doc.filename for doc in r.documents}]
    return max(mine, key=lambda r: r.received_at) if mine else None


def outdated_items(records: Sequence[MessageRecord]) -> list[ReviewItem]:
    """Per unit, each older file a newer list left naming people it no longer proposes (bot/core/rules.py)."""
    by_unit: dict[str, list[MessageRecord]] = {}
    for record in records:
        if record.counted and record.unit_id:
            by_unit.setdefault(record.unit_id, []).append(record)
    by_digest = {record.digest: record for record in records}
    return [ReviewItem(by_digest[old.digest], str(Finding.OUTDATED_NAMES),
                       f"{old.filename}: còn tên {', '.join(old.names)}, không còn trong danh sách đề nghị mới")
            for unit_records in by_unit.values() for old in outdated_documents(unit_records)]


def record_list_items(records: Sequence[MessageRecord]) -> list[ReviewItem]:
    """Differing lists of every counted message, superseded ones included (for the done items)."""
    return [ReviewItem(record, str(Finding.LISTS_DISAGREE), line)
            for record in records if record.counted
            for line in describe(list_differences(record.documents))]


def _question(record: MessageRecord) -> str:
    """A unit's mail without documents: its own words when they were kept, else what it may be."""
    return f"«{record.note}»" if record.note else "thư không kèm tài liệu: có thể là câu hỏi"


def _outcome_detail(record: MessageRecord) -> str:
    if record.outcome == Outcome.IN_SPAM:
        folder = record.key.source.split("/", 1)[-1]  # the source is "imap:user@host/<folder>"
        return f"thư nằm trong thư mục «{folder}»: chưa tính, chưa trả lời; chuyển về Hộp thư đến để xử lý"
    if record.outcome == Outcome.ERROR:
        return failure_words(record.stage, record.note)
    if record.size:
        return f"thư nặng {record.size / 1024 / 1024:.1f} MB, vượt giới hạn"
    return f"«{record.note}»" if record.note and record.outcome == Outcome.THREAD_FOLLOWUP else record.note


def _processed_elsewhere(records: Sequence[MessageRecord]) -> set[str]:
    """Content hashes and Message-IDs of every message processed from a folder that is not the spam folder."""
    if not any(record.outcome == Outcome.IN_SPAM for record in records):
        return set()
    done = [r for r in records if r.outcome not in NOT_PROCESSED and r.outcome != Outcome.DUPLICATE]
    return {r.digest for r in done} | {r.message_id for r in done if r.message_id}


def _ocr_detail(doc: DocumentRecord) -> str:
    names = ", ".join(n.name for n in doc.nominees)
    return f"{doc.filename}: đọc bằng OCR từ bản scan, cần đối chiếu" + (f" danh sách: {names}" if names else "")
