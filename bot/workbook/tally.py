"""The tally workbook: a projection of the ledger, rebuilt whole each time (never load-modify-save).

Content comes from bot/workbook/content.py (pure), staff notes from bot/workbook/staff_notes.py, looks from
bot/workbook/styling.py. This module does the safe write: when the target is open in Excel or LibreOffice
(their lock file is beside it), read-only, or otherwise not replaceable, the poll goes on, the reason is
logged, and the workbook is rewritten at the next cycle. The new file is complete before it replaces the
old one (bot.state.files: temporary file in the same folder, fsync, rename; the old file's permissions
kept), so no partial workbook is ever seen.
"""

from __future__ import annotations

import io
import logging
import time
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from openpyxl import Workbook

from bot.config.schema import Config
from bot.core.picture import Picture
from bot.state.files import temporaries, write_atomic
from bot.workbook.content import (
    OPEN_WORD,
    SHEET_MESSAGES,
    SHEET_NOMINEES,
    SHEET_REVIEW,
    SHEET_SUMMARY,
    Deliveries,
    Sheet,
    message_sheet,
    nominee_sheet,
    review_sheet,
    summary_sheet,
)
from bot.workbook.decision_view import DecisionView, fill_results, history_sheet
from bot.workbook.dropdowns import add_choices
from bot.workbook.guide import SHEET_GUIDE, guide_sheet
from bot.workbook.staff_notes import SHEET_ORPHANS, apply_notes, orphan_sheet, read_notes
from bot.workbook.styling import render

__all__ = ["SHEET_GUIDE", "SHEET_MESSAGES", "SHEET_NOMINEES", "SHEET_ORPHANS", "SHEET_REVIEW", "SHEET_SUMMARY",
           "TallyWrite", "build_sheets", "mail_copy", "office_lock", "write_tally", "write_workbook"]

log = logging.getLogger(__name__)
LOCK_MAX_AGE_S = 12 * 3600      # an older owner file is left over from a crash: ignored
LOCK_CLOCK_SKEW_S = 300          # a share's clock may run a little ahead; a lock dated further ahead is bogus
STALE_TMP_S = 600               # our own temporary files older than this are leftovers of a crash
_OLD_TMP_SUFFIX = ".tmp.xlsx"
WRITER = "mailbot"              # the file's author and «last modified by» until a person saves it


def build_sheets(picture: Picture, now: datetime, view: DecisionView | None = None,
                 sent: Deliveries | None = None) -> list[Sheet]:
    """The sheets of the decided picture (bot/core/picture.py); ``view`` adds what shows the decisions,
    ``sent`` which replies the SMTP server accepted (the others are «Chờ gửi»)."""
    cfg, records = picture.cfg, picture.records
    sheets = [summary_sheet(picture, now), nominee_sheet(cfg, picture.dossiers, records),
              message_sheet(cfg, records, sent), review_sheet(picture)]
    if view is not None and view.decisions:
        sheets.append(history_sheet(view, cfg))
    return sheets


class TallyWrite(StrEnum):
    """What became of a rewrite of the workbook."""

    WRITTEN = "written"
    CURRENT = "current"        # nothing changed since the last write: left as it is
    OPEN = "open"              # Excel or LibreOffice holds it (lock file beside it): not rewritten
    FAILED = "failed"          # it could not be read or replaced (logged): not rewritten


def write_workbook(picture: Picture, now: datetime, view: DecisionView | None = None,
                   sent: Deliveries | None = None) -> bool:
    """Rebuild the workbook at ``cfg.paths.tally`` with the staff's notes; False (logged) when not replaced."""
    return write_tally(picture, now, view, sent) == TallyWrite.WRITTEN


def write_tally(picture: Picture, now: datetime, view: DecisionView | None = None,
                sent: Deliveries | None = None) -> TallyWrite:
    """Rebuild the workbook at ``cfg.paths.tally`` with the staff's notes, saying what became of it.

    ``view`` says which decision cells stay and what is written beside them (bot/workbook/decision_view.py);
    ``sent`` which replies went out, when.
    """
    cfg = picture.cfg
    target = cfg.paths.tally
    lock = office_lock(target)
    if lock is not None:
        log.warning("tally %s is open (%s): not rewritten now, retried at the next cycle", target, lock.name)
        return TallyWrite.OPEN
    sheets = _sheets_with_notes(picture, now, view, sent, set_aside=True)
    if sheets is None:
        return TallyWrite.FAILED
    return TallyWrite.WRITTEN if _save(_workbook(sheets, cfg), target) else TallyWrite.FAILED


def mail_copy(picture: Picture, now: datetime, view: DecisionView | None = None,
              sent: Deliveries | None = None, notice: str | None = None) -> bytes:
    """The workbook as a read-only view to attach to staff mail: the same sheets and notes, a line on
    top of Tổng hợp saying edits in it go nowhere, no drop-downs and no «Mở» links (they lead to files
    on the server)."""
    cfg = picture.cfg
    sheets = _sheets_with_notes(picture, now, view, sent, set_aside=False) or build_sheets(picture, now, view, sent)
    sheets[0].preface.insert(0, [notice or COPY_NOTICE])
    for sheet in sheets:
        _unlink(sheet)
    buffer = io.BytesIO()
    _workbook(sheets, cfg, choices=False).save(buffer)
    return buffer.getvalue()


