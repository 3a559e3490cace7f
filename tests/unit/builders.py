"""Hand-built ledger values (MessageRecord, DocumentRecord, Nominee) for the pure-rule tests."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from bot.config.doc_kinds import ItemKind
from bot.core.model import DocStatus, DocumentRecord, DocumentStatus, MessageKey, MessageRecord, Nominee, Outcome, Reply
from parsers.nominees import COLLECTIVE, INDIVIDUAL

ICT = timezone(timedelta(hours=7))
DEADLINE = datetime(2020, 12, 20, 23, 59, 59, tzinfo=ICT)   # the conftest campaign's deadline

_uids = itertools.count(1)

# Default file name per dossier item, as units name them.
FILENAMES = {
    "to_trinh": "Tờ trình.docx",
    "bien_ban": "Biên bản họp xét.docx",
    "tom_tat": "Báo cáo tóm tắt.docx",
    "bao_cao": "Báo cáo sơ kết.docx",
    "danh_sach": "Danh sách.xlsx",
}


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in December 2020, local time of the campaign (UTC+7)."""
    return datetime(2020, 12, day, hour, minute, tzinfo=ICT)


def person(name: str, position: str = "") -> Nominee:
    return Nominee(INDIVIDUAL, name, position, "")


def collective(name: str) -> Nominee:
    return Nominee(COLLECTIVE, name, "", "")


def people(count: int, prefix: str = "Lò Văn") -> tuple[Nominee, ...]:
    """``count`` distinct individuals (Lò Văn A, Lò Văn B, ...)."""
    return tuple(person(f"{prefix} {chr(ord('A') + i)}") for i in range(count))


def groups(count: int) -> tuple[Nominee, ...]:
    return tuple(collective(f"Công đoàn cơ sở Trường số {i + 1}") for i in range(count))


def doc(kind: str, nominees: tuple[Nominee, ...] = (), *, status: DocumentStatus = DocStatus.OK,
        filename: str = "", fmt: str = "docx") -> DocumentRecord:
    name = filename or FILENAMES.get(kind, f"{kind}.docx")
    body = f"{name}|{kind}|{status}|{[n.name for n in nominees]}".encode()
    return DocumentRecord(
        filename=name, kind=ItemKind(kind), format=fmt, status=status, size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        nominees=tuple(replace(n, source=name) for n in nominees),
    )


def message(unit_id: str | None, received_at: datetime, *documents: DocumentRecord,
            outcome: Outcome = Outcome.ACCEPTED, counted: bool = True, findings: tuple[str, ...] = (),
            uid: str | None = None, message_id: str | None = None, from_addr: str = "",
            subject: str = "Hồ sơ đề nghị khen thưởng", reply: Reply | None = None, attempts: int = 1) -> MessageRecord:
    uid = uid or str(next(_uids))
    return MessageRecord(
        key=MessageKey("maildir", 0, uid),
        message_id=f"<{uid}@example.vn>" if message_id is None else message_id,
        digest=hashlib.sha256(f"{uid}|{unit_id}|{received_at.isoformat()}".encode()).hexdigest(),
        received_at=received_at, from_addr=from_addr or f"{unit_id or 'someone'}@example.vn",
        from_name="", subject=subject, unit_id=unit_id, counted=counted, outcome=outcome,
        findings=findings, documents=documents, reply=reply or Reply(), attempts=attempts,
    )


def complete(unit_id: str, received_at: datetime, individuals: int = 2) -> MessageRecord:
    """A message carrying the three required items, naming one collective and ``individuals`` people."""
    names = (*groups(1), *people(individuals))
    return message(unit_id, received_at, doc("to_trinh", names), doc("bien_ban"), doc("tom_tat", names))
