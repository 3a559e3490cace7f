"""Prove the real-server fixtures with real clients (imapclient, smtplib)."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from email.message import EmailMessage
from typing import TYPE_CHECKING

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

if TYPE_CHECKING:
    from tests.mailservers import Dovecot, ImapAccount, SmtpSink

RAW = b"From: unit@example.org\r\nTo: bot@example.org\r\nSubject: dossier\r\n\r\nhello\r\n"


def _message(sender: str, subject: str = "reply") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "unit@example.org"
    msg["Subject"] = subject
    msg.set_content("Dear unit, received.")
    return msg


def test_imap_plain_port_starttls_with_verified_context(imap_account: ImapAccount) -> None:
    """GIVEN a fresh account on the plain IMAP port
    WHEN the client upgrades with STARTTLS using a context that trusts only the test CA, then logs in
    THEN login succeeds over a verified TLS session and INBOX is empty."""
    ctx = ssl.create_default_context(cafile=imap_account.cafile)
    with IMAPClient(imap_account.host, port=imap_account.port, ssl=False, timeout=10) as client:
        assert b"STARTTLS" in client.capabilities()
        client.starttls(ctx)
        client.login(imap_account.user, imap_account.password)
        assert client.select_folder("INBOX")[b"EXISTS"] == 0


def test_imap_ssl_port_with_verified_context(imap_account: ImapAccount) -> None:
    """GIVEN a fresh account
    WHEN the client connects to the implicit-TLS port with a verifying context and logs in
    THEN the login succeeds (cert SAN 127.0.0.1 matches the host)."""
    ctx = ssl.create_default_context(cafile=imap_account.cafile)
    with IMAPClient(
        imap_account.host, port=imap_account.ssl_port, ssl=True, ssl_context=ctx, timeout=10
    ) as c:
        c.login(imap_account.user, imap_account.password)
        assert c.folder_exists("INBOX")


def test_imap_starttls_rejects_untrusted_cert(imap_account: ImapAccount) -> None:
    """GIVEN the self-signed test cert
    WHEN a client verifies against the system CAs only
    THEN the TLS handshake fails (so the other tests really verify)."""
    client = IMAPClient(imap_account.host, port=imap_account.port, ssl=False, timeout=10)
    try:
        with pytest.raises(ssl.SSLCertVerificationError):
            client.starttls(ssl.create_default_context())
    finally:
        with contextlib.suppress(OSError):  # the failed handshake already closed the socket
            client.shutdown()


def test_append_then_search_and_peek_keeps_unseen(imap_account: ImapAccount) -> None:
    """GIVEN a message APPENDed to INBOX without flags
    WHEN the client does UID SEARCH and fetches BODY.PEEK[]
    THEN it gets the exact bytes back and \\Seen is still unset."""
    uid = imap_account.append(RAW)
    with imap_account.connect() as client:
        client.select_folder("INBOX")
        assert client.search(["UNSEEN"]) == [uid]
        body = client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
        flags = client.get_flags([uid])[uid]
    assert body == RAW
    assert b"\\Seen" not in flags


def test_append_with_flags_to_new_folder(imap_account: ImapAccount) -> None:
    """GIVEN an account without a folder `Archive`
    WHEN a message is appended there with \\Seen and a custom keyword
    THEN the folder exists and the message carries both flags."""
    uid = imap_account.append(RAW, folder="Archive", flags=[b"\\Seen", b"$MailbotProcessed"])
    with imap_account.connect("ssl") as client:
        client.select_folder("Archive", readonly=True)
        flags = client.get_flags([uid])[uid]
    assert set(flags) >= {b"\\Seen", b"$MailbotProcessed"}


def test_uidvalidity_stable_across_restart(dovecot: Dovecot, imap_account: ImapAccount) -> None:
    """GIVEN a mailbox with one message and a known UIDVALIDITY
    WHEN Dovecot is stopped and started on the same dir
    THEN UIDVALIDITY, the UID and the message survive."""
    uid = imap_account.append(RAW)
    with imap_account.connect() as client:
        before = client.select_folder("INBOX")[b"UIDVALIDITY"]
    dovecot.restart()
    with imap_account.connect() as client:
        after = client.select_folder("INBOX")[b"UIDVALIDITY"]
        assert client.search() == [uid]
    assert after == before


def test_reset_uidvalidity_changes_it(dovecot: Dovecot, imap_account: ImapAccount) -> None:
    """GIVEN a mailbox with a known UIDVALIDITY
    WHEN reset_uidvalidity is called (server running, no client selected)
    THEN a re-SELECT reports the new, higher UIDVALIDITY."""
    imap_account.append(RAW)
    with imap_account.connect() as client:
        before = client.select_folder("INBOX")[b"UIDVALIDITY"]
    new = dovecot.reset_uidvalidity(imap_account.user)
    with imap_account.connect() as client:
        assert client.select_folder("INBOX")[b"UIDVALIDITY"] == new > before


def test_wrong_imap_password_gives_login_error(imap_account: ImapAccount) -> None:
    """GIVEN an account
    WHEN the client logs in with a wrong password
    THEN imapclient raises LoginError."""
    with imap_account.connect(login=False) as client, pytest.raises(LoginError):
        client.login(imap_account.user, "wrong")


def test_smtp_login_plain_arrives_in_sink(smtp_sink: SmtpSink) -> None:
    """GIVEN a plain SMTP sink
    WHEN smtplib logs in and sends a message
    THEN the sink holds it with envelope and content."""
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=10) as smtp:
        smtp.login(smtp_sink.user, smtp_sink.password)
        smtp.send_message(_message(smtp_sink.user, "plain"))
    (got,) = smtp_sink.wait_for(1)
    assert got.mail_from == smtp_sink.user
    assert got.rcpt_tos == ("unit@example.org",)
    assert b"Subject: plain" in got.content
    assert smtp_sink.logins == [smtp_sink.user]


def test_smtp_starttls_login_arrives_in_sink(smtp_sink_starttls: SmtpSink, dovecot: Dovecot) -> None:
    """GIVEN a sink that requires STARTTLS
    WHEN smtplib upgrades with a verifying context, logs in and sends
    THEN the message arrives."""
    ctx = ssl.create_default_context(cafile=dovecot.cafile)
    with smtplib.SMTP(smtp_sink_starttls.host, smtp_sink_starttls.port, timeout=10) as smtp:
        smtp.starttls(context=ctx)
        smtp.login(smtp_sink_starttls.user, smtp_sink_starttls.password)
        smtp.send_message(_message(smtp_sink_starttls.user, "tls"))
    assert b"Subject: tls" in smtp_sink_starttls.wait_for(1)[0].content


def test_smtp_wrong_password_is_rejected(smtp_sink: SmtpSink) -> None:
    """GIVEN the sink
    WHEN smtplib logs in with a wrong password
    THEN it gets SMTPAuthenticationError 535 (no hang)."""
    with (
        smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPAuthenticationError) as err,
    ):
        smtp.login(smtp_sink.user, "wrong")
    assert err.value.smtp_code == 535


@pytest.mark.parametrize(("code", "status"), [(451, b"4.3.0"), (550, b"5.1.1")])
def test_fail_next_rejects_data_then_recovers(smtp_sink: SmtpSink, code: int, status: bytes) -> None:
    """GIVEN fail_next(code) on the sink
    WHEN a message is sent, then another one
    THEN the first raises SMTPDataError with that code and is not stored; the second arrives."""
    smtp_sink.fail_next(code)
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=10) as smtp:
        smtp.login(smtp_sink.user, smtp_sink.password)
        with pytest.raises(smtplib.SMTPDataError) as err:
            smtp.send_message(_message(smtp_sink.user, "first"))
        smtp.send_message(_message(smtp_sink.user, "second"))
    assert err.value.smtp_code == code
    assert err.value.smtp_error.startswith(status)
    (got,) = smtp_sink.wait_for(1)
    assert b"Subject: second" in got.content


def test_starttls_sink_refuses_auth_before_starttls(smtp_sink_starttls: SmtpSink) -> None:
    """GIVEN a sink that requires STARTTLS
    WHEN smtplib tries to log in on the plain connection
    THEN AUTH is not offered (SMTPNotSupportedError) and nothing is stored."""
    with (
        smtplib.SMTP(smtp_sink_starttls.host, smtp_sink_starttls.port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPNotSupportedError),
    ):
        smtp.login(smtp_sink_starttls.user, smtp_sink_starttls.password)
    assert smtp_sink_starttls.messages == []


def test_wait_for_times_out_when_nothing_arrives(smtp_sink: SmtpSink) -> None:
    """GIVEN an idle sink
    WHEN a test waits for a message with a short timeout
    THEN TimeoutError is raised instead of hanging."""
    with pytest.raises(TimeoutError, match="got 0 message"):
        smtp_sink.wait_for(1, timeout=0.05)
