"""The Maildir source finds its files by listing new/ and cur/ itself (no private stdlib API)."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pytest

from bot.transport.maildir import MaildirSource

MAIL = b"From: a@example.org\r\nDate: Mon, 2 Mar 2026 08:00:00 +0700\r\nSubject: x\r\n\r\nbody\r\n"


def _maildir(tmp_path: Path) -> tuple[Path, str]:
    box = mailbox.Maildir(tmp_path / "inbox", create=True)
    key = box.add(mailbox.MaildirMessage(MAIL))
    (tmp_path / "inbox" / "new" / ".hidden").write_bytes(b"not mail")
    return tmp_path / "inbox", key


def test_keys_are_those_of_the_stdlib_and_dotfiles_are_not_mail(tmp_path: Path) -> None:
    path, key = _maildir(tmp_path)
    source = MaildirSource(path)
    source.open()
    assert [c.uid for c in source.candidates(0, set(), [])] == [key] == sorted(mailbox.Maildir(path).keys())[1:]


def test_a_file_moved_to_cur_with_flags_after_listing_is_still_read(tmp_path: Path) -> None:
    """Another mail program marks the message read (new/ -> cur/ with :2,S) between listing and fetch."""
    path, key = _maildir(tmp_path)
    source = MaildirSource(path)
    source.open()
    (path / "new" / key).rename(path / "cur" / f"{key}:2,S")
    [(uid, raw, arrived)] = list(source.fetch([key]))
    assert (uid, raw, arrived.isoformat()) == (key, MAIL.replace(b"\r\n", b"\n"), "2026-03-02T08:00:00+07:00")


def test_a_file_gone_for_good_is_a_key_error_as_before(tmp_path: Path) -> None:
    path, key = _maildir(tmp_path)
    source = MaildirSource(path)
    source.open()
    (path / "new" / key).unlink()
    with pytest.raises(KeyError):
        list(source.fetch([key]))
