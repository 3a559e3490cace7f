"""The decision commands and the staff console work while ``mailbot run`` works on the same state.

A decision is a short SQLite write that needs no state lock; what follows it (the acknowledgement it
owes, the tally) is done by the running poll on its next cycle, once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.console_state import acknowledgement_files, build, message_id
from tests.integration.harness import REPO, wait_until
from tests.mailservers import HOST, free_port

pytestmark = pytest.mark.integration


def mailbot(folder: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "--config", str(folder / "config.toml"), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=folder, env=_env(), check=False)


def start(folder: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bot", "--config", str(folder / "config.toml"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=folder, env=_env())


def stop(proc: subprocess.Popen[str]) -> tuple[int | None, str]:
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return proc.returncode, err


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def answers(url: str) -> int:
    request = urllib.request.Request(url)  # noqa: S310 - loopback http in a test
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_decisions_and_the_console_while_run_works(tmp_path: Path) -> None:
    """GIVEN `mailbot run` polling every 3 s and serving the console ([web] listen)
    WHEN a clerk assigns the unknown sender's mail with the CLI, a second console starts, and the
         decision is undone and made again
    THEN every command exits 0 (no exit 3), the running poll queues the acknowledgement once, and both
         consoles answer (without a session they send the visitor to sign in)."""
    run_port, web_port = free_port(), free_port()
    cfg = build(tmp_path, mailbox_extra="poll_minutes = 0.05",
                web_extra=f'listen = "{HOST}:{run_port}"')
    clerk = message_id("clerk")
    run = start(tmp_path, "run")
    web = start(tmp_path, "web", "--listen", f"{HOST}:{web_port}")
    try:
        assert wait_until(lambda: answers(f"http://{HOST}:{run_port}/") == 303, 60), "run does not serve"
        assert wait_until(lambda: answers(f"http://{HOST}:{web_port}/dang-nhap") == 200, 60), "web does not serve"
        assigned = mailbot(tmp_path, "assign", clerk, "sin_ho", "--by", "can.bo")
        assert assigned.returncode == 0, assigned.stderr
        assert wait_until(lambda: acknowledgement_files(cfg, clerk), 60), "the running poll queued nothing"
        undone = mailbot(tmp_path, "decisions", "--undo", "1", "--by", "can.bo")
        assert undone.returncode == 0, undone.stderr
        again = mailbot(tmp_path, "assign", clerk, "sin_ho", "--by", "can.bo")
        assert again.returncode == 0, again.stderr
        listing = mailbot(tmp_path, "decisions")
        assert listing.returncode == 0 and "#2" in listing.stdout and "ĐÃ HUỶ" in listing.stdout
        status = mailbot(tmp_path, "status", "--json")
        assert '"sin_ho"' in status.stdout
        wait_until(lambda: False, 8)   # two more poll cycles of the running service
    finally:
        run_code, run_err = stop(run)
        web_code, web_err = stop(web)
    assert run_code == 0, run_err[-2000:]
    assert web_code == 0, web_err[-2000:]
    assert len(acknowledgement_files(cfg, clerk)) == 1
