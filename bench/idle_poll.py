"""Idle poll: a poll that finds no new mail, on mailboxes of 100, 10,000 and 50,000 processed messages.

Messages are written as Maildir files straight into Dovecot's mail folder (not 50k APPENDs); the
ledger is filled as if every one had been processed, and the workbook written once. Then
`Runner.poll_once` runs in this process against Dovecot, counting the IMAP commands it sends.
Target: time and command count flat; the 50,000 case within 1.5 x the 100 case.

    .venv/bin/python bench/idle_poll.py [--sizes 100 10000 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import imaplib
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _setup import Dovecot, ImapAccount, bot_config

from bot.app.pipeline import Runner
from bot.config import schema as config_module
from bot.core.model import Outcome
from bot.state.ledger import Ledger
from bot.transport.inbox import ImapSource
from bot.transport.outbox import Outbox
from tests.load_samples import UNIT_EMAILS, UNITS
from tests.samples import eml

COMMANDS: list[bytes] = []
_original_new_tag = imaplib.IMAP4._new_tag


def _counting_new_tag(self: imaplib.IMAP4) -> bytes:
    """Every IMAP command, from imaplib or imapclient's raw commands, takes a new tag."""
    tag = _original_new_tag(self)
    COMMANDS.append(tag)
    return tag


def fill_maildir(account: ImapAccount, count: int) -> None:
    """One APPEND (so Dovecot creates the folder), then ``count - 1`` files written directly."""
    template = eml(sender=UNIT_EMAILS[UNITS[0]], subject="Ho so #0#", message_id="<#0#@bench.example>")
    account.append(template)
    folder = Path(account.dovecot.maildir(account.user))
    owner = folder.stat()
    stamp = int(time.time())
    for index in range(1, count):
        raw = template.replace(b"#0#", str(index).encode())
        path = folder / "new" / f"{stamp}.M{index}P1.bench"
        path.write_bytes(raw.replace(b"\r\n", b"\n"))
        os.chown(path, owner.st_uid, owner.st_gid)
    with account.connect() as client:  # Dovecot indexes the new files now, not during the measurement
        client.select_folder("INBOX", readonly=True)


def fill_ledger(runner: Runner, source: ImapSource) -> None:
    """Record every message of the folder as processed, in one transaction."""
    validity = source.open()
    uids = source._client.search(["ALL"])  # type: ignore[attr-defined]
    source.close()
    now = datetime.now(UTC).isoformat()
    rows = [(source.name, validity, str(uid), f"<{uid}@bench>", f"digest{uid}", now, UNIT_EMAILS[UNITS[uid % 8]],
             "", f"Hồ sơ {uid}", UNITS[uid % 8], 1, Outcome.ACCEPTED, "[]", "", now, 1) for uid in uids]
    with runner.ledger.transaction() as db:
        db.executemany("INSERT INTO messages (source, validity, uid, message_id, digest, received_at, from_addr,"
                       " from_name, subject, unit_id, counted, outcome, findings, reply, processed_at, attempts)"
                       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        runner.ledger.advance_cursor(source.name, validity, max(uids))
        db.execute("INSERT INTO meta VALUES ('generation', '1') ON CONFLICT (key) DO UPDATE SET value = value + 1")


def measure(dovecot: Dovecot, size: int, repeat: int, tmp: Path) -> dict[str, float]:
    account = dovecot.create_account(f"idle{size}")
    started = time.perf_counter()
    fill_maildir(account, size)
    fill_seconds = time.perf_counter() - started
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = account.password
    cfg = config_module.load(bot_config(tmp / f"bot{size}", account))
    runner = Runner(cfg, Ledger(cfg.paths.state), Outbox(cfg.paths.outbox))
    fill_ledger(runner, ImapSource(cfg.mailbox))
    started = time.perf_counter()
    runner.rewrite_tally(datetime.now(UTC))
    tally_seconds = time.perf_counter() - started
    times, commands = [], []
    for _ in range(repeat):
        COMMANDS.clear()
        started = time.perf_counter()
        report = runner.poll_once(ImapSource(cfg.mailbox), datetime.now(UTC))
        times.append(time.perf_counter() - started)
        commands.append(len(COMMANDS))
        assert report.examined == 0, report
    runner.ledger.close()
    return {"size": size, "seconds": statistics.median(times), "commands": statistics.median(commands),
            "fill_seconds": fill_seconds, "full_tally_seconds": tally_seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    imaplib.IMAP4._new_tag = _counting_new_tag  # type: ignore[method-assign]
    with Dovecot() as dovecot, tempfile.TemporaryDirectory() as tmp:
        dovecot.start()
        results = [measure(dovecot, size, args.repeat, Path(tmp)) for size in args.sizes]
    base = results[0]
    for result in results:
        print(json.dumps(result, ensure_ascii=False))
        print(f"{result['size']:>6} messages: idle poll {result['seconds'] * 1000:.0f} ms"
              f" = {result['seconds'] / base['seconds']:.2f} x the {base['size']} case (target <= 1.5),"
              f" {result['commands']:.0f} IMAP commands ({result['commands'] / base['commands']:.2f} x)")


if __name__ == "__main__":
    main()
