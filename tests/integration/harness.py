"""Helpers for the end-to-end tests: a config pointing at the real test servers, the real CLI.

Everything here drives mailbot from the outside (config file, subprocess, IMAP, SMTP sink),
the way a staff member or cron would.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.model import Finding
from bot.core.reply_keys import ReplyKey
from bot.transport.outbox import Outbox
from tests.conftest import TEST_AUTHSERV_ID, UNITS_TOML, write_config
from tests.mailservers import SmtpSink, _SinkHandler
from tests.samples import eml

if TYPE_CHECKING:
    from tests.mailservers import ImapAccount, SinkMessage

IMAP_ENV = "MAILBOT_TEST_IMAP_PASSWORD"
SMTP_ENV = "MAILBOT_TEST_SMTP_PASSWORD"
BOT_ADDRESS = "tonghop.ldld@example.org"
BOT_FROM = f"LĐLĐ tỉnh Lai Châu <{BOT_ADDRESS}>"
STAFF = "vanphong.ldld@example.org"          # campaign.staff_emails of tests/conftest.py
REPO = Path(__file__).resolve().parents[2]
CLI_TIMEOUT = 120
ICT = timezone(timedelta(hours=7))
_UNITS = tomllib.loads(UNITS_TOML)["unit"]
UNIT_EMAIL: dict[str, str] = {u["id"]: u["emails"][0] for u in _UNITS}
UNIT_NAME: dict[str, str] = {u["id"]: u["name"] for u in _UNITS}
ALL_UNITS = tuple(UNIT_EMAIL)


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in December 2020, Vietnam time."""
    return datetime(2020, 12, day, hour, minute, tzinfo=ICT)


def unit_mail(unit_id: str, attachments: Sequence[tuple[str, bytes]], *, date: datetime,
              subject: str | None = None, body: str | None = None) -> bytes:
    """A dossier mail as the unit's registered address sends it (tests.samples.eml)."""
    extra = {"body": body} if body else {}
    return eml(sender=UNIT_EMAIL[unit_id], sender_name=UNIT_NAME[unit_id],
               subject=subject or f"Hồ sơ đề nghị khen thưởng VHCS 2020 - {UNIT_NAME[unit_id]}",
               attachments=attachments, date=date, **extra)


@dataclass(frozen=True)
class Setup:
    """One mailbot installation under test: its config file and the secrets it reads from the env."""

    config: Path
    imap_password: str
    smtp_password: str

    @property
    def root(self) -> Path:
        return self.config.parent

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def tally(self) -> Path:
        return self.root / "tally.xlsx"

    def env(self) -> dict[str, str]:
        return {IMAP_ENV: self.imap_password, SMTP_ENV: self.smtp_password}

    def outbox_files(self, folder: str, pattern: str = "*.eml") -> list[Path]:
        return sorted((self.outbox / folder).glob(pattern))


def mailbox_section(
    account: ImapAccount, *, tls: str = "starttls", port: int | None = None, cafile: str | None = "",
    extra: str = "",
) -> str:
    """The [mailbox] table for ``account``; ``cafile=None`` leaves the key out (system CAs only)."""
    if port is None:
        port = account.ssl_port if tls == "ssl" else account.port
    ca = account.cafile if cafile == "" else cafile
    ca_line = f'cafile = "{ca}"\n' if ca else ""
    return (
        "[mailbox]\n"
        'kind = "imap"\n'
        f'host = "{account.host}"\n'
        f"port = {port}\n"
        f'tls = "{tls}"\n'
        f"{ca_line}"
        f'user = "{account.user}"\n'
        f'password_env = "{IMAP_ENV}"\n'
        'folder = "INBOX"\n'
        "timeout_seconds = 10\n"
        f'authserv_id = "{TEST_AUTHSERV_ID}"\n'
        f"{extra}"
    )


def smtp_section(sink: SmtpSink | None, *, port: int | None = None, tls: str = "none",
                 cafile: str | None = None) -> str:
    """The [smtp] table for the sink (or for ``port`` on loopback, e.g. a closed one)."""
    if sink is None and port is None:
        return ""
    host = sink.host if sink is not None else "127.0.0.1"
    user = sink.user if sink is not None else "bot@example.org"
    the_port = port if port is not None else sink.port  # type: ignore[union-attr]
    ca_line = f'cafile = "{cafile}"\n' if cafile else ""
    return (
        "[smtp]\n"
        f'host = "{host}"\n'
        f"port = {the_port}\n"
        f'tls = "{tls}"\n'
        f"{ca_line}"
        f'user = "{user}"\n'
        f'password_env = "{SMTP_ENV}"\n'
        f'from = "{BOT_FROM}"\n'
        "timeout_seconds = 10\n"
    )


PATHS_SECTION = (
    "[paths]\n"
    'state = "state/mailbot.sqlite3"\n'
    'tally = "tally.xlsx"\n'
    'outbox = "outbox"\n'
    'archive = "archive"\n'
)


