"""Containment, by fault injection: one message among several fails at one stage of its handling.

The matrix (stage x outcome) the issue asks for: for each stage a fault is injected into the handling
of one message of four (Maildir, real workers, real SQLite and outbox). ``transient``: it fails at the
first poll only; ``persistent``: it fails every time. In every cell the other three messages commit
with one reply each at the first poll, the failed one is an ``error`` row with its sender, subject,
stage and a Vietnamese reason, listed in ``needs_review``; a transient one is processed at the next
poll and answered once; a persistent one is tried ``limits.message_attempts`` times, then left for
staff and never fetched again. No message is ever answered twice.
"""

from __future__ import annotations

import errno
import hashlib
import mailbox
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import commit_group, pipeline
from bot.app.pipeline import Runner
from bot.app.pool import DocumentPool
from bot.app.reading import Prepared
from bot.config import schema as config_module
from bot.config.schema import Config
from bot.core.model import MessageRecord, Outcome, Stage
from bot.core.picture import build
from bot.core.views import status_object
from bot.state.ledger import Ledger
from bot.transport.maildir import MaildirSource
from bot.transport.outbox import Outbox
from tests import samples
from tests.conftest import NOW, TEST_AUTHSERV_ID, write_config
from tests.faults import FaultyReader

UNITS = ("tp_laichau", "tam_duong", "phong_tho", "sin_ho")
FAULTY = "tam_duong"             # the second message of four
FAULTY_ID = "<hoso.tamduong.fault@example.vn>"
SUBJECT = "Hồ sơ đề nghị khen thưởng phong trào văn hóa công sở năm 2020"


def _message(unit: str) -> bytes:
    dossier = samples.SAMPLE_DOSSIERS[unit]
    address = {"tp_laichau": "ldld.tplaichau@example.vn", "tam_duong": "ldld.tamduong@example.vn",
               "phong_tho": "ldld.phongtho@example.vn", "sin_ho": "ldld.sinho@example.vn"}[unit]
    extra = {"X-Test": "FAULT"} if unit == FAULTY else {}
    return samples.eml(sender=address, sender_name=dossier.issuer, subject=f"{SUBJECT} - {dossier.issuer}",
                       attachments=[("Tờ trình.docx", samples.to_trinh_docx(dossier))],
                       message_id=FAULTY_ID if unit == FAULTY else None, headers=extra)


@dataclass
class Mailbot:
    cfg: Config
    runner: Runner
    source: MaildirSource
    faulty_digest: str
    digests: list[str]

    def poll(self, at: datetime) -> None:
        self.runner.poll_all([self.source], at)

    def rows(self) -> dict[str, MessageRecord]:
        return {r.message_id: r for r in self.runner.ledger.records()}

    def faulty(self) -> MessageRecord:
        return self.rows()[FAULTY_ID]

    def replies(self) -> list[Path]:
        outbox = self.cfg.paths.outbox
        return sorted(p for folder in ("pending", "sent", "failed") for p in (outbox / folder).glob("ack-*.eml"))


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Mailbot]:
    box = mailbox.Maildir(tmp_path / "inbox", create=True)
    raws = [_message(unit) for unit in UNITS]
    for raw in raws:
        box.add(raw)
    cfg = config_module.load(write_config(
        tmp_path, f'[mailbox]\nkind = "maildir"\npath = "inbox"\nauthserv_id = "{TEST_AUTHSERV_ID}"\n'
                  "[limits]\ndocument_workers = 1\n"))
    runner = Runner(cfg, Ledger(cfg.paths.state), Outbox(cfg.paths.outbox))
    runner.keep_workers = True  # one worker for every poll of the test
    digests = [hashlib.sha256(raw).hexdigest() for raw in raws]
    yield Mailbot(cfg, runner, MaildirSource(tmp_path / "inbox"), digests[1], digests)
    runner.pool.close()
    runner.ledger.close()


Injector = Callable[[Mailbot, pytest.MonkeyPatch, bool, Path], None]


class Fault:
    """Fails while ``left`` > 0 (None: always), counting down at each fault."""

    def __init__(self, transient: bool) -> None:
        self.left: int | None = 1 if transient else None

    def fire(self) -> bool:
        if self.left == 0:
            return False
        if self.left is not None:
            self.left -= 1
        return True


def _in_worker(die: bool = False, hang: float = 0) -> Injector:
    def inject(bot: Mailbot, _monkeypatch: pytest.MonkeyPatch, transient: bool, tmp: Path) -> None:
        flag = tmp / "fault.flag"
        flag.touch()
        bot.runner.pool.close()
        bot.runner.pool = DocumentPool(1, seconds=3 if hang else 60, target=FaultyReader(
            bot.runner.cfg, flag=str(flag), die=die, once=transient, hang=hang))
    return inject


