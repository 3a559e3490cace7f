"""Readers for the keys of unattended running: IDLE renewal, the processed-mail keyword, OAuth2.

Kept apart from bot/config/schema.py so that file stays about the campaign; same ``Reader`` conventions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.config.reader import Reader

AUTH_MODES = ("password", "oauth2")
DEFAULT_AUTHSERV_IDS = ("mx.google.com",)


def authserv_ids(sec: Reader) -> tuple[str, ...]:
    """``authserv_id``: one name or a list; the receiving server's Authentication-Results name (RFC 8601)."""
    value = sec.get("authserv_id", None)
    if value is None:
        return DEFAULT_AUTHSERV_IDS
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() and " " not in n.strip()
                                               for n in names) or not names:
        sec.problem("authserv_id", f"must be a server name or a list of them (e.g. \"mx.google.com\"), got {value!r}")
        return DEFAULT_AUTHSERV_IDS
    return tuple(n.strip().casefold() for n in names)


def idle_renew(sec: Reader) -> float:
    minutes = sec.number("idle_renew_minutes", 10, minimum=0.01)
    if minutes >= 29:
        sec.problem("idle_renew_minutes", "must be below 29: servers may drop an IDLE after 29 minutes")
    return minutes


def imap_keyword(sec: Reader) -> str:
    keyword = sec.str("keyword", "$MailbotDone")
    if not keyword or any(c in keyword for c in ' ()"{%*\\]') or not keyword.isascii():
        sec.problem("keyword", f"{keyword!r} is not an IMAP keyword (ASCII, no spaces or ()\"{{%*\\])")
    return keyword


def auth(sec: Reader, base: Path) -> dict[str, Any]:
    """``auth = "oauth2"`` needs a ``token_file`` (see docs/operations.md: Gmail with OAuth2)."""
    mode = sec.choice("auth", AUTH_MODES, "password")
    token_file = sec.path("token_file", base)
    if mode == "oauth2" and token_file is None:
        sec.problem("token_file", "required when auth = \"oauth2\": the JSON token file (see docs/operations.md)")
    return {"auth": mode, "token_file": token_file}


GMAIL_HOSTS = ("imap.gmail.com", "imap.googlemail.com")
GMAIL_SPAM = "[Gmail]/Spam"


def folders(sec: Reader, host: str) -> dict[str, Any]:
    """``folders`` (several folders read in turn) or ``folder`` (its single-folder form), and the spam folder.

    ``spam_folder`` defaults to Gmail's Spam on a Gmail host and to none elsewhere; "" turns it off.
    """
    single = sec.str("folder", "INBOX") or "INBOX"
    names = sec.str_list("folders", [single])
    if "folders" in sec.data and not names:
        sec.problem("folders", "must name at least one folder, e.g. [\"INBOX\"]")
        names = [single]
    if "folder" in sec.data and "folders" in sec.data and single not in names:
        sec.problem("folder", f"{single!r} is not among mailbox.folders: set one of the two")
    unique = tuple(dict.fromkeys(names))
    spam = sec.str("spam_folder", GMAIL_SPAM if host.casefold() in GMAIL_HOSTS else "")
    if spam and spam in unique:
        sec.problem("spam_folder", f"{spam!r} is also in mailbox.folders: mail there would be answered")
    return {"folder": unique[0], "folders": unique, "spam_folder": spam or None}
