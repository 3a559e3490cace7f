"""`mailbot status` as a table: aligned in terminal cells whatever the Vietnamese text looks like."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from bot.config.schema import Config
from bot.core.model import Outcome
from bot.core.status_table import cells, fit, status_lines, table
from bot.core.views import status_object
from tests.unit.builders import at, complete, doc, message


def test_cells_count_what_a_terminal_shows() -> None:
    decomposed = unicodedata.normalize("NFD", "Liên đoàn Lao động huyện Sìn Hồ")
    assert len(decomposed) > cells(decomposed) == cells("Liên đoàn Lao động huyện Sìn Hồ") == 31
    assert cells("工会") == 4
    assert cells("a\u200bb") == 2


def test_fit_pads_and_cuts_to_exact_width() -> None:
    assert cells(fit("Đủ hồ sơ", 12)) == 12
    cut = fit("Thiếu Biên bản họp xét, Báo cáo tóm tắt", 10)
    assert cells(cut) == 10 and cut.endswith("…")
    assert fit("dòng\nhai", 9) == "dòng hai "


def test_columns_line_up_with_decomposed_and_precomposed_text() -> None:
    rows = [[unicodedata.normalize("NFD", "Mường Tè"), "x"], ["Tam Đường", "y"], ["工会工会", "z"]]
    lines = table(["Đơn vị", "Cột"], rows)
    positions = {cells(line[: line.rindex(line.rstrip()[-1])]) for line in lines[2:]}
    assert len(positions) == 1


def test_status_lines_show_every_unit_with_its_verdict(cfg: Config, now: datetime) -> None:
    records = [complete("tam_duong", at(1)), message("sin_ho", at(2), doc("bien_ban")),
               message(None, at(3), counted=False, from_addr="la@gmail.com", subject="Hỏi thủ tục",
                       outcome=Outcome.UNKNOWN_SENDER)]
    status = status_object(cfg, records)
    lines = status_lines(status, width=200)
    by_unit = {line.split()[0]: line for line in lines if line.split() and line.split()[0] in {u.id for u in cfg.units}}
    assert set(by_unit) == {u.id for u in cfg.units}
    assert "Đủ hồ sơ" in by_unit["tam_duong"] and "1+2 / 1+4" in by_unit["tam_duong"]
    assert "01/12/2020 09:00" in by_unit["tam_duong"]
    assert "Chưa nộp" in by_unit["tp_laichau"]
    status_at = {cells(line[: line.index(word)]) for word in ("Đủ hồ sơ", "Chưa nộp", "Thiếu")
                 for line in by_unit.values() if word in line}
    assert len(status_at) == 1                                   # the status column is aligned
    assert "Cần xem xét: 1" in lines
    assert any("unknown_sender" in line and "la@gmail.com" in line for line in lines)
    assert any("Liên đoàn Lao động thành phố Lai Châu" in line for line in lines)   # room: names whole


def test_a_narrow_terminal_cuts_names_not_verdicts(cfg: Config) -> None:
    lines = status_lines(status_object(cfg, [complete("tam_duong", at(1))]), width=100)
    row = next(line for line in lines if line.startswith("tam_duong"))
    assert "…" in row and row.rstrip().endswith("Đủ hồ sơ")