def _copy_fault(name: Callable[[str], str]) -> Injector:
    def inject(bot: Mailbot, monkeypatch: pytest.MonkeyPatch, transient: bool, _tmp: Path) -> None:
        fault, real = Fault(transient), commit_group.write_atomic
        wanted = name(bot.faulty_digest)

        def write_atomic(path: Path, data: Any, **kwargs: Any) -> None:
            if wanted in path.name and fault.fire():
                raise OSError(errno.ENAMETOOLONG, "File name too long")
            real(path, data, **kwargs)
        monkeypatch.setattr(commit_group, "write_atomic", write_atomic)
    return inject


def _raising(owner: object, name: str, error: Exception) -> Injector:
    """``owner.name(mail, ...)`` raises ``error`` for the faulty message."""
    def inject(bot: Mailbot, monkeypatch: pytest.MonkeyPatch, transient: bool, _tmp: Path) -> None:
        fault, real = Fault(transient), getattr(owner, name)

        def patched(mail: Any, *args: Any, **kwargs: Any) -> Any:
            if mail.message_id == FAULTY_ID and fault.fire():
                raise error
            return real(mail, *args, **kwargs)
        monkeypatch.setattr(owner, name, patched)
    return inject


def _queueing(bot: Mailbot, monkeypatch: pytest.MonkeyPatch, transient: bool, _tmp: Path) -> None:
    fault, real = Fault(transient), Outbox.enqueue

    def enqueue(outbox: Outbox, message: Any, key: str) -> Path:
        if FAULTY_ID in str(message.get("In-Reply-To", "")) and fault.fire():
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(outbox, message, key)
    monkeypatch.setattr(Outbox, "enqueue", enqueue)


def _after_queueing(bot: Mailbot, monkeypatch: pytest.MonkeyPatch, transient: bool, _tmp: Path) -> None:
    """The reply is queued, then the message's own ledger write fails: its reply is taken back."""
    fault, real = Fault(transient), bot.runner.ledger.record

    def record(row: MessageRecord) -> None:
        if row.message_id == FAULTY_ID and row.outcome != Outcome.ERROR and fault.fire():
            raise sqlite3.OperationalError("disk I/O error")
        real(row)
    monkeypatch.setattr(bot.runner.ledger, "record", record)


STAGES: dict[str, tuple[Stage, Injector]] = {
    "reading": (Stage.READING, _in_worker()),
    "worker-dies": (Stage.WORKER, _in_worker(die=True)),
    "worker-hangs": (Stage.WORKER, _in_worker(hang=30)),
    "archiving-mail": (Stage.ARCHIVING, _copy_fault(lambda digest: f"{digest}.eml")),
    "archiving-attachment": (Stage.ARCHIVING, _copy_fault(lambda digest: f"_{digest[:8]}_")),
    "deciding": (Stage.DECIDING, _raising(pipeline.intake, "decide", KeyError("injected"))),
    "replying-compose": (Stage.REPLYING, _raising(pipeline.replies, "acknowledgement", ValueError("injected"))),
    "replying-queue": (Stage.REPLYING, _queueing),
    "committing": (Stage.COMMITTING, _after_queueing),
}


def _others_committed_once(bot: Mailbot) -> None:
    rows = bot.rows()
    others = [r for mid, r in rows.items() if mid != FAULTY_ID]
    assert len(others) == 3 and all(r.outcome == Outcome.ACCEPTED and r.reply.sent for r in others), others
    assert {p.name for p in bot.replies()} >= {r.reply.queued for r in others}


def _failed_for_staff(bot: Mailbot, stage: Stage, attempts: int) -> MessageRecord:
    row = bot.faulty()
    assert (row.outcome, row.stage, row.attempts) == (Outcome.ERROR, stage, attempts)
    assert row.from_addr == "ldld.tamduong@example.vn" and row.subject.startswith(SUBJECT)
    assert not row.reply.sent and row.note and "Errno" not in row.note
    review = [item for item in status_object(build(bot.cfg, bot.runner.ledger.records(), []))["needs_review"]
              if item["message_id"] == FAULTY_ID]
    assert [(i["from"], i["reason"]) for i in review] == [("ldld.tamduong@example.vn", "error")]
    assert review[0]["subject"] == row.subject and review[0]["detail"].startswith("Lỗi ở bước «")
    return row


