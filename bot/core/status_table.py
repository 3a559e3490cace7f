"""``mailbot status`` without --json: the picture (bot/core/picture.py) as aligned terminal tables, in
Vietnamese only (units by name, reasons in words, mail by date, sender and subject). Pure.

Widths are counted in terminal cells, not code points: text is NFC-normalised and combining marks
(Vietnamese typed in decomposed form) take no cell, wide East-Asian characters take two.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime

from bot.core.findings import words
from bot.core.model import MessageRecord, Outcome
from bot.core.picture import Counts, Picture
from bot.core.review import ReviewItem

UNIT_COLUMNS = ("Đơn vị", "Đề nghị / chỉ tiêu", "Số thư", "Bản giấy", "Thư gần nhất", "Trạng thái")
REVIEW_COLUMNS = ("Lý do", "Đơn vị", "Thư", "Chi tiết")


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


def _when(moment: datetime | None, picture: Picture) -> str:
    return f"{moment.astimezone(picture.cfg.campaign.tz):%d/%m/%Y %H:%M}" if moment else ""


def counts_line(counts: Counts) -> str:
    """The campaign's counts in one line, as every staff surface words them (bot/core/picture.py)."""
    return (f"Đủ hồ sơ: {counts.complete}/{counts.units} đơn vị; Thiếu: {counts.missing}; "
            f"Vượt chỉ tiêu: {counts.over_quota}; Nộp muộn: {counts.late}; Chưa nộp: {counts.not_submitted}; "
            f"Cần xem xét: {counts.open_review}")


def mail_words(record: MessageRecord, picture: Picture) -> str:
    """A message as staff know it: date, sender, subject (a paper receipt says so: it is not mail)."""
    when = _when(record.received_at, picture)
    if record.outcome == Outcome.RECEIVED_OTHER_WAY:
        return f"Nhận bản giấy {when[:10]} ({record.from_name})" if record.from_name else f"Nhận bản giấy {when[:10]}"
    sender = record.from_name or record.from_addr or "(không rõ người gửi)"
    subject = f", «{record.subject}»" if record.subject else ""
    return f"{when}, {sender}{subject}"


def review_rows(items: Sequence[ReviewItem], picture: Picture) -> list[list[str]]:
    rows = []
    for item in items:
        unit = picture.unit(item.record.unit_id or "")
        rows.append([words(item.reason), unit.name if unit else "", mail_words(item.record, picture), item.detail])
    return rows


def status_lines(picture: Picture, width: int = 120) -> list[str]:
    """The whole plain-text status: campaign, one row per unit, the counts, then what needs a person."""
    campaign = picture.cfg.campaign
    lines = [campaign.name, f"Hạn nộp: {_when(campaign.deadline, picture)}", ""]
    rows = []
    for unit in picture.units:
        d = unit.dossier
        last = max((r.received_at for r in unit.mails), default=None)
        rows.append([unit.name, f"{d.collectives}+{d.individuals} / {d.quota_collectives}+{d.quota_individuals}",
                     str(len(unit.mails)), str(len(unit.papers)) if unit.papers else "", _when(last, picture),
                     unit.words])
    lines += table(UNIT_COLUMNS, rows, limits=(max(16, min(40, width - 90)),))
    lines += ["", counts_line(picture.counts)]
    review = picture.review
    if review.open:
        lines += ["", f"Cần xem xét: {len(review.open)}"]
        lines += table(REVIEW_COLUMNS, review_rows(review.open, picture), limits=(28, 24, 48, max(20, width - 108)))
    if review.done:
        lines += ["", f"Đã xử lý: {len(review.done)}"]
    return lines
