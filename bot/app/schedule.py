"""``mailbot run``: APScheduler 3.x wiring. What is due is worked out from the ledger at each tick.

Jobs: poll every ``mailbox.poll_minutes`` (plus an IMAP IDLE watcher with ``mailbox.idle``), a
reminder tick every minute (reminders, the staff digest, the summary) and an outbox flush with
exponential backoff. One lock serialises them, so two cycles never touch the mailbox or the state at
once. APScheduler drops a job that misfired by more than ``misfire_grace_time``, so it is never the
memory of whether a reminder went out: the reminder tick asks the deadline and the sent-reminders
table each time (idempotent).
"""

from __future__ import annotations

import logging
import logging.handlers
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.app.digest import digest_once
from bot.app.pipeline import PollReport, Runner
from bot.app.summary import summary_once
from bot.config.schema import Config
from bot.core import rules
from bot.errors import SourceError
from bot.transport.backoff import Backoff
from bot.transport.idle import IdleWatcher
from bot.transport.inbox import open_sources

log = logging.getLogger(__name__)
LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Service:
    """The long-running process: jobs over one Runner, a clock that tests may replace."""

    def __init__(self, cfg: Config, runner: Runner, clock: Callable[[], datetime] = utc_now, *,
                 remind_seconds: float = 60, flush_seconds: float = 30) -> None:
        self.cfg = cfg
        self.runner = runner
        self.clock = clock
        self.remind_seconds = remind_seconds
        self.flush_seconds = flush_seconds
        self.cycle = threading.Lock()
        self.stopping = threading.Event()
        self.smtp_backoff = Backoff(first=flush_seconds, cap=1800)
        self._scheduler: BlockingScheduler | None = None

    # --- jobs ----------------------------------------------------------------------------------

    def poll(self) -> None:
        """Fetch and process new mail, then whatever reminders are due."""
        with self.cycle, _guard("poll"):
            if self.stopping.is_set():
                return
            now = self.clock()
            try:
                sources = open_sources(self.cfg.mailbox, self.stopping, self.cfg.paths.state_dir / "spool")
                report = self.runner.poll_all(sources, now)
                log.info("poll: %s", report.line())
                self._delivery(report.delivery_error)
            except SourceError as exc:
                log.error("mailbox not read: %s (next try in %s min)", exc, self.cfg.mailbox.poll_minutes)
            self._remind(now)

    def remind(self) -> None:
        with self.cycle, _guard("reminder tick"):
            self._remind(self.clock())

    def flush(self) -> None:
        with self.cycle, _guard("outbox flush"):
            self._flush()

    def _remind(self, now: datetime) -> None:
        """Reminders due, the staff digest of the day before the deadline, the summary after it."""
        queued = self.runner.remind_once(now) if rules.due_slots(self.cfg, now) else []
        for path in queued:
            log.info("reminder queued: %s", getattr(path, "name", path))
        digest = digest_once(self.runner.context, now)
        summary = summary_once(self.runner.context, now)
        if queued or digest or summary:
            self._flush()

    def _flush(self) -> None:
        if self.cfg.smtp is None or not self.runner.outbox.pending_files():
            return
        if not self.smtp_backoff.ready(time.monotonic()):
            return
        report = PollReport()
        self.runner.send(report)
        self._delivery(report.delivery_error)

    def _delivery(self, error: str) -> None:
        if not error:
            self.smtp_backoff.succeeded()
            return
        delay = self.smtp_backoff.failed(time.monotonic())
        log.warning("outbox: %s; next try in %.0f s", error, delay)

    # --- lifecycle -----------------------------------------------------------------------------

    def run(self, install_signals: bool = True) -> None:
        """Block until :meth:`stop` (SIGINT/SIGTERM when ``install_signals``)."""
        logging.getLogger("apscheduler").setLevel(logging.ERROR)  # our jobs log one line per event themselves
        scheduler = BlockingScheduler(timezone=self.cfg.campaign.tz)
        self._scheduler = scheduler
        every = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
        scheduler.add_job(self.poll, IntervalTrigger(minutes=self.cfg.mailbox.poll_minutes), id="poll",
                          next_run_time=datetime.now(self.cfg.campaign.tz), **every)
        scheduler.add_job(self.remind, IntervalTrigger(seconds=self.remind_seconds), id="remind", **every)
        scheduler.add_job(self.flush, IntervalTrigger(seconds=self.flush_seconds), id="flush", **every)
        watcher = None
        if self.cfg.mailbox.idle and self.cfg.mailbox.kind == "imap":
            watcher = IdleWatcher(self.cfg.mailbox, self.poll, self.stopping)
        if install_signals:
            signal.signal(signal.SIGTERM, self._on_signal)
            signal.signal(signal.SIGINT, self._on_signal)
        log.info("mailbot running: poll every %s min%s; Ctrl+C to stop", self.cfg.mailbox.poll_minutes,
                 ", IMAP IDLE" if watcher else "")
        if watcher:
            watcher.start()
        try:
            scheduler.start()
        finally:
            self.stopping.set()
            if watcher:
                watcher.join()  # it finishes the cycle it is in; IMAP waits are bounded by timeout_seconds
        log.info("mailbot stopped")

    def stop(self) -> None:
        self.stopping.set()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=True)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        log.info("signal %s: finishing the current message, then stopping", signum)
        self.stop()


@contextmanager
def _guard(what: str) -> Iterator[None]:
    """Log an unexpected failure of a job in one line (the traceback at debug level) and go on."""
    try:
        yield
    except Exception as exc:  # a job must never kill the process
        log.error("%s failed: %s: %s (will try again)", what, type(exc).__name__, exc)
        log.debug("%s failed", what, exc_info=exc)


def log_to_file(cfg: Config) -> logging.Handler:
    """Also write the log to ``logging.file`` (default: mailbot.log beside the state), rotated by size."""
    cfg.log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(cfg.log_file, maxBytes=cfg.logging.max_kb * 1024,
                                                   backupCount=cfg.logging.keep, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.getLogger().addHandler(handler)
    return handler
