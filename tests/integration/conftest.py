"""Fixtures with real mail servers on 127.0.0.1: Dovecot (IMAP, once per session) and aiosmtpd (SMTP).

Every test under tests/integration is marked `integration` automatically.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    from tests.mailservers import Dovecot, ImapAccount, MailServerError, SmtpSink
except ModuleNotFoundError as exc:  # plain `pytest` while tests/ has no __init__.py: tests/ is on sys.path
    if exc.name != "tests":
        raise
    from mailservers import Dovecot, ImapAccount, MailServerError, SmtpSink

INTEGRATION_DIR = Path(__file__).resolve().parent
SMTP_USER = "bot@example.org"
SMTP_PASSWORD = "app-password"
_account_numbers = itertools.count(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the items under this folder (the hook itself sees every collected item)."""
    for item in items:
        if Path(item.path).resolve().is_relative_to(INTEGRATION_DIR):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A started `Dovecot` shared by the session. Tests may restart it, but must leave it running.

    Teardown fails loudly if Dovecot logged any Error/Fatal/Panic line.
    """
    server = Dovecot()
    try:
        server.start()
    except MailServerError as exc:
        server.close()
        pytest.fail(f"could not start Dovecot for integration tests: {exc}", pytrace=False)
    yield server
    server.stop()
    errors = server.log_errors()
    server.close()
    if errors:
        pytest.fail("Dovecot logged errors during the session:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def imap_account(dovecot: Dovecot) -> ImapAccount:
    """A fresh, empty mailbox user `u<N>@example.org` with password `secret` for this test only."""
    dovecot.start()  # no-op unless a previous test left it stopped
    return dovecot.create_account(f"u{next(_account_numbers)}", password="secret")


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A plain SMTP sink (no TLS) accepting AUTH for SMTP_USER / SMTP_PASSWORD (AUTH optional)."""
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink:
        yield sink


@pytest.fixture
def smtp_sink_starttls(dovecot: Dovecot) -> Iterator[SmtpSink]:
    """Like `smtp_sink`, but STARTTLS is required first (Gmail :587 style), using Dovecot's cert
    (verify clients with `ssl.create_default_context(cafile=dovecot.cafile)`)."""
    with SmtpSink(
        SMTP_USER, SMTP_PASSWORD, starttls=True, certfile=dovecot.certfile, keyfile=dovecot.keyfile
    ) as sink:
        yield sink
