"""The ``mailbot`` command: poll, run, status, tally, export, remind, digest, send, check, and the staff
decisions (bot/app/decide.py); see README.md and docs/operations.md."""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app import decide, decided
from bot.app.context import StaffContext
from bot.app.pipeline import Runner
from bot.config import schema as config_module
from bot.config.schema import Config
from bot.core.status_table import status_lines
from bot.core.views import status_object
from bot.errors import AlreadyRunning, ConfigError, DeliveryError, SourceError, StateUnreadable
from bot.state.ledger import Ledger
from bot.state.lock import exclusive
from bot.transport.inbox import open_sources
from bot.transport.outbox import Outbox

EXIT_OK, EXIT_UNREACHABLE, EXIT_CONFIG, EXIT_BUSY, EXIT_STATE = 0, 1, 2, 3, 4
EXIT_CODES = """exit codes / mã thoát:
  0  done / đã chạy xong (a poll that met bad messages still exits 0: they wait for staff review)
  1  the mailbox or SMTP server cannot be reached / không kết nối được hộp thư hoặc máy chủ gửi thư
     (staff decisions: the decision cannot be applied, with the reason)
  2  the config cannot be used / tệp cấu hình sai (one line per problem)
  3  another mailbot works on this state folder / một mailbot khác đang chạy trên thư mục trạng thái này
  4  the state file is damaged or missing while earlier work is on disk: nothing was changed; restore a
     copy from state/backups/ (docs/operations.md: Backups and restore) / tệp trạng thái hỏng hoặc bị mất: không thay
     đổi gì; khôi phục bản sao trong state/backups/"""
log = logging.getLogger("mailbot")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        cfg = config_module.load(Path(args.config))
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_CONFIG
    command: Callable[[Config, argparse.Namespace], int] = args.handler
    try:
        return command(cfg, args)
    except AlreadyRunning as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except StateUnreadable as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        return EXIT_STATE
    except sqlite3.DatabaseError as exc:  # damage found after the state was opened (not "locked": Operational)
        if isinstance(exc, sqlite3.OperationalError):
            raise
        print(f"mailbot: tệp trạng thái {cfg.paths.state} bị hỏng ({exc}); khôi phục bản sao trong "
              f"{cfg.paths.backups}.\nmailbot: the state file {cfg.paths.state} is damaged ({exc}); restore a "
              f"copy from {cfg.paths.backups}.", file=sys.stderr)
        return EXIT_STATE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mailbot", description="Commendation-dossier inbox bot.",
                                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="config.toml", help="config file (default ./config.toml)")
    parser.add_argument("-v", "--verbose", action="store_true")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("poll", help="one cycle: fetch, process, reply, send, tally").set_defaults(handler=cmd_poll)
    commands.add_parser("run", help="poll on a schedule and send reminders").set_defaults(handler=cmd_run)
    status = commands.add_parser("status", help="each unit's dossier")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)
    commands.add_parser("tally", help="rewrite the workbook").set_defaults(handler=cmd_tally)
    export = commands.add_parser("export", help="write the nominee list as a decision annex (.docx)")
    export.add_argument("--output", default=None, help="file to write (default: export.output of the config)")
    export.set_defaults(handler=cmd_export)
    remind = commands.add_parser("remind", help="send the reminders due now")
    remind.add_argument("--now", type=decide.moment, default=None, help="ISO-8601 time to act as (default: the clock)")
    remind.add_argument("--dry-run", action="store_true")
    remind.set_defaults(handler=cmd_remind)
    digest = commands.add_parser("digest", help="send the staff digest now, outside its schedule")
    digest.add_argument("--now", type=decide.moment, default=None, help="ISO-8601 time to act as (default: the clock)")
    digest.add_argument("--dry-run", action="store_true")
    digest.set_defaults(handler=cmd_digest)
    commands.add_parser("send", help="send what waits in the outbox").set_defaults(handler=cmd_send)
    commands.add_parser("check", help="validate the config and log in to IMAP and SMTP").set_defaults(handler=cmd_check)
    web = commands.add_parser("web", help="serve the staff console (also while `run` works)")
    web.add_argument("--listen", default=None, metavar="HOST:PORT", help="default: [web] listen, else 127.0.0.1:8080")
    web.set_defaults(handler=cmd_web)
    link = commands.add_parser("web-link", help="print a one-time sign-in link for a staff address")
    link.add_argument("address")
    link.add_argument("--base", default="", help="the console's address (default: [web] public_url)")
    link.set_defaults(handler=cmd_web_link)
    decide.register(commands)
    return parser