def make_config(
    folder: Path, account: ImapAccount, sink: SmtpSink | None, extra: str = "", *,
    mailbox: str | None = None, smtp: str | None = None,
) -> Setup:
    """Write ``folder/config.toml``: the 8 test units, [mailbox] on the test Dovecot (STARTTLS on the
    plain port, verified against its cert), [smtp] to the sink, all [paths] under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    mailbox_text = mailbox if mailbox is not None else mailbox_section(account)
    smtp_text = smtp if smtp is not None else smtp_section(sink)
    body = "\n".join(part for part in (mailbox_text, smtp_text, PATHS_SECTION, extra) if part)
    path = write_config(folder, body)
    smtp_password = sink.password if sink is not None else "app-password"
    return Setup(path, account.password, smtp_password)


def run_mailbot(setup: Setup | Path, *args: str, env: dict[str, str] | None = None,
                timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot --config CFG ARGS`` as a separate process, like a user would."""
    config = setup.config if isinstance(setup, Setup) else setup
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    if isinstance(setup, Setup):
        full_env |= setup.env()
    full_env |= env or {}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        capture_output=True, text=True, timeout=timeout, env=full_env, cwd=str(config.parent), check=False,
    )


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    """A failure message showing what the CLI said."""
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, explain(proc)
    assert "Traceback" not in proc.stderr, explain(proc)
    return proc


Rows = list[tuple[object, ...]]


def ledger_rows(setup: Setup, message_columns: str, document_columns: str) -> tuple[Rows, Rows]:
    """The ledger's messages and documents (named columns, in UID and position order), to compare two runs."""
    db = sqlite3.connect(setup.root / "state" / "mailbot.sqlite3")
    try:
        rows = db.execute(f"SELECT {message_columns} FROM messages ORDER BY CAST(uid AS INTEGER)").fetchall()  # noqa: S608
        documents = db.execute(
            f"SELECT m.uid, d.position, {document_columns},"  # noqa: S608 - the tests' own column names
            " (SELECT count(*) FROM nominees n WHERE n.document=d.id) FROM documents d"
            " JOIN messages m ON m.id=d.message ORDER BY CAST(m.uid AS INTEGER), d.position").fetchall()
    finally:
        db.close()
    return rows, documents


def queued_for(digest: object, findings: object, reply: object) -> list[str]:
    """The outbox files one ledger row's message queued: the reply the ledger names and, for mail from an
    address that is not the unit's (``unverified_sender``), the short receipt to its sender, whose file
    the message's digest names (contract, «Replies»: the acknowledgement itself goes to the unit)."""
    if not reply:
        return []
    receipt = Outbox.file_name(ReplyKey.receipt(str(digest)))
    stranger = Finding.UNVERIFIED_SENDER in json.loads(str(findings))
    return [str(reply), *([receipt] if stranger and receipt != reply else [])]


def status_json(setup: Setup) -> dict[str, Any]:
    proc = ok(run_mailbot(setup, "status", "--json"))
    return json.loads(proc.stdout)


def units_by_id(status: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {unit["id"]: unit for unit in status["units"]}


def parse_sent(message: SinkMessage) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(message.content)
    assert isinstance(parsed, EmailMessage)
    return parsed


def body_text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None, "reply has no text/plain body"
    return unicodedata.normalize("NFC", part.get_content())


def header_address(message: EmailMessage, name: str) -> list[str]:
    return [addr.casefold() for _, addr in getaddresses(message.get_all(name, []))]


class GreylistingSink(SmtpSink):
    """An `SmtpSink` that answers RCPT TO with a temporary 450 (greylisting) for the first
    ``greylist`` recipients, then accepts as usual. Real servers greylist at RCPT, not at DATA."""

    def __init__(self, *args: Any, greylist: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.greylist = greylist
        self.refused: list[str] = []

    def start(self) -> GreylistingSink:
        super().start()
        assert self._controller is not None
        self._controller.handler = _GreylistHandler(self)  # used for every new connection
        return self


class _GreylistHandler(_SinkHandler):
    def __init__(self, sink: GreylistingSink) -> None:
        super().__init__(sink)
        self._greylisting = sink

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        sink = self._greylisting
        if len(sink.refused) < sink.greylist:
            sink.refused.append(address)
            return "450 4.2.0 greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"


def start_mailbot(setup: Setup, *args: str) -> subprocess.Popen[str]:
    """Start a long-running command (``run``) in the background; the caller must stop it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env |= setup.env()
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(setup.config), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env, cwd=str(setup.root),
    )


def stop_mailbot(proc: subprocess.Popen[str], timeout: float = 15) -> tuple[int | None, str, str]:
    """SIGTERM the process we started and collect its output; SIGKILL it (by its own handle) if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return None, out, err


def wait_until(predicate: Any, timeout: float, interval: float = 0.05) -> bool:
    """Poll ``predicate()`` until it is true or ``timeout`` seconds passed; return its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
