"""The state is never lost in silence: a damaged state file is refused (exit 4, a plain message, the file
left as it is), a fresh one is made only when no earlier work is on disk, and a copy is kept each day."""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import cli
from bot.app.pipeline import Runner
from bot.config import schema as config_module
from bot.config.schema import Config
from bot.errors import StateUnreadable
from bot.state import backups
from bot.state.ledger import Ledger
from bot.transport.maildir import MaildirSource
from bot.transport.outbox import Outbox
from tests.unit.builders import at, complete


def _filled(cfg: Config) -> bytes:
    """A state file with a few processed messages and an archived copy, as after real work; its bytes."""
    ledger = Ledger.of(cfg.paths)
    for day, unit in enumerate(("tam_duong", "phong_tho", "sin_ho", "tp_laichau"), start=1):
        ledger.record(complete(unit, at(day)))
    ledger.close()
    (cfg.paths.state_dir / "mail").mkdir(exist_ok=True)
    (cfg.paths.state_dir / "mail" / "0123.eml").write_bytes(b"From: a@x\r\n\r\nmail\r\n")
    return cfg.paths.state.read_bytes()


def _garbage_first_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(random.Random(1).randbytes(len(data) // 2) + data[len(data) // 2:])


def _garbage_second_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2] + random.Random(2).randbytes(len(data) - len(data) // 2))


def _truncated(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _emptied(path: Path) -> None:
    os.truncate(path, 0)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage over the first half": _garbage_first_half,
    "garbage over the second half": _garbage_second_half,
    "truncated to half": _truncated,
    "0 bytes while state/mail holds copies": _emptied,
}


@pytest.mark.parametrize("command", ["poll", "status", "tally"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_state_is_refused_and_left_as_it_is(cfg: Config, capsys: pytest.CaptureFixture[str],
                                                      damage: str, command: str) -> None:
    """GIVEN a state file damaged ``damage`` WHEN any command runs THEN exit 4 with one Vietnamese and one
    English line, no traceback, and the file is byte for byte what it was (never replaced by a new one)."""
    _filled(cfg)
    DAMAGE[damage](cfg.paths.state)
    before = cfg.paths.state.read_bytes()
    assert cli.main(["--config", str(cfg.source), command]) == cli.EXIT_STATE == 4
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "Tệp trạng thái" in lines[0] and "The state file" in lines[1], err
    assert "Traceback" not in err and "backups" in err
    assert cfg.paths.state.read_bytes() == before


def test_a_missing_state_with_earlier_work_on_disk_is_refused(cfg: Config) -> None:
    _filled(cfg)
    cfg.paths.state.unlink()
    with pytest.raises(StateUnreadable, match="không còn"):
        Ledger.of(cfg.paths)
    assert not cfg.paths.state.exists()


def test_another_programs_database_is_not_taken_for_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "mailbot.sqlite3"
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE photos (name TEXT)")
        other.commit()
    with pytest.raises(StateUnreadable, match="not a mailbot ledger"):
        Ledger(path)


@pytest.mark.parametrize("start", ["no file", "0 bytes"])
def test_a_new_state_is_made_only_without_a_trace_of_earlier_work(cfg: Config, start: str) -> None:
    cfg.paths.outbox.mkdir(parents=True, exist_ok=True)
    (cfg.paths.outbox / ".gitkeep").touch()          # what a fresh clone ships: no trace of earlier work
    (cfg.paths.outbox / "pending").mkdir(exist_ok=True)
    (cfg.paths.outbox / "pending" / ".ack-1.eml.x1.tmp").touch()   # nor is an interrupted write's leftover
    if start == "0 bytes":
        cfg.paths.state.parent.mkdir(parents=True, exist_ok=True)
        cfg.paths.state.touch()
    ledger = Ledger.of(cfg.paths)
    assert ledger.records() == []
    ledger.close()
    assert cfg.paths.state.stat().st_size > 0


def _poll(cfg: Config, when: datetime) -> None:
    runner = Runner(cfg, Ledger.of(cfg.paths), Outbox(cfg.paths.outbox))
    try:
        runner.poll_all([MaildirSource(cfg.source.parent / "inbox")], when)
    finally:
        runner.ledger.close()


def test_a_poll_keeps_one_readable_copy_a_day(cfg: Config, now: datetime) -> None:
    """GIVEN a state with messages WHEN polled twice a day on two days THEN one copy a day, each a whole
    ledger with the messages (it passes the same check a state file does)."""
    _filled(cfg)
    _poll(cfg, now)
    _poll(cfg, now + timedelta(hours=3))
    first = cfg.paths.backups / f"mailbot-{now.date().isoformat()}.sqlite3"
    assert sorted(backups.copies(cfg.paths.backups).values()) == [first]
    stamp = first.stat().st_mtime_ns
    _poll(cfg, now + timedelta(days=1))
    assert len(backups.copies(cfg.paths.backups)) == 2 and first.stat().st_mtime_ns == stamp
    copy = Ledger(first)
    try:
        assert len(copy.records()) == 4
    finally:
        copy.close()
    assert not list(cfg.paths.backups.glob(".*")), "no temporary file left"


def test_copies_older_than_backups_days_are_pruned(tmp_path: Path) -> None:
    folder, today = tmp_path / "backups", date(2020, 12, 10)
    folder.mkdir()
    for back in range(20):
        (folder / backups.name_for(today - timedelta(days=back + 1))).write_bytes(b"old")
    (folder / "notes.txt").write_text("staff's own file")
    ledger = Ledger(tmp_path / "state.sqlite3")
    try:
        assert backups.daily_copy(ledger, folder, today, keep_days=14) == folder / backups.name_for(today)
    finally:
        ledger.close()
    kept = backups.copies(folder)
    assert sorted(kept) == [today - timedelta(days=back) for back in range(13, -1, -1)]
    assert (folder / "notes.txt").exists()


def test_backups_days_is_a_setting_and_zero_keeps_none(tmp_path: Path, cfg: Config, now: datetime) -> None:
    assert cfg.paths.backups_days == 14
    config = cfg.source.read_text(encoding="utf-8") + "\n[paths]\nbackups_days = 0\n"
    cfg.source.write_text(config, encoding="utf-8")
    none = config_module.load(cfg.source)
    assert none.paths.backups_days == 0
    _poll(none, now)
    assert backups.copies(none.paths.backups) == {}


def test_the_help_lists_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for code in range(5):
        assert f"\n  {code}  " in out, out
    assert "state/backups/" in out


def test_run_refuses_a_damaged_state_as_a_separate_process(cfg: Config) -> None:
    """The real command line, as systemd starts it: exit 4, the message, no traceback, file untouched."""
    import subprocess
    import sys

    _filled(cfg)
    _garbage_first_half(cfg.paths.state)
    before = cfg.paths.state.read_bytes()
    proc = subprocess.run([sys.executable, "-m", "bot", "--config", str(cfg.source), "run"], capture_output=True,
                          text=True, timeout=120, cwd=Path(__file__).resolve().parents[2], check=False)
    assert proc.returncode == 4, proc.stderr
    assert "Tệp trạng thái" in proc.stderr and "Traceback" not in proc.stderr
    assert cfg.paths.state.read_bytes() == before
