"""The first-run progress bar is for a terminal only."""

from __future__ import annotations

import pytest

from bot.transport.progress import Progress


def test_no_progress_bar_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    bar = Progress(100)
    bar.show(50)
    bar.show(100)
    assert capsys.readouterr().err == ""
