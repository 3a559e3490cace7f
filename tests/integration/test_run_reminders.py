"""Reminders, the staff digest and the staff summary, driven with `remind --now` and with `run`'s scheduler
under a controlled clock: the right slots, never twice (also across a restart), a missed slot sent once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from bot.app.pipeline import Runner
from bot.app.schedule import Service
from bot.config import schema as config_module
from bot.state.ledger import Ledger
from bot.transport.outbox import Outbox
from tests.integration.harness import (
    ALL_UNITS,
    ICT,
    IMAP_ENV,
    SMTP_ENV,
    STAFF,
    UNIT_EMAIL,
    Setup,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    wait_until,
)
from tests.mailservers import ImapAccount, SmtpSink

T7 = "2020-12-13T08:00:30+07:00"


@pytest.fixture
def setup(tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> Setup:
    return make_config(tmp_path, imap_account, smtp_sink)


def _recipients(sink: SmtpSink) -> list[str]:
    """Who got the reminders (the units), apart from the staff digest."""
    return sorted(rcpt for m in sink.messages for rcpt in m.rcpt_tos if rcpt != STAFF)


def _digests(sink: SmtpSink) -> int:
    return sum(m.rcpt_tos == (STAFF,) for m in sink.messages)


def test_remind_now_sends_each_slot_once_and_a_missed_slot_once(setup: Setup, smtp_sink: SmtpSink) -> None:
    """GIVEN a campaign where no unit sent anything (deadline 20/12 23:59, slots 13/12, 17/12, 19/12 at 08:00)
    WHEN `remind --now` runs just before T-7, at T-7 (twice), then at 19/12 09:00 (T-3 was missed while
    mailbot was down, T-1 is due)
    THEN nothing before T-7; one mail per unit at T-7; nothing on the repeat; one mail per unit (not two)
    for T-3 + T-1 together. The staff digest (from T-7, daily) goes with them: once on 13/12, once on 19/12."""
    early = ok(run_mailbot(setup, "remind", "--now", "2020-12-13T07:59:00+07:00"))
    assert "0 reminder(s)" in early.stdout
    ok(run_mailbot(setup, "remind", "--now", T7))
    assert _recipients(smtp_sink) == sorted(UNIT_EMAIL[u] for u in ALL_UNITS)
    first = next(m for m in smtp_sink.messages if m.rcpt_tos != (STAFF,))
    body = parse_sent(first).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Chưa nhận được thư, tài liệu nào của đơn vị." in body
    ok(run_mailbot(setup, "remind", "--now", T7))
    assert len(smtp_sink.messages) == len(ALL_UNITS) + 1 and _digests(smtp_sink) == 1
    ok(run_mailbot(setup, "remind", "--now", "2020-12-19T09:00:00+07:00"))
    assert len(smtp_sink.messages) == 2 * len(ALL_UNITS) + 2 and _digests(smtp_sink) == 2
    assert _recipients(smtp_sink) == sorted(2 * [UNIT_EMAIL[u] for u in ALL_UNITS])


def test_after_the_deadline_the_staff_get_one_summary_with_the_tally(setup: Setup, smtp_sink: SmtpSink) -> None:
    """GIVEN the deadline has passed
    WHEN `remind --now` runs with --dry-run, then for real, then again
    THEN the dry run shows the summary and sends nothing; the real run sends no reminder and exactly one
    summary to campaign.staff_emails with the workbook attached; the second run sends nothing."""
    after = "2020-12-21T00:00:01+07:00"
    dry = ok(run_mailbot(setup, "remind", "--now", after, "--dry-run"))
    assert STAFF in dry.stdout and "Chi tiết từng đơn vị" in dry.stdout
    assert smtp_sink.messages == []
    ok(run_mailbot(setup, "remind", "--now", after))
    ok(run_mailbot(setup, "remind", "--now", "2020-12-22T08:00:00+07:00"))
    assert [m.rcpt_tos for m in smtp_sink.messages] == [(STAFF,)]
    summary = parse_sent(smtp_sink.messages[0])
    attachment = next(summary.iter_attachments())
    assert attachment.get_filename() == "tally.xlsx"
    assert attachment.get_content()[:2] == b"PK"


class Clock:
    """The time the service believes it is; the test moves it."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@contextmanager
def running(setup: Setup, clock: Clock) -> Iterator[Service]:
    """`mailbot run`'s Service in a thread, ticking every 0.2 s, with its own ledger (a fresh start)."""
    cfg = config_module.load(setup.config)
    runner = Runner(cfg, Ledger(cfg.paths.state), Outbox(cfg.paths.outbox))
    service = Service(cfg, runner, clock, remind_seconds=0.2, flush_seconds=0.2)
    thread = threading.Thread(target=service.run, kwargs={"install_signals": False})
    thread.start()
    try:
        yield service
    finally:
        assert wait_until(lambda: service._scheduler is not None and service._scheduler.running, timeout=10)
        service.stop()
        thread.join(timeout=30)
        runner.ledger.close()
        assert not thread.is_alive()


def test_the_scheduler_sends_due_reminders_once_across_a_restart(
        setup: Setup, smtp_sink: SmtpSink, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN `run` under a controlled clock at 17/12 08:00:10 (T-7 and T-3 due, nothing sent yet)
    WHEN it ticks, is restarted, ticks again, and the clock then passes the deadline
    THEN each unit gets one reminder, the staff one digest, none after the restart, then the staff one summary."""
    for name, value in setup.env().items():
        monkeypatch.setenv(name, value)
    assert {IMAP_ENV, SMTP_ENV} <= set(setup.env())
    clock = Clock(datetime(2020, 12, 17, 8, 0, 10, tzinfo=ICT))
    before = len(ALL_UNITS) + 1  # the reminders and the day's digest
    with running(setup, clock):
        smtp_sink.wait_for(before, timeout=20)
    with running(setup, clock):
        assert not wait_until(lambda: len(smtp_sink.messages) > before, timeout=2)
        clock.moment = datetime(2020, 12, 21, 7, 0, tzinfo=ICT)
        messages = smtp_sink.wait_for(before + 1, timeout=20)
        assert not wait_until(lambda: len(smtp_sink.messages) > before + 1, timeout=1.5)
    assert _recipients(smtp_sink) == sorted(UNIT_EMAIL[u] for u in ALL_UNITS)
    assert _digests(smtp_sink) == 2 and messages[-1].rcpt_tos == (STAFF,)
    assert parse_sent(messages[-1])["Subject"].startswith("Tổng hợp")
