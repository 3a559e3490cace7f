"""Staff decisions as values: what staff settled by hand, and how it reads. Pure.

A decision is recorded once (bot/state/decisions.py) whichever way it came in (the command line or
the workbook) and is applied wherever the dossier is derived (bot/core/corrections.py): the stored
messages are never rewritten, so an undo restores the earlier verdict exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Config
from bot.core.model import MessageRecord
from parsers.nominees import NomineeKind


class DecisionKind(StrEnum):
    ASSIGN = "assign"        # count a message for a unit
    IGNORE = "ignore"        # stop counting a message
    RECEIVE = "receive"      # an item reached the office another way (paper, hand delivery)
    KIND = "kind"            # a document's dossier item
    NOMINEE = "nominee"      # a nominee's name, kind or removal
    SETTLE = "settle"        # a review item handled by staff (a question answered, a request weighed): it leaves
                             # the queue and nothing counted changes; ``item`` holds its reason, empty for all


class Source(StrEnum):
    CLI = "cli"
    WORKBOOK = "workbook"
    CONSOLE = "console"       # the staff console (bot/web)


@dataclass(frozen=True, slots=True)
class StaffDecision:
    """One decision. ``id`` is 0 until stored; the fields a kind does not use stay empty."""

    kind: DecisionKind
    by: str
    at: datetime
    source: Source = Source.CLI
    why: str = ""
    message_id: str = ""         # assign, ignore, kind: the message (with angle brackets)
    unit_id: str = ""            # assign, receive, nominee
    item: str = ""               # receive: the item received; kind: the item the file is
    filename: str = ""           # kind: the file of the message
    name: str = ""               # nominee: the name as the documents give it
    new_name: str = ""           # nominee: the corrected name
    new_kind: NomineeKind | None = None   # nominee: its corrected kind
    remove: bool = False         # nominee: not in the list
    remember: bool = False       # assign: the sender's address is the unit's from then on
    address: str = ""            # assign with remember: that address
    on: date | None = None       # receive: when it arrived
    note: str = ""               # receive: how it arrived
    origin: str = ""             # workbook: sheet|row key|cell text it was read from
    id: int = 0
    undone_at: datetime | None = None
    undone_by: str = ""
    undo_origin: str = ""        # the workbook cell («Huỷ quyết định») that undid it

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def same_as(self, other: StaffDecision) -> bool:
        """Whether ``other`` says the same thing (who, when, why and where it came from aside)."""
        return all(getattr(self, name) == getattr(other, name) for name in _WHAT)


# The fields that say what a decision decides (the rest says who, when, why, from where, and its undo).
_WHAT = ("kind", "message_id", "unit_id", "item", "filename", "name", "new_name", "new_kind", "remove",
         "remember", "address", "on")


def message_ref(text: str) -> str:
    """A Message-ID as stored: angle brackets added when the user left them out."""
    text = text.strip()
    if not text:
        return ""
    return text if text.startswith("<") else f"<{text.strip('<>')}>"


_KIND_WORDS = {NomineeKind.COLLECTIVE: "tập thể", NomineeKind.INDIVIDUAL: "cá nhân"}


KIND_WORDS = {DecisionKind.ASSIGN: "Tính cho đơn vị", DecisionKind.IGNORE: "Bỏ qua thư",
              DecisionKind.RECEIVE: "Nhận bản giấy", DecisionKind.KIND: "Loại tài liệu",
              DecisionKind.NOMINEE: "Sửa danh sách", DecisionKind.SETTLE: "Đã xử lý"}


def describe(decision: StaffDecision, cfg: Config, records: Sequence[MessageRecord] = ()) -> str:
    """What the decision says, in Vietnamese: units by name, items by label, a message by its date, sender
    and subject when ``records`` hold it (else by its Message-ID)."""
    d = decision
    unit = _unit_name(d.unit_id, cfg)
    match d.kind:
        case DecisionKind.ASSIGN:
            text = f"Tính {_mail(d.message_id, cfg, records)} cho {unit}"
            return text + (" (ghi nhớ địa chỉ gửi)" if d.remember else "")
        case DecisionKind.IGNORE:
            return f"Bỏ qua {_mail(d.message_id, cfg, records)}"
        case DecisionKind.RECEIVE:
            when = f" ngày {d.on:%d/%m/%Y}" if d.on else ""
            note = f" ({d.note})" if d.note else ""
            return f"{unit}: đã nhận {_label(d.item, cfg)} bằng đường khác{when}{note}"
        case DecisionKind.KIND:
            return f"Tệp «{d.filename}» của {_mail(d.message_id, cfg, records)} là {_label(d.item, cfg)}"
        case DecisionKind.NOMINEE:
            return f"{unit}: {d.name} → {_nominee_change(d)}"
        case DecisionKind.SETTLE:
            return f"Đã xử lý việc cần xem xét của {_mail(d.message_id, cfg, records)}"
    return KIND_WORDS.get(d.kind, str(d.kind))


def _unit_name(unit_id: str, cfg: Config) -> str:
    unit = cfg.unit(unit_id) if unit_id else None
    return unit.name if unit else unit_id


def _mail(message_id: str, cfg: Config, records: Sequence[MessageRecord]) -> str:
    record = next((r for r in records if r.message_id and r.message_id == message_id), None)
    if record is None:
        return f"thư {message_id}"
    when = record.received_at.astimezone(cfg.campaign.tz)
    sender = record.from_name or record.from_addr or "người gửi không rõ"
    return f"thư ngày {when:%d/%m/%Y %H:%M} của {sender}" + (f" «{record.subject}»" if record.subject else "")


def _nominee_change(d: StaffDecision) -> str:
    if d.remove:
        return "bỏ khỏi danh sách"
    if d.new_kind:
        return f"là {_KIND_WORDS[d.new_kind]}"
    return f"sửa tên thành {d.new_name}"


def _label(item: str, cfg: Config) -> str:
    spec = cfg.doc_kind(item)
    return spec.label if spec else "tài liệu khác" if item == ItemKind.OTHER else item


def line(decision: StaffDecision, cfg: Config, records: Sequence[MessageRecord] = ()) -> str:
    """One line of ``mailbot decisions``: the ID first and the unit id (contract: scripts find them there),
    then in words what, who, when, why, and whether undone."""
    d = decision
    when = d.at.astimezone(cfg.campaign.tz)
    about = next((r for r in records if d.message_id and r.message_id == d.message_id), None)
    unit_id = d.unit_id or (about.unit_id if about is not None else "") or "-"   # the unit a mail came from
    parts = [f"#{d.id}", unit_id, KIND_WORDS.get(d.kind, str(d.kind)), describe(d, cfg, records),
             f"bởi {d.by} ({_source_word(d.source)}) lúc {when:%d/%m/%Y %H:%M}"]
    if d.why:
        parts.append(f"lý do: {d.why}")
    if d.undone_at is not None:
        parts.append(f"ĐÃ HUỶ bởi {d.undone_by} lúc {d.undone_at.astimezone(cfg.campaign.tz):%d/%m/%Y %H:%M}")
    return " | ".join(parts)


def _source_word(source: Source) -> str:
    return {Source.WORKBOOK: "bảng tính", Source.CONSOLE: "trang quản lý"}.get(source, "dòng lệnh")
