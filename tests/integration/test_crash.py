"""Crash safety: `mailbot poll` killed with SIGKILL at random moments, then restarted.

The same mailbox is processed twice on Dovecot: once without interruption (the reference) and
once by polls killed at seeded random points (after a random number of recorded messages, or
while sending and writing the workbook) until one finally runs to its end. Afterwards
every message is in the ledger exactly once with the reference's outcome, every acknowledgement
reached the SMTP server once and sits in outbox/sent/, and the workbook holds the same cells.

The one tolerated exception is the documented SMTP window (docs/developer.md, "State, safety and
delivery"): a kill after the server accepted a reply and before the file moved to sent/
resends that same file, with the same Message-ID and bytes. The test allows at most one such
copy per kill and prints how often it happened.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.harness import (
    Rows,
    Setup,
    ledger_rows,
    make_config,
    ok,
    parse_sent,
    queued_for,
    run_mailbot,
    start_mailbot,
)
from tests.load_samples import append_all, mixed_mailbox, workbook_values
from tests.mailservers import Dovecot, ImapAccount, SmtpSink

SMTP_USER, SMTP_PASSWORD = "bot@example.org", "app-password"
LIMITS = "[limits]\nreplies_per_sender_per_hour = 1000\n"
_accounts = iter(range(1, 10_000))


@dataclass
class Outcome:
    rows: list[tuple[object, ...]]
    documents: list[tuple[object, ...]]
    workbook: dict[str, list[tuple[object, ...]]]
    deliveries: Counter[str]
    kills: int = 0


def _account(dovecot: Dovecot, label: str) -> ImapAccount:
    dovecot.start()
    return dovecot.create_account(f"crash{label}{next(_accounts)}", password="secret")


def _ledger(setup: Setup) -> tuple[Rows, Rows]:
    return ledger_rows(setup, "uid, message_id, digest, outcome, unit_id, counted, findings, reply, attempts, withheld",
                       "d.filename, d.kind, d.status, d.sha256, d.archive_path")


def _recorded(setup: Setup) -> int:
    path = setup.root / "state" / "mailbot.sqlite3"
    if not path.exists():
        return 0
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT count(*) FROM messages").fetchone()[0])
    except sqlite3.OperationalError:  # killed before the schema was created
        return 0
    finally:
        db.close()


def _deliveries(sink: SmtpSink) -> Counter[str]:
    return Counter(str(parse_sent(message)["Message-ID"]) for message in sink.messages)


def _collect(setup: Setup, sink: SmtpSink, kills: int = 0) -> Outcome:
    rows, documents = _ledger(setup)
    return Outcome(rows, documents, workbook_values(setup.tally), _deliveries(sink), kills)


def _uninterrupted(tmp: Path, dovecot: Dovecot, messages: list[tuple[bytes, object]]) -> Outcome:
    account = _account(dovecot, "ref")
    append_all(account, messages)  # type: ignore[arg-type]
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink:
        setup = make_config(tmp / "reference", account, sink, LIMITS)
        ok(run_mailbot(setup, "poll"))
        return _collect(setup, sink)


def _kill_at(proc: subprocess.Popen[str], setup: Setup, target: int, delay: float) -> bool:
    """SIGKILL ``proc`` once ``target`` messages are recorded (then after ``delay`` more seconds, which
    lands in the send or workbook phase when ``target`` is past the last message); False if it ended first."""
    deadline = None
    while proc.poll() is None:
        if deadline is None and _recorded(setup) >= target:
            deadline = time.monotonic() + delay
        if deadline is not None and time.monotonic() >= deadline:
            proc.kill()  # SIGKILL, by our own handle
            return True
        time.sleep(0.01)
    return False


def _killed_repeatedly(tmp: Path, dovecot: Dovecot, messages: list[tuple[bytes, object]], runs: int,
                       seed: int) -> tuple[Outcome, Setup]:
    """``runs`` polls, each SIGKILLed at a seeded random point of its work, then a last full poll."""
    account = _account(dovecot, "kill")
    append_all(account, messages)  # type: ignore[arg-type]
    rng = random.Random(seed)
    kills, progress = 0, [0]
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink:
        setup = make_config(tmp / "killed", account, sink, LIMITS)
        for run in range(runs):
            proc = start_mailbot(setup, "poll")
            step = max(1, 2 * (len(messages) - progress[-1]) // (runs - run))  # spread the work over the runs
            target = progress[-1] + rng.randint(1, step)
            late = target >= len(messages)  # the last message: kill while sending or writing the workbook
            kills += _kill_at(proc, setup, min(target, len(messages)), rng.uniform(0.05, 1.0) if late else 0)
            proc.communicate(timeout=60)
            progress.append(_recorded(setup))
        print(f"\nmessages recorded after each killed poll: {progress[1:]}")
        ok(run_mailbot(setup, "poll"))
        return _collect(setup, sink, kills), setup


def _check(reference: Outcome, killed: Outcome, setup: Setup, count: int) -> None:
    uids = [row[0] for row in killed.rows]
    assert uids == [str(uid) for uid in range(1, count + 1)], "every message recorded exactly once"
    assert killed.rows == reference.rows, "same outcome, findings and reply for every message"
    assert killed.documents == reference.documents
    assert killed.workbook == reference.workbook, "workbook cells equal to the uninterrupted run's"
    queued = {name for row in killed.rows for name in queued_for(row[2], row[6], row[7])}
    assert queued, "the mix must produce replies, or the test proves nothing"
    assert {p.name for p in setup.outbox_files("sent")} == queued
    assert not setup.outbox_files("pending") and not setup.outbox_files("failed")
    assert set(killed.deliveries) == set(reference.deliveries)
    assert sum(reference.deliveries.values()) == len(queued)
    extra = sum(killed.deliveries.values()) - len(killed.deliveries)
    print(f"\n{count} messages, {killed.kills} SIGKILLs, {len(queued)} replies, "
          f"{extra} resent in the SMTP acceptance window")
    assert extra <= killed.kills, f"more duplicates than kills: {killed.deliveries.most_common(3)}"


def _scenario(tmp: Path, dovecot: Dovecot, count: int, runs: int, seed: int) -> None:
    messages = mixed_mailbox(count, seed)
    reference = _uninterrupted(tmp, dovecot, messages)
    killed, setup = _killed_repeatedly(tmp, dovecot, messages, runs, seed)
    assert killed.kills >= runs // 2, "most polls must really be killed mid-way"
    _check(reference, killed, setup, count)


def test_sigkilled_polls_lose_and_repeat_nothing(tmp_path: Path, dovecot: Dovecot) -> None:
    """Short variant for the default suite: 30 messages, 4 polls killed at random moments."""
    _scenario(tmp_path, dovecot, count=30, runs=4, seed=6)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [61, 62])
def test_sigkilled_polls_on_200_messages(tmp_path: Path, dovecot: Dovecot, seed: int) -> None:
    """Long variant (`-m slow`): 200 messages, 20 seeded random kills, per seed."""
    _scenario(tmp_path, dovecot, count=200, runs=20, seed=seed)
