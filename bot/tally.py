"""The tally workbook: a projection of the ledger, rebuilt whole each time (never load-modify-save).

Rows are built by pure functions; :func:`write_workbook` is the thin openpyxl edge. Mail-borne
text is always stored as text, so a name like ``=HYPERLINK(...)`` can never become a formula.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.config import Config
from bot.model import MessageRecord, UnitDossier
from bot.rules import assess_all
from bot.views import review_items, status_words

log = logging.getLogger(__name__)

Cell = str | int | datetime | None
SHEET_SUMMARY = "Tổng hợp"
SHEET_NOMINEES = "Danh sách đề nghị"
SHEET_MESSAGES = "Thư đến"
SHEET_REVIEW = "Cần xem xét"
_KIND_WORDS = {"collective": "Tập thể", "individual": "Cá nhân"}
_FILL = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE"}


def _local(moment: datetime | None, cfg: Config) -> datetime | None:
    """Excel has no time zones: show the campaign's local time."""
    return moment.astimezone(cfg.campaign.tz).replace(tzinfo=None) if moment else None


def summary_rows(cfg: Config, dossiers: Sequence[UnitDossier]) -> list[list[Cell]]:
    header: list[Cell] = ["STT", "Mã", "Đơn vị", *[k.label for k in cfg.documents],
                          "Tập thể", "Cá nhân", "Chỉ tiêu", "Nộp muộn", "Trạng thái", "Thư gần nhất", "Số thư", "Cờ"]
    rows = [header]
    for index, dossier in enumerate(dossiers, 1):
        unit = cfg.unit(dossier.unit_id)
        marks = ["✓" if k.id in dossier.received else "✗" if k.id in cfg.campaign.required else ""
                 for k in cfg.documents]
        rows.append([index, dossier.unit_id, unit.name if unit else "", *marks, dossier.collectives,
                     dossier.individuals, f"{dossier.quota_collectives}+{dossier.quota_individuals}",
                     "Có" if dossier.late else "", status_words(dossier, cfg),
                     _local(dossier.last_message_at, cfg), dossier.messages, ", ".join(dossier.flags)])
    return rows


def nominee_rows(cfg: Config, dossiers: Sequence[UnitDossier]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [["STT", "Đơn vị", "Loại", "Họ tên / Tên tập thể", "Chức vụ, đơn vị công tác",
                               "Tệp nguồn", "Cờ"]]
    for dossier in dossiers:
        unit = cfg.unit(dossier.unit_id)
        for nominee in dossier.nominees:
            rows.append([len(rows), unit.name if unit else dossier.unit_id, _KIND_WORDS.get(nominee.kind),
                         nominee.name, nominee.position, nominee.source, ", ".join(dossier.flags)])
    return rows


def message_rows(cfg: Config, records: Sequence[MessageRecord]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [["Thời gian nhận", "Người gửi", "Tiêu đề", "Đơn vị", "Tệp đính kèm",
                               "Kết quả", "Trả lời"]]
    for record in records:
        files = "\n".join(f"{d.filename} → {d.kind}" + ("" if d.status == "ok" else f" ({d.status})")
                          for d in record.documents)
        rows.append([_local(record.received_at, cfg), f"{record.from_name} <{record.from_addr}>".strip(),
                     record.subject, record.unit_id or "", files,
                     ", ".join([str(record.outcome), *record.findings]), record.reply])
    return rows


def review_rows(cfg: Config, records: Sequence[MessageRecord]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [["Thời gian nhận", "Người gửi", "Tiêu đề", "Đơn vị", "Lý do", "Chi tiết"]]
    for item in review_items(records):
        record = item.record
        rows.append([_local(record.received_at, cfg), record.from_addr, record.subject, record.unit_id or "",
                     item.reason, item.detail])
    return rows


def safe_text(value: Cell) -> Cell:
    """Control characters out (openpyxl refuses them); the formula guard is in :func:`_put`."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch in "\n\t" or ord(ch) >= 32)[:32000]


def write_workbook(cfg: Config, records: Sequence[MessageRecord], now: datetime) -> bool:
    """Rebuild the workbook at ``cfg.paths.tally``; False (and logged) when it cannot be replaced."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = SHEET_SUMMARY
    deadline = _local(cfg.campaign.deadline, cfg)
    preface = [[cfg.campaign.name], [f"Hạn nộp: {deadline:%H:%M ngày %d/%m/%Y}",
                                     f"Cập nhật lúc: {_local(now, cfg):%H:%M ngày %d/%m/%Y}"]]
    dossiers = assess_all(records, cfg)
    _fill_sheet(summary, summary_rows(cfg, dossiers), preface=preface, status_column="Trạng thái")
    for title, rows in ((SHEET_NOMINEES, nominee_rows(cfg, dossiers)), (SHEET_MESSAGES, message_rows(cfg, records)),
                        (SHEET_REVIEW, review_rows(cfg, records))):
        _fill_sheet(workbook.create_sheet(title), rows)
    target = cfg.paths.tally
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.xlsx")
    try:
        workbook.save(tmp)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        log.error("tally %s not replaced (%s): is it open in Excel? It is rewritten at the next cycle.", target, exc)
        return False
    return True


def _fill_sheet(sheet, rows: list[list[Cell]], preface: Sequence[Sequence[str]] = (),  # type: ignore[no-untyped-def]
                status_column: str = "") -> None:
    for line in preface:
        sheet.append([safe_text(v) for v in line])
    if preface:
        sheet.append([])
    header_row = len(preface) + 2 if preface else 1  # append([]) writes no cell, so max_row lags
    for offset, row in enumerate(rows):  # rows by index: sheet.max_row scans every cell (quadratic)
        for column, value in enumerate(row, 1):
            _put(sheet.cell(row=header_row + offset, column=column), value)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if len(rows) > 1:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(rows[0]))}{header_row + len(rows) - 1}"
    _widths(sheet, rows)
    if status_column:
        _colour_status(sheet, rows, header_row, rows[0].index(status_column) + 1)


def _put(cell, value: Cell) -> None:  # type: ignore[no-untyped-def]
    value = safe_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    elif isinstance(value, datetime):
        cell.number_format = "dd/mm/yyyy hh:mm"


def _widths(sheet, rows: list[list[Cell]]) -> None:  # type: ignore[no-untyped-def]
    for column in range(1, len(rows[0]) + 1):
        longest = max((len(str(r[column - 1])) for r in rows if column - 1 < len(r) and r[column - 1]), default=4)
        sheet.column_dimensions[get_column_letter(column)].width = max(6, min(48, longest + 2))


def _colour_status(sheet, rows: list[list[Cell]], header_row: int, column: int) -> None:  # type: ignore[no-untyped-def]
    for offset, row in enumerate(rows[1:], 1):
        text = str(row[column - 1])
        colour = "green" if text == "Đủ hồ sơ" else "red" if ("Vượt" in text or "muộn" in text) else "amber"
        sheet.cell(row=header_row + offset, column=column).fill = PatternFill("solid", fgColor=_FILL[colour])

