"""IMAP IDLE is renewed before any server timeout, and still delivers after many renewals."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest

from bot.config import schema as config_module
from bot.transport.idle import IdleWatcher
from tests.integration.harness import (
    IMAP_ENV,
    STAFF,
    UNIT_EMAIL,
    at,
    mailbox_section,
    make_config,
    start_mailbot,
    stop_mailbot,
    unit_mail,
    wait_until,
)
from tests.mailservers import ImapAccount, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier


def test_idle_is_renewed_and_still_delivers_within_seconds(tmp_path: Path, imap_account: ImapAccount,
                                                         smtp_sink: SmtpSink) -> None:
    """GIVEN `mailbot run` with IDLE renewed every 0.6 s (idle_renew_minutes = 0.01) and polling every 5 min
    WHEN several renewals have passed and then a dossier arrives
    THEN it is answered within seconds (by IDLE, not by the 5-minute poll), exactly once, and `run`
    stops cleanly."""
    setup = make_config(tmp_path, imap_account, smtp_sink, mailbox=mailbox_section(
        imap_account, extra="poll_minutes = 5\nidle = true\nidle_renew_minutes = 0.01\n"))
    proc = start_mailbot(setup, "run")
    try:
        assert wait_until(setup.tally.exists, timeout=20), "the first cycle did not run"
        time.sleep(3)  # about five IDLE renewals
        imap_account.append(unit_mail("cdvc", full_dossier(SAMPLE_DOSSIERS["cdvc"]), date=at(8)), msg_time=at(8))
        began = time.monotonic()
        assert wait_until(lambda: any(m.rcpt_tos == (UNIT_EMAIL["cdvc"],) for m in smtp_sink.messages), timeout=10)
        assert time.monotonic() - began < 10
        time.sleep(2)
    finally:
        code, _out, err = stop_mailbot(proc)
    assert code == 0, err[-3000:]
    assert [m.rcpt_tos for m in smtp_sink.messages if m.rcpt_tos != (STAFF,)] == [(UNIT_EMAIL["cdvc"],)]
    assert "IDLE watcher:" not in err


def test_the_watcher_renews_idle_and_wakes_on_new_mail(tmp_path: Path, imap_account: ImapAccount,
                                                      caplog: pytest.LogCaptureFixture,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the IDLE watcher on its own (renewal every 0.6 s), counting its wake-ups
    WHEN about a second passes, then a message is APPENDed
    THEN IDLE was renewed several times, and the watcher calls back once for the catch-up at start and
    once for the new message."""
    setup = make_config(tmp_path, imap_account, None, mailbox=mailbox_section(
        imap_account, extra="idle = true\nidle_renew_minutes = 0.01\n"))
    monkeypatch.setenv(IMAP_ENV, setup.imap_password)
    cfg = config_module.load(setup.config)
    calls: list[float] = []
    stopping = threading.Event()
    watcher = IdleWatcher(cfg.mailbox, lambda: calls.append(time.monotonic()), stopping)
    caplog.set_level(logging.DEBUG, logger="bot.transport.idle")
    watcher.start()
    try:
        assert wait_until(lambda: len(calls) == 1, timeout=10)
        time.sleep(2.5)
        assert len(calls) == 1
        imap_account.append(unit_mail("cdvc", full_dossier(SAMPLE_DOSSIERS["cdvc"]), date=at(8)), msg_time=at(8))
        assert wait_until(lambda: len(calls) == 2, timeout=5)
    finally:
        stopping.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()
    assert caplog.text.count("IDLE renewed") >= 3
