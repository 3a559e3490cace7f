"""The workbook's decision columns: their Vietnamese choices, and a cell's text read back as a decision.

Staff pick (or type) in three columns; each cell becomes the same :class:`StaffDecision` the command
line makes (source = the workbook; who = its «last modified by», marked unverified, else «bảng tính»;
why = the row's «Ghi chú»):

- «Cần xem xét» / «Quyết định»: «Tính cho đơn vị: <tên đơn vị>» (assign; the unit's id or its name
  typed with or without accents also do), «Bỏ qua» (ignore), «Tệp là: <thành phần>» (the row's file is
  that item). Remembering a sender's address is not offered: whoever can write the file would decide
  whose address it is, so it is left to the console and the command line, which know who decides;
- «Danh sách đề nghị» / «Sửa danh sách»: «Sửa tên: <tên đúng>», «Là tập thể», «Là cá nhân»,
  «Bỏ khỏi danh sách»;
- «Tổng hợp» / «Nhận bản giấy»: «Đã nhận bản giấy: <thành phần>[, …] [ngày dd/mm/yyyy]».
«Huỷ quyết định» in any of them undoes the row's latest decision. Matching ignores case and accents.
Pure: the reading of the file is staff_notes.read_notes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Config
from bot.core.decisions import DecisionKind, Source, StaffDecision
from bot.core.model import MessageRecord, Outcome
from bot.workbook.content import (
    CORRECTION,
    DECISION,
    NOTE,
    PAPER,
    SHEET_NOMINEES,
    SHEET_REVIEW,
    SHEET_SUMMARY,
    Cell,
)
from parsers.nominees import COLLECTIVE, INDIVIDUAL
from parsers.text import fold, name_key

COLUMNS = {SHEET_REVIEW: DECISION, SHEET_NOMINEES: CORRECTION, SHEET_SUMMARY: PAPER}
WORKBOOK_WHO = "bảng tính"
ASSIGN_WORDS, REMEMBER_WORDS, IGNORE_WORDS = "Tính cho đơn vị", "ghi nhớ địa chỉ", "Bỏ qua"
FILE_WORDS, UNDO_WORDS = "Tệp là", "Huỷ quyết định"
RENAME_WORDS, COLLECTIVE_WORDS, INDIVIDUAL_WORDS, REMOVE_WORDS = (
    "Sửa tên", "Là tập thể", "Là cá nhân", "Bỏ khỏi danh sách")
PAPER_WORDS = "Đã nhận bản giấy"
_DAY = re.compile(r"\bngày\s+(\d{1,2})/(\d{1,2})/(\d{4})\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DecisionCell:
    """One decision cell read back: where it is, what it says, and the row's note (the why)."""

    sheet: str
    key: str
    text: str
    why: str = ""

    @property
    def origin(self) -> str:
        return f"{self.sheet}|{self.key}|{self.text}"


@dataclass(frozen=True, slots=True)
class Undo:
    """«Huỷ quyết định»: undo the latest active decision about this row."""

    cell: DecisionCell


def choices(cfg: Config) -> dict[str, list[str]]:
    """The drop-down list of each decision column (typing something else is allowed, and checked)."""
    units = [u.name for u in cfg.units]
    labels = [k.label for k in cfg.documents]
    return {
        DECISION: [*(f"{ASSIGN_WORDS}: {u}" for u in units),
                   IGNORE_WORDS, *(f"{FILE_WORDS}: {label}" for label in labels), f"{FILE_WORDS}: Tài liệu khác",
                   UNDO_WORDS],
        CORRECTION: [f"{RENAME_WORDS}: ", COLLECTIVE_WORDS, INDIVIDUAL_WORDS, REMOVE_WORDS, UNDO_WORDS],
        PAPER: [*(f"{PAPER_WORDS}: {label}" for label in labels), UNDO_WORDS],
    }


def cells(notes: Sequence[tuple[str, str, str, Cell]]) -> list[DecisionCell]:
    """(sheet, key, column, value) of the staff columns -> the decision cells, each with its row's note."""
    why = {(sheet, key): str(value).strip() for sheet, key, column, value in notes if column == NOTE}
    out = []
    for sheet, key, column, value in notes:
        text = str(value).strip() if value is not None else ""
        if COLUMNS.get(sheet) == column and text:
            out.append(DecisionCell(sheet, key, text, why.get((sheet, key), "")))
    return out


