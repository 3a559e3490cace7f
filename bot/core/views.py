"""``mailbot status --json`` from the picture (bot/core/picture.py), and the review items of stored records. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.details import unit_details
from bot.core.model import MessageRecord
from bot.core.picture import Picture, UnitPicture, status_words
from bot.core.review import ReviewItem, message_items, outdated_items, record_list_items

__all__ = ["ReviewItem", "review_items", "status_object", "status_words"]


def review_items(records: Sequence[MessageRecord]) -> list[ReviewItem]:
    """What each stored message raises by itself, differing lists per message included (tests and the
    done side of the queue); staff surfaces read ``Picture.review`` instead."""
    return [*message_items(records), *record_list_items(records), *outdated_items(records)]


def _iso(moment: datetime | None, picture: Picture) -> str | None:
    return moment.astimezone(picture.cfg.campaign.tz).isoformat() if moment else None


def status_object(picture: Picture) -> dict[str, Any]:
    """The ``mailbot status --json`` object of the contract; ``review_done`` lists the settled items."""
    campaign = picture.cfg.campaign
    return {
        "campaign": {"name": campaign.name, "reference": campaign.reference,
                     "deadline": campaign.deadline.isoformat()},
        "units": [{**_unit_object(unit, picture), **unit_details(unit.dossier, picture.records)}
                  for unit in picture.units],
        "needs_review": [_review_object(item, picture) for item in picture.review.open],
        "review_done": [{**_review_object(item, picture), "decided_by": item.decided_by,
                         "decided_at": _iso(item.decided_at, picture), "decision": item.decision_id or None}
                        for item in picture.review.done],
    }


def _review_object(item: ReviewItem, picture: Picture) -> dict[str, Any]:
    record = item.record
    return {"message_id": record.message_id, "from": record.from_addr, "subject": record.subject,
            "reason": item.reason, "detail": item.detail, "unit": record.unit_id,
            "received_at": _iso(record.received_at, picture)}


def _unit_object(unit: UnitPicture, picture: Picture) -> dict[str, Any]:
    dossier = unit.dossier
    return {
        "id": unit.id, "name": unit.name,
        "received": list(dossier.received), "missing": list(dossier.missing), "complete": dossier.complete,
        "collectives": dossier.collectives, "individuals": dossier.individuals,
        "quota": {"collectives": dossier.quota_collectives, "individuals": dossier.quota_individuals},
        "over_quota": dossier.over_quota, "late": dossier.late,
        "last_message_at": _iso(dossier.last_message_at, picture),
        "messages": len(unit.mails),
        "paper": len(unit.papers),
        "status": unit.words,
        "verdict": str(dossier.verdict),
        "nominees": [{"kind": n.kind, "name": n.name, "position": n.position, "source": n.source,
                      "workplace": n.workplace, "achievements": n.achievements}
                     for n in dossier.nominees],
        "flags": list(dossier.flags),
    }
