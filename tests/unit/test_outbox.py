"""bot.transport.outbox: the file queue of replies; idempotent per key, atomic writes. No SMTP here."""

from __future__ import annotations

import os
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from bot.core.reply_keys import ReplyKey
from bot.state.files import write_atomic
from bot.transport.outbox import Outbox


def _message(subject: str = "Re: Hồ sơ") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "mailbot@localhost"
    message["To"] = "ldld.tamduong@example.vn"
    message["Subject"] = subject
    message["Message-ID"] = "<mailbot.1@localhost>"
    message.set_content("Kính gửi: Liên đoàn Lao động huyện Tam Đường,\n")
    return message


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(tmp_path / "outbox")


def test_folders_are_created(outbox: Outbox) -> None:
    assert all(folder.is_dir() for folder in (outbox.pending, outbox.sent, outbox.failed))


def test_enqueue_writes_a_readable_eml_in_pending(outbox: Outbox) -> None:
    path = outbox.enqueue(_message(), ReplyKey.ack("abc"))
    assert path.parent == outbox.pending
    assert path.name == Outbox.file_name(ReplyKey.ack("abc")) and path.name.startswith("ack-")
    parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert parsed["Subject"] == "Re: Hồ sơ"
    assert "Tam Đường" in parsed.get_content()
    assert outbox.pending_files() == [path]
    assert outbox.contains(ReplyKey.ack("abc"))


def test_enqueue_twice_queues_once(outbox: Outbox) -> None:
    """GIVEN a reply already queued WHEN the same key is enqueued again (a crash replay) THEN one file, unchanged."""
    first = outbox.enqueue(_message("Re: bản đầu"), ReplyKey.ack("abc"))
    before = first.read_bytes()
    second = outbox.enqueue(_message("Re: bản sau"), ReplyKey.ack("abc"))
    assert second == first
    assert first.read_bytes() == before
    assert outbox.pending_files() == [first]


@pytest.mark.parametrize("folder", ["sent", "failed"])
def test_key_already_sent_or_failed_is_not_queued_again(outbox: Outbox, folder: str) -> None:
    queued = outbox.enqueue(_message(), ReplyKey.reminder("tam_duong", "T-3"))
    moved = getattr(outbox, folder) / queued.name
    os.replace(queued, moved)
    again = outbox.enqueue(_message(), ReplyKey.reminder("tam_duong", "T-3"))
    assert again == moved
    assert outbox.pending_files() == []
    assert outbox.contains(ReplyKey.reminder("tam_duong", "T-3"))


def test_different_keys_different_files(outbox: Outbox) -> None:
    keys = [ReplyKey.ack("1"), ReplyKey.ack("2"),
            ReplyKey.reminder("tam_duong", "T-7"), ReplyKey.reminder("tam_duong", "T-3")]
    paths = [outbox.enqueue(_message(), key) for key in keys]
    assert len(set(paths)) == len(keys)
    assert outbox.pending_files() == sorted(paths)
    assert not outbox.contains(ReplyKey.ack("3"))


def test_leftover_tmp_files_are_not_pending(outbox: Outbox) -> None:
    """GIVEN a crash mid-write left a .tmp file WHEN listing pending mail THEN only whole .eml files."""
    (outbox.pending / f".{Outbox.file_name(ReplyKey.ack('x'))}.4242.tmp").write_bytes(b"From: half")
    (outbox.pending / "ack-0000.eml.tmp").write_bytes(b"half")
    (outbox.pending / "ack-0001.attempts").write_text("3")
    whole = outbox.enqueue(_message(), ReplyKey.ack("y"))
    assert outbox.pending_files() == [whole]
    assert not outbox.contains(ReplyKey.ack("x"))


def test_write_atomic_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "tally.bin"
    write_atomic(target, b"first")
    write_atomic(target, b"second, longer content")
    assert target.read_bytes() == b"second, longer content"
    assert [p.name for p in tmp_path.iterdir()] == ["tally.bin"]     # no temporary file left


def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.eml"
    write_atomic(target, b"old")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
