"""`mailbot run` as a user starts it: it polls on its own and stops cleanly on SIGTERM."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests import samples
from tests.conftest import write_config


def _maildir_with_one_dossier(root: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    raw = samples.eml(sender="ldld.tamduong@example.vn", subject="Hồ sơ khen thưởng - LĐLĐ huyện Tam Đường",
                      attachments=samples.full_dossier(samples.SAMPLE_DOSSIERS["tam_duong"]))
    (root / "new" / "1607000000.M1P1.test").write_bytes(raw)


def test_run_polls_in_a_worker_thread_and_stops_on_sigterm(tmp_path: Path) -> None:
    """GIVEN a Maildir with one unit dossier and poll_minutes of a few seconds
    WHEN `mailbot run` is started and later sent SIGTERM
    THEN it processed the mail from its scheduler thread (tally and reply written) and exited 0."""
    _maildir_with_one_dossier(tmp_path / "inbox")
    config = write_config(tmp_path, '[mailbox]\nkind = "maildir"\npath = "inbox"\npoll_minutes = 0.05\n')
    process = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "run"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list((tmp_path / "outbox" / "pending").glob("ack-*.eml")):
            assert process.poll() is None, process.communicate()[1]
            time.sleep(0.2)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert len(list((tmp_path / "outbox" / "pending").glob("ack-*.eml"))) == 1
    assert (tmp_path / "tally.xlsx").exists()
    shutil.rmtree(tmp_path / "state", ignore_errors=True)
