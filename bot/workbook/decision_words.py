"""A staff decision in the workbook's words: units by name, items by their label, a mail by its date,
sender and subject (never a Message-ID or an internal code). Pure.

`mailbot decisions` keeps bot.core.decisions.describe (ids, for scripts and the command line).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Config
from bot.core.decisions import DecisionKind, Source, StaffDecision
from bot.core.model import MessageRecord
from bot.workbook.content import PAPER, local
from bot.workbook.wording import KIND_WORDS

# Who decided, as the «Nguồn» column says it.
SOURCE_WORDS = {Source.CLI: "dòng lệnh", Source.WORKBOOK: "bảng tính", Source.CONSOLE: "trang quản lý"}


def mails_by_id(records: Sequence[MessageRecord]) -> dict[str, MessageRecord]:
    """Message-ID -> its first stored record (what a decision about that message is about)."""
    found: dict[str, MessageRecord] = {}
    for record in records:
        if record.message_id:
            found.setdefault(record.message_id, record)
    return found


def mail_words(message_id: str, mails: Mapping[str, MessageRecord], cfg: Config) -> str:
    """«thư «subject» của sender, dd/mm/yyyy hh:mm»; a mail no longer stored says so."""
    record = mails.get(message_id)
    if record is None:
        return "thư không còn trong hộp thư"
    sender = f"{record.from_name} ({record.from_addr})" if record.from_name else record.from_addr
    return f"thư «{record.subject}» của {sender}, {local(record.received_at, cfg):%d/%m/%Y %H:%M}"


def unit_words(unit_id: str, cfg: Config) -> str:
    unit = cfg.unit(unit_id)
    return unit.name if unit else unit_id


def item_words(item: str, cfg: Config) -> str:
    spec = cfg.doc_kind(item)
    return spec.label if spec else "Tài liệu khác" if item == ItemKind.OTHER else item


def decision_words(decision: StaffDecision, cfg: Config, mails: Mapping[str, MessageRecord]) -> str:
    """What the decision says, as staff read it."""
    d = decision
    match d.kind:
        case DecisionKind.ASSIGN:
            text = f"Tính {mail_words(d.message_id, mails, cfg)} cho {unit_words(d.unit_id, cfg)}"
            return text + (" (ghi nhớ địa chỉ gửi)" if d.remember else "")
        case DecisionKind.IGNORE:
            return f"Bỏ qua {mail_words(d.message_id, mails, cfg)}"
        case DecisionKind.RECEIVE:
            when = f" ngày {d.on:%d/%m/%Y}" if d.on else ""
            note = f" ({d.note})" if d.note else ""
            return f"{unit_words(d.unit_id, cfg)}: {PAPER.lower()} {item_words(d.item, cfg)}{when}{note}"
        case DecisionKind.KIND:
            return f"Tệp «{d.filename}» của {mail_words(d.message_id, mails, cfg)} là {item_words(d.item, cfg)}"
        case DecisionKind.NOMINEE:
            return f"{unit_words(d.unit_id, cfg)}: {d.name} → {_nominee_change(d)}"
        case DecisionKind.SETTLE:
            return f"Đã xử lý việc cần xem xét của {mail_words(d.message_id, mails, cfg)}"
    return ""


def _nominee_change(d: StaffDecision) -> str:
    if d.remove:
        return "bỏ khỏi danh sách"
    if d.new_kind:
        return f"là {KIND_WORDS[d.new_kind].lower()}"
    return f"sửa tên thành {d.new_name}"
