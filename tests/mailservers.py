"""Real mail servers on 127.0.0.1 for integration tests (no mocks).

- `Dovecot`: a private Dovecot 2.3 IMAP server (own config, own short temp dir, self-signed TLS cert),
  with a plain port (STARTTLS offered) and an implicit-TLS port.
- `SmtpSink`: an aiosmtpd server that keeps every accepted message in memory, with AUTH, optional
  STARTTLS and injectable DATA failures.

No pytest dependency: errors are raised as `MailServerError`; the conftest turns them into failures.
See /work/shared/recipes/test-mail-servers.md for the measurements behind the choices.
"""

from __future__ import annotations

import contextlib
import grp
import logging
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Literal, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from imapclient import IMAPClient

HOST = "127.0.0.1"
DEFAULT_PASSWORD = "secret"
ImapMode = Literal["plain", "starttls", "ssl"]

_ERROR_RE = re.compile(r": (Error|Fatal|Panic):|Panic")
_APPENDUID_RE = re.compile(rb"\[APPENDUID (\d+) (\d+)\]")

_CONF = """\
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = {host}
{internal}
ssl = yes
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{d}/mail/%d/%n
mail_fsync = never
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd.d/%u
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/mail/%d/%n
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {ssl_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


class MailServerError(RuntimeError):
    """A test mail server could not be installed, started or stopped."""


def free_port(host: str = HOST) -> int:
    """Return a TCP port that was free a moment ago (bind to port 0, then close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _run(cmd: list[str], timeout: float, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-2000:]
        raise MailServerError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{tail}")


def ensure_dovecot() -> str:
    """Return the dovecot binary, installing dovecot-core/dovecot-imapd with apt-get when root.

    Raises MailServerError (never skips) when Dovecot is missing and cannot be installed.
    """
    found = shutil.which("dovecot")
    if found:
        return found
    if os.geteuid() != 0:
        raise MailServerError(
            "Dovecot is not installed and this is not root, so it cannot be installed here. Run: "
            "apt-get update && apt-get install -y dovecot-core dovecot-imapd"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _run(["apt-get", "update"], timeout=300, env=env)
    _run(["apt-get", "install", "-y", "dovecot-core", "dovecot-imapd"], timeout=600, env=env)
    found = shutil.which("dovecot")
    if not found:
        raise MailServerError("apt-get installed dovecot-core but `dovecot` is still not on PATH")
    return found


def make_self_signed_cert(cert_path: str, key_path: str) -> None:
    """Write a 2-day self-signed RSA cert for CN=localhost, SAN IP:127.0.0.1 and DNS:localhost."""
    _run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", key_path, "-out", cert_path,
        ],
        timeout=60,
    )  # fmt: skip
    os.chmod(key_path, 0o644)  # Dovecot reads it as root; harmless for a throw-away test key


