"""Every staff surface tells the same picture (bot/core/picture.py), whatever happened: a property test.

Hypothesis draws small campaigns: units' mails carrying some dossier items and some of their nominees
(on time or late, from the registered address or a stranger's), staff decisions (assign, ignore,
receive, kind, nominee), undos and re-polls. Each runs through the real ``mailbot`` commands in-process
on a Maildir inbox (no servers). Then ``status``, ``status --json``, the workbook (read back with
openpyxl), the digest and the reminders must tell the same counts («Đủ hồ sơ», «Thiếu», «Vượt chỉ
tiêu», «Nộp muộn», «Chưa nộp», the open review count), the same missing items and the same nominees.
"""

from __future__ import annotations

import contextlib
import io
import json
import mailbox
import os
import re
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.app.cli import main
from bot.config import schema as config_module
from tests.conftest import UNITS_TOML, write_config
from tests.samples import SAMPLE_DOSSIERS, bien_ban_docx, eml, to_trinh_docx, tom_tat_docx

ICT = timezone(timedelta(hours=7))
MAILING = ("tam_duong", "sin_ho", "cd_giaoduc")       # units that write; the other five stay silent
ITEMS = ("to_trinh", "bien_ban", "tom_tat")
FILES = {"to_trinh": "Tờ trình đề nghị khen thưởng.docx", "bien_ban": "Biên bản họp xét.docx",
         "tom_tat": "Báo cáo tóm tắt thành tích.docx"}
MAILDIR = '[mailbox]\nkind = "maildir"\npath = "inbox"\n[limits]\ndocument_workers = 1\n'
NOW = "2020-12-19T09:00:00+07:00"     # the T-1 reminder slot has passed; the digest is due
UNITS = [block for block in UNITS_TOML.split("[[unit]]")[1:]]
NAMES = {re.search(r'id = "(\w+)"', b)[1]: re.search(r'name = "([^"]+)"', b)[1] for b in UNITS}  # type: ignore[index]
EMAILS = {re.search(r'id = "(\w+)"', b)[1]: re.search(r'emails = \["([^"]+)"', b)[1] for b in UNITS}  # type: ignore[index]


@cache
def labels() -> dict[str, str]:
    """Dossier item id -> its label, as the config names it."""
    with tempfile.TemporaryDirectory() as folder:
        cfg = config_module.load(write_config(Path(folder), MAILDIR))
    return {kind.id: kind.label for kind in cfg.documents}


@cache
def document(unit: str, item: str, count: int) -> bytes:
    """The unit's document naming its collective and its first ``count`` individuals."""
    dossier = replace(SAMPLE_DOSSIERS[unit], individuals=SAMPLE_DOSSIERS[unit].individuals[:count])
    return {"to_trinh": to_trinh_docx, "bien_ban": bien_ban_docx, "tom_tat": tom_tat_docx}[item](dossier)


@dataclass(frozen=True)
class Mail:
    unit: str
    items: tuple[str, ...]
    count: int               # individuals named
    day: int                 # of December 2020; after the 20th it is late
    stranger: bool           # sent from an address that is not the unit's


mails = st.builds(Mail, st.sampled_from(MAILING), st.lists(st.sampled_from(ITEMS), min_size=1, max_size=3,
                                                              unique=True).map(tuple),
                  st.integers(1, 6), st.sampled_from((12, 15, 21)), st.booleans())
decisions = st.one_of(
    st.tuples(st.just("assign"), st.integers(0, 5), st.sampled_from(MAILING)),
    st.tuples(st.just("ignore"), st.integers(0, 5)),
    st.tuples(st.just("receive"), st.sampled_from(MAILING), st.sampled_from(ITEMS), st.sampled_from((14, 21))),
    st.tuples(st.just("kind"), st.integers(0, 5), st.sampled_from(ITEMS), st.sampled_from((*ITEMS, "other"))),
    st.tuples(st.just("nominee"), st.sampled_from(MAILING), st.integers(0, 3), st.sampled_from(("remove", "kind"))),
    st.tuples(st.just("undo"), st.integers(1, 6)),
    st.tuples(st.just("poll")),
)
campaigns = st.lists(st.one_of(mails, decisions), min_size=2, max_size=7)


