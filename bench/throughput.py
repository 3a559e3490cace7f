"""Throughput: `mailbot poll` on N unit emails with 3 attachments each, against the floor.

The floor, measured in the same run as a fresh process before and after the poll, is what any
bot must do on one core: imapclient fetching the same messages (same batch size) + the stdlib
decoding the MIME parts + the parsers reading the same attachments bare, one after another.
Two variants, each against its own floor:

- text: N messages of text documents (docx/xlsx). Target with the worker pool: poll <= 0.75 x floor.
- scans: M messages of which a third carry a scanned two-page PDF (Tesseract). Target <= 0.65 x floor.

    .venv/bin/python bench/throughput.py [--variant both|text|scans] [--messages 1000]
        [--scan-messages 60] [--workers 0] [--profile] [--rounds 1]

``--workers`` sets limits.document_workers for the poll (0: one per core; 1: the single-worker bot).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from _setup import REPO, Dovecot, bot_config, run_python, timed_poll

from tests.load_samples import append_all, scan_heavy_emails, unit_emails

FLOOR = """
import email, email.policy, ssl, sys
from imapclient import IMAPClient
import parsers
host, port, user, password, cafile = sys.argv[1:6]
client = IMAPClient(host, port=int(port), ssl=False, timeout=60)
client.starttls(ssl.create_default_context(cafile=cafile))
client.login(user, password)
client.select_folder("INBOX", readonly=True)
uids = client.search(["ALL"])
documents = 0
for start in range(0, len(uids), 10):
    batch = uids[start:start + 10]
    for item in client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"]).values():
        message = email.message_from_bytes(item[b"BODY[]"], policy=email.policy.default)
        for part in message.iter_attachments():
            try:
                parsers.extract(part.get_filename() or "", part.get_payload(decode=True))
            except parsers.DocumentError:
                pass
            documents += 1
client.logout()
print(len(uids), documents)
"""
VARIANTS: dict[str, tuple[Callable[[int], list[tuple[bytes, datetime]]], float]] = {
    "text": (lambda count: unit_emails(count, attachments=3), 0.75),
    "scans": (scan_heavy_emails, 0.65),
}


def measure(dovecot: Dovecot, tmp: Path, variant: str, count: int, workers: int, profile: bool,
            rounds: int = 1) -> str:
    """One variant: append, then floor, (poll, floor) ``rounds`` times; the summary line. Each poll is set
    against the mean of the floors just before and just after it: a VM's speed drifts between minutes,
    so more rounds give a steadier figure."""
    build, target = VARIANTS[variant]
    account = dovecot.create_account(f"throughput{variant}")
    started = time.perf_counter()
    append_all(account, build(count))
    print(f"[{variant}] {count} messages appended in {time.perf_counter() - started:.1f} s")
    floor_args = ["-c", FLOOR, account.host, str(account.port), account.user, account.password, account.cafile]
    floor_before, proc = run_python(floor_args, account, REPO)
    print(f"[{variant}] floor (fetch + MIME + parsers, one process): {floor_before:.1f} s  [{proc.stdout.strip()}]")
    polls: list[float] = []
    floors: list[float] = []
    for number in range(1, rounds + 1):
        config = bot_config(tmp / f"{variant}{number}", account, f"document_workers = {workers}\n")
        if profile and number == 1:
            stats = tmp / f"{variant}.prof"
            poll, _ = run_python(["-m", "cProfile", "-o", str(stats), "-m", "bot", "--config", str(config), "poll"],
                                 account, config.parent)
            _print_profile(stats)
        else:
            poll, proc = timed_poll(config, account)
            print(f"[{variant}] {proc.stdout.strip()}")
        floor_after, _ = run_python(floor_args, account, REPO)
        floor = (floor_before + floor_after) / 2
        polls.append(poll)
        floors.append(floor)
        print(f"[{variant}] round {number}: poll {poll:.1f} s, floor again {floor_after:.1f} s, floor used"
              f" {floor:.1f} s: {poll / floor:.2f} x")
        floor_before = floor_after
    poll, floor = sum(polls) / rounds, sum(floors) / rounds
    each = ", ".join(f"{one / under:.2f}" for one, under in zip(polls, floors, strict=True))
    spread = f" (rounds: {each})" if rounds > 1 else ""
    return (f"{variant:<5} {count:>5} messages: mailbot poll {poll:7.1f} s = {poll / floor:.2f} x the single-process"
            f" floor ({floor:.1f} s; target <= {target}), {count / poll:.1f} messages/s{spread}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", choices=("both", *VARIANTS), default="both")
    parser.add_argument("--messages", type=int, default=1000, help="messages of the text variant")
    parser.add_argument("--scan-messages", type=int, default=60, help="messages of the scan-heavy variant")
    parser.add_argument("--workers", type=int, default=0, help="limits.document_workers (0: one per core)")
    parser.add_argument("--profile", action="store_true", help="run the poll under cProfile, print the top functions")
    parser.add_argument("--rounds", type=int, default=1, help="polls per variant, each between two floors (a steadier"
                        " figure on a machine whose speed drifts)")
    args = parser.parse_args()
    variants = list(VARIANTS) if args.variant == "both" else [args.variant]
    counts = {"text": args.messages, "scans": args.scan_messages}
    cores = len(os.sched_getaffinity(0))
    print(f"{cores} core(s); load average {os.getloadavg()[0]:.2f} (run on a quiet machine)")
    with Dovecot() as dovecot, tempfile.TemporaryDirectory() as tmp:
        dovecot.start()
        lines = [measure(dovecot, Path(tmp), variant, counts[variant], args.workers, args.profile,
                         max(1, args.rounds))
                 for variant in variants]
    print(f"\nworkers: {args.workers or 'one per core'}")
    print("\n".join(lines))


def _print_profile(path: Path) -> None:
    import pstats

    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
