"""IMAP IDLE watcher: a thread that holds its own connection and calls ``on_mail`` when mail arrives.

IDLE is renewed every ``mailbox.idle_renew_minutes`` (10 by default; servers may drop it after 29,
and IMAPClient's docs advise 10 because it does not notice a silently dead socket). A dropped
connection is reopened with exponential backoff; a server without IDLE leaves mailbot polling.
Processing itself always goes through ``on_mail`` (the scheduler's poll cycle, bot/app/pipeline.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from bot.config.schema import MailboxConfig
from bot.errors import SourceError
from bot.transport.backoff import Backoff
from bot.transport.inbox import ImapSource

log = logging.getLogger(__name__)


class IdleWatcher(threading.Thread):
    def __init__(self, cfg: MailboxConfig, on_mail: Callable[[], None], stopping: threading.Event) -> None:
        super().__init__(name="imap-idle", daemon=True)
        self.cfg = cfg
        self.on_mail = on_mail
        self.stopping = stopping
        self.backoff = Backoff(first=2, cap=300)

    def run(self) -> None:
        while not self.stopping.is_set():
            source = ImapSource(self.cfg)
            try:
                source.open()
                if not source.can_idle():
                    log.warning("IMAP server %s does not offer IDLE: polling every %s min instead",
                                self.cfg.host, self.cfg.poll_minutes)
                    return
                self.backoff.succeeded()
                self._watch(source)
            except Exception as exc:  # noqa: BLE001 - a dead watcher would silently leave only polling
                delay = self.backoff.failed(time.monotonic())
                text = str(exc) if isinstance(exc, SourceError) else f"{type(exc).__name__}: {exc}"
                log.error("IDLE watcher: %s; reconnecting in %.0f s (polling goes on meanwhile)", text, delay)
                self.stopping.wait(delay)
            finally:
                source.close()

    def _watch(self, source: ImapSource) -> None:
        log.info("IDLE on %s: new mail is handled as it arrives (renewed every %s min)",
                 source.name, self.cfg.idle_renew_minutes)
        self.on_mail()  # whatever arrived while we were not watching
        while not self.stopping.is_set():
            if not source.wait_for_mail(self.cfg.idle_renew_minutes * 60, self.stopping):
                log.debug("IDLE renewed")
                continue
            self.on_mail()
            while not self.stopping.is_set() and source.mail_arrived():  # arrived during that cycle
                self.on_mail()
