"""bot.app.commit_group on a real SQLite ledger and a real outbox folder: a poll's messages are
committed a few at a time, each reply on disk before the rows that name it."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.app.commit_group import CommitGroup
from bot.core.model import Reply
from bot.core.reply_keys import ReplyKey
from bot.state.ledger import Ledger
from bot.transport.outbox import Outbox
from tests.unit.builders import at, message


class _MarkedUids:
    """The one call of a mail source a group makes: marking committed UIDs done for staff."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def mark_done(self, uids: list[str]) -> None:
        self.calls.append(list(uids))


def _reply(uid: str) -> EmailMessage:
    mail = EmailMessage()
    mail["To"], mail["Subject"], mail["Message-ID"] = "ldld@example.vn", f"Re: {uid}", f"<ack.{uid}@localhost>"
    mail.set_content("Đã nhận hồ sơ.\n")
    return mail


def _commit_one(group: CommitGroup, ledger: Ledger, outbox: Outbox, uid: str) -> None:
    """One message into the group, which the caller (the pipeline) closes once it is full or old."""
    group.open()
    queued = outbox.enqueue(_reply(uid), ReplyKey.ack(uid))
    ledger.record(message("tam_duong", at(1, 9), uid=uid, reply=Reply.queued_as(queued.name)))
    group.added(uid, mark=True)
    if group.full():
        group.close()


def _uids_committed(path: Path) -> set[str]:
    """What another process reading the state file sees."""
    with closing(sqlite3.connect(path)) as other:
        return {uid for (uid,) in other.execute("SELECT uid FROM messages")}


def test_rows_are_committed_and_marked_together_when_the_group_closes(ledger: Ledger, tmp_path: Path) -> None:
    """GIVEN three messages committed into an open group THEN the poll itself reads them (decisions see the
    earlier ones), another process sees none and nothing is marked WHEN closed THEN all three, one mark."""
    outbox, marks = Outbox(tmp_path / "outbox"), _MarkedUids()
    with CommitGroup(ledger, outbox, marks, max_messages=10, max_seconds=3600) as group:  # type: ignore[arg-type]
        for uid in ("1", "2", "3"):
            _commit_one(group, ledger, outbox, uid)
        assert {r.key.uid for r in ledger.records("tam_duong")} == {"1", "2", "3"}
        assert _uids_committed(ledger.path) == set()
        assert marks.calls == []
        group.close()
        assert _uids_committed(ledger.path) == {"1", "2", "3"}
        group.close()  # closing again is a no-op
    assert marks.calls == [["1", "2", "3"]]  # sent on the group's thread, waited for on leaving it


def test_a_group_closes_itself_when_full_or_old(ledger: Ledger, tmp_path: Path) -> None:
    outbox, marks = Outbox(tmp_path / "outbox"), _MarkedUids()
    now = [0.0]
    with CommitGroup(ledger, outbox, marks, max_messages=2, max_seconds=5,  # type: ignore[arg-type]
                     clock=lambda: now[0]) as group:
        _commit_one(group, ledger, outbox, "1")
        _commit_one(group, ledger, outbox, "2")          # full
        assert _uids_committed(ledger.path) == {"1", "2"}
        _commit_one(group, ledger, outbox, "3")
        assert _uids_committed(ledger.path) == {"1", "2"}
        now[0] = 6.0
        _commit_one(group, ledger, outbox, "4")          # opened 6 s ago
        assert _uids_committed(ledger.path) == {"1", "2", "3", "4"}
    assert marks.calls == [["1", "2"], ["3", "4"]]


def test_a_crash_inside_a_group_loses_its_rows_not_its_replies(tmp_path: Path) -> None:
    """GIVEN two messages in a group whose process dies before the close THEN the state file holds neither
    row, their replies are whole files in pending/, and processing them again queues nothing new."""
    path = tmp_path / "state" / "mailbot.sqlite3"
    ledger, outbox = Ledger(path), Outbox(tmp_path / "outbox")
    group = CommitGroup(ledger, outbox, _MarkedUids())  # type: ignore[arg-type]
    _commit_one(group, ledger, outbox, "1")
    _commit_one(group, ledger, outbox, "2")
    ledger.db.close()  # the process is gone: SQLite drops the open transaction
    assert _uids_committed(path) == set()
    queued = outbox.pending_files()
    assert len(queued) == 2
    again = Outbox(tmp_path / "outbox")
    assert {again.enqueue(_reply(uid), ReplyKey.ack(uid)) for uid in ("1", "2")} == set(queued)
    assert again.pending_files() == queued


