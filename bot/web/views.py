"""What each page shows, as plain values for the templates (all words Vietnamese), read from the picture."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Config
from bot.core.decisions import DecisionKind, StaffDecision, describe
from bot.core.findings import NO_DOCUMENTS, REGISTRY, words
from bot.core.model import Finding, MessageRecord, Outcome, UnitDossier, Verdict
from bot.core.views import ReviewItem, status_words
from bot.transport.outbox import Outbox
from bot.web.picture import Picture
from parsers.nominees import NomineeKind

VERDICT_CLASS = {Verdict.IN_ORDER: "du", Verdict.NEEDS_ACTION: "thieu", Verdict.NOT_SUBMITTED: "chua"}
KIND_WORDS = {NomineeKind.COLLECTIVE: "Tập thể", NomineeKind.INDIVIDUAL: "Cá nhân"}
SHORT_LABELS: dict[str, str] = {ItemKind.TO_TRINH: "Tờ trình", ItemKind.BIEN_BAN: "Biên bản",
                                ItemKind.TOM_TAT: "Tóm tắt", ItemKind.BAO_CAO: "Báo cáo",
                                ItemKind.DANH_SACH: "Danh sách"}
# The kinds of review item that a message decision settles: count it for a unit, or leave it out.
ASSIGNABLE = frozenset({Outcome.UNKNOWN_SENDER, Outcome.DMARC_FAIL, Outcome.OTHER_BUSINESS,
                        Outcome.OTHER_CAMPAIGN, Finding.UNVERIFIED_SENDER, Finding.CAMPAIGN_UNSURE, NO_DOCUMENTS})
# A file left out as another campaign's or other business is raised under its kind (bot/core/review.py).
FILE_REASONS = frozenset({"unclassified", "unreadable_attachment", "needs_ocr", "unsupported_format",
                          "ocr_to_confirm", ItemKind.OTHER_CAMPAIGN, ItemKind.OTHER_BUSINESS})
_ENGLISH_TAIL = re.compile(r"\s*\((?=[^()]*[a-z]{3})[ -~]*\)\s*$")


def plain(text: str) -> str:
    """A reason for staff without the English gloss the command line adds in brackets."""
    return _ENGLISH_TAIL.sub("", text)


def local(moment: datetime | None, cfg: Config, with_time: bool = True) -> str:
    if moment is None:
        return ""
    return moment.astimezone(cfg.campaign.tz).strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


_NOT_ITEM_WORDS: dict[str, str] = {ItemKind.OTHER: "Tài liệu khác", ItemKind.UNCLASSIFIED: "Chưa xác định"}


def label(item: str, cfg: Config) -> str:
    spec = cfg.doc_kind(item)
    return spec.label if spec else _NOT_ITEM_WORDS.get(item, words(item))


def reason_text(code: str) -> str:
    return REGISTRY[code].words if code in REGISTRY else words(code)


def days_left(cfg: Config, today: date) -> int:
    return (cfg.campaign.deadline.astimezone(cfg.campaign.tz).date() - today).days


def unit_rows(picture: Picture) -> list[dict[str, Any]]:
    """One row of Tổng quan per unit, in the order of the config (as ``status --json``)."""
    cfg, rows = picture.cfg, []
    open_by_unit: dict[str, int] = {}
    for item in picture.open_items:
        open_by_unit[item.record.unit_id or ""] = open_by_unit.get(item.record.unit_id or "", 0) + 1
    for unit in picture.status["units"]:
        dossier = picture.dossiers[unit["id"]]
        rows.append({
            "id": unit["id"], "name": unit["name"], "verdict": unit["verdict"],
            "verdict_class": VERDICT_CLASS.get(Verdict(unit["verdict"]), "chua"),
            "words": status_words(dossier, cfg),
            "proposed": f"{dossier.collectives} TT + {dossier.individuals} CN",
            "quota": f"{dossier.quota_collectives} TT + {dossier.quota_individuals} CN",
            "over_quota": dossier.over_quota,
            "parts": [{"label": SHORT_LABELS.get(i, label(i, cfg)), "full": label(i, cfg),
                       "ok": i in dossier.received} for i in cfg.campaign.required],
            "last": local(dossier.last_message_at, cfg), "open": open_by_unit.get(unit["id"], 0),
        })
    return rows


def reply_state(record: MessageRecord, outbox: Outbox) -> tuple[str, str]:
    """(words, css class) for what became of the reply to this message."""
    if record.reply.queued:
        if (outbox.pending / record.reply.queued).exists():
            return "Đang chờ gửi", "cho"
        return "Đã gửi trả lời", "du"
    if record.reply.withheld:
        return "Không trả lời: " + words(record.reply.withheld), "chua"
    return "Không trả lời", "chua"


def outcome_text(record: MessageRecord) -> str:
    parts = [words(str(record.outcome)), *(words(f) for f in record.findings)]
    return "; ".join(dict.fromkeys(p for p in parts if p))


def dossier_facts(dossier: UnitDossier, cfg: Config) -> dict[str, Any]:
    return {
        "words": status_words(dossier, cfg), "verdict_class": VERDICT_CLASS.get(dossier.verdict, "chua"),
        "verdict": str(dossier.verdict),
        "parts": [{"id": i, "label": label(i, cfg), "ok": i in dossier.received} for i in cfg.campaign.required],
        "extra": [{"id": i, "label": label(i, cfg)} for i in dossier.received if i not in cfg.campaign.required],
        "proposed": f"{dossier.collectives} tập thể, {dossier.individuals} cá nhân",
        "quota": f"{dossier.quota_collectives} tập thể, {dossier.quota_individuals} cá nhân",
        "nominees": [{"kind": KIND_WORDS.get(n.kind, n.kind), "kind_code": n.kind, "name": n.name,
                      "position": n.position, "workplace": n.workplace, "achievements": n.achievements,
                      "source": n.source} for n in dossier.nominees],
        "differences": [{"name": d.name, "listed_in": ", ".join(d.listed_in),
                         "missing_from": ", ".join(d.missing_from)} for d in dossier.differences],
    }


@dataclass(frozen=True, slots=True)
class Action:
    """One button of a review item."""

    kind: str                     # assign | ignore | kind
    filename: str = ""


def actions_for(item: ReviewItem) -> list[Action]:
    record = item.record
    if not record.message_id:
        return []
    out: list[Action] = []
    if item.reason in ASSIGNABLE or not record.counted:
        out.append(Action("assign"))
    if record.outcome not in (Outcome.IGNORED,):
        out.append(Action("ignore"))
    if item.reason in FILE_REASONS or item.reason == "lists_disagree":
        for doc in record.documents:
            if item.detail.startswith(f"{doc.filename}:") or item.detail == doc.filename:
                out.append(Action("kind", doc.filename))
    return out


def mail_words(record: MessageRecord | None, cfg: Config) -> str:
    """A mail as a clerk knows it: subject, sender and day (never its Message-ID)."""
    if record is None:
        return "một thư không còn trong sổ"
    subject = record.subject or "(không có tiêu đề)"
    return f"thư «{subject}» của {record.from_addr} ngày {local(record.received_at, cfg, with_time=False)}"


def decision_words(decision: StaffDecision, cfg: Config, mail: MessageRecord | None) -> str:
    """What the decision says, in words: units by name, mail by subject, sender and day, items by label."""
    d = decision
    unit = cfg.unit(d.unit_id)
    unit_name = unit.name if unit else d.unit_id
    match d.kind:
        case DecisionKind.ASSIGN:
            remember = "; ghi nhớ địa chỉ gửi là của đơn vị" if d.remember else ""
            return f"Tính {mail_words(mail, cfg)} cho {unit_name}{remember}"
        case DecisionKind.IGNORE:
            return f"Bỏ qua {mail_words(mail, cfg)}"
        case DecisionKind.RECEIVE:
            when = f" ngày {d.on:%d/%m/%Y}" if d.on else ""
            note = f" ({d.note})" if d.note else ""
            return f"{unit_name}: đã nhận {label(d.item, cfg)} bằng bản giấy / trực tiếp{when}{note}"
        case DecisionKind.KIND:
            return f"Tệp «{d.filename}» của {mail_words(mail, cfg)} là {label(d.item, cfg)}"
        case DecisionKind.NOMINEE:
            change = ("bỏ khỏi danh sách" if d.remove else f"là {KIND_WORDS.get(d.new_kind, d.new_kind).lower()}"
                      if d.new_kind else f"sửa tên thành «{d.new_name}»")
            return f"{unit_name}: {d.name} → {change}"
        case DecisionKind.SETTLE:
            return f"Đã xử lý việc cần xem xét của {mail_words(mail, cfg)}"
    return plain(describe(d, cfg))


def decision_row(decision: StaffDecision, cfg: Config, mail: MessageRecord | None = None,
                 row: int | None = None) -> dict[str, Any]:
    unit = cfg.unit(decision.unit_id) if decision.unit_id else None
    return {
        "id": decision.id, "what": decision_words(decision, cfg, mail), "kind": str(decision.kind),
        "unit": unit.name if unit else "", "unit_id": decision.unit_id, "by": decision.by,
        "at": local(decision.at, cfg), "why": decision.why, "active": decision.active,
        "undone": f"{decision.undone_by} lúc {local(decision.undone_at, cfg)}" if decision.undone_at else "",
        "row": row,
    }


def staff_text(text: str) -> str:
    """A stored detail for staff eyes: the English parts the readers add («format not read: …») left out,
    the file names and the Vietnamese kept."""
    kept = []
    for segment in plain(text).split("; "):
        head, *rest = segment.split(": ")
        words = [piece for piece in rest if not _english(piece)]
        if rest and not words and _english(head):
            continue
        kept.append(": ".join([head, *words]))
    return "; ".join(part for part in kept if part)


def _english(piece: str) -> bool:
    return piece.isascii() and re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", piece) is not None
