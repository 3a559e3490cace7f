"""Gmail-style OAuth2: token refresh at a (local) token endpoint, XOAUTH2 login to real servers:
aiosmtpd with an AUTH XOAUTH2 handler, and Dovecot with its oauth2 passdb asking the same endpoint."""

from __future__ import annotations

import json
import stat
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.config.schema import SmtpConfig
from bot.core.reply_keys import ReplyKey
from bot.transport.credentials import CredentialError, oauth2_access_token
from bot.transport.outbox import DeliveryError, Outbox
from tests.integration.harness import (
    IMAP_ENV,
    SMTP_ENV,
    UNIT_EMAIL,
    at,
    mailbox_section,
    make_config,
    ok,
    run_mailbot,
    smtp_section,
    unit_mail,
)
from tests.integration.oauth import DovecotWithOAuth2, TokenEndpoint, XOAuthSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier

USER = "luonghaldld@gmail.com"


def _token_file(folder: Path, uri: str, **extra: object) -> Path:
    path = folder / "gmail-token.json"
    data = {"client_id": "id.apps.example", "client_secret": "s3cret", "refresh_token": "refresh-1",
            "token_uri": uri, **extra}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_an_expired_token_is_refreshed_once_and_stored_privately(tmp_path: Path) -> None:
    with TokenEndpoint() as endpoint:
        path = _token_file(tmp_path, endpoint.uri, access_token="old", expires_at=time.time() - 10)
        assert oauth2_access_token(path) == "access-1"
        assert oauth2_access_token(path) == "access-1"  # still valid: no second request
        assert endpoint.requests == [{"grant_type": "refresh_token", "client_id": "id.apps.example",
                                      "client_secret": "s3cret", "refresh_token": "refresh-1"}]
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["access_token"] == "access-1" and stored["expires_at"] > time.time() + 3000
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_revoked_refresh_token_is_explained(tmp_path: Path) -> None:
    with TokenEndpoint(good_refresh="another") as endpoint:
        path = _token_file(tmp_path, endpoint.uri)
        with pytest.raises(CredentialError, match=r"invalid_grant.*7 days.*docs/operations.md"):
            oauth2_access_token(path)


def test_an_unreachable_endpoint_and_a_plain_http_remote_uri_are_refused(tmp_path: Path) -> None:
    with TokenEndpoint() as endpoint:
        closed = endpoint.uri
    with pytest.raises(CredentialError, match="unreachable"):
        oauth2_access_token(_token_file(tmp_path, closed))
    with pytest.raises(CredentialError, match="must be https"):
        oauth2_access_token(_token_file(tmp_path, "http://oauth.example.org/token"))


def _smtp(sink: XOAuthSink, token_file: Path) -> SmtpConfig:
    return SmtpConfig(host=sink.host, port=sink.port, tls="none", user=USER, password_env="", password_file=None,
                      sender=f"LĐLĐ <{USER}>", timeout_seconds=10, auth="oauth2", token_file=token_file)


def _queue_one(outbox: Outbox) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = USER, "ldld.tamduong@example.vn", "Nhắc hồ sơ"
    message.set_content("Nội dung")
    outbox.enqueue(message, ReplyKey.reminder("tam_duong", "T-3"))


def test_smtp_logs_in_with_xoauth2_and_sends(tmp_path: Path) -> None:
    with TokenEndpoint() as endpoint, XOAuthSink(USER, "unused", tokens={"access-1"}) as sink:
        outbox = Outbox(tmp_path / "outbox")
        _queue_one(outbox)
        report = outbox.drain(_smtp(sink, _token_file(tmp_path, endpoint.uri)))
        assert report.sent == 1
        assert sink.xoauth2 == [f"user={USER}\x01auth=Bearer access-1\x01\x01"]
        assert sink.wait_for(1)[0].rcpt_tos == ("ldld.tamduong@example.vn",)


def test_smtp_refusing_the_token_is_a_plain_delivery_error(tmp_path: Path) -> None:
    with TokenEndpoint() as endpoint, XOAuthSink(USER, "unused", tokens={"some-other"}) as sink:
        outbox = Outbox(tmp_path / "outbox")
        _queue_one(outbox)
        with pytest.raises(DeliveryError, match=r"login refused.*OAuth2 token"):
            outbox.drain(_smtp(sink, _token_file(tmp_path, endpoint.uri)))
        assert len(outbox.pending_files()) == 1


def test_poll_and_check_with_oauth2_on_imap_and_smtp(tmp_path: Path) -> None:
    """GIVEN Dovecot and the SMTP server both accepting only tokens the endpoint issued, a token file
    holding just the refresh token, and a dossier in the inbox
    WHEN `mailbot check` then `mailbot poll` run with auth = "oauth2" on [mailbox] and [smtp]
    THEN check says both logins work, the poll answers the dossier, and the token was refreshed once
    (the second login reuses the stored access token)."""
    with TokenEndpoint(email="oa@example.org") as endpoint, DovecotWithOAuth2(endpoint.introspection_uri) as dovecot:
        account = dovecot.create_account("oa", password="not-used-by-mailbot")
        account.append(unit_mail("tam_duong", full_dossier(SAMPLE_DOSSIERS["tam_duong"]), date=at(8)), msg_time=at(8))
        token_file = _token_file(tmp_path, endpoint.uri)
        oauth = f'auth = "oauth2"\ntoken_file = "{token_file}"\n'
        with XOAuthSink("oa@example.org", "unused", tokens=endpoint.issued) as sink:
            mailbox = mailbox_section(account, extra=oauth).replace(f'password_env = "{IMAP_ENV}"\n', "")
            smtp = smtp_section(sink).replace(f'password_env = "{SMTP_ENV}"\n', oauth)
            setup = make_config(tmp_path, account, sink, mailbox=mailbox, smtp=smtp)
            check = ok(run_mailbot(setup, "check", env={IMAP_ENV: "", SMTP_ENV: ""}))
            assert "OK   mailbox imap:oa@example.org" in check.stdout and "OK   SMTP" in check.stdout, check.stdout
            ok(run_mailbot(setup, "poll", env={IMAP_ENV: "", SMTP_ENV: ""}))
            assert [m.rcpt_tos for m in sink.messages] == [(UNIT_EMAIL["tam_duong"],)]
        log = Path(dovecot.log_path).read_text()
    assert log.count("Login: user=<oa@example.org>, method=XOAUTH2") == 2, log[-2000:]  # check, then poll
    assert len(endpoint.requests) == 1
