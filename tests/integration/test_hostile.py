"""Hostile input through the real CLI: generated attacks on Dovecot, CPython's own email test data and
real third-party mails (bounces, auto-replies, read receipts ...) from a Maildir.

Every message must get exactly one recorded outcome (never `error`), the poll must exit 0 without a
traceback, and nothing may be written outside archive/, state/, outbox/ and the workbook.
"""

from __future__ import annotations

import mailbox
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile_samples import big_attachment, hostile_messages, with_attachment
from tests.integration.harness import Setup, explain, make_config, ok, run_mailbot
from tests.mailservers import ImapAccount, SmtpSink

ALLOWED_TOP = {"archive", "state", "outbox", "tally.xlsx", "config.toml", "inbox"}
LIMITS = "[limits]\nmax_message_mb = 100\n"
MAILDIR = '[mailbox]\nkind = "maildir"\npath = "inbox"\n'
SHARED = Path(__file__).resolve().parents[3] / "shared"
REAL_MAIL = SHARED / "realdocs" / "mail"


def _cpython_email_data() -> Path | None:
    try:
        import test.test_email as cpython_tests  # the stdlib's own test package, when installed
    except ImportError:
        return None
    folder = Path(cpython_tests.__file__).parent / "data"
    return folder if folder.is_dir() else None


def _files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink("bot@example.org", "app-password") as server:
        yield server


def _rows(setup: Setup) -> list[tuple[str, str, str]]:
    db = sqlite3.connect(setup.root / "state" / "mailbot.sqlite3")
    try:
        # reply (the queued file) and withheld (why none): exactly one of them is set
        return db.execute("SELECT uid, outcome, reply || withheld FROM messages").fetchall()
    finally:
        db.close()


def _replied(setup: Setup) -> list[tuple[str, str, str]]:
    """The messages a reply was queued for: (uid, outcome, the reply's outbox file)."""
    db = sqlite3.connect(setup.root / "state" / "mailbot.sqlite3")
    try:
        return db.execute("SELECT uid, outcome, reply FROM messages WHERE reply != ''").fetchall()
    finally:
        db.close()


def _check_contained(setup: Setup, before_parent: set[str]) -> None:
    """Nothing outside the installation folder, and inside it only the folders mailbot owns."""
    assert set(os.listdir(setup.root.parent)) == before_parent, "a file appeared beside the installation"
    stray = {path.relative_to(setup.root).parts[0] for path in _files(setup.root)} - ALLOWED_TOP
    assert not stray, f"written outside archive/, state/, outbox/: {stray}"
    archive = (setup.root / "archive").resolve()
    for path in _files(setup.root / "archive"):
        assert path.resolve().is_relative_to(archive)
        assert "\x00" not in path.name and not any(ord(c) < 32 for c in path.name), repr(path.name)


def _poll_and_check(setup: Setup, count: int, before_parent: set[str]) -> list[tuple[str, str, str]]:
    proc = ok(run_mailbot(setup, "poll", timeout=600))
    rows = _rows(setup)
    assert len(rows) == count == len({uid for uid, _, _ in rows}), explain(proc)
    errors = [row for row in rows if row[1] == "error"]
    assert not errors, f"{errors}\n{explain(proc)}"
    _check_contained(setup, before_parent)
    return rows


def _maildir_setup(tmp_path: Path, account: ImapAccount, sink: SmtpSink, messages: list[bytes]) -> Setup:
    root = tmp_path / "bot"
    root.mkdir(parents=True, exist_ok=True)
    box = mailbox.Maildir(root / "inbox", create=True)
    for raw in messages:
        box.add(raw)
    return make_config(root, account, sink, LIMITS, mailbox=MAILDIR)


def test_generated_hostile_mail_on_imap(tmp_path: Path, imap_account: ImapAccount, sink: SmtpSink) -> None:
    """Broken boundaries and charsets, 8-bit and huge headers, deep nesting, zip and docx bombs,
    encrypted/corrupt PDFs, 0-byte files, ../ and control characters in names, a 50 MB attachment."""
    messages = [*hostile_messages().values(), with_attachment("Bản scan 50MB.pdf", big_attachment())]
    for raw in messages:
        imap_account.append(raw)
    setup = make_config(tmp_path / "bot", imap_account, sink, LIMITS)
    rows = _poll_and_check(setup, len(messages), set(os.listdir(tmp_path)))
    assert all(decision for _, _, decision in rows), "every message has its reply decision recorded"
    assert not list(Path("/").glob("boot.ini*")) and not (tmp_path / "etc").exists()


@pytest.mark.skipif(_cpython_email_data() is None, reason="CPython's test.test_email package is not installed"
                    " (Debian: libpython3.11-testsuite)")
def test_cpython_email_test_data(tmp_path: Path, imap_account: ImapAccount, sink: SmtpSink) -> None:
    """Every message file of CPython's own email test suite: recorded, never an error, no reply."""
    folder = _cpython_email_data()
    assert folder is not None
    messages = [path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()]
    assert len(messages) > 40
    setup = _maildir_setup(tmp_path, imap_account, sink, messages)
    rows = _poll_and_check(setup, len(messages), set(os.listdir(tmp_path)))
    assert len(rows) == len(messages) and _replied(setup) == []
    assert sink.messages == []


@pytest.mark.skipif(not REAL_MAIL.is_dir(), reason=f"real third-party mails not found at {REAL_MAIL}"
                    " (the shared realdocs folder lives beside the clone in CI)")
def test_real_bounces_autoreplies_and_oddities_get_no_reply(tmp_path: Path, imap_account: ImapAccount,
                                                              sink: SmtpSink) -> None:
    """The 30 real messages (bounces of nine mail systems, auto-replies, a look-alike, a read receipt,
    forwards, RFC 2231 names, broken charsets): each recorded once, none answered."""
    messages = [path.read_bytes() for path in sorted(REAL_MAIL.glob("*.eml"))]
    assert len(messages) >= 30
    setup = _maildir_setup(tmp_path, imap_account, sink, messages)
    rows = _poll_and_check(setup, len(messages), set(os.listdir(tmp_path)))
    assert len(rows) == len(messages) and _replied(setup) == []
    assert sink.messages == [] and setup.outbox_files("pending") == [] and setup.outbox_files("sent") == []