def _now() -> datetime:
    return datetime.now(UTC)


def _runner(cfg: Config) -> Runner:
    return Runner(cfg, Ledger.of(cfg.paths), Outbox(cfg.paths.outbox))


def cmd_poll(cfg: Config, args: argparse.Namespace) -> int:
    with exclusive(cfg.paths.state_dir):
        runner = _runner(cfg)
        try:
            report = runner.poll_all(open_sources(cfg.mailbox, spool_dir=cfg.paths.state_dir / "spool"), _now())
        except SourceError as exc:
            print(f"mailbot: cannot read the mailbox: {exc}", file=sys.stderr)
            return EXIT_UNREACHABLE
        finally:
            runner.ledger.close()
    print(f"poll: {report.line()}; tally: {_tally_words(report.tally, cfg.paths.tally)}; outbox: {cfg.paths.outbox}")
    return EXIT_OK


def cmd_run(cfg: Config, args: argparse.Namespace) -> int:
    from bot.app.checks import template_check
    from bot.app.schedule import Service, log_to_file

    templates = template_check(cfg)
    if templates.startswith("FAIL"):
        print(f"mailbot: {templates}", file=sys.stderr)
        return EXIT_CONFIG
    with exclusive(cfg.paths.state_dir):
        log_to_file(cfg)
        runner = _runner(cfg)
        runner.keep_workers = True
        console = _console_beside_run(cfg)
        try:
            Service(cfg, runner).run()
        finally:
            if console is not None:
                console.stop()
            runner.pool.close()
            runner.ledger.close()
    return EXIT_OK


def _console_beside_run(cfg: Config) -> Any:
    """The staff console on a thread of ``run`` when ``[web] listen`` is set."""
    if not cfg.web.serve_with_run:
        return None
    from bot.web.serve import Background

    console = Background(cfg, freeze_gc=True)
    console.start()
    return console


def cmd_web(cfg: Config, args: argparse.Namespace) -> int:
    from bot.config.web import parse_listen
    from bot.web.serve import serve

    listen = parse_listen(args.listen) if args.listen else (cfg.web.host, cfg.web.port)
    if listen is None:
        print(f"mailbot: --listen {args.listen!r} is not HOST:PORT like 127.0.0.1:8080", file=sys.stderr)
        return EXIT_CONFIG
    if not cfg.web.staff:
        print("mailbot: nobody may sign in: set [web] staff or campaign.staff_emails", file=sys.stderr)
        return EXIT_CONFIG
    if not serve(cfg, *listen):
        print(f"mailbot: cannot serve on {listen[0]}:{listen[1]} (address in use?)", file=sys.stderr)
        return EXIT_UNREACHABLE
    return EXIT_OK


def cmd_web_link(cfg: Config, args: argparse.Namespace) -> int:
    from bot.web.serve import sign_in_link

    link = sign_in_link(cfg, args.address, args.base)
    if link is None:
        print(f"mailbot: {args.address} is not staff ([web] staff): no link", file=sys.stderr)
        return EXIT_UNREACHABLE
    print("Liên kết đăng nhập (dùng một lần, trong 15 phút):")
    print(link)
    return EXIT_OK


def cmd_status(cfg: Config, args: argparse.Namespace) -> int:
    ledger = Ledger.of(cfg.paths)
    try:
        picture = decided.picture(ledger, cfg)
    finally:
        ledger.close()
    if args.json:
        print(json.dumps(status_object(picture), ensure_ascii=False, indent=2))
        return EXIT_OK
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 1000  # piped: never cut
    print("\n".join(status_lines(picture, width)))
    return EXIT_OK