def read(cell: DecisionCell, cfg: Config, records: Sequence[MessageRecord], by: str,
         now: datetime) -> list[StaffDecision] | Undo | str:
    """The decisions a cell asks for (not yet checked against the state), an undo, or why it is unreadable."""
    if cell.text.startswith("="):
        return (f"«{cell.text[:60]}» là công thức, không phải một lựa chọn: chọn một mục trong danh sách của cột "
                f"«{COLUMNS.get(cell.sheet, DECISION)}»")
    if fold(cell.text) == fold(UNDO_WORDS):
        return Undo(cell)
    base = StaffDecision(DecisionKind.IGNORE, by=by, at=now, source=Source.WORKBOOK, why=cell.why[:500],
                         origin=cell.origin)
    if cell.sheet == SHEET_REVIEW:
        return _review(cell, cfg, records, base)
    if cell.sheet == SHEET_NOMINEES:
        return _nominee(cell, records, base)
    return _paper(cell, cfg, base)


def _after_colon(text: str) -> str:
    return text.split(":", 1)[1].strip() if ":" in text else ""


def _starts(text: str, words: str) -> bool:
    return fold(text).startswith(fold(words))


def _review(cell: DecisionCell, cfg: Config, records: Sequence[MessageRecord],
            base: StaffDecision) -> list[StaffDecision] | str:
    record = row_message(cell.key, records)
    if record is None:
        return "thư của dòng này không còn"
    if not record.message_id:
        return "thư không có mã nhận dạng nên không quyết định trên bảng tính được; nhờ người quản trị xử lý"
    base = replace(base, message_id=record.message_id)
    text = cell.text
    if _starts(text, ASSIGN_WORDS):
        rest = _after_colon(text) or fold(text).removeprefix(fold(ASSIGN_WORDS)).strip()
        if fold(REMEMBER_WORDS) in fold(rest):
            return (f"bảng tính không ghi nhớ địa chỉ gửi cho đơn vị (ai sửa được tệp cũng chọn được); chọn "
                    f"«{ASSIGN_WORDS}: <tên đơn vị>», rồi ghi nhớ địa chỉ trên trang quản lý")
        unit = _unit_id(rest.split("(", 1)[0].strip(), cfg)
        if cfg.unit(unit) is None:
            return f"không có đơn vị tên «{unit}»: chọn tên đơn vị trong danh sách"
        return [replace(base, kind=DecisionKind.ASSIGN, unit_id=unit)]
    if fold(text) == fold(IGNORE_WORDS):
        return [base]
    if _starts(text, FILE_WORDS):
        item = _item_id(_after_colon(text), cfg, allow_other=True)
        filename = _row_file(cell.key, record)
        if not filename:
            return "dòng này không chỉ một tệp; nhờ người quản trị ghi loại của từng tệp"
        return [replace(base, kind=DecisionKind.KIND, item=item, filename=filename)]
    return _unreadable(text, DECISION)


def row_message(key: str, records: Sequence[MessageRecord]) -> MessageRecord | None:
    """The message of a «Cần xem xét» row (its key starts with the first 16 hex digits of the digest)."""
    prefix = key.split("|", 1)[0]
    found = [r for r in records if prefix and r.digest.startswith(prefix)]
    return next((r for r in found if r.outcome != Outcome.DUPLICATE), found[0] if found else None)


def _row_file(key: str, record: MessageRecord) -> str:
    parts = key.split("|", 2)
    detail = parts[2] if len(parts) == 3 else ""
    named = detail.split(": ", 1)[0]
    names = [doc.filename for doc in record.documents]
    if named in names:
        return named
    return names[0] if len(names) == 1 else ""


