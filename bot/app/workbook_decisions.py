"""The workbook as a way in: decision cells read back (read-only) before each rewrite, turned into the
same decision records as the command line, then the workbook rewritten to show what became of them.

A cell is applied once: its origin (sheet, row key, text) is stored with the decision, and a cell
whose origin is already known is skipped. A cell that cannot be applied is not stored; it stays in
the workbook with the reason beside it, and is tried again at each rewrite (it may be fixed, or the
unit id added). Who decided: the workbook's «last modified by» (the name the saving Excel put there,
which anyone can set: recorded as «<name> (tên trong tệp, chưa xác minh)»), else «bảng tính»; every
such decision is recorded as coming from the workbook.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import decided
from bot.app.context import StaffContext
from bot.core.decision_checks import prepare
from bot.core.decisions import StaffDecision
from bot.core.picture import Picture, build
from bot.state.ledger import Ledger
from bot.workbook import decision_cells
from bot.workbook.decision_cells import WORKBOOK_WHO, DecisionCell, Undo
from bot.workbook.decision_view import DecisionView
from bot.workbook.staff_notes import last_modified_by, read_notes
from bot.workbook.tally import WRITER, TallyWrite, build_sheets, mail_copy, office_lock, write_tally
from bot.workbook.wording import without_english

log = logging.getLogger(__name__)
_STAMP = "tally_file"      # meta: size and mtime of the workbook as mailbot last wrote it
_SENT_STAMP = "tally_sent"  # meta: the outbox's sent/ folder as it was at that write
UNVERIFIED = "tên trong tệp, chưa xác minh"
TALLY_REFRESH = timedelta(hours=1)   # an unchanged ledger's workbook is rewritten at least this often


def rewrite(ctx: StaffContext, now: datetime, force: bool = True, read_cells: bool = True) -> bool:
    """:func:`refresh`, True when the workbook is current (written now, or nothing changed)."""
    return refresh(ctx, now, force, read_cells) in (TallyWrite.WRITTEN, TallyWrite.CURRENT)


def refresh(ctx: StaffContext, now: datetime, force: bool = True, read_cells: bool = True) -> TallyWrite:
    """Read the decision cells, then rebuild the workbook; a poll (``force=False``) skips both while the
    ledger and the sent replies are unchanged, the last write is recent and nobody saved the workbook since."""
    ledger, target = ctx.ledger, ctx.base_cfg.paths.tally
    fresh = _tally_fresh(ledger, target, now) and (ledger.meta(_SENT_STAMP) or "") == _sent_stamp(ctx)
    if not force and fresh and not _saved_by_staff(ledger, target):
        return TallyWrite.CURRENT
    problems = read_workbook(ctx, now) if read_cells else {}
    generation, sent_stamp = ledger.generation(), _sent_stamp(ctx)
    picture = ctx.picture()
    view = DecisionView(picture.decisions, picture.stored, problems)
    written = write_tally(picture, now, view, sent_replies(ctx.outbox.sent))
    if written == TallyWrite.WRITTEN:
        ledger.set_meta("tally", f"{generation} {now.isoformat()}")
        ledger.set_meta(_STAMP, _file_stamp(target))
        ledger.set_meta(_SENT_STAMP, sent_stamp)
        ledger.decisions.mark_cleared(view.cleared())
    return written


def copy_for_mail(ctx: StaffContext, picture: Picture, now: datetime) -> bytes:
    """The workbook to attach to the staff digest or summary (after :func:`rewrite`): a read-only view of
    ``picture``."""
    view = DecisionView(picture.decisions, picture.stored, {})
    return mail_copy(picture, now, view, sent_replies(ctx.outbox.sent))


def _tally_fresh(ledger: Ledger, target: Path, now: datetime) -> bool:
    built, _, stamp = (ledger.meta("tally") or "").partition(" ")
    if not stamp or built != str(ledger.generation()) or not target.exists():
        return False
    return now - datetime.fromisoformat(stamp) < TALLY_REFRESH


def sent_replies(folder: Path) -> dict[str, datetime]:
    """Outbox file name -> when it reached ``sent/`` (right after the SMTP server accepted it: the file's
    change time, which the move sets)."""
    found: dict[str, datetime] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".eml"):
                    found[entry.name] = datetime.fromtimestamp(entry.stat().st_ctime, UTC)
    except OSError:
        return found
    return found


def _sent_stamp(ctx: StaffContext) -> str:
    try:
        return str(ctx.outbox.sent.stat().st_mtime_ns)
    except OSError:
        return ""


def _file_stamp(target: Path) -> str:
    try:
        stat = target.stat()
    except OSError:
        return ""
    return f"{stat.st_size} {stat.st_mtime_ns}"


def _saved_by_staff(ledger: Ledger, target: Path) -> bool:
    stamp = _file_stamp(target)
    return bool(stamp) and stamp != (ledger.meta(_STAMP) or "")


def read_workbook(ctx: StaffContext, now: datetime) -> dict[tuple[str, str], str]:
    """Apply the new decision cells; (sheet, row key) -> why a cell could not be applied."""
    target = ctx.base_cfg.paths.tally
    if not target.exists() or office_lock(target) is not None:
        return {}
    try:
        notes, _ = read_notes(target, build_sheets(build(ctx.config(), [], []), now))
        name = last_modified_by(target, (WRITER, "openpyxl"))
        who = f"{name} ({UNVERIFIED})" if name else WORKBOOK_WHO
    except Exception as exc:  # noqa: BLE001 - an unreadable file is write_workbook's to set aside
        log.warning("decision cells of %s not read: %s", target, exc)
        return {}
    cells = decision_cells.cells([(n.sheet, n.key, n.column, n.value) for n in notes])
    problems: dict[tuple[str, str], str] = {}
    applied = 0
    for cell in cells:
        if ctx.ledger.decisions.origin_pending(cell.origin):
            continue
        problem = _apply(ctx, cell, who, now)
        if problem:
            problem = problems[(cell.sheet, cell.key)] = without_english(problem)
            log.warning("workbook decision «%s» (%s) not applied: %s", cell.text, cell.sheet, problem)
        else:
            applied += 1
    if applied:
        decided.late_acknowledgements(ctx.ledger, ctx.outbox, ctx.config(), now)
    return problems


def _apply(ctx: StaffContext, cell: DecisionCell, who: str, now: datetime) -> str:
    ledger = ctx.ledger
    picture = ctx.picture()
    cfg, records = picture.cfg, list(picture.records)
    request = decision_cells.read(cell, cfg, records, who, now)
    if isinstance(request, str):
        return request
    if isinstance(request, Undo):
        targets = decision_cells.undo_target(request, ledger.decisions.active(), records)
        if not targets:
            return "không có quyết định nào để huỷ ở dòng này"
        for target in targets:
            ledger.decisions.undo(target.id, who, now, origin=cell.origin)
        return ""
    ready: list[StaffDecision] = []
    for decision in request:
        checked = prepare(decision, cfg, records)
        if isinstance(checked, str):
            return checked
        ready.append(checked)
    for decision in ready:
        stored = ledger.decisions.add(decision)
        log.info("workbook decision #%d by %s: %s", stored.id, who, cell.text)
    return ""
