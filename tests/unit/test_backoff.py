"""bot.transport.backoff: the wait between reconnects (IDLE) and SMTP flushes after failures."""

from __future__ import annotations

from bot.transport.backoff import Backoff


def test_backoff_doubles_up_to_the_cap_and_resets_on_success() -> None:
    backoff = Backoff(first=30, cap=100)
    assert backoff.ready(0)
    assert [backoff.failed(0) for _ in range(4)] == [30, 60, 100, 100]
    assert not backoff.ready(99) and backoff.ready(100)
    backoff.succeeded()
    assert backoff.ready(0) and backoff.failed(5) == 30
