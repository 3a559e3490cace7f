"""The pool of document workers on real Dovecot: the same ledger, replies and workbook as one worker,
replies queued in mailbox order, and a worker hanging or dying mid-pool costs one document only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app.pipeline import Runner
from bot.app.pool import DocumentPool
from bot.app.reading import DocumentReader
from bot.config.schema import load
from bot.core.model import Finding, Outcome
from bot.state.ledger import Ledger
from bot.transport.inbox import open_source
from bot.transport.outbox import Outbox
from tests.integration.harness import Rows, Setup, at, ledger_rows, make_config, ok, queued_for, run_mailbot, unit_mail
from tests.load_samples import append_all, dossier_files, mixed_mailbox, scanned_dossier_files, workbook_values
from tests.mailservers import Dovecot, ImapAccount

NO_BRAKE = "[limits]\nreplies_per_sender_per_hour = 1000\n"


def _ledger(setup: Setup) -> tuple[Rows, Rows]:
    return ledger_rows(setup, "uid, message_id, digest, outcome, unit_id, counted, findings, reply, withheld",
                       "d.filename, d.kind, d.status, d.warnings, d.archive_path")


def _mailbox() -> list[tuple[bytes, datetime]]:
    """A seeded mix of dossiers and noise, two of them carrying a scanned two-page tờ trình."""
    messages = mixed_mailbox(18, seed=13)
    for index, unit in ((4, "tam_duong"), (11, "phong_tho")):
        raw = unit_mail(unit, scanned_dossier_files(unit), date=at(3, minute=index), subject=f"Hồ sơ scan {index}")
        messages[index] = (raw, at(3, minute=index))
    return messages


def _poll(tmp: Path, dovecot: Dovecot, name: str, workers: int, messages: list[tuple[bytes, datetime]]) -> Setup:
    account = dovecot.create_account(f"pool{name}", password="secret")
    append_all(account, messages)
    setup = make_config(tmp / name, account, None, NO_BRAKE + f"document_workers = {workers}\n", smtp="")
    ok(run_mailbot(setup, "poll"))
    return setup


def _queue_order(setup: Setup) -> list[str]:
    return [path.name for path in sorted(setup.outbox_files("pending"), key=lambda p: p.stat().st_mtime_ns)]


def test_two_workers_give_the_one_worker_result_in_mailbox_order(tmp_path: Path, dovecot: Dovecot) -> None:
    """GIVEN the same mailbox polled with one and with two document workers
    THEN every ledger row, document, reply and workbook cell is the same,
    AND the replies were queued in mailbox order."""
    dovecot.start()
    messages = _mailbox()
    one = _poll(tmp_path, dovecot, "one", 1, messages)
    two = _poll(tmp_path, dovecot, "two", 2, messages)
    assert _ledger(two) == _ledger(one)
    assert workbook_values(two.tally) == workbook_values(one.tally)
    rows, documents = _ledger(two)
    assert sum(1 for row in rows if row[7]) >= 8, "the mix must produce replies, or the test proves nothing"
    per_message = [queued_for(row[2], row[6], row[7]) for row in rows]  # a stranger's mail: a receipt too
    message_of = {name: index for index, names in enumerate(per_message) for name in names}
    queue = _queue_order(two)
    assert sorted(queue) == sorted(message_of)
    assert [message_of[name] for name in queue] == sorted(message_of[name] for name in queue), "mailbox order"
    scans = [doc for doc in documents if doc[2] == "Tờ trình (bản scan).pdf"]
    assert len(scans) == 2 and all(doc[4] == "ok" and "ocr" in str(doc[5]) for doc in scans)


def _in_process_poll(setup: Setup, monkeypatch: pytest.MonkeyPatch, extract: str) -> Runner:
    """A poll in this process, its two workers parsing with ``extract`` under a 15 s limit (a shared
    machine can take seconds for a good document)."""
    for key, value in setup.env().items():
        monkeypatch.setenv(key, value)
    cfg = load(setup.config)
    runner = Runner(cfg, Ledger(cfg.paths.state), Outbox(cfg.paths.outbox))
    runner.pool = DocumentPool(workers=2, seconds=15, target=DocumentReader(cfg, extract))
    try:
        runner.poll_once(open_source(cfg.mailbox, spool_dir=cfg.paths.state_dir / "spool"), datetime.now(UTC))
    finally:
        runner.ledger.close()
    return runner


def test_a_worker_hanging_or_dying_mid_pool_costs_that_document_only(
        tmp_path: Path, imap_account: ImapAccount, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN six dossier mails, the 3rd with an attachment that hangs its parser, the 5th with one
    that kills its worker, read by two workers
    THEN the hung document is attachment_too_large, the killed one unreadable_attachment, every other
    document reads, every message is recorded in order and answered."""
    units = ("tam_duong", "phong_tho", "sin_ho", "muong_te", "tp_laichau", "cd_yte")
    bad = {2: ("Phụ lục.pdf", b"hang: a parser loop"), 4: ("Danh sách.pdf", b"crash: a segfault")}
    for index, unit in enumerate(units):
        extra = [bad[index]] if index in bad else []
        imap_account.append(unit_mail(unit, [*dossier_files(unit), *extra], date=at(5, minute=index)),
                            msg_time=at(5, minute=index))
    setup = make_config(tmp_path, imap_account, None, NO_BRAKE, smtp="")
    runner = _in_process_poll(setup, monkeypatch, "tests.hostile_samples:misbehaving_extract")
    assert runner.pool.restarts >= 1, "the hung worker was killed (a dead one may be counted too)"
    rows, documents = _ledger(setup)
    assert [row[0] for row in rows] == [str(i) for i in range(1, 7)]
    assert all(row[3] == Outcome.ACCEPTED and str(row[7]).endswith(".eml") for row in rows)
    status = {(doc[0], doc[2]): doc[4] for doc in documents}
    assert status.pop(("3", "Phụ lục.pdf")) == Finding.ATTACHMENT_TOO_LARGE
    assert status.pop(("5", "Danh sách.pdf")) == Finding.UNREADABLE_ATTACHMENT
    assert set(status.values()) == {"ok"} and len(status) == 6 * len(dossier_files("tam_duong"))
    assert runner.pool.running == 0, "the poll stops its workers"
