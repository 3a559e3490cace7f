"""The workbook as a way in: decision cells read back (read-only) before each rewrite, turned into the
same decision records as the command line, then the workbook rewritten to show what became of them.

A cell is applied once: its origin (sheet, row key, text) is stored with the decision, and a cell
whose origin is already known is skipped. A cell that cannot be applied is not stored; it stays in
the workbook with the reason beside it, and is tried again at each rewrite (it may be fixed, or the
unit id added). Who decided: the workbook's «last modified by» (the person whose Excel saved it),
else «bảng tính».
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from bot.app import decided
from bot.app.context import StaffContext
from bot.core.decision_checks import prepare
from bot.core.decisions import StaffDecision
from bot.core.picture import build
from bot.state.ledger import Ledger
from bot.workbook import decision_cells
from bot.workbook.decision_cells import WORKBOOK_WHO, DecisionCell, Undo
from bot.workbook.decision_view import DecisionView
from bot.workbook.staff_notes import last_modified_by, read_notes
from bot.workbook.tally import WRITER, build_sheets, office_lock, write_workbook

log = logging.getLogger(__name__)
_STAMP = "tally_file"      # meta: size and mtime of the workbook as mailbot last wrote it
TALLY_REFRESH = timedelta(hours=1)


def rewrite(ctx: StaffContext, now: datetime, force: bool = True, read_cells: bool = True) -> bool:
    """Read the decision cells, then rebuild the workbook; a poll (``force=False``) skips both while the
    ledger is unchanged, the last write is recent and nobody saved the workbook since."""
    ledger, target = ctx.ledger, ctx.base_cfg.paths.tally
    if not force and _tally_fresh(ledger, target, now) and not _saved_by_staff(ledger, target):
        return True
    problems = read_workbook(ctx, now) if read_cells else {}
    generation = ledger.generation()
    picture = ctx.picture()
    view = DecisionView(picture.decisions, picture.stored, problems)
    written = write_workbook(picture, now, view)
    if written:
        ledger.set_meta("tally", f"{generation} {now.isoformat()}")
        ledger.set_meta(_STAMP, _file_stamp(target))
        ledger.decisions.mark_cleared(view.cleared())
    return written


def _tally_fresh(ledger: Ledger, target: Path, now: datetime) -> bool:
    built, _, stamp = (ledger.meta("tally") or "").partition(" ")
    if not stamp or built != str(ledger.generation()) or not target.exists():
        return False
    return now - datetime.fromisoformat(stamp) < TALLY_REFRESH


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
        who = last_modified_by(target, (WRITER, "openpyxl")) or WORKBOOK_WHO
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
            problems[(cell.sheet, cell.key)] = problem
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
            return "không có quyết định nào để huỷ ở dòng này (nothing to undo)"
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
