"""The tally's content, sheet by sheet, as plain values: pure, no openpyxl (that is bot/workbook/styling.py).

Each sheet is a :class:`Sheet`: a header, rows with a stable key (what staff notes are attached
to), an optional link target, a colour tone, and the names of the columns staff may type into.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import overload

from bot.config.schema import Config
from bot.core.model import DocStatus, DocumentRecord, MessageRecord, Outcome, UnitDossier
from bot.core.picture import Picture
from bot.core.review import ReviewItem
from bot.workbook.wording import KIND_WORDS, detail_text, outcome_words, reason_text, reply_words, word
from parsers.nominees import NomineeKind
from parsers.text import name_key

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
# What a workbook cell holds: what mailbot writes, and what openpyxl reads back from a staff note.
Cell = str | int | float | Decimal | datetime | date | time | timedelta | None
PLAIN_VALUES = (str, int, float, Decimal, datetime, date, time, timedelta)
SHEET_SUMMARY = "Tổng hợp"
SHEET_NOMINEES = "Danh sách đề nghị"
SHEET_MESSAGES = "Thư đến"
SHEET_REVIEW = "Cần xem xét"
ACHIEVEMENTS = "Tóm tắt thành tích"
NOTE = "Ghi chú"
DONE = "Đã xử lý"
REVIEW_STATE = "Tình trạng"              # open («Đang chờ») or done, by whom and when
ROW_KEY = "Mã dòng"
OPEN = "Mở tệp"                      # a short link cell: long linked text is not wrapped by every viewer
OPEN_WORD = "Mở"
RUNNABLE_CELL = "Không mở"             # a program or script: no link, the reason beside it (findings.RUNNABLE_WORDS)
STATUS = "Trạng thái"
DECISION = "Quyết định"              # staff decision columns (bot/workbook/decision_cells.py)
CORRECTION = "Sửa danh sách"
PAPER = "Nhận bản giấy"
RESULT = "Kết quả ghi nhận"          # what mailbot made of the decision cell beside it
Deliveries = Mapping[str, datetime]  # a reply's outbox file name -> when the SMTP server accepted it


class Tone(StrEnum):
    """The colour of a status cell (the «Hướng dẫn» sheet says what each means)."""

    NONE = ""
    GREEN = "green"       # in order
    AMBER = "amber"       # something missing
    RED = "red"           # over quota or late
    GREY = "grey"         # nothing sent yet


@dataclass(slots=True)
class Row:
    values: list[Cell]
    key: str = ""                    # stable key for staff columns ("" = none, e.g. the totals row)
    link: str = ""                   # archive path of the file, linked from the ``link_column`` cell
    tone: Tone = Tone.NONE           # the colour of the status cell
    total: bool = False


@dataclass(slots=True)
class Sheet:
    title: str
    header: list[str]
    rows: list[Row]
    key_column: str = ""             # header of the column that holds Row.key ("" = no staff columns)
    former_key_columns: tuple[str, ...] = ()  # what older workbooks called it (their notes are still read)
    staff_columns: tuple[str, ...] = ()
    hidden_columns: tuple[str, ...] = ()
    link_column: str = ""
    centred_columns: tuple[str, ...] = ()
    status_column: str = ""
    frozen_columns: int = 0          # columns kept in view when scrolling right
    preface: list[list[Cell]] = field(default_factory=list)
    printed_columns: int = 0         # the first N columns are printed (0: every visible one); the rest is work
    one_page: bool = False           # printed on one page (width and height), not only fit to width
    widths: Mapping[str, float] = field(default_factory=dict)  # columns laid out for print: their widths
    date_format: str = "dd/mm/yyyy hh:mm"


@overload
def clean_text(value: str) -> str: ...
@overload
def clean_text(value: Cell) -> Cell: ...
def clean_text(value: Cell) -> Cell:
    """Control characters out (openpyxl and XML refuse them), at most 32,000 characters (Excel's cell limit)."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value)[:32000]


def local(moment: datetime | None, cfg: Config) -> datetime | None:
    """Excel has no time zones: show the campaign's local time."""
    return moment.astimezone(cfg.campaign.tz).replace(tzinfo=None) if moment else None


def tone(dossier: UnitDossier) -> Tone:
    if not dossier.messages:
        return Tone.GREY
    if dossier.over_quota or dossier.late:
        return Tone.RED
    return Tone.GREEN if dossier.complete else Tone.AMBER


SUMMARY_WORK = (NOTE, PAPER, RESULT, ROW_KEY)   # Tổng hợp's working columns: on screen, not printed
ONE_PAGE_UNITS = 20                       # up to this many units, Tổng hợp prints on one A4 page


def summary_sheet(picture: Picture, now: datetime) -> Sheet:
    """One row per unit (its words and counts from the picture; «Số thư» counts mail, not paper receipts)
    and a total."""
    cfg = picture.cfg
    items = item_headings(cfg)
    header = ["STT", "Đơn vị", *items, "Tập thể", "Cá nhân", "Chỉ tiêu",
              "Nộp muộn", STATUS, "Thư gần nhất", "Số thư", "Cờ", *SUMMARY_WORK]
    rows = []
    for index, unit in enumerate(picture.units, 1):
        dossier = unit.dossier
        marks = [_mark(k.id, dossier, cfg) for k in cfg.documents]
        rows.append(Row([index, unit.name, *marks, dossier.collectives,
                         dossier.individuals, f"{dossier.quota_collectives}+{dossier.quota_individuals}",
                         "Có" if dossier.late else "", unit.words,
                         local(dossier.last_message_at, cfg), len(unit.mails), _flags(dossier.flags),
                         None, None, None, dossier.unit_id],
                        key=dossier.unit_id, tone=tone(dossier)))
    rows.append(_totals(picture, len(header)))
    deadline, updated = local(cfg.campaign.deadline, cfg), local(now, cfg)
    preface: list[list[Cell]] = [[cfg.campaign.name],
                                 [f"Hạn nộp: {deadline:%H:%M ngày %d/%m/%Y}. "
                                  f"Cập nhật lúc: {updated:%H:%M ngày %d/%m/%Y}."]]
    return Sheet(SHEET_SUMMARY, header, rows, key_column=ROW_KEY, former_key_columns=("Mã",),
                 staff_columns=(NOTE, PAPER),
                 hidden_columns=(ROW_KEY,), status_column=STATUS,
                 centred_columns=(*items, "Tập thể", "Cá nhân", "Chỉ tiêu", "Nộp muộn", "Số thư"),
                 frozen_columns=2, preface=preface, printed_columns=len(header) - len(SUMMARY_WORK),
                 one_page=len(picture.units) <= ONE_PAGE_UNITS, widths=_SUMMARY_WIDTHS | dict.fromkeys(items, 8),
                 date_format="dd/mm hh:mm")


# Tổng hợp's printed columns fit an A4 landscape page at about 80 % (body text near 9 pt).
_SUMMARY_WIDTHS = {"STT": 4, "Đơn vị": 35, "Tập thể": 6, "Cá nhân": 6, "Chỉ tiêu": 6, "Nộp muộn": 6,
                   STATUS: 32, "Thư gần nhất": 12, "Số thư": 5, "Cờ": 16,
                   NOTE: 40, PAPER: 40, RESULT: 80}  # the working columns are not printed: room to read


def item_headings(cfg: Config) -> list[str]:
    """Short column headings for the dossier items: the fewest leading words of each label (at least
    two) that tell it from the others («Tờ trình», «Báo cáo tóm tắt», «Báo cáo sơ kết»); the «Hướng dẫn»
    sheet gives the full names."""
    labels = [k.label for k in cfg.documents]
    out = []
    for label in labels:
        words = label.split()
        count = min(2, len(words))
        while count < len(words) and any(o != label and o.split()[:count] == words[:count] for o in labels):
            count += 1
        if count > 2 and count % 2 and count < len(words):   # whole two-syllable words: «tóm tắt», «sơ kết»
            count += 1
        out.append(" ".join(words[:count]))
    return out if len(set(out)) == len(out) else labels


def _mark(item: str, dossier: UnitDossier, cfg: Config) -> str:
    if item in dossier.received:
        return "✓"
    return "✗" if item in cfg.campaign.required else ""


def _totals(picture: Picture, width: int) -> Row:
    cfg, dossiers, counts = picture.cfg, picture.dossiers, picture.counts
    count = counts.units
    marks = [f"{sum(k.id in d.received for d in dossiers)}/{count}" for k in cfg.documents]
    values: list[Cell] = [None, "Tổng cộng", *marks, sum(d.collectives for d in dossiers),
                          sum(d.individuals for d in dossiers),
                          f"{sum(d.quota_collectives for d in dossiers)}+{sum(d.quota_individuals for d in dossiers)}",
                          counts.late or "", f"Đủ hồ sơ: {counts.complete}/{count}", None,
                          sum(len(u.mails) for u in picture.units), None, None, None, None, None]
    assert len(values) == width  # noqa: S101 - header and totals are built together
    return Row(values, total=True)


def nominee_sheet(cfg: Config, dossiers: Sequence[UnitDossier], records: Sequence[MessageRecord]) -> Sheet:
    """One row per nominee, grouped by unit in config order, collectives before individuals."""
    header = ["STT", "Đơn vị", "Loại", "Họ tên / Tên tập thể", "Chức vụ, đơn vị công tác", ACHIEVEMENTS,
              "Tệp nguồn", OPEN, "Cờ", NOTE, CORRECTION, RESULT, ROW_KEY]
    rows: list[Row] = []
    for dossier in dossiers:
        unit = cfg.unit(dossier.unit_id)
        links = source_links(dossier.unit_id, records)
        ordered = sorted(dossier.nominees, key=lambda n: n.kind != NomineeKind.COLLECTIVE)
        for nominee in ordered:
            key = f"{dossier.unit_id}|{nominee.kind}|{name_key(nominee.name)}"
            link = links.get(nominee.source, "")
            rows.append(Row([len(rows) + 1, unit.name if unit else dossier.unit_id, KIND_WORDS.get(nominee.kind),
                             nominee.name, nominee.role, nominee.achievements, nominee.source, _open(link),
                             _flags(dossier.flags),
                             None, None, None, key], key=key, link=link, tone=tone(dossier)))
    return Sheet(SHEET_NOMINEES, header, rows, key_column=ROW_KEY, staff_columns=(NOTE, CORRECTION),
                 hidden_columns=(ROW_KEY,), link_column=OPEN, centred_columns=("Loại", OPEN),
                 printed_columns=header.index("Tệp nguồn") + 1,
                 widths={"STT": 5, "Đơn vị": 34, "Loại": 9, "Họ tên / Tên tập thể": 26, "Chức vụ, đơn vị công tác": 28,
                         ACHIEVEMENTS: 50 if any(row.values[5] for row in rows) else 16, "Tệp nguồn": 20})


def source_links(unit_id: str, records: Sequence[MessageRecord]) -> dict[str, str]:
    """File name -> archive path of the unit's latest counted copy of it."""
    links: dict[str, str] = {}
    for record in records:
        if record.counted and record.unit_id == unit_id:
            links |= {d.filename: _link(d) for d in record.documents if d.archive_path}
    return links


def message_sheet(cfg: Config, records: Sequence[MessageRecord], sent: Deliveries | None = None) -> Sheet:
    """Every message of the campaign's mailbox; ``sent``: which replies the SMTP server accepted, when."""
    sent = sent or {}
    header = ["Thời gian nhận", "Người gửi", "Tiêu đề", "Đơn vị", "Tệp đính kèm", "Kết quả", "Trả lời", OPEN]
    rows = []
    for record in records:
        if _noise(record):
            continue
        files = "\n".join(_read_as(d, cfg) for d in record.documents)
        only = record.documents[0] if len(record.documents) == 1 else None
        link = _link(only) if only else ""
        rows.append(Row([local(record.received_at, cfg), _sender(record), record.subject,
                         _unit_name(record, cfg), files, outcome_words(record), _reply(record, sent, cfg),
                         _open(link, only)],
                        link=link))
    return Sheet(SHEET_MESSAGES, header, rows, link_column=OPEN, centred_columns=(OPEN,),
                 printed_columns=len(header) - 1,
                 widths={"Thời gian nhận": 16, "Người gửi": 26, "Tiêu đề": 28, "Đơn vị": 26, "Tệp đính kèm": 46,
                         "Kết quả": 26, "Trả lời": 18})


def _reply(record: MessageRecord, sent: Deliveries, cfg: Config) -> str:
    if record.outcome == Outcome.RECEIVED_OTHER_WAY:
        return ""
    return reply_words(record.reply, local(sent.get(record.reply.queued), cfg))


def _noise(record: MessageRecord) -> bool:
    """Rows that tell staff nothing: a copy met in another folder (e.g. Gmail's All Mail) and recognised by
    its Message-ID before it was fetched, and other mail of the spam folder."""
    copy = record.outcome == Outcome.DUPLICATE and record.digest.startswith("unfetched:")
    return copy or record.outcome == Outcome.SPAM


def _link(doc: DocumentRecord) -> str:
    """Where the file's «Mở» link points: nowhere for a program or script, whatever its name says."""
    return "" if doc.runnable else doc.archive_path


def _open(link: str, doc: DocumentRecord | None = None) -> str | None:
    if doc is not None and doc.runnable:
        return RUNNABLE_CELL
    return OPEN_WORD if link else None


def _read_as(doc: DocumentRecord, cfg: Config) -> str:
    spec = cfg.doc_kind(doc.kind)
    what = spec.label if spec else word(doc.kind)
    return f"{doc.filename} → {what}" + ("" if doc.status == DocStatus.OK else f" ({word(doc.status)})")


def _flags(flags: Sequence[str]) -> str:
    return ", ".join(word(flag) for flag in flags)


def _unit_name(record: MessageRecord, cfg: Config) -> str:
    unit = cfg.unit(record.unit_id) if record.unit_id else None
    return unit.name if unit else record.unit_id or ""


def _sender(record: MessageRecord) -> str:
    if record.outcome == Outcome.RECEIVED_OTHER_WAY:    # staff recorded it: no mail, no sender
        return f"{PAPER} (ghi bởi {record.from_name})" if record.from_name else PAPER
    return f"{record.from_name} <{record.from_addr}>".strip() if record.from_name else record.from_addr


def review_sheet(picture: Picture) -> Sheet:
    """What needs a human: the open items, then the done ones with who settled them (or «tự đóng»)."""
    cfg = picture.cfg
    header = ["Thời gian nhận", "Người gửi", "Tiêu đề", "Đơn vị", "Lý do", "Chi tiết", REVIEW_STATE, OPEN, DONE,
              NOTE, DECISION, RESULT, ROW_KEY]
    rows = []
    seen: dict[str, int] = {}
    for item in [*picture.review.open, *picture.review.done]:
        record = item.record
        base = f"{record.digest[:16]}|{item.reason}|{item.detail}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}#{seen[base]}"
        filename = item.detail.split(": ", 1)[0]
        doc = next((d for d in record.documents if d.filename == filename and item.detail), None)
        link = _link(doc) if doc else ""
        rows.append(Row([local(record.received_at, cfg), _sender(record), record.subject, _unit_name(record, cfg),
                         reason_text(item.reason), detail_text(item.reason, item.detail), _review_state(item, cfg),
                         _open(link, doc), None, None, None, None, key],
                        key=key, link=link, tone=Tone.NONE if item.is_open else Tone.GREEN))
    return Sheet(SHEET_REVIEW, header, rows, key_column=ROW_KEY, staff_columns=(DONE, NOTE, DECISION),
                 hidden_columns=(ROW_KEY,), link_column=OPEN, centred_columns=(OPEN, DONE),
                 printed_columns=header.index(REVIEW_STATE) + 1,
                 widths={"Thời gian nhận": 16, "Người gửi": 24, "Tiêu đề": 28, "Đơn vị": 24, "Lý do": 22,
                         "Chi tiết": 45, REVIEW_STATE: 18, NOTE: 30, DECISION: 36, RESULT: 60})


def _review_state(item: ReviewItem, cfg: Config) -> str:
    """«Đang chờ», or who settled the item and when, or that its cause went away."""
    if item.is_open:
        return "Đang chờ"
    if item.closed_by_itself:
        return "Đã xong: tự đóng (nguyên nhân không còn)"
    when = local(item.decided_at, cfg)
    return f"Đã xong: {item.decided_by}" + (f", {when:%d/%m/%Y %H:%M}" if when else "")