def _nominee(cell: DecisionCell, records: Sequence[MessageRecord], base: StaffDecision) -> list[StaffDecision] | str:
    parts = cell.key.split("|")
    unit_id, key = parts[0], parts[-1]
    names = (n.name for r in records if r.counted and r.unit_id == unit_id for d in r.documents for n in d.nominees)
    name = next((n for n in names if name_key(n) == key), key)
    base = replace(base, kind=DecisionKind.NOMINEE, unit_id=unit_id, name=name)
    text = cell.text
    if _starts(text, RENAME_WORDS):
        new_name = _after_colon(text)
        return [replace(base, new_name=new_name)] if new_name else "thiếu tên mới sau «Sửa tên:»"
    if fold(text) == fold(COLLECTIVE_WORDS):
        return [replace(base, new_kind=COLLECTIVE)]
    if fold(text) == fold(INDIVIDUAL_WORDS):
        return [replace(base, new_kind=INDIVIDUAL)]
    if fold(text) == fold(REMOVE_WORDS):
        return [replace(base, remove=True)]
    return _unreadable(text, CORRECTION)


def _paper(cell: DecisionCell, cfg: Config, base: StaffDecision) -> list[StaffDecision] | str:
    text = cell.text
    if not _starts(text, PAPER_WORDS):
        return _unreadable(text, PAPER)
    rest = _after_colon(text)
    on = None
    match = _DAY.search(rest)
    if match:
        try:
            on = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            return f"ngày «{match.group(0)}» không hợp lệ (viết dd/mm/yyyy)"
        rest = rest[: match.start()]
    items = [_item_id(part, cfg) for part in re.split(r"[,;]", rest) if part.strip()]
    if not items:
        return "thiếu thành phần hồ sơ sau «Đã nhận bản giấy:»"
    unknown = [item for item in items if cfg.doc_kind(item) is None]
    if unknown:
        return f"không có thành phần hồ sơ «{unknown[0]}»: chọn trong danh sách"
    return [replace(base, kind=DecisionKind.RECEIVE, unit_id=cell.key, item=item, on=on) for item in items]


def _unreadable(text: str, column: str) -> str:
    return f"không hiểu «{text}»: chọn một mục trong danh sách của cột «{column}»"


def _unit_id(text: str, cfg: Config) -> str:
    """A unit id, or the unit whose name is typed; the text itself when neither (the check names it)."""
    key = fold(text)
    unit = next((u for u in cfg.units if fold(u.id) == key or fold(u.name) == key), None)
    return unit.id if unit else text


def _item_id(text: str, cfg: Config, *, allow_other: bool = False) -> str:
    key = fold(text)
    if allow_other and key in ("tai lieu khac", ItemKind.OTHER):
        return ItemKind.OTHER
    spec = next((k for k in cfg.documents if key in (fold(k.id), fold(k.label))), None)
    if spec is None and len(key) >= 6:          # «Báo cáo sơ kết» for «Báo cáo sơ kết phong trào»
        started = [k for k in cfg.documents if fold(k.label).startswith(key)]
        spec = started[0] if len(started) == 1 else None
    return spec.id if spec else text.strip()


def undo_target(undo: Undo, decisions: Sequence[StaffDecision],
                records: Sequence[MessageRecord]) -> list[StaffDecision]:
    """The active decisions a «Huỷ quyết định» cell undoes: the row's latest (all of one paper cell)."""
    mine = [d for d in decisions if d.active and about_row(d, undo.cell.sheet, undo.cell.key, records)]
    if not mine:
        return []
    latest = max(mine, key=lambda d: d.id)
    if latest.kind == DecisionKind.RECEIVE and latest.origin:
        return [d for d in mine if d.origin == latest.origin]
    return [latest]


def about_row(decision: StaffDecision, sheet: str, key: str, records: Sequence[MessageRecord]) -> bool:
    """Whether a decision is about this row of the workbook (whichever way it was made)."""
    if sheet == SHEET_REVIEW and decision.kind in (DecisionKind.ASSIGN, DecisionKind.IGNORE, DecisionKind.KIND):
        record = row_message(key, records)
        return record is not None and bool(record.message_id) and record.message_id == decision.message_id
    if sheet == SHEET_NOMINEES and decision.kind == DecisionKind.NOMINEE:
        parts = key.split("|")
        names = {name_key(decision.name), name_key(decision.new_name or decision.name)}
        return decision.unit_id == parts[0] and parts[-1] in names
    return sheet == SHEET_SUMMARY and decision.kind == DecisionKind.RECEIVE and decision.unit_id == key
