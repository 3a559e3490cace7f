"""Shared set-up for the benchmarks: a private Dovecot, a config pointing at it, a timed subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.integration.harness import IMAP_ENV, make_config  # noqa: E402
from tests.mailservers import Dovecot, ImapAccount  # noqa: E402

__all__ = ["REPO", "Dovecot", "ImapAccount", "bot_config", "run_python", "timed_poll"]


def bot_config(folder: Path, account: ImapAccount, extra: str = "") -> Path:
    """A config on ``account`` without [smtp] (replies stay in outbox/pending) and without a reply brake."""
    setup = make_config(folder, account, None, "[limits]\nreplies_per_sender_per_hour = 100000\n"
                        "max_message_mb = 100\n" + extra, smtp="")
    return setup.config


def _env(account: ImapAccount) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    env["PYTHONPATH"] = str(REPO)
    env[IMAP_ENV] = account.password
    return env


def run_python(args: list[str], account: ImapAccount, cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run ``python ARGS`` with the bot's environment; (wall seconds, result). Raises when it fails."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=_env(account),
                          cwd=str(cwd), timeout=3600, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{args} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, proc


def timed_poll(config: Path, account: ImapAccount) -> tuple[float, subprocess.CompletedProcess[str]]:
    return run_python(["-m", "bot", "--config", str(config), "poll"], account, config.parent)
