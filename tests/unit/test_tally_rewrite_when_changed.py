"""An idle poll leaves the workbook alone while the ledger and the sent replies are unchanged (and the last
write is recent)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import openpyxl

from bot.app.pipeline import Runner
from bot.app.workbook_decisions import TALLY_REFRESH
from bot.config.schema import Config
from bot.core.model import Reply
from bot.state.ledger import Ledger
from bot.transport.outbox import Outbox
from tests.unit.builders import at, complete


def _runner(cfg: Config) -> Runner:
    return Runner(cfg, Ledger(cfg.paths.state), Outbox(cfg.paths.outbox))


def _stamp(cfg: Config) -> int:
    return cfg.paths.tally.stat().st_mtime_ns


def test_unchanged_ledger_skips_the_rewrite_until_it_is_an_hour_old(cfg: Config, now: datetime) -> None:
    runner = _runner(cfg)
    assert runner.rewrite_tally(now, force=False)
    first = _stamp(cfg)
    assert runner.rewrite_tally(now + timedelta(minutes=5), force=False)
    assert _stamp(cfg) == first
    assert runner.rewrite_tally(now + TALLY_REFRESH, force=False)
    assert _stamp(cfg) != first


def test_a_new_record_or_a_forced_rewrite_writes_again(cfg: Config, now: datetime) -> None:
    runner = _runner(cfg)
    runner.rewrite_tally(now, force=False)
    first = _stamp(cfg)
    runner.ledger.record(complete("tam_duong", at(3)))
    runner.rewrite_tally(now, force=False)
    second = _stamp(cfg)
    assert second != first
    runner.rewrite_tally(now)
    assert _stamp(cfg) != second


def test_a_deleted_workbook_is_rebuilt(cfg: Config, now: datetime) -> None:
    runner = _runner(cfg)
    runner.rewrite_tally(now, force=False)
    cfg.paths.tally.unlink()
    runner.rewrite_tally(now, force=False)
    assert cfg.paths.tally.exists()


def test_a_reply_the_smtp_server_took_is_shown_sent_at_the_next_poll(cfg: Config, now: datetime) -> None:
    """GIVEN a workbook written while a reply waited in outbox/pending («Chờ gửi») WHEN the reply moves to
    sent/ THEN the next idle poll rewrites it, and the reply reads «Đã gửi <time>»; the poll after that
    leaves it alone."""
    runner = _runner(cfg)
    runner.ledger.record(replace(complete("tam_duong", at(3)), reply=Reply.queued_as("ack-1.eml")))
    (runner.outbox.pending / "ack-1.eml").write_bytes(b"Subject: x\n\nx\n")
    assert runner.refresh_tally(now) == "written"
    assert _reply_cell(cfg) == "Chờ gửi"
    (runner.outbox.pending / "ack-1.eml").replace(runner.outbox.sent / "ack-1.eml")
    assert runner.refresh_tally(now + timedelta(minutes=5)) == "written"
    assert str(_reply_cell(cfg)).startswith("Đã gửi ")
    assert runner.refresh_tally(now + timedelta(minutes=10)) == "current"


def _reply_cell(cfg: Config) -> object:
    rows = list(openpyxl.load_workbook(cfg.paths.tally)["Thư đến"].iter_rows(values_only=True))
    return rows[1][rows[0].index("Trả lời")]
