"""APPEND-to-reply latency of `mailbot run` with IMAP IDLE, against real Dovecot and aiosmtpd.

Appends N dossier mails one at a time (each after the previous reply arrived) and measures the
time from the APPEND returning to the reply reaching the SMTP sink. Prints the figures and the
ratio to the poll interval, i.e. what IDLE gains over waiting for the next poll. Bounded: N = 50
by default, each wait capped at 30 s (well under 3 minutes in all).

    .venv/bin/python bench/latency.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.harness import (
    ALL_UNITS,
    at,
    mailbox_section,
    make_config,
    start_mailbot,
    stop_mailbot,
    unit_mail,
    wait_until,
)
from tests.mailservers import Dovecot, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier

POLL_MINUTES = 5
STAFF = "vanphong.ldld@example.org"


def measure(count: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp, Dovecot() as dovecot, SmtpSink("bot@example.org", "pw") as sink:
        account = dovecot.create_account("bench")
        mailbox = mailbox_section(account, extra=f"poll_minutes = {POLL_MINUTES}\nidle = true\n")
        setup = make_config(Path(tmp), account, sink, "[limits]\nreplies_per_sender_per_hour = 1000\n",
                            mailbox=mailbox)
        proc = start_mailbot(setup, "run")
        try:
            if not wait_until(setup.tally.exists, timeout=30):
                raise SystemExit("mailbot run did not complete its first cycle")
            return [_one(account, sink, i) for i in range(count)]
        finally:
            stop_mailbot(proc)


def _one(account, sink: SmtpSink, index: int) -> float:  # type: ignore[no-untyped-def]
    unit = ALL_UNITS[index % len(ALL_UNITS)]
    stamp = at(10) + timedelta(minutes=index)
    raw = unit_mail(unit, full_dossier(SAMPLE_DOSSIERS[unit]), date=stamp, subject=f"Hồ sơ khen thưởng lần {index}")
    before = _replies(sink)
    account.append(raw, msg_time=stamp)
    began = time.monotonic()
    if not wait_until(lambda: _replies(sink) > before, timeout=30, interval=0.01):
        raise SystemExit(f"message {index}: no reply within 30 s")
    return time.monotonic() - began


def _replies(sink: SmtpSink) -> int:
    return sum(1 for m in sink.messages if m.rcpt_tos != (STAFF,))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    began = time.monotonic()
    times = sorted(measure(count))
    poll = POLL_MINUTES * 60
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"messages: {len(times)} (bench took {time.monotonic() - began:.0f} s)")
    print(f"APPEND -> reply at SMTP: median {statistics.median(times):.2f} s, mean {statistics.mean(times):.2f} s,"
          f" p95 {p95:.2f} s, max {times[-1]:.2f} s")
    print(f"as a fraction of the {poll} s poll interval: median {statistics.median(times) / poll:.4f},"
          f" p95 {p95 / poll:.4f}, max {times[-1] / poll:.4f}")
    print(f"polling alone would wait {poll / 2:.0f} s on average (half an interval): IDLE is"
          f" {poll / 2 / statistics.mean(times):.0f}x faster on average")


if __name__ == "__main__":
    main()
