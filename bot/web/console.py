"""The console's long-lived pieces in one process: the ledger connection (one lock serialises it across
the server's threads), the picture cache, sign-in, the outbox, and the follow-up worker.

After a decision or a sign-in mail the worker does what the command line does after a decision
(bot/app/decide.follow_up): acknowledgements owed, the tally, sending; only when no poll holds the
state lock (the running poll does it on its next cycle otherwise). One worker, so two clicks never
race each other; it retries a few times while another command holds the lock briefly.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from bot.app import decide
from bot.config.schema import Config
from bot.state.ledger import Ledger
from bot.state.signin import SignInStore
from bot.transport.outbox import Outbox
from bot.web.picture import PictureCache
from bot.web.secret import load_secret
from bot.web.signin import SignIn

log = logging.getLogger(__name__)
RETRY_SECONDS = 20.0
RETRIES = 3


class FollowUpWorker(threading.Thread):
    def __init__(self, cfg: Config) -> None:
        super().__init__(name="mailbot-console-follow-up", daemon=True)
        self.cfg = cfg
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.runs = 0

    def request(self) -> None:
        self.wanted.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wanted.set()

    def run(self) -> None:
        tries = 0
        while not self.stopping.is_set():
            timeout = RETRY_SECONDS if tries else None
            if not self.wanted.wait(timeout) and tries == 0:
                continue
            if self.stopping.is_set():
                return
            self.wanted.clear()
            tries = self._once(tries)

    def _once(self, tries: int) -> int:
        try:
            done = decide.follow_up(self.cfg, datetime.now(UTC))
        except Exception:
            log.exception("console follow-up failed; the next poll does it")
            return 0
        self.runs += 1
        if done.done:
            for name in done.acknowledgements:
                log.info("console: acknowledgement queued %s", name)
            return 0
        return 0 if tries + 1 >= RETRIES else tries + 1


class Console:
    def __init__(self, cfg: Config, freeze_gc: bool = False) -> None:
        self.cfg = cfg
        self.lock = threading.Lock()
        self.ledger = Ledger.of(cfg.paths)
        self.outbox = Outbox(cfg.paths.outbox)
        self.pictures = PictureCache(self.ledger, cfg, self.lock, freeze_gc=freeze_gc)
        self.signin = SignIn(cfg, SignInStore(self.ledger.db), load_secret(cfg))
        self.worker = FollowUpWorker(cfg)

    def start(self) -> None:
        self.worker.start()

    def close(self) -> None:
        self.worker.stop()
        self.pictures.close()
        with self.lock:
            self.ledger.close()
