"""``mailbot status`` without --json: the per-unit view as an aligned terminal table. Pure.

Widths are counted in terminal cells, not code points: text is NFC-normalised and combining marks
(Vietnamese typed in decomposed form) take no cell, wide East-Asian characters take two.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.model import Verdict

UNIT_COLUMNS = ("Mã", "Đơn vị", "Đề nghị / chỉ tiêu", "Số thư", "Thư gần nhất", "Trạng thái")
REVIEW_COLUMNS = ("Lý do", "Người gửi", "Tiêu đề")


def cells(text: str) -> int:
    """Terminal cells ``text`` occupies."""
    width = 0
    for ch in unicodedata.normalize("NFC", text):
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Cc"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def fit(text: str, width: int) -> str:
    """``text`` cut (with …) or padded to exactly ``width`` cells."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if cells(text) > width:
        while text and cells(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - cells(text))


def table(header: Sequence[str], rows: Sequence[Sequence[str]], limits: Sequence[int] = ()) -> list[str]:
    """Lines of an aligned table; column i is at most ``limits[i]`` cells wide (0 = no limit)."""
    widths = [max([cells(h), *(cells(r[i]) for r in rows)]) for i, h in enumerate(header)]
    widths = [min(w, limits[i]) if i < len(limits) and limits[i] else w for i, w in enumerate(widths)]
    lines = ["  ".join(fit(h, w) for h, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("─" * w for w in widths)]
    lines += ["  ".join(fit(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return lines


def _when(iso: str | None) -> str:
    return datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M") if iso else ""


def status_lines(status: dict[str, Any], width: int = 120) -> list[str]:
    """The whole plain-text status: campaign, one row per unit, totals, then what needs a person."""
    campaign = status["campaign"]
    lines = [campaign["name"], f"Hạn nộp: {_when(campaign['deadline'])}", ""]
    rows = []
    for unit in status["units"]:
        quota = unit["quota"]
        rows.append([unit["id"], unit["name"],
                     f"{unit['collectives']}+{unit['individuals']} / {quota['collectives']}+{quota['individuals']}",
                     str(unit["messages"]), _when(unit["last_message_at"]), unit["status"]])
    lines += table(UNIT_COLUMNS, rows, limits=(0, max(16, min(40, width - 90))))
    complete = sum(1 for unit in status["units"] if unit["verdict"] == Verdict.IN_ORDER)
    lines += ["", f"Đủ hồ sơ: {complete}/{len(status['units'])} đơn vị"]
    review = status["needs_review"]
    if review:
        lines += ["", f"Cần xem xét: {len(review)}"]
        rows = [[item["reason"], item["from"], item["subject"]] for item in review]
        lines += table(REVIEW_COLUMNS, rows, limits=(24, 36, max(20, width - 66)))
    return lines
