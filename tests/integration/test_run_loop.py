"""`mailbot run`: the long-running mode, against the real Dovecot and SMTP sink."""

from __future__ import annotations

import time
from pathlib import Path

from tests.integration.harness import (
    STAFF,
    UNIT_EMAIL,
    at,
    explain,
    mailbox_section,
    make_config,
    run_mailbot,
    start_mailbot,
    stop_mailbot,
    unit_mail,
    wait_until,
)
from tests.mailservers import ImapAccount, SinkMessage, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier


def _to_units(messages: list[SinkMessage]) -> list[tuple[str, ...]]:
    """Recipients of what went to the units (the staff summary left out)."""
    return [m.rcpt_tos for m in messages if m.rcpt_tos != (STAFF,)]


def test_run_polls_on_schedule_and_stops_on_sigterm(tmp_path: Path, imap_account: ImapAccount,
                                                    smtp_sink: SmtpSink) -> None:
    """GIVEN `mailbot run` with poll_minutes = 0.05 (3 s) and one dossier already in the inbox
    WHEN it starts, a second dossier arrives later, and a concurrent `mailbot poll` is attempted
    THEN the first dossier is answered at once, the second at a later tick, the concurrent poll is
    refused by the lock (non-zero, no double reply), the staff get one summary (the test campaign's
    deadline is long past), and SIGTERM makes `run` exit 0."""
    setup = make_config(tmp_path, imap_account, smtp_sink,
                        mailbox=mailbox_section(imap_account, extra="poll_minutes = 0.05\n"))
    imap_account.append(unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(8)),
                        msg_time=at(8))
    proc = start_mailbot(setup, "run")
    try:
        assert _to_units(smtp_sink.wait_for(2, timeout=20)) == [(UNIT_EMAIL["tp_laichau"],)]
        busy = run_mailbot(setup, "poll")
        assert busy.returncode != 0, explain(busy)
        assert "another mailbot" in busy.stderr, explain(busy)
        imap_account.append(unit_mail("tam_duong", full_dossier(SAMPLE_DOSSIERS["tam_duong"]), date=at(9)),
                            msg_time=at(9))
        assert _to_units(smtp_sink.wait_for(3, timeout=20))[1] == (UNIT_EMAIL["tam_duong"],)
        time.sleep(4)  # another tick or two: nothing more goes out
    finally:
        code, out, err = stop_mailbot(proc)
    assert code == 0, f"exit {code}\n{out}\n{err}"
    assert "Traceback" not in err, err
    assert len(smtp_sink.messages) == 3
    assert [m.rcpt_tos for m in smtp_sink.messages].count((STAFF,)) == 1
    assert setup.outbox_files("pending") == []


def test_run_with_idle_handles_new_mail_within_seconds(tmp_path: Path, imap_account: ImapAccount,
                                                       smtp_sink: SmtpSink) -> None:
    """GIVEN `mailbot run` with mailbox.idle = true and poll_minutes = 5
    WHEN a dossier arrives after the first (empty) cycle
    THEN its reply goes out within seconds, not at the next 5-minute poll."""
    setup = make_config(tmp_path, imap_account, smtp_sink,
                        mailbox=mailbox_section(imap_account, extra="poll_minutes = 5\nidle = true\n"))
    proc = start_mailbot(setup, "run")
    try:
        assert wait_until(setup.tally.exists, timeout=20), "the first cycle did not run"
        imap_account.append(unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(8)),
                            msg_time=at(8))
        # well before the next poll (5 min): reading the full dossier alone takes 15-30 s on a loaded 2-core machine
        assert wait_until(lambda: _to_units(smtp_sink.messages) == [(UNIT_EMAIL["tp_laichau"],)], timeout=120)
    finally:
        code, out, err = stop_mailbot(proc)
    assert code == 0, f"exit {code}\n{out}\n{err}"
