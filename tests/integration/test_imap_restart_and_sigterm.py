"""Network faults during `mailbot run`: the IMAP server killed and restarted mid-cycle, with IDLE on.
Nothing lost, nothing answered twice, the fault logged in plain words, the process keeps running."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

from tests.integration.harness import (
    ALL_UNITS,
    STAFF,
    at,
    mailbox_section,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    start_mailbot,
    stop_mailbot,
    unit_mail,
    wait_until,
)
from tests.mailservers import Dovecot, ImapAccount, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier


def _dossier(unit_id: str, hour: int, resend: bool = False) -> bytes:
    subject = f"Gửi bổ sung hồ sơ - {unit_id}" if resend else None
    return unit_mail(unit_id, full_dossier(SAMPLE_DOSSIERS[unit_id]), date=at(12, hour), subject=subject)


def kill_and_restart(dovecot: Dovecot) -> None:
    """SIGKILL Dovecot's whole process group (master and every IMAP session: connections drop at once,
    as when a server crashes), then start it again on the same ports with the same mail."""
    assert dovecot._proc is not None
    group = dovecot._proc.pid
    os.killpg(group, signal.SIGKILL)
    dovecot.stop()
    _wait_until_gone(group)
    dovecot.start()


def _wait_until_gone(group: int, seconds: float = 15) -> None:
    """Every process of the killed group has exited: on a loaded machine a dying login process may still
    hold the listening socket, and the new master then refuses to start ("already running?")."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def _twelve_waiting(account: ImapAccount) -> list[bytes]:
    """One dossier per unit plus four second mails: more than one FETCH batch."""
    raws = [_dossier(u, 8) for u in ALL_UNITS] + [_dossier(u, 9, resend=True) for u in ALL_UNITS[:4]]
    for raw in raws:
        account.append(raw, msg_time=at(12, 8))
    return raws


def _taken_in(root: Path, count: int) -> bool:
    """At least ``count`` raw messages archived, i.e. the cycle is under way."""
    return wait_until(lambda: len(list((root / "state" / "mail").glob("*.eml"))) >= count, timeout=30)


def _answered(smtp_sink: SmtpSink) -> Counter[str]:
    """In-Reply-To of every reply that reached the SMTP server (the staff summary left out)."""
    return Counter(str(parse_sent(m)["In-Reply-To"]) for m in smtp_sink.messages if m.rcpt_tos != (STAFF,))


def test_imap_server_restarted_mid_run_loses_nothing_and_duplicates_nothing(
        tmp_path: Path, dovecot: Dovecot, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN `mailbot run` (IDLE, poll every 3 s) and 12 dossier mails waiting (two FETCH batches)
    WHEN Dovecot is killed and started again while the first cycle is processing them, and 4 more
    mails arrive after the restart
    THEN every one of the 16 mails is answered exactly once, the outbox is empty, the dropped
    connection is logged in plain words, and SIGTERM still ends `run` with 0."""
    setup = make_config(tmp_path, imap_account, smtp_sink,
                        mailbox=mailbox_section(imap_account, extra="poll_minutes = 0.05\nidle = true\n"))
    before = _twelve_waiting(imap_account)
    after = [_dossier(u, 10, resend=True) for u in ALL_UNITS[4:]]
    proc = start_mailbot(setup, "run")
    try:
        assert _taken_in(tmp_path, 2), "no message processed"
        kill_and_restart(dovecot)
        for raw in after:
            imap_account.append(raw, msg_time=at(12, 10))
        expected = {str(message_from_bytes(raw)["Message-ID"]) for raw in before + after}
        assert wait_until(lambda: set(_answered(smtp_sink)) == expected, timeout=90), _answered(smtp_sink)
        time.sleep(4)  # a few more polls and IDLE wake-ups: nothing more may go out
    finally:
        code, _out, err = stop_mailbot(proc)
    assert code == 0, f"exit {code}\n{err[-3000:]}"
    assert "Traceback" not in err, err[-3000:]
    answered = _answered(smtp_sink)
    assert len(answered) == 16 and set(answered.values()) == {1}, answered
    assert list((tmp_path / "outbox" / "pending").glob("*.eml")) == []
    assert "IDLE watcher:" in err or "mailbox not read" in err, err[-3000:]


def test_sigterm_mid_cycle_finishes_the_message_in_hand_and_loses_nothing(
        tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN 12 dossier mails and `mailbot run` busy with its first cycle
    WHEN SIGTERM arrives after the first message was taken in
    THEN run exits 0 soon, without processing all 12; a later `mailbot poll` answers the rest, and
    every mail is answered exactly once."""
    setup = make_config(tmp_path, imap_account, smtp_sink)
    raws = _twelve_waiting(imap_account)
    proc = start_mailbot(setup, "run")
    try:
        assert _taken_in(tmp_path, 1), "no message processed"
    finally:
        began = time.monotonic()
        code, _out, err = stop_mailbot(proc)
    assert code == 0, err[-3000:]
    assert time.monotonic() - began < 10
    assert "left for the next run" in err, err[-3000:]
    first = len(_answered(smtp_sink))
    assert 1 <= first < len(raws)
    ok(run_mailbot(setup, "poll"))
    answered = _answered(smtp_sink)
    assert set(answered) == {str(message_from_bytes(raw)["Message-ID"]) for raw in raws}
    assert set(answered.values()) == {1}, answered
