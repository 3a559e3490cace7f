"""How the workbook shows staff decisions: the result beside each decision cell, the history sheet
«Quyết định», and which decision cells stay (the rows a decision settled are the review queue's done
items, bot/core/review.py).

A decision cell stays as staff typed it while its decision is active (a cell whose row is gone then
goes, the decision itself is kept); it is cleared once its decision was undone (so the same choice
made again is a new decision); a cell that could not be applied stays, with the reason beside it.
Pure: values in, values out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.config.schema import Config
from bot.core.decisions import DecisionKind, StaffDecision
from bot.core.model import MessageRecord
from bot.workbook.content import RESULT, Cell, Row, Sheet, Tone, local
from bot.workbook.decision_cells import COLUMNS, UNDO_WORDS, about_row
from bot.workbook.decision_words import SOURCE_WORDS, decision_words, mails_by_id, unit_words
from bot.workbook.staff_notes import Note

SHEET_DECISIONS = "Các quyết định"
HISTORY_HEADER = ["Số", "Loại", "Đơn vị", "Nội dung", "Người quyết định", "Nguồn", "Thời gian", "Lý do",
                  "Trạng thái"]
_KIND_WORDS = {DecisionKind.ASSIGN: "Tính cho đơn vị", DecisionKind.IGNORE: "Bỏ qua thư",
               DecisionKind.RECEIVE: "Nhận bản giấy", DecisionKind.KIND: "Loại tài liệu",
               DecisionKind.NOMINEE: "Sửa danh sách"}


@dataclass(frozen=True, slots=True)
class DecisionView:
    """What the workbook needs to know about decisions when it is rewritten."""

    decisions: Sequence[StaffDecision] = ()
    stored: Sequence[MessageRecord] = ()          # the records before any decision
    problems: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, row key) -> why not applied

    def keep(self, note: Note) -> bool:
        """Whether a staff cell read back goes onto the new workbook."""
        if COLUMNS.get(note.sheet) != note.column:
            return True
        origin = f"{note.sheet}|{note.key}|{str(note.value).strip()}"
        if any(d.undo_origin == origin for d in self.decisions):
            return False            # a «Huỷ quyết định» that was carried out
        made = [d for d in self.decisions if d.origin == origin]
        return not made or any(d.active for d in made)

    def orphan(self, note: Note) -> bool:
        """Whether a cell whose row is gone is set aside in «Ghi chú cũ» (applied decision cells are not)."""
        if COLUMNS.get(note.sheet) != note.column:
            return True
        origin = f"{note.sheet}|{note.key}|{str(note.value).strip()}"
        return not any(origin in (d.origin, d.undo_origin) for d in self.decisions)

    def cleared(self) -> list[int]:
        """Undone decisions: their cells (and the cell that undid them) are not written again."""
        return [d.id for d in self.decisions if not d.active]


def fill_results(sheets: Sequence[Sheet], view: DecisionView, records: Sequence[MessageRecord], cfg: Config) -> None:
    """Write the «Kết quả ghi nhận» cell of every row a decision (or a refused cell) is about."""
    mails = mails_by_id(view.stored)
    for sheet in sheets:
        if sheet.title not in COLUMNS or RESULT not in sheet.header:
            continue
        index = sheet.header.index(RESULT)
        for row in sheet.rows:
            if row.key:
                row.values[index] = _result(sheet.title, row.key, view, records, cfg, mails)


def _result(sheet: str, key: str, view: DecisionView, records: Sequence[MessageRecord], cfg: Config,
            mails: Mapping[str, MessageRecord]) -> str | None:
    problem = view.problems.get((sheet, key))
    if problem:
        return f"Chưa áp dụng: {problem}"
    about = [d for d in view.decisions if about_row(d, sheet, key, records)]
    if not about:
        return None
    latest = max(about, key=lambda d: d.id)
    return result_words(latest, cfg, mails)


def result_words(decision: StaffDecision, cfg: Config, mails: Mapping[str, MessageRecord]) -> str:
    when = local(decision.at, cfg)
    text = f"#{decision.id} {decision_words(decision, cfg, mails)} — {decision.by}, {when:%d/%m/%Y %H:%M}"
    if decision.undone_at is not None:
        undone = local(decision.undone_at, cfg)
        text += f" — đã huỷ bởi {decision.undone_by}, {undone:%d/%m/%Y %H:%M}"
    return text


def history_sheet(view: DecisionView, cfg: Config) -> Sheet:
    """Every decision, newest first, undone ones included: the one record staff can read."""
    mails = mails_by_id(view.stored)
    rows = [Row([d.id, _KIND_WORDS.get(d.kind, ""), unit_words(d.unit_id, cfg) if d.unit_id else None,
                 decision_words(d, cfg, mails), d.by, SOURCE_WORDS.get(d.source, ""), local(d.at, cfg), d.why or None,
                 "Đang áp dụng" if d.active else f"Đã huỷ ({d.undone_by}, {local(d.undone_at, cfg):%d/%m/%Y %H:%M})"],
                tone=Tone.GREEN if d.active else Tone.AMBER)
            for d in sorted(view.decisions, key=lambda d: -d.id)]
    preface: list[list[Cell]] = [[f"Quyết định của cán bộ, ghi trên bảng tính hoặc bằng lệnh. Huỷ một quyết định: "
                                  f"chọn «{UNDO_WORDS}» trong ô quyết định của dòng đó, hoặc nhờ người quản trị "
                                  "huỷ theo số của nó."]]
    widths = {"Số": 5, "Loại": 14, "Đơn vị": 24, "Nội dung": 50, "Người quyết định": 24, "Nguồn": 10,
              "Thời gian": 16, "Lý do": 20, "Trạng thái": 24}
    return Sheet(SHEET_DECISIONS, list(HISTORY_HEADER), rows, status_column="Trạng thái", preface=preface,
                 widths=widths)
