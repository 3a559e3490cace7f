"""`mailbot run` facing faults it must survive or refuse clearly: SMTP down then back, a broken template."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests import mailservers
from tests.integration.harness import (
    STAFF,
    UNIT_EMAIL,
    at,
    explain,
    mailbox_section,
    make_config,
    run_mailbot,
    smtp_section,
    start_mailbot,
    stop_mailbot,
    unit_mail,
    wait_until,
)
from tests.mailservers import ImapAccount, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier


def test_smtp_down_then_back_delivers_once_and_logs_to_the_file(
        tmp_path: Path, imap_account: ImapAccount, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN `mailbot run` whose SMTP server is not listening, and a dossier in the inbox
    WHEN the server comes up on that port a few seconds later
    THEN the failure is logged in plain words (stderr and state/mailbot.log), the reply waits in
    outbox/pending and is then delivered exactly once."""
    port = mailservers.free_port()
    setup = make_config(tmp_path, imap_account, None, smtp=smtp_section(None, port=port),
                        mailbox=mailbox_section(imap_account, extra="poll_minutes = 0.05\n"))
    imap_account.append(unit_mail("sin_ho", full_dossier(SAMPLE_DOSSIERS["sin_ho"]), date=at(8)), msg_time=at(8))
    log_file = tmp_path / "state" / "mailbot.log"
    proc = start_mailbot(setup, "run")
    try:
        assert wait_until(lambda: log_file.exists() and "unreachable" in log_file.read_text(), timeout=30)
        assert len(setup.outbox_files("pending")) >= 1
        monkeypatch.setattr(mailservers, "free_port", lambda host=mailservers.HOST: port)
        with SmtpSink("bot@example.org", setup.smtp_password) as sink:
            assert wait_until(lambda: (UNIT_EMAIL["sin_ho"],) in [m.rcpt_tos for m in sink.messages], timeout=30)
            time.sleep(4)
            to_unit = [m for m in sink.messages if m.rcpt_tos != (STAFF,)]
    finally:
        code, _out, err = stop_mailbot(proc)
    assert code == 0, err[-3000:]
    assert len(to_unit) == 1
    assert setup.outbox_files("pending") == []
    text = log_file.read_text(encoding="utf-8")
    assert f"SMTP server 127.0.0.1:{port} unreachable" in text and "reply sent" in text
    assert "Traceback" not in err


def test_a_template_typo_stops_check_and_run_before_any_mail(
        tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN paths.templates pointing at a folder whose reminder template misspells a variable
    WHEN `mailbot check` and `mailbot run` start
    THEN check names the file and the variable and fails; run exits 2 with the same line; nothing is sent."""
    folder = tmp_path / "mau_thu"
    folder.mkdir()
    from bot.message import texts

    for name in (*texts.NAMES, "signature.txt.j2"):
        (folder / name).write_text((texts.SHIPPED / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / texts.REMINDER).write_text("Kính gửi: {{ unit_nane }},\n", encoding="utf-8")
    setup = make_config(tmp_path, imap_account, smtp_sink)
    text = setup.config.read_text(encoding="utf-8")
    setup.config.write_text(text.replace("[paths]\n", '[paths]\ntemplates = "mau_thu"\n'), encoding="utf-8")
    check = run_mailbot(setup, "check")
    assert check.returncode != 0, explain(check)
    assert "FAIL templates" in check.stdout and "reminder.txt.j2" in check.stdout and "unit_nane" in check.stdout
    run = run_mailbot(setup, "run", timeout=60)
    assert run.returncode == 2, explain(run)
    assert "unit_nane" in run.stderr and "Traceback" not in run.stderr
    assert smtp_sink.messages == []
