"""The README's first command on what a fresh clone holds: the shipped config, the example Maildir and the
outbox folder with its ``.gitkeep``. It must process the example inbox, not take the checkout for earlier work."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def test_the_first_command_runs_on_a_fresh_checkout(tmp_path: Path) -> None:
    shutil.copy(ROOT / "config.toml", tmp_path / "config.toml")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "outbox").mkdir()
    (tmp_path / "outbox" / ".gitkeep").touch()

    def mailbot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300, check=False)

    poll = mailbot("poll")
    assert poll.returncode == 0, poll.stderr
    status = mailbot("status")
    assert status.returncode == 0, status.stderr
    assert list((tmp_path / "outbox" / "pending").glob("*.eml")), "no reply was left in outbox/pending"
    assert (tmp_path / "tally.xlsx").is_file()
    assert "Đủ hồ sơ" in status.stdout
