"""`mailbot status` as a table: aligned in terminal cells whatever the Vietnamese text looks like."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from bot.config.schema import Config
from bot.core.model import Outcome
from bot.core.picture import build
from bot.core.status_table import cells, fit, status_lines, table
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
    lines = status_lines(build(cfg, records, []), width=200)
    by_unit = {u.name: next(line for line in lines if line.startswith(u.name)) for u in cfg.units}
    assert "Đủ hồ sơ" in by_unit["Liên đoàn Lao động huyện Tam Đường"]
    assert "1+2 / 1+4" in by_unit["Liên đoàn Lao động huyện Tam Đường"]
    assert "01/12/2020 09:00" in by_unit["Liên đoàn Lao động huyện Tam Đường"]
    assert "Chưa nộp" in by_unit["Liên đoàn Lao động thành phố Lai Châu"]
    status_at = {cells(line[: line.index(word)]) for word in ("Đủ hồ sơ", "Chưa nộp", "Thiếu")
                 for line in by_unit.values() if word in line}
    assert len(status_at) == 1                                   # the status column is aligned
    assert "Đủ hồ sơ: 1/8 đơn vị; Thiếu: 1; Vượt chỉ tiêu: 0; Nộp muộn: 0; Chưa nộp: 6; Cần xem xét: 1" in lines
    assert "Cần xem xét: 1" in lines
    review = next(line for line in lines if "la@gmail.com" in line)
    assert "Người gửi không đăng ký" in review and "03/12/2020" in review and "Hỏi thủ tục" in review
    text = "\n".join(lines)
    assert "unknown_sender" not in text and "tam_duong" not in text       # no codes: words and names


def test_a_narrow_terminal_cuts_names_not_verdicts(cfg: Config) -> None:
    lines = status_lines(build(cfg, [complete("tam_duong", at(1))], []), width=100)
    row = next(line for line in lines if line.rstrip().endswith("Đủ hồ sơ"))
    assert "…" in row and row.startswith("Liên đoàn")