def _mail_owner() -> tuple[int, int, str]:
    """(uid, gid, extra conf lines): as root mail must not be uid 0, so it belongs to `nobody`."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return nobody.pw_uid, nobody.pw_gid, ""
    me = pwd.getpwuid(os.geteuid())
    group = _group_name(os.getegid())
    internal = (
        f"default_internal_user = {me.pw_name}\n"
        f"default_internal_group = {group}\n"
        f"default_login_user = {me.pw_name}"
    )
    return os.geteuid(), os.getegid(), internal


def _group_name(gid: int) -> str:
    return grp.getgrgid(gid).gr_name


def close_quietly(client: IMAPClient) -> None:
    """Close a client without LOGOUT, e.g. after a failed STARTTLS (whose socket is already gone)."""
    with contextlib.suppress(OSError):
        client.shutdown()


@dataclass(frozen=True)
class ImapAccount:
    """One mailbox user on a running `Dovecot`."""

    dovecot: Dovecot
    user: str
    password: str

    @property
    def host(self) -> str:
        return self.dovecot.host

    @property
    def port(self) -> int:
        return self.dovecot.port

    @property
    def ssl_port(self) -> int:
        return self.dovecot.ssl_port

    @property
    def cafile(self) -> str:
        return self.dovecot.cafile

    def connect(self, mode: ImapMode = "starttls", login: bool = True) -> IMAPClient:
        return self.dovecot.connect(self.user, mode=mode, login=login)

    def append(
        self,
        raw: bytes,
        folder: str = "INBOX",
        msg_time: datetime | None = None,
        flags: Iterable[str | bytes] = (),
    ) -> int | None:
        return self.dovecot.append(self.user, raw, folder=folder, msg_time=msg_time, flags=flags)


class Dovecot:
    """A private Dovecot IMAP server on 127.0.0.1 (foreground master, own -c config).

    `start()` prepares a short `mkdtemp` dir on first use (cert, users file, config, free ports);
    `stop()` terminates it and keeps the dir, so `start()` again (or `restart()`) keeps mail and
    UIDVALIDITY; `close()` stops and deletes the dir. Users can be added before or after start (one
    passwd-file per user, see `_write_users`). Failed logins are answered after ~0.5 s and do not slow
    down later logins (auth penalty disabled, see `_disable_auth_penalty`).
    """

    def __init__(self, host: str = HOST) -> None:
        self.host = host
        self.dir = ""
        self.port = 0
        self.ssl_port = 0
        self.users: dict[str, str] = {}
        self.start_seconds = 0.0
        self.stop_seconds = 0.0
        self._proc: subprocess.Popen[bytes] | None = None
        self._user_lock = threading.Lock()

    # -- paths --------------------------------------------------------------------------------
    @property
    def certfile(self) -> str:
        return f"{self.dir}/cert.pem"

    @property
    def keyfile(self) -> str:
        return f"{self.dir}/key.pem"

    @property
    def cafile(self) -> str:
        """The self-signed cert doubles as the CA to verify against."""
        return self.certfile

    @property
    def conf_path(self) -> str:
        return f"{self.dir}/dovecot.conf"

    @property
    def log_path(self) -> str:
        return f"{self.dir}/dovecot.log"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def ssl_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts only this server's cert."""
        return ssl.create_default_context(cafile=self.cafile)

    # -- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self, timeout: float = 10.0) -> Self:
        """Start (idempotent). The first start prepares the dir; later starts reuse it."""
        if self.running:
            return self
        binary = ensure_dovecot()
        if not self.dir:
            try:
                self._prepare()
            except BaseException:
                self.close()
                raise
        began = time.monotonic()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._penalty_socket)
        with open(f"{self.dir}/stderr.log", "ab") as err:
            self._proc = subprocess.Popen(
                [binary, "-F", "-c", self.conf_path],
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                start_new_session=True,
            )
        try:
            self._disable_auth_penalty(timeout)
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - began
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the master and wait (about 1 s); SIGKILL the process group on timeout."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        began = time.monotonic()
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.stop_seconds = time.monotonic() - began

    def restart(self) -> Self:
        self.stop()
        return self.start()

    def close(self) -> None:
        """Stop and delete the dir (mail, log, cert)."""
        self.stop()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = ""

    def _prepare(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="dc-")  # short: unix sockets live in {dir}/run
        os.chmod(self.dir, 0o755)  # noqa: S103 - mail processes run as `nobody`
        for sub in ("run", "state", "mail", "passwd.d"):
            os.mkdir(f"{self.dir}/{sub}")
        uid, gid, internal = _mail_owner()
        os.chown(f"{self.dir}/mail", uid, gid)
        make_self_signed_cert(self.certfile, self.keyfile)
        self.port, self.ssl_port = free_port(self.host), free_port(self.host)
        conf = _CONF.format(
            d=self.dir, host=self.host, internal=internal, uid=uid, gid=gid,
            port=self.port, ssl_port=self.ssl_port,
        )  # fmt: skip
        with open(self.conf_path, "w") as fh:
            fh.write(conf)
        self._write_users()

    @property
    def _penalty_socket(self) -> str:
        return f"{self.dir}/run/anvil-auth-penalty"

    def _disable_auth_penalty(self, timeout: float) -> None:
        """Remove the anvil penalty socket before the first client connects.

        Dovecot 2.3 delays every login from an IP after a failed one (2 s, 4 s, ... up to 15 s, via
        anvil), and has no setting to turn that off. The auth process connects to this socket when it
        starts (lazily, on the first login connection); when it is missing (ENOENT, silently) the
        penalty is disabled. The master creates all listeners before it serves anything.
        """
        deadline = time.monotonic() + timeout
        while not os.path.exists(self._penalty_socket):
            assert self._proc is not None
            if self._proc.poll() is not None or time.monotonic() > deadline:
                raise MailServerError(f"dovecot did not create its sockets:\n{self._log_tail()}")
            time.sleep(0.005)
        os.unlink(self._penalty_socket)

    def _wait_ready(self, timeout: float) -> None:
        """Ready when the plain port answers with an IMAP `* OK` greeting."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise MailServerError(f"dovecot exited with {self._proc.returncode}:\n{self._log_tail()}")
            with contextlib.suppress(OSError), socket.create_connection((self.host, self.port), 1) as s:
                if s.recv(64).startswith(b"* OK"):
                    return
            time.sleep(0.01)
        raise MailServerError(f"dovecot gave no greeting within {timeout} s:\n{self._log_tail()}")

    def _log_tail(self) -> str:
        parts = []
        for name in ("dovecot.log", "stderr.log"):
            with contextlib.suppress(OSError), open(f"{self.dir}/{name}", errors="replace") as fh:
                parts.append(f"--- {name}\n{fh.read()[-3000:]}")
        return "\n".join(parts)

    def log_errors(self) -> list[str]:
        """Log lines with `: Error:`, `: Fatal:` or `Panic` (SIGTERM's `Killed with signal 15`
        is a Warning and therefore not reported)."""
        with contextlib.suppress(FileNotFoundError), open(self.log_path, errors="replace") as fh:
            return [line.rstrip("\n") for line in fh if _ERROR_RE.search(line)]
        return []

    # -- users and mail -----------------------------------------------------------------------
    def add_user(self, user: str, password: str) -> None:
        """Add (or change) a user; takes effect at once, also while running."""
        if ":" in user or ":" in password or "\n" in user + password:
            raise ValueError("user and password must not contain ':' or newlines")
        with self._user_lock:
            self.users[user] = password
            if self.dir:
                self._write_users()

    def create_account(
        self, local: str, domain: str = "example.org", password: str = DEFAULT_PASSWORD
    ) -> ImapAccount:
        user = f"{local}@{domain}"
        self.add_user(user, password)
        return ImapAccount(self, user, password)

    def _write_users(self) -> None:
        """One passwd-file per user (`passwd.d/<user>`), written atomically.

        Dovecot 2.3 re-stats a passwd-file at most once per second, so appending to one shared file
        is not seen by a login in the same second. A new per-user file is opened fresh on first use.
        """
        for user, password in self.users.items():
            path = f"{self.dir}/passwd.d/{user}"
            tmp = f"{path}.tmp"
            with open(tmp, "w") as fh:
                fh.write(f"{user}:{{PLAIN}}{password}::::::\n")
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)

    def connect(self, user: str, mode: ImapMode = "starttls", login: bool = True) -> IMAPClient:
        """An IMAPClient on the plain port (`plain`/`starttls`) or the SSL port (`ssl`), TLS verified
        against `cafile`, logged in as `user` unless `login=False`. Use it as a context manager."""
        if mode == "ssl":
            client = IMAPClient(
                self.host, port=self.ssl_port, ssl=True, ssl_context=self.ssl_context(), timeout=10
            )
        else:
            client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        try:
            if mode == "starttls":
                client.starttls(self.ssl_context())
            if login:
                client.login(user, self.users[user])
        except BaseException:
            close_quietly(client)
            raise
        return client

    def append(
        self,
        user: str,
        raw: bytes,
        folder: str = "INBOX",
        msg_time: datetime | None = None,
        flags: Iterable[str | bytes] = (),
    ) -> int | None:
        """APPEND `raw` to `folder` of `user` (folder created if missing); returns the new UID."""
        with self.connect(user, mode="plain") as client:
            if folder.upper() != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            resp = client.append(folder, raw, flags=tuple(flags), msg_time=msg_time)
        match = _APPENDUID_RE.search(resp if isinstance(resp, bytes) else str(resp).encode())
        return int(match.group(2)) if match else None

    def maildir(self, user: str, folder: str = "INBOX") -> str:
        """Filesystem path of a folder (Maildir++ layout: INBOX is the home, others are `.Name`)."""
        local, _, domain = user.partition("@")
        home = f"{self.dir}/mail/{domain}/{local}"
        return home if folder.upper() == "INBOX" else f"{home}/.{folder}"

    def reset_uidvalidity(self, user: str, folder: str = "INBOX") -> int:
        """Give `folder` a new, higher UIDVALIDITY (like a server that rebuilt its mailbox) and return it.

        Uses `doveadm mailbox update --uid-validity`, which works while Dovecot runs; existing UIDs are
        kept. Clients must re-SELECT to see it; do not call it while a client has the folder selected.
        """
        with self.connect(user, mode="plain") as client:
            old = int(client.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])
        new = max(old + 1, int(time.time()))
        update = ["mailbox", "update", "--uid-validity", str(new), "-u", user, folder]
        _run(["doveadm", "-c", self.conf_path, *update], timeout=30)
        return new


# ---------------------------------------------------------------------------------------------------
# SMTP


@dataclass(frozen=True)
class SinkMessage:
    """One message accepted by `SmtpSink`."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes


