"""``mailbot run``: APScheduler 3.x wiring only. What is due is worked out from the ledger each tick.

APScheduler drops a job that misfired by more than ``misfire_grace_time`` (1 s by default), so
it is never the memory of whether a reminder went out: the reminder tick is idempotent.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Config
from bot.inbox import SourceError, open_source
from bot.pipeline import PollReport, Runner

log = logging.getLogger(__name__)


def run_forever(cfg: Config, runner: Runner, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
    """Poll every ``mailbox.poll_minutes`` and check reminders after each poll, until SIGINT/SIGTERM."""
    scheduler = BlockingScheduler(timezone=cfg.campaign.tz)

    def tick() -> None:
        now = clock()
        try:
            report = runner.poll_once(open_source(cfg.mailbox), now)
            log.info("poll: %s", report.line())
        except SourceError as exc:
            log.error("poll skipped: %s (next try in %s min)", exc, cfg.mailbox.poll_minutes)
        queued = runner.remind_once(now)
        if queued:
            log.info("reminders queued: %d", len(queued))
            runner.send(PollReport())

    scheduler.add_job(tick, IntervalTrigger(minutes=cfg.mailbox.poll_minutes, timezone=cfg.campaign.tz),
                      id="poll", max_instances=1, coalesce=True, misfire_grace_time=None,
                      next_run_time=datetime.now(cfg.campaign.tz))

    def stop(signum: int, frame: FrameType | None) -> None:
        log.info("signal %s: finishing the current message, then stopping", signum)
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("mailbot running: poll every %s min; Ctrl+C to stop", cfg.mailbox.poll_minutes)
    scheduler.start()
