"""The decision commands in-process (``mailbot`` main on a Maildir config): the same decision twice is
recorded once, ``--undo`` takes the ID as listed (``#1``), and decision times follow ``--now``."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from bot.app.cli import main
from tests.conftest import write_config


def _mailbot(config: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--config", str(config), *args])
    return code, out.getvalue()


def test_the_same_decision_twice_is_recorded_once_and_undone_by_its_listed_id(tmp_path: Path) -> None:
    """GIVEN staff record a paper biên bản of Tam Đường at a given --now WHEN they give it again THEN it
    is recorded once (exit 0, saying so), dated --now; `decisions --undo '#1'` undoes it."""
    (tmp_path / "inbox" / "new").mkdir(parents=True)
    config = write_config(tmp_path, '[mailbox]\nkind = "maildir"\npath = "inbox"\n')
    now = ["--now", "2020-12-15T10:30:00+07:00", "--by", "Lương Hà"]
    code, first = _mailbot(config, "receive", "tam_duong", "bien_ban", "--on", "2020-12-15", *now)
    assert code == 0 and first.startswith("#1 | tam_duong | Nhận bản giấy | ")
    assert "15/12/2020 10:30" in first and "Liên đoàn Lao động huyện Tam Đường" in first
    code, again = _mailbot(config, "receive", "tam_duong", "bien_ban", "--on", "2020-12-15", *now)
    assert code == 0 and again.startswith("đã ghi nhận trước đó")
    assert _mailbot(config, "decisions")[1].count("\n") == 1
    code, undone = _mailbot(config, "decisions", "--undo", "#1", "--now", "2020-12-16T08:00:00+07:00")
    assert code == 0 and "ĐÃ HUỶ" in undone and "16/12/2020 08:00" in undone
    assert _mailbot(config, "decisions", "--undo", "#1")[0] == 1          # nothing active with that ID now