FAIL_REPLIES: dict[int, str] = {
    421: "421 4.3.2 service not available, closing channel",
    450: "450 4.2.0 mailbox busy",
    451: "451 4.3.0 try later",
    452: "452 4.3.1 insufficient system storage",
    550: "550 5.1.1 no such user",
    552: "552 5.3.4 message too big",
    554: "554 5.6.0 message rejected",
}


class _SinkHandler:
    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        return self._sink._on_data(envelope)


class SmtpSink:
    """aiosmtpd on 127.0.0.1 that stores accepted messages in `messages` (thread-safe snapshot).

    AUTH PLAIN/LOGIN succeeds only for `user`/`password` (failures answer 535); AUTH is optional,
    and allowed without TLS. With `starttls=True` the server offers STARTTLS with `certfile`/`keyfile`
    and requires it before anything else; AUTH is only advertised after STARTTLS (Gmail :587 style,
    so smtplib's login() before starttls() raises SMTPNotSupportedError).
    """

    def __init__(
        self,
        user: str = "bot@example.org",
        password: str = DEFAULT_PASSWORD,
        *,
        starttls: bool = False,
        certfile: str | None = None,
        keyfile: str | None = None,
        host: str = HOST,
    ) -> None:
        if starttls and not (certfile and keyfile):
            raise ValueError("starttls=True needs certfile and keyfile")
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        self.host = host
        self.port = 0
        self.user = user
        self.password = password
        self.starttls = starttls
        self.logins: list[str] = []
        self._certfile = certfile
        self._keyfile = keyfile
        self._cond = threading.Condition()
        self._messages: list[SinkMessage] = []
        self._failures: list[str] = []
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[SinkMessage]:
        with self._cond:
            return list(self._messages)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> Self:
        if self._controller is not None:
            return self
        self.port = free_port(self.host)
        # AUTH works without TLS on the plain sink; the STARTTLS sink hides AUTH until STARTTLS, like Gmail.
        kwargs: dict[str, object] = {"authenticator": self._authenticate, "auth_require_tls": self.starttls}
        if self.starttls:
            assert self._certfile and self._keyfile
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(self._certfile, self._keyfile)
            kwargs |= {"tls_context": ctx, "require_starttls": True}
        controller = Controller(
            _SinkHandler(self), hostname=self.host, port=self.port, server_hostname="localhost", **kwargs
        )
        try:
            controller.start()
        except BaseException:
            with contextlib.suppress(Exception):
                controller.stop(no_assert=True)
            if not controller.loop.is_closed():
                controller.loop.close()
            raise
        self._controller = controller
        return self

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def fail_next(self, code: int, n: int = 1, reply: str | None = None) -> None:
        """Answer the next `n` DATA commands with `code` (e.g. 451 temporary, 550 permanent)
        instead of accepting; rejected messages are not stored."""
        text = reply or FAIL_REPLIES.get(code, f"{code} {code // 100}.0.0 injected failure")
        with self._cond:
            self._failures.extend([text] * n)

    def clear(self) -> None:
        with self._cond:
            self._messages.clear()
            self._failures.clear()

    def wait_for(self, n: int, timeout: float = 5.0) -> list[SinkMessage]:
        """Block until at least `n` messages arrived; return them all. TimeoutError otherwise."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._messages) >= n, timeout):
                raise TimeoutError(f"SmtpSink got {len(self._messages)} message(s), expected {n}")
            return list(self._messages)

    def _on_data(self, envelope: Envelope) -> str:
        with self._cond:
            if self._failures:
                return self._failures.pop(0)
            content = envelope.original_content or envelope.content or b""
            if isinstance(content, str):
                content = content.encode()
            msg = SinkMessage(envelope.mail_from or "", tuple(envelope.rcpt_tos), content)
            self._messages.append(msg)
            self._cond.notify_all()
        return "250 OK"

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: object
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user.encode()
            and auth_data.password == self.password.encode()
        )
        if ok:
            with self._cond:
                self.logins.append(self.user)
        # handled=False: aiosmtpd then sends 235/535 itself (handled=True would send nothing).
        return AuthResult(success=ok, handled=False)
