"""Extra detail for ``status --json`` beyond the contract's keys: how each document was read.

Added as extra keys only (the contract's keys keep their meaning): per unit, its documents
with the item kind, the confidence and reason of that classification and, for a biên bản,
the meeting facts; and the nominees its lists do not agree on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.model import DocumentRecord, MessageRecord, UnitDossier


def unit_details(dossier: UnitDossier, records: Sequence[MessageRecord]) -> dict[str, Any]:
    mine = [r for r in records if r.counted and r.unit_id == dossier.unit_id]
    return {
        "documents": [document_object(record, doc) for record in mine for doc in record.documents],
        "list_differences": [
            {"name": d.name, "kind": d.kind, "listed_in": list(d.listed_in), "missing_from": list(d.missing_from)}
            for d in dossier.differences
        ],
    }


def document_object(record: MessageRecord, doc: DocumentRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "file": doc.filename, "kind": doc.kind, "status": doc.status, "confidence": doc.confidence,
        "reason": doc.reason, "message_id": record.message_id,
    }
    if doc.meeting is not None:
        out["meeting"] = doc.meeting.as_dict()
    return out
