"""The decision commands: assign, ignore, receive, kind, nominee, decisions [--undo ID], and the use
cases they share with the staff console (bot/web): :func:`decide`, :func:`undo`.

A decision is one short SQLite write (WAL, busy timeout) that needs no state lock, so it works while
``mailbot run`` works (who: ``--by``, else the OS user; why: ``--why``). What follows a decision (the
acknowledgement an assigned message should have had, the tally, the outbox) is done at once only when
no poll holds the state lock; otherwise the running poll does it on its next cycle (the acknowledgement
is queued once per message, ever: bot/app/decided.py). Exit 0 when applied, 1 with a plain reason.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from bot.app import decided
from bot.app.context import StaffContext
from bot.config.schema import Config
from bot.core.decision_checks import prepare
from bot.core.decisions import DecisionKind, StaffDecision, line, message_ref
from bot.core.picture import Picture
from bot.errors import AlreadyRunning
from bot.state.ledger import Ledger
from bot.state.lock import exclusive
from bot.transport.outbox import Outbox
from parsers.nominees import NomineeKind

EXIT_OK, EXIT_REFUSED = 0, 1
log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    """Add the decision commands to the ``mailbot`` sub-command parser."""
    assign = _command(commands, "assign", "count MESSAGE for UNIT (acknowledged once)")
    assign.add_argument("message", help="Message-ID, with or without angle brackets")
    assign.add_argument("unit", help="unit id")
    assign.add_argument("--remember", action="store_true", help="the sender's address is the unit's from now on")
    ignore = _command(commands, "ignore", "stop counting MESSAGE")
    ignore.add_argument("message")
    receive = _command(commands, "receive", "ITEM of UNIT reached the office another way (paper, by hand)")
    receive.add_argument("unit")
    receive.add_argument("item", help="dossier item id, e.g. bien_ban")
    receive.add_argument("--on", default=None, help="the day it arrived: YYYY-MM-DD or DD/MM/YYYY (default today)")
    receive.add_argument("--note", default="", help="how it came, e.g. 'bản giấy qua Ban CSPL&QHLĐ'")
    kind = _command(commands, "kind", "FILENAME of MESSAGE is dossier item ITEM (or 'other')")
    kind.add_argument("message")
    kind.add_argument("filename")
    kind.add_argument("item")
    nominee = _command(commands, "nominee", "correct a nominee of UNIT: --name NEW | --kind K | --remove")
    nominee.add_argument("unit")
    nominee.add_argument("name", help="the name as the list gives it (accents and case do not matter)")
    change = nominee.add_mutually_exclusive_group(required=True)
    change.add_argument("--name", dest="new_name", default="", help="the corrected name")
    change.add_argument("--kind", dest="new_kind", default=None, type=NomineeKind, choices=list(NomineeKind))
    change.add_argument("--remove", action="store_true", help="not in the list")
    settle = _command(commands, "settle", "a review item of MESSAGE was handled (a question answered, a request "
                                          "weighed): it leaves the queue, nothing counted changes")
    settle.add_argument("message")
    settle.add_argument("--reason", dest="item", default="", metavar="REASON",
                        help="only the item with this reason code (status --json); default: every item of MESSAGE")
    listing = commands.add_parser("decisions", help="list the decisions (ID first); --undo ID undoes one")
    listing.add_argument("--undo", type=decision_id, default=None, metavar="ID", help="the ID, as 3 or #3")
    listing.add_argument("--by", default=None, help="who undoes (default: the OS user)")
    listing.add_argument("--now", type=moment, default=None, help="ISO-8601 time of the undo (default: now)")
    listing.set_defaults(handler=cmd_decisions)


def _command(commands: Any, name: str, text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=text)
    parser.add_argument("--why", default="", help="why (kept with the decision)")
    parser.add_argument("--by", default=None, help="who decides (default: the OS user)")
    parser.add_argument("--now", type=moment, default=None, help="ISO-8601 time of the decision (default: now)")
    parser.set_defaults(handler=cmd_decide, kind=name)
    return parser


def decision_id(text: str) -> int:
    """A decision's ID as ``mailbot decisions`` prints it (``#3``) or bare (``3``)."""
    try:
        return int(text.strip().removeprefix("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"mã quyết định «{text}» không hợp lệ: ví dụ 3 hoặc #3") from None


def moment(text: str) -> datetime:
    """An ISO-8601 time; without a zone it is UTC."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO-8601 time like 2020-12-17T08:00:00+07:00") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _who(args: argparse.Namespace) -> str:
    if args.by:
        return str(args.by)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "dòng lệnh"


def _day(text: str | None) -> date | None:
    if not text:
        return None
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text.strip())
        except ValueError:
            continue
    raise ValueError(f"ngày «{text}» không hợp lệ: YYYY-MM-DD hoặc DD/MM/YYYY (bad date)")


def _decision(args: argparse.Namespace, now: datetime) -> StaffDecision:
    kind = DecisionKind.KIND if args.kind == "kind" else DecisionKind(args.kind)
    fields: dict[str, Any] = {"kind": kind, "by": _who(args), "at": now, "why": args.why}
    for name in ("unit", "item", "filename", "name", "new_name", "new_kind", "remove", "remember", "note"):
        if hasattr(args, name) and getattr(args, name) not in (None, ""):
            fields["unit_id" if name == "unit" else name] = getattr(args, name)
    if getattr(args, "message", None):
        fields["message_id"] = message_ref(args.message)
    if kind == DecisionKind.RECEIVE:
        fields["on"] = _day(args.on)
    return StaffDecision(**fields)


@dataclass(slots=True)
class FollowUp:
    """What came after a decision: done now (``done``), or left to the running poll's next cycle."""

    done: bool = False
    acknowledgements: list[str] = field(default_factory=list)
    tally_written: bool = True
    delivery_error: str = ""


def decide(cfg: Config, ledger: Ledger, decision: StaffDecision,
           picture: Picture | None = None) -> StaffDecision | str:
    """Check and store one decision (no state lock needed); a plain reason when it cannot be applied.
    The same decision as an active one is not stored again: that one is returned. ``picture``: the caller's
    current picture of this ledger (the console keeps one), instead of building it again."""
    picture = picture or decided.picture(ledger, cfg)
    checked = prepare(decision, picture.cfg, list(picture.records))
    if isinstance(checked, str):
        return checked
    same = next((d for d in picture.active_decisions if d.same_as(checked)), None)
    return same if same is not None else ledger.decisions.add(checked)


def undo(ledger: Ledger, decision_id: int, who: str, now: datetime) -> StaffDecision | None:
    """Undo one active decision (no state lock needed); None when there is no such active decision."""
    return ledger.decisions.undo(decision_id, who, now)


def follow_up(cfg: Config, now: datetime, *, send: bool = True) -> FollowUp:
    """The acknowledgements owed, the tally and the outbox, when no poll holds the state lock; else
    nothing (``done`` False): the running poll does the same on its next cycle."""
    try:
        with exclusive(cfg.paths.state_dir):
            ctx = StaffContext(cfg, Ledger.of(cfg.paths), Outbox(cfg.paths.outbox))
            try:
                return _follow_up(ctx, now, send)
            finally:
                ctx.ledger.close()
    except AlreadyRunning:
        return FollowUp(done=False)


def _follow_up(ctx: StaffContext, now: datetime, send: bool) -> FollowUp:
    from bot.app import workbook_decisions  # openpyxl: loaded only when a decision was made

    done = FollowUp(done=True)
    done.acknowledgements = decided.late_acknowledgements(ctx.ledger, ctx.outbox, ctx.config(), now)
    done.tally_written = workbook_decisions.rewrite(ctx, now)
    if send:
        done.delivery_error = ctx.send().error
    return done


def _print_follow_up(cfg: Config, done: FollowUp) -> None:
    if not done.done:
        print("mailbot run đang chạy: thư báo nhận và bảng tổng hợp được cập nhật ở lượt sau"
              " (a running poll applies it on its next cycle)")
        return
    for name in done.acknowledgements:
        print(f"queued acknowledgement {name}")
    if not done.tally_written:
        print(f"tally: could not replace {cfg.paths.tally} (open?); rewritten at the next poll")
    if done.delivery_error:
        print(f"mailbot: the acknowledgement waits in the outbox: {done.delivery_error}", file=sys.stderr)


def cmd_decide(cfg: Config, args: argparse.Namespace) -> int:
    now = args.now or datetime.now(UTC)
    try:
        decision = _decision(args, now)
    except ValueError as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    ledger = Ledger.of(cfg.paths)
    try:
        before = {d.id for d in ledger.decisions.active()}
        stored = decide(cfg, ledger, decision)
        records = ledger.records()
    finally:
        ledger.close()
    if isinstance(stored, str):
        print(f"mailbot: {stored}", file=sys.stderr)
        return EXIT_REFUSED
    if stored.id in before:   # the same decision again: recorded once
        print(f"đã ghi nhận trước đó, không ghi lại: {line(stored, cfg, records)}")
        return EXIT_OK
    print(line(stored, cfg, records))
    _print_follow_up(cfg, follow_up(cfg, now))
    return EXIT_OK


def cmd_decisions(cfg: Config, args: argparse.Namespace) -> int:
    now = args.now or datetime.now(UTC)
    ledger = Ledger.of(cfg.paths)
    try:
        records = ledger.records()
        if args.undo is None:
            for decision in ledger.decisions.all():
                print(line(decision, cfg, records))
            return EXIT_OK
        undone = undo(ledger, args.undo, _who(args), now)
    finally:
        ledger.close()
    if undone is None:
        print(f"mailbot: không có quyết định đang áp dụng mã #{args.undo} (no such active decision)", file=sys.stderr)
        return EXIT_REFUSED
    print(line(undone, cfg, records))
    _print_follow_up(cfg, follow_up(cfg, now))
    return EXIT_OK
