"""The mail account settings: [mailbox]/[smtp] auth, IDLE and marking keys, the XOAUTH2 string, the Gmail label
on the wire."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from imapclient import imap_utf7

from bot.config import schema as config_module
from bot.config.schema import ConfigError
from bot.transport.credentials import xoauth2_string
from tests.conftest import write_config

IMAP = '[mailbox]\nkind = "imap"\nuser = "luonghaldld@gmail.com"\npassword_env = "X"\n'


def test_new_mailbox_keys_have_defaults(tmp_path: Path) -> None:
    cfg = config_module.load(write_config(tmp_path, IMAP))
    box = cfg.mailbox
    assert (box.auth, box.token_file, box.idle, box.idle_renew_minutes) == ("password", None, False, 10)
    assert (box.mark_processed, box.label, box.keyword) == (True, "mailbot/đã xử lý", "$MailbotDone")
    assert cfg.log_file == tmp_path / "state" / "mailbot.log"


@pytest.mark.parametrize(("extra", "problem"), [
    ('auth = "oauth2"\n', r"mailbox\.token_file: required when auth = \"oauth2\""),
    ('auth = "kerberos"\n', r"mailbox\.auth: must be one of 'password', 'oauth2'"),
    ("idle_renew_minutes = 29\n", r"mailbox\.idle_renew_minutes: must be below 29"),
    ('keyword = "đã xử lý"\n', r"mailbox\.keyword: .* is not an IMAP keyword"),
])
def test_bad_new_mailbox_keys_are_named(tmp_path: Path, extra: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_module.load(write_config(tmp_path, IMAP + extra))
    assert any(re.search(problem, line) for line in caught.value.problems), caught.value.problems


def test_smtp_oauth2_and_logging_keys(tmp_path: Path) -> None:
    smtp = '[smtp]\nfrom = "x@example.org"\nuser = "x@example.org"\nauth = "oauth2"\ntoken_file = "t.json"\n'
    logging = '[logging]\nfile = "logs/bot.log"\nmax_kb = 64\nkeep = 2\n'
    cfg = config_module.load(write_config(tmp_path, IMAP + smtp + logging))
    assert cfg.smtp is not None and (cfg.smtp.auth, cfg.smtp.token_file) == ("oauth2", tmp_path / "t.json")
    assert cfg.log_file == tmp_path / "logs" / "bot.log"
    assert (cfg.logging.max_kb, cfg.logging.keep) == (64, 2)
    with pytest.raises(ConfigError, match=r"logging\.colour: unknown key"):
        config_module.load(write_config(tmp_path, IMAP + "[logging]\ncolour = true\n"))


def test_xoauth2_string_is_the_documented_sasl_format() -> None:
    text = xoauth2_string("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg")
    assert base64.b64encode(text.encode()).decode() == (
        "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52"
        "YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==")  # the example in Google's XOAUTH2 protocol page


def _modified_utf7(text: str) -> str:
    """RFC 3501 5.1.3 written out independently: non-ASCII runs as &base64(UTF-16BE)- with ',' for '/'."""
    out, run = [], ""
    for char in text + "\0":
        if char != "\0" and not (0x20 <= ord(char) <= 0x7E):
            run += char
            continue
        if run:
            out.append("&" + base64.b64encode(run.encode("utf-16-be")).decode().rstrip("=").replace("/", ",") + "-")
            run = ""
        if char != "\0":
            out.append("&-" if char == "&" else char)
    return "".join(out)


def test_the_gmail_label_goes_on_the_wire_in_modified_utf7() -> None:
    label = "mailbot/đã xử lý"
    wire = imap_utf7.encode(label)
    assert wire.decode("ascii") == _modified_utf7(label)
    assert wire.startswith(b"mailbot/&") and imap_utf7.decode(wire) == label
