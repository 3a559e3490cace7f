"""Serving the console: ``mailbot web`` (in the foreground), ``mailbot run`` with ``[web] listen`` (on a
thread beside the scheduler), and ``mailbot web-link`` (a sign-in link for the installer).

uvicorn serves; its access log is off, as a sign-in link's token travels in a query string.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime

import uvicorn

from bot.config.schema import Config
from bot.state.ledger import Ledger
from bot.state.signin import SignInStore
from bot.web.console import Console
from bot.web.routes import create_app
from bot.web.secret import load_secret
from bot.web.signin import SignIn

log = logging.getLogger(__name__)


def _server(cfg: Config, host: str, port: int, freeze_gc: bool) -> tuple[uvicorn.Server, Console]:
    console = Console(cfg, freeze_gc)
    config = uvicorn.Config(create_app(console), host=host, port=port, access_log=False, log_level="warning",
                            proxy_headers=True, server_header=False, lifespan="off")
    return uvicorn.Server(config), console


def serve(cfg: Config, host: str, port: int) -> bool:
    """Serve until SIGINT/SIGTERM; False when the server could not start (the address is taken).

    uvicorn runs on a thread and this one waits for the signal: in the main thread uvicorn would raise
    the signal again after its graceful stop, and the process would end by it instead of exiting 0."""
    stopping = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stopping.set())
    background = Background(cfg, host, port, freeze_gc=True)
    background.start()
    while background.thread.is_alive() and not stopping.wait(0.5):
        pass
    started = background.server.started
    background.stop()
    return started


class Background:
    """The console on a thread of ``mailbot run``; :meth:`stop` ends it."""

    def __init__(self, cfg: Config, host: str = "", port: int = 0, *, freeze_gc: bool = False) -> None:
        """``freeze_gc``: the process serves for long (``web``, ``run``), not a test's (bot/web/picture.py)."""
        self.server, self.console = _server(cfg, host or cfg.web.host, port or cfg.web.port, freeze_gc)
        self.thread = threading.Thread(target=self.server.run, name="mailbot-console", daemon=True)

    def start(self) -> None:
        self.console.start()
        self.thread.start()
        log.info("console: http://%s:%d/", self.server.config.host, self.server.config.port)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.console.close()


def sign_in_link(cfg: Config, address: str, base: str = "") -> str | None:
    """A one-time link for a staff address, None for another address."""
    ledger = Ledger.of(cfg.paths)
    try:
        return SignIn(cfg, SignInStore(ledger.db), load_secret(cfg)).link(address, datetime.now(UTC), base)
    finally:
        ledger.close()
