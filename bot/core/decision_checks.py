"""Whether a staff decision can be applied, and the plain reason when it cannot. Pure.

The command line and the workbook both go through :func:`prepare`, so a typo is refused the same
way whichever way it came in. ``records`` are the records as already decided (corrections.apply).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Config
from bot.core.classify import unit_by_address
from bot.core.decisions import DecisionKind, StaffDecision
from bot.core.model import MessageRecord, Outcome
from bot.core.rules import assess
from parsers.text import name_key

OTHER_ITEM = ItemKind.OTHER


def find_message(records: Sequence[MessageRecord], message_id: str) -> MessageRecord | None:
    """The processed copy of a message (a duplicate copy only when nothing else has that Message-ID)."""
    found = [r for r in records if message_id and r.message_id == message_id]
    return next((r for r in found if r.outcome != Outcome.DUPLICATE), found[0] if found else None)


def prepare(decision: StaffDecision, cfg: Config, records: Sequence[MessageRecord]) -> StaffDecision | str:
    """The decision ready to store (with what it needs filled in), or why it cannot be applied."""
    unit_problem = _unit(decision, cfg)
    if unit_problem:
        return unit_problem
    match decision.kind:
        case DecisionKind.ASSIGN | DecisionKind.IGNORE | DecisionKind.SETTLE:
            return _message_decision(decision, cfg, records)
        case DecisionKind.RECEIVE:
            if cfg.doc_kind(decision.item) is None:
                return _unknown_item(decision.item, cfg)
            return decision
        case DecisionKind.KIND:
            return _kind_decision(decision, cfg, records)
        case DecisionKind.NOMINEE:
            return _nominee_decision(decision, cfg, records)
    return f"không rõ loại quyết định «{decision.kind}» (unknown decision kind)"


def _unit(decision: StaffDecision, cfg: Config) -> str:
    needs_unit = decision.kind in (DecisionKind.ASSIGN, DecisionKind.RECEIVE, DecisionKind.NOMINEE)
    if needs_unit and cfg.unit(decision.unit_id) is None:
        known = ", ".join(u.id for u in cfg.units)
        return f"không có đơn vị mã «{decision.unit_id}» (unknown unit id; known: {known})"
    return ""


def _unknown_message(message_id: str) -> str:
    return f"không tìm thấy thư {message_id or '(trống)'} (unknown message)"


def _message_decision(decision: StaffDecision, cfg: Config, records: Sequence[MessageRecord]) -> StaffDecision | str:
    record = find_message(records, decision.message_id)
    if record is None:
        return _unknown_message(decision.message_id)
    if decision.kind == DecisionKind.ASSIGN and record.outcome == Outcome.ERROR:
        return (f"thư {decision.message_id} chưa xử lý được (lỗi khi đọc), không thể tính cho đơn vị "
                "(the message failed processing)")
    if decision.kind == DecisionKind.ASSIGN and decision.remember:
        address = record.from_addr.casefold()
        owner = unit_by_address(address, cfg.units)
        if not address:
            return f"thư {decision.message_id} không có địa chỉ người gửi để ghi nhớ (no sender address)"
        if owner is not None and owner.id != decision.unit_id:
            return f"địa chỉ {address} đã là của đơn vị {owner.id} (address belongs to another unit)"
        if address in cfg.campaign.staff_emails:
            return f"địa chỉ {address} là của cán bộ Liên đoàn (a staff address)"
        return replace(decision, address=address)
    return decision


def _kind_decision(decision: StaffDecision, cfg: Config, records: Sequence[MessageRecord]) -> StaffDecision | str:
    record = find_message(records, decision.message_id)
    if record is None:
        return _unknown_message(decision.message_id)
    if decision.item != OTHER_ITEM and cfg.doc_kind(decision.item) is None:
        return _unknown_item(decision.item, cfg)
    names = [doc.filename for doc in record.documents]
    if decision.filename not in names:
        listed = ", ".join(names) or "không có tệp nào"
        return f"thư {decision.message_id} không có tệp «{decision.filename}» (unknown file; it has: {listed})"
    return decision


def _nominee_decision(decision: StaffDecision, cfg: Config, records: Sequence[MessageRecord]) -> StaffDecision | str:
    changes = sum((bool(decision.new_name.strip()), bool(decision.new_kind), decision.remove))
    if changes != 1:
        return "cần đúng một thay đổi: tên mới, loại (tập thể/cá nhân) hoặc bỏ khỏi danh sách (give one change)"
    unit = cfg.unit(decision.unit_id)
    assert unit is not None  # noqa: S101 - checked by _unit
    nominees = assess(unit, records, cfg).nominees
    if not any(name_key(n.name) == name_key(decision.name) for n in nominees):
        listed = ", ".join(n.name for n in nominees) or "chưa có ai"
        return f"đơn vị {unit.id} không có ai tên «{decision.name}» trong danh sách (unknown nominee; list: {listed})"
    return replace(decision, new_name=decision.new_name.strip())


def _unknown_item(item: str, cfg: Config) -> str:
    known = ", ".join(k.id for k in cfg.documents)
    return f"không có thành phần hồ sơ mã «{item}» (unknown item; known: {known})"