COPY_NOTICE = ("BẢN SAO CHỈ ĐỂ XEM, gửi kèm thư: sửa hay chọn ở đây không có tác dụng. Quyết định trên "
               "trang quản lý của mailbot (hoặc nhờ người quản trị).")
DOWNLOAD_NOTICE = ("BẢN TẢI VỀ CHỈ ĐỂ XEM VÀ IN: sửa hay chọn ở đây không có tác dụng. Quyết định trên trang "
                   "quản lý của mailbot.")


def _unlink(sheet: Sheet) -> None:
    if not sheet.link_column:
        return
    index = sheet.header.index(sheet.link_column)
    for row in sheet.rows:
        row.link = ""
        if row.values[index] == OPEN_WORD:
            row.values[index] = None


def _sheets_with_notes(picture: Picture, now: datetime, view: DecisionView | None,
                       sent: Deliveries | None, *, set_aside: bool) -> list[Sheet] | None:
    """The sheets with the staff's notes and decision results put back; None when the live file cannot be
    read now (``set_aside``: a file that is no workbook is kept under another name, and we go on)."""
    cfg, records = picture.cfg, picture.records
    target = cfg.paths.tally
    sheets = build_sheets(picture, now, view, sent)
    try:
        notes, orphans = read_notes(target, sheets)
    except OSError as exc:
        log.error("tally %s cannot be read (%s): not rewritten now, retried at the next cycle", target, exc)
        return None
    except Exception as exc:  # noqa: BLE001 - whatever is wrong inside the staff's file, the poll goes on
        if not set_aside or not _set_aside(target, now, exc):
            return None
        notes, orphans = [], []
    if view is not None:
        notes, orphans = [n for n in notes if view.keep(n)], [n for n in orphans if view.keep(n)]
    left = apply_notes(sheets, notes, orphans)
    if view is not None:
        left = [n for n in left if view.orphan(n)]
        fill_results(sheets, view, records, cfg)
    if left:
        sheets.append(orphan_sheet(left))
        sheets[0].preface.append([f"Có {len(left)} ghi chú cũ không còn dòng: xem trang “{SHEET_ORPHANS}”."])
    return sheets


def office_lock(target: Path) -> Path | None:
    """The owner file Excel (``~$name``, or ``~$`` over the first two letters of a long name) or
    LibreOffice (``.~lock.name#``) keeps beside a file while it is open. One older than 12 hours, or dated
    in the future (a wrong clock, a copied folder), is stale: it would otherwise stop every rewrite."""
    for name in (f"~${target.name}", f"~${target.name[2:]}", f".~lock.{target.name}#"):
        candidate = target.with_name(name)
        try:
            if -LOCK_CLOCK_SKEW_S <= time.time() - candidate.stat().st_mtime < LOCK_MAX_AGE_S:
                return candidate
        except OSError:
            continue
    return None


def _set_aside(target: Path, now: datetime, exc: Exception) -> bool:
    """Keep a workbook we cannot read (it may hold notes) under another name rather than overwrite it."""
    kept = target.with_name(f"{target.stem}.khong-doc-duoc-{now:%Y%m%d-%H%M%S}{target.suffix}")
    try:
        target.replace(kept)
    except OSError as error:
        log.error("tally %s is not a readable workbook (%s) and cannot be set aside (%s)", target, exc, error)
        return False
    log.warning("tally %s was not a readable workbook (%s): kept as %s, written anew", target, exc, kept.name)
    return True


def _workbook(sheets: list[Sheet], cfg: Config, choices: bool = True) -> Workbook:
    workbook = Workbook()
    if workbook.active is not None:  # the empty sheet a new workbook starts with
        workbook.remove(workbook.active)
    for sheet in [*sheets, guide_sheet(cfg)]:
        render(workbook.create_sheet(sheet.title), sheet, cfg, choices)
    if choices:
        add_choices(workbook, sheets, cfg)
    workbook.properties.creator = workbook.properties.lastModifiedBy = WRITER
    return workbook


def _save(workbook: Workbook, target: Path) -> bool:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(target)
        write_atomic(target, workbook.save)
    except OSError as exc:
        log.error("tally %s not replaced (%s): is it open in Excel or read-only? Retried at the next cycle.",
                  target, exc)
        return False
    return True


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files of a write the machine never finished; also the ``.<stem>.*.tmp.xlsx`` of older versions."""
    for leftover in [*temporaries(target), *target.parent.glob(f".{target.stem}.*{_OLD_TMP_SUFFIX}")]:
        try:
            if time.time() - leftover.stat().st_mtime > STALE_TMP_S and leftover.is_file():
                leftover.unlink()
        except OSError:
            continue