def cmd_export(cfg: Config, args: argparse.Namespace) -> int:
    from bot.workbook.export import export_annex

    ledger = Ledger.of(cfg.paths)
    try:
        picture = decided.picture(ledger, cfg)
    finally:
        ledger.close()
    try:
        done = export_annex(picture, Path(args.output) if args.output else None)
    except OSError as exc:
        print(f"mailbot: cannot write the export: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    print(f"export: {done.path}: {done.collectives} tập thể, {done.individuals} cá nhân, {done.units} đơn vị")
    return EXIT_OK


def cmd_tally(cfg: Config, args: argparse.Namespace) -> int:
    try:
        with exclusive(cfg.paths.state_dir):
            written = _tally(cfg, read_cells=True)
    except AlreadyRunning:  # `run` holds the lock: it reads the decision cells at its next poll
        written = _tally(cfg, read_cells=False)
    print(f"tally: {_tally_words(written, cfg.paths.tally)}")
    return EXIT_OK


def _tally_words(outcome: str, path: Path) -> str:
    """What became of the workbook, said plainly (a workbook Excel holds is not rewritten: say so)."""
    if outcome == "open":
        return f"{path} NOT rewritten: it is open in Excel or LibreOffice (lock file beside it); rewritten " \
               "at the first poll after it is closed"
    if outcome == "failed":
        return f"{path} NOT rewritten: it could not be read or replaced (see the log); retried at the next poll"
    return f"{path}" + (" (unchanged)" if outcome == "current" else "")


def _tally(cfg: Config, read_cells: bool) -> str:
    from bot.app import workbook_decisions

    ctx = StaffContext(cfg, Ledger.of(cfg.paths), Outbox(cfg.paths.outbox))
    try:
        return str(workbook_decisions.refresh(ctx, _now(), read_cells=read_cells))
    finally:
        ctx.ledger.close()


def cmd_remind(cfg: Config, args: argparse.Namespace) -> int:
    now = args.now or _now()
    with exclusive(cfg.paths.state_dir):
        runner = _runner(cfg)
        try:
            from bot.app.digest import digest_once
            from bot.app.summary import summary_once

            queued = runner.remind_once(now, dry_run=args.dry_run)
            staff = {"digest": digest_once(runner.context, now, dry_run=args.dry_run),
                     "summary": summary_once(runner.context, now, dry_run=args.dry_run)}
            for what, item in staff.items():
                if item is not None:
                    print(item if args.dry_run else f"queued staff {what} {item}")
            for item in queued:
                print(item if args.dry_run else f"queued {item}")
            if not args.dry_run and (queued or any(staff.values())):
                _send_now(runner)
        finally:
            runner.ledger.close()
    print(f"remind: {len(queued)} reminder(s) {'due' if args.dry_run else 'queued'} at {now.isoformat()}")
    return EXIT_OK


def cmd_digest(cfg: Config, args: argparse.Namespace) -> int:
    """The staff digest at once, outside its schedule (it does not take the day's scheduled one)."""
    from bot.app.digest import digest_now

    if not cfg.campaign.staff_emails:
        print("mailbot: campaign.staff_emails is empty: nobody to send the digest to", file=sys.stderr)
        return EXIT_CONFIG
    now = args.now or _now()
    with exclusive(cfg.paths.state_dir):
        runner = _runner(cfg)
        try:
            item = digest_now(runner.context, now, dry_run=args.dry_run)
            print(item if args.dry_run else f"queued staff digest {item}")
            if not args.dry_run:
                _send_now(runner)
        finally:
            runner.ledger.close()
    return EXIT_OK


def _send_now(runner: Runner) -> None:
    from bot.app.pipeline import PollReport

    report = PollReport()
    runner.send(report)
    if report.delivery_error:
        print(f"mailbot: mail waits in the outbox: {report.delivery_error}", file=sys.stderr)


def cmd_send(cfg: Config, args: argparse.Namespace) -> int:
    outbox = Outbox(cfg.paths.outbox)
    if cfg.smtp is None:
        print(f"send: no [smtp] section; {len(outbox.pending_files())} message(s) wait in {outbox.pending}")
        return EXIT_OK
    try:
        report = outbox.drain(cfg.smtp)
    except DeliveryError as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    print(f"send: {report.sent} sent, {report.deferred} deferred, {report.failed} failed")
    return EXIT_OK


def cmd_check(cfg: Config, args: argparse.Namespace) -> int:
    from bot.app.checks import run_checks

    problems = run_checks(cfg)
    for line in problems:
        print(line)
    return EXIT_OK if not any(line.startswith("FAIL") for line in problems) else EXIT_UNREACHABLE


if __name__ == "__main__":
    sys.exit(main())
