"""Peak memory of `mailbot poll` fetching one message with a 50 MB attachment from Dovecot.

The poll runs as a subprocess; /proc is sampled every 5 ms for the resident memory of the poll
process and of everything below it (the document workers of bot/app/pool.py and the helpers they
start), separately and together. For scale, the
same poll is measured on an empty mailbox first (interpreter, libraries, the worker's imports).
Target: the peak <= 4 x the attachment.

    .venv/bin/python bench/memory.py [--megabytes 50]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import REPO, Dovecot, ImapAccount, bot_config

from tests.hostile_samples import big_attachment, with_attachment
from tests.integration.harness import IMAP_ENV

MB = 1024 * 1024


def _rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) * 1024
    except (OSError, StopIteration, ValueError):
        return 0


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    except (OSError, ValueError):
        return []


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``: the document workers and the helpers they run (Tesseract, soffice)."""
    out, todo = [], _children(pid)
    while todo:
        child = todo.pop()
        out.append(child)
        todo.extend(_children(child))
    return out


def measured_poll(config: Path, account: ImapAccount) -> tuple[int, int, int, float]:
    """Sampled peaks of (the poll process, its document worker, both together) and the seconds taken."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    env |= {"PYTHONPATH": str(REPO), IMAP_ENV: account.password}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "poll"], env=env,
                            cwd=str(config.parent), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    main_peak = worker_peak = tree_peak = 0
    while proc.poll() is None:
        main = _rss(proc.pid)
        worker = sum(_rss(child) for child in _descendants(proc.pid))
        main_peak, worker_peak = max(main_peak, main), max(worker_peak, worker)
        tree_peak = max(tree_peak, main + worker)
        time.sleep(0.005)
    if proc.returncode != 0:
        raise SystemExit(f"poll failed: {proc.stderr.read().decode()[-3000:] if proc.stderr else ''}")
    return main_peak, worker_peak, tree_peak, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=50)
    args = parser.parse_args()
    attachment = big_attachment(args.megabytes)
    with Dovecot() as dovecot, tempfile.TemporaryDirectory() as tmp:
        dovecot.start()
        empty = dovecot.create_account("memempty")
        empty.append(with_attachment("nho.pdf", b"%PDF-1.4\n"))
        base = measured_poll(bot_config(Path(tmp) / "empty", empty), empty)
        account = dovecot.create_account("membig")
        account.append(with_attachment(f"Bản scan {args.megabytes}MB.pdf", attachment))
        main_peak, worker_peak, tree_peak, seconds = measured_poll(bot_config(Path(tmp) / "big", account), account)
    size = len(attachment)
    print(f"baseline poll (tiny attachment): poll process {base[0] / MB:.0f} MB, worker {base[1] / MB:.0f} MB")
    print(f"poll with a {size / MB:.0f} MB attachment ({seconds:.1f} s), sampled peaks:")
    for label, peak, baseline in (("poll process", main_peak, base[0]), ("workers+helpers", worker_peak, base[1]),
                                  ("both together", tree_peak, base[2])):
        print(f"  {label:<16} {peak / MB:5.0f} MB = {peak / size:.2f} x the attachment (target <= 4);"
              f" above the baseline poll: {(peak - baseline) / size:.2f} x")


if __name__ == "__main__":
    main()
