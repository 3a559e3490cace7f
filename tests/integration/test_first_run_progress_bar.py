"""First run of a bigger mailbox: a progress bar on the terminal, nothing of it when stderr is a file."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.integration.harness import REPO, at, make_config, ok, run_mailbot, unit_mail
from tests.mailservers import ImapAccount, SmtpSink
from tests.samples import eml

BAR = "đang tải thư ["


def _fill(account: ImapAccount, count: int) -> None:
    for i in range(count):
        raw = eml(sender=f"nguoi{i}@example.org", subject=f"Thư số {i}", attachments=[], date=at(5, 8, i))
        account.append(raw, msg_time=at(5, 8, i))
    account.append(unit_mail("cdvc", [], date=at(5, 9)), msg_time=at(5, 9))


def test_progress_bar_only_on_a_terminal(tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN 25 messages (three FETCH batches) on a first run
    WHEN `mailbot poll` runs with stderr on a pseudo-terminal, and again (fresh state) with stderr a pipe
    THEN the terminal shows the bar up to 25/25; the pipe gets no bar at all."""
    _fill(imap_account, 24)
    setup = make_config(tmp_path / "tty", imap_account, smtp_sink)
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")} | setup.env()
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run([sys.executable, "-m", "bot", "--config", str(setup.config), "poll"], stderr=follower,
                          stdout=subprocess.PIPE, env=env, cwd=setup.root, timeout=120, check=False)
    os.close(follower)
    chunks = []
    try:
        while data := os.read(leader, 65536):
            chunks.append(data)
    except OSError:  # EIO once the terminal has no writer left
        pass
    os.close(leader)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, terminal[-2000:]
    assert BAR in terminal and "25/25" in terminal
    piped = ok(run_mailbot(make_config(tmp_path / "pipe", imap_account, smtp_sink), "poll"))
    assert BAR not in piped.stderr
