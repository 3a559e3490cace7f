"""The one backoff of mailbot: the IDLE watcher's reconnects and the outbox flush after SMTP failures.

Other retries are counted, not timed: a failed message is processed again at the next polls (at most
``bot.state.ledger.MAX_ATTEMPTS`` times), a deferred reply is tried at each flush (at most
``bot.transport.outbox.MAX_TEMPORARY_ATTEMPTS`` times), an unreachable mailbox at the next poll.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Backoff:
    """Exponential backoff between attempts: ``first`` seconds, doubling up to ``cap``; reset on success.

    Times are plain numbers (``time.monotonic()`` in production) so that tests drive it with a fake clock.
    """

    first: float = 30
    cap: float = 1800
    failures: int = 0
    not_before: float = 0

    def ready(self, now: float) -> bool:
        return now >= self.not_before

    def failed(self, now: float) -> float:
        """Record a failure at ``now``; returns the wait before the next attempt."""
        delay = min(self.cap, self.first * 2 ** self.failures)
        self.failures += 1
        self.not_before = now + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self.not_before = 0