def test_replies_that_cannot_be_synced_leave_their_rows_uncommitted(ledger: Ledger, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the disk refusing the fsync of a group's replies WHEN the group closes THEN the error is raised,
    the rows are dropped (as by a crash, redone next poll) and no message is marked."""
    outbox, marks = Outbox(tmp_path / "outbox"), _MarkedUids()
    group = CommitGroup(ledger, outbox, marks)  # type: ignore[arg-type]
    _commit_one(group, ledger, outbox, "1")

    def failing_fsync(_descriptor: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("os.fsync", failing_fsync)
    with pytest.raises(OSError):
        group.close()
    monkeypatch.undo()
    assert ledger.records() == []
    assert _uids_committed(ledger.path) == set()
    assert marks.calls == []


def test_a_write_failing_inside_a_group_undoes_only_itself(ledger: Ledger, tmp_path: Path) -> None:
    """GIVEN a group with one message WHEN a later write fails part-way THEN the earlier row stays in the group."""
    outbox = Outbox(tmp_path / "outbox")
    group = CommitGroup(ledger, outbox, _MarkedUids())  # type: ignore[arg-type]
    _commit_one(group, ledger, outbox, "1")
    with pytest.raises(RuntimeError), ledger.transaction() as db:
        db.execute("INSERT INTO meta VALUES ('half', 'written')")
        raise RuntimeError("stopped mid-write")
    group.close()
    assert _uids_committed(ledger.path) == {"1"}
    assert ledger.meta("half") is None


def test_outside_a_group_each_reply_is_synced_as_it_is_queued(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN no group (a reminder round, a single message) THEN enqueue fsyncs the file and its folder itself;
    deferred THEN nothing until sync_deferred, which syncs every file queued and the folder."""
    import os

    synced: list[int] = []
    real = os.fsync

    def counted_fsync(descriptor: int) -> None:
        synced.append(descriptor)
        real(descriptor)

    monkeypatch.setattr(os, "fsync", counted_fsync)
    outbox = Outbox(tmp_path / "outbox")
    outbox.enqueue(_reply("1"), ReplyKey.ack("1"))
    assert len(synced) == 2
    outbox.defer_sync()
    outbox.enqueue(_reply("2"), ReplyKey.ack("2"))
    outbox.enqueue(_reply("3"), ReplyKey.ack("3"))
    assert len(synced) == 2
    outbox.sync_deferred()
    assert len(synced) == 5
    outbox.enqueue(_reply("4"), ReplyKey.ack("4"))
    assert len(synced) == 7


def test_copies_are_on_disk_before_the_commit_and_written_once(ledger: Ledger, tmp_path: Path) -> None:
    """GIVEN copies handed to the group (the second under a name already taken) WHEN it closes THEN every
    copy is a whole file and the first data under a name stays."""
    outbox = Outbox(tmp_path / "outbox")
    archive = tmp_path / "archive"
    archive.mkdir()
    with CommitGroup(ledger, outbox, _MarkedUids()) as group:  # type: ignore[arg-type]
        group.copy(archive / "a.docx", b"first")
        group.copy(archive / "a.docx", b"second")
        group.copy(archive / "b.eml", b"raw mail")
        _commit_one(group, ledger, outbox, "1")
        group.close()
        assert (archive / "a.docx").read_bytes() == b"first"
        assert (archive / "b.eml").read_bytes() == b"raw mail"
    assert sorted(p.name for p in archive.iterdir()) == ["a.docx", "b.eml"]  # no temporary left


def test_a_copy_of_no_message_that_cannot_be_written_drops_the_group(ledger: Ledger, tmp_path: Path) -> None:
    """GIVEN a copy of no message whose folder is gone (a broken disk) WHEN the group closes THEN the error is
    raised and no row of the group is committed, as after a crash."""
    outbox, marks = Outbox(tmp_path / "outbox"), _MarkedUids()
    with pytest.raises(OSError), CommitGroup(ledger, outbox, marks) as group:  # type: ignore[arg-type]
        _commit_one(group, ledger, outbox, "1")
        group.copy(tmp_path / "missing" / "a.docx", b"data")
        group.close()
    assert _uids_committed(ledger.path) == set()
    assert marks.calls == []


def test_a_message_whose_copy_fails_is_handed_back_and_its_group_rolled_back(ledger: Ledger, tmp_path: Path) -> None:
    """GIVEN two messages in a group, the copy of message 2 failing (a name too long) WHEN the group closes
    THEN nothing is committed or marked, the group's new replies are taken back, and message 2 is named
    with its error for the caller to commit the group again with it as a failure."""
    outbox, marks = Outbox(tmp_path / "outbox"), _MarkedUids()
    with CommitGroup(ledger, outbox, marks) as group:  # type: ignore[arg-type]
        _commit_one(group, ledger, outbox, "1")
        group.copy(tmp_path / "ok.eml", b"raw", owner="1")
        _commit_one(group, ledger, outbox, "2")
        group.copy(tmp_path / ("ữ" * 200 + ".docx"), b"data", owner="2")
        failed = group.close()
        assert list(failed) == ["2"] and isinstance(failed["2"], OSError)
        assert _uids_committed(ledger.path) == set() and outbox.pending_files() == []
        _commit_one(group, ledger, outbox, "1")  # the pipeline commits them again, 2 as a failure
        group.close()
    assert _uids_committed(ledger.path) == {"1"}
    assert marks.calls == [["1"]] and (tmp_path / "ok.eml").read_bytes() == b"raw"


def test_a_failed_copy_of_a_message_read_ahead_waits_for_its_commit(ledger: Ledger, tmp_path: Path) -> None:
    """GIVEN a failing copy of message 9, not in the group yet (read ahead) WHEN the group closes THEN the group
    commits and the failure is kept for message 9's own commit."""
    outbox, marks = Outbox(tmp_path / "outbox"), _MarkedUids()
    with CommitGroup(ledger, outbox, marks) as group:  # type: ignore[arg-type]
        _commit_one(group, ledger, outbox, "1")
        group.copy(tmp_path / "missing" / "a.eml", b"raw", owner="9")
        assert group.close() == {}
        assert set(group.failed_copies) == {"9"}
    assert _uids_committed(ledger.path) == {"1"}