@pytest.mark.parametrize("outcome", ["transient", "persistent"])
@pytest.mark.parametrize("stage_name", list(STAGES))
def test_fault_matrix(bot: Mailbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stage_name: str,
                      outcome: str) -> None:
    """GIVEN four unit messages, the second failing at ``stage_name`` WHEN polled THEN the other three commit
    with one reply each and the second is an error row with its sender for staff; transient: the next poll
    processes it with one reply; persistent: tried message_attempts (3) times, then left for staff."""
    stage, inject = STAGES[stage_name]
    inject(bot, monkeypatch, outcome == "transient", tmp_path)
    bot.poll(NOW)
    _others_committed_once(bot)
    _failed_for_staff(bot, stage, attempts=1)
    assert len(bot.replies()) == 3, "no reply for the failed message, one for each other"
    if outcome == "transient":
        bot.poll(NOW + timedelta(minutes=5))
        row = bot.faulty()
        assert row.outcome == Outcome.ACCEPTED and row.reply.sent and row.attempts == 1
        assert len(bot.replies()) == 4 and len({p.name for p in bot.replies()}) == 4
        assert not any(item["message_id"] == FAULTY_ID and item["reason"] == "error"
                       for item in status_object(build(bot.cfg, bot.runner.ledger.records(), []))["needs_review"])
        return
    for attempt in (2, 3):
        bot.poll(NOW + timedelta(minutes=5 * attempt))
        _failed_for_staff(bot, stage, attempts=attempt)
    assert "không thử lại nữa" in bot.faulty().note
    bot.poll(NOW + timedelta(minutes=30))  # left for staff: not fetched again
    assert bot.faulty().attempts == 3
    _others_committed_once(bot)
    assert len(bot.replies()) == 3


def test_the_number_of_attempts_is_a_setting(tmp_path: Path) -> None:
    mailbox_section = '[mailbox]\nkind = "maildir"\npath = "inbox"\n'
    assert config_module.load(write_config(tmp_path, mailbox_section)).limits.message_attempts == 3
    cfg = config_module.load(write_config(tmp_path, mailbox_section + "[limits]\nmessage_attempts = 5\n"))
    assert cfg.limits.message_attempts == 5


def test_a_multipart_nested_1000_deep_reaches_staff_with_its_sender(bot: Mailbot) -> None:
    """GIVEN a unit's message nested 1,000 multiparts deep among the four WHEN polled THEN it is recorded
    (not an error) with its sender and subject, listed for staff as unreadable, and not answered."""
    from tests.hostile_samples import UNIT, deep_nesting

    mailbox.Maildir(bot.source.path, create=False).add(deep_nesting(1000))
    bot.poll(NOW)
    row = bot.rows()["<deep1000@x>"]
    assert row.outcome != Outcome.ERROR and (row.from_addr, row.subject) == (UNIT, "nested")
    assert "unreadable_message" in row.findings and not row.reply.sent
    review = [i for i in status_object(build(bot.cfg, bot.runner.ledger.records(), []))["needs_review"]
              if i["message_id"] == "<deep1000@x>"]
    assert [(i["from"], i["reason"]) for i in review] == [(UNIT, "unreadable_message")]
    assert len(bot.replies()) == 4


def test_two_failed_copies_in_one_group_both_stay_failures(bot: Mailbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the mail copy of message 2 and an attachment copy of message 3 failing WHEN polled THEN both are
    error rows at the copies stage (a group committed again for one keeps the other's failure), messages
    1 and 4 are answered once each."""
    real = commit_group.write_atomic
    doomed = (f"{bot.digests[1]}.eml", f"_{bot.digests[2][:8]}_")

    def write_atomic(path: Path, data: Any, **kwargs: Any) -> None:
        if any(part in path.name for part in doomed):
            raise OSError(errno.ENAMETOOLONG, "File name too long")
        real(path, data, **kwargs)

    monkeypatch.setattr(commit_group, "write_atomic", write_atomic)
    def ready(prepared: Prepared) -> bool:
        """Only message 2 closes the group before it: its copy's failure is found there (2 not a member yet),
        and 2, 3 and 4 share the next group, which the failure of 3's copy rolls back."""
        prepared.wait()
        return prepared.digest != bot.digests[1]

    monkeypatch.setattr(Prepared, "ready", ready)
    bot.poll(NOW)
    rows = list(bot.rows().values())
    failed = sorted(r.from_addr for r in rows if r.outcome == Outcome.ERROR and r.stage == Stage.ARCHIVING)
    assert failed == ["ldld.phongtho@example.vn", "ldld.tamduong@example.vn"]
    assert sum(r.reply.sent for r in rows) == 2 and len(bot.replies()) == 2