def mailbot(config: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--config", str(config), *args])
    return code, out.getvalue()


def run(folder: Path, steps: list[Any]) -> Path:
    config = write_config(folder, MAILDIR)
    inbox = mailbox.Maildir(folder / "inbox", create=True)
    sent: list[str] = []
    for step in steps:
        if isinstance(step, Mail):
            sender = f"vanthu.{step.unit}@gmail.example" if step.stranger else EMAILS[step.unit]
            files = [(FILES[item], document(step.unit, item, step.count)) for item in step.items]
            raw = eml(sender=sender, subject=f"Hồ sơ đề nghị khen thưởng VHCS 2020 - {NAMES[step.unit]}",
                      attachments=files, date=datetime(2020, 12, step.day, 9, len(sent), tzinfo=ICT))
            inbox.add(mailbox.MaildirMessage(raw))
            sent.append(re.search(rb"Message-ID: (<[^>]+>)", raw)[1].decode())  # type: ignore[index]
            assert mailbot(config, "poll")[0] == 0
        else:
            decide(config, step, sent)
    return config


def _nth_individual(unit: str, index: int) -> str:
    """An individual of the unit's sample list (units name 3 to 8 of them: the index wraps)."""
    individuals = SAMPLE_DOSSIERS[unit].individuals
    return individuals[index % len(individuals)].name


def decide(config: Path, step: tuple[Any, ...], sent: list[str]) -> None:
    """One staff decision through the CLI; refused ones (exit 1: nothing to decide) are part of the game."""
    kind, *rest = step
    message = sent[rest[0] % len(sent)] if sent and kind in ("assign", "ignore", "kind") else "<none@x>"
    args = {"assign": lambda: ["assign", message, rest[1]],
            "ignore": lambda: ["ignore", message],
            "receive": lambda: ["receive", rest[0], rest[1], "--on", f"2020-12-{rest[2]}"],
            "kind": lambda: ["kind", message, FILES[rest[1]], rest[2]],
            "nominee": lambda: ["nominee", rest[0], _nth_individual(rest[0], rest[1]),
                                *(["--remove"] if rest[2] == "remove" else ["--kind", "collective"])],
            "undo": lambda: ["decisions", "--undo", f"#{rest[0]}"],
            "poll": lambda: ["poll"]}[kind]()
    code, _ = mailbot(config, *args, *(["--now", NOW] if kind not in ("poll", "undo") else []))
    assert code in (0, 1), args


def counts_of(status: dict[str, Any]) -> dict[str, int]:
    """The counts, by their one definition, from ``status --json``."""
    units = status["units"]
    submitted = [u for u in units if u["verdict"] != "not_submitted"]
    return {"Đủ hồ sơ": sum(u["verdict"] == "in_order" for u in units),
            "Thiếu": sum(bool(u["missing"]) for u in submitted),
            "Vượt chỉ tiêu": sum(u["over_quota"] for u in submitted), "Nộp muộn": sum(u["late"] for u in submitted),
            "Chưa nộp": len(units) - len(submitted), "Cần xem xét": len(status["needs_review"])}


def check_status_text(text: str, status: dict[str, Any], counts: dict[str, int]) -> None:
    line = next(x for x in text.splitlines() if x.startswith("Đủ hồ sơ: "))
    told = dict(re.findall(r"([^:;]+): (\d+)", line.replace(" đơn vị", "")))
    assert {k.strip(): int(v) for k, v in told.items()} == counts
    for unit in status["units"]:
        row = next(x for x in text.splitlines() if x.startswith(unit["name"]))
        assert row.rstrip().endswith(unit["status"]), (row, unit["status"])


def check_workbook(path: Path, status: dict[str, Any], counts: dict[str, int]) -> None:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = [list(r) for r in book["Tổng hợp"].iter_rows(values_only=True)]
        header = next(r for r in rows if r and r[0] == "STT")
        table = [dict(zip(header, r, strict=False)) for r in rows[rows.index(header) + 1:] if any(r)]
        total = next(r for r in table if r["Đơn vị"] == "Tổng cộng")
        assert total["Trạng thái"] == f"Đủ hồ sơ: {counts['Đủ hồ sơ']}/{len(status['units'])}"
        for unit in status["units"]:
            row = next(r for r in table if r["Đơn vị"] == unit["name"])
            assert row["Trạng thái"] == unit["status"]
        nominees = [list(r) for r in book["Danh sách đề nghị"].iter_rows(values_only=True)]
        head = nominees[0]
        listed = {(r[head.index("Đơn vị")], r[head.index("Họ tên / Tên tập thể")]) for r in nominees[1:] if r[0]}
    finally:
        book.close()
    assert listed == {(u["name"], n["name"]) for u in status["units"] for n in u["nominees"]}


def check_digest(text: str, status: dict[str, Any], counts: dict[str, int]) -> None:
    assert f": {counts['Đủ hồ sơ']}/{len(status['units'])} đơn vị đủ hồ sơ, {counts['Cần xem xét']} việc chờ" in text
    for word in ("Đủ hồ sơ", "Thiếu", "Vượt chỉ tiêu", "Nộp muộn", "Chưa nộp"):
        assert re.search(rf"^- {word}: {counts[word]}\b", text, re.M), word
    for unit in status["units"]:
        if unit["missing"] and unit["verdict"] != "not_submitted":
            assert f"{unit['name']}: còn thiếu {'; '.join(labels()[i] for i in unit['missing'])}" in text
        names = [n["name"] for n in unit["nominees"]]
        if names:   # the first digest lists everything since the start: every nominee as added
            assert f"thêm vào danh sách: {', '.join(names)}" in text, unit["id"]


def check_reminders(text: str, status: dict[str, Any]) -> None:
    reminded = {unit: words for unit, words in re.findall(r"^(\w+) \([^)]*\): .*?\n(.*?)(?=^\w+ \(|^remind:|\Z)",
                                                           text, re.M | re.S) if unit in NAMES}
    owing = {u["id"]: u for u in status["units"] if u["missing"] or u["over_quota"]}
    assert set(reminded) == set(owing)
    for unit_id, unit in owing.items():
        if unit["missing"]:
            assert f"Còn thiếu: {'; '.join(labels()[i] for i in unit['missing'])}." in reminded[unit_id]
        assert ("vượt chỉ tiêu" in reminded[unit_id]) == unit["over_quota"]


@settings(max_examples=6, deadline=None, derandomize=bool(os.environ.get("CI")),  # CI: the same examples each run
          suppress_health_check=[HealthCheck.too_slow],
          phases=(Phase.explicit, Phase.reuse, Phase.generate))   # no shrinking: each example runs the CLI
@given(campaigns)
def test_every_surface_tells_the_same_picture(steps: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = run(Path(folder), steps)
        status = json.loads(mailbot(config, "status", "--json")[1])
        counts = counts_of(status)
        check_status_text(mailbot(config, "status")[1], status, counts)
        assert mailbot(config, "tally")[0] == 0
        check_workbook(Path(folder) / "tally.xlsx", status, counts)
        check_digest(mailbot(config, "digest", "--now", NOW, "--dry-run")[1], status, counts)
        check_reminders(mailbot(config, "remind", "--now", NOW, "--dry-run")[1], status)
