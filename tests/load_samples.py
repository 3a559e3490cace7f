"""Many messages at once, for crash tests and benchmarks: a seeded mix of dossiers and noise.

Documents come from tests.samples (built once per unit and reused); each message differs by its
subject, date and choice of attachments, so every one has its own Message-ID and digest.
"""

from __future__ import annotations

import random
import re
import tomllib
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import load_workbook

from tests.conftest import UNITS_TOML
from tests.samples import SAMPLE_DOSSIERS, auto_reply_eml, eml, full_dossier

if TYPE_CHECKING:
    from tests.mailservers import ImapAccount

ICT = timezone(timedelta(hours=7))
START = datetime(2020, 12, 1, 8, 0, tzinfo=ICT)
UNIT_EMAILS = {unit["id"]: unit["emails"][0] for unit in tomllib.loads(UNITS_TOML)["unit"]}
UNITS = tuple(UNIT_EMAILS)


@cache
def dossier_files(unit_id: str) -> tuple[tuple[str, bytes], ...]:
    return tuple(full_dossier(SAMPLE_DOSSIERS[unit_id]))


def mixed_mailbox(count: int, seed: int = 6) -> list[tuple[bytes, datetime]]:
    """``count`` messages with their arrival times: 70 % unit dossiers (some partial), then
    auto-replies, strangers sending a unit's documents (unverified) and strangers asking questions."""
    rng = random.Random(seed)
    out = []
    for index in range(count):
        unit = UNITS[index % len(UNITS)]
        when = START + timedelta(minutes=7 * index)
        kind = rng.random()
        if kind < 0.7:
            files = list(dossier_files(unit))
            chosen = files if rng.random() < 0.6 else rng.sample(files, rng.randint(1, 3))
            raw = eml(sender=UNIT_EMAILS[unit], subject=f"Hồ sơ khen thưởng lần {index}", attachments=chosen,
                      date=when)
        elif kind < 0.8:
            raw = auto_reply_eml(sender=UNIT_EMAILS[unit], subject=f"Tự động trả lời {index}")
        elif kind < 0.9:
            raw = eml(sender=f"canbo{index}@gmail.example", subject=f"Gửi hộ hồ sơ {index}",
                      attachments=list(dossier_files(unit))[:2], date=when)
        else:
            raw = eml(sender=f"nguoi{index}@gmail.example", subject=f"Hỏi thủ tục {index}", date=when)
        out.append((raw, when))
    return out


def unit_emails(count: int, attachments: int = 3) -> list[tuple[bytes, datetime]]:
    """``count`` registered-unit mails, each with ``attachments`` documents (for throughput)."""
    out = []
    for index in range(count):
        unit = UNITS[index % len(UNITS)]
        when = START + timedelta(minutes=index)
        raw = eml(sender=UNIT_EMAILS[unit], subject=f"Hồ sơ {index}",
                  attachments=list(dossier_files(unit))[:attachments], date=when)
        out.append((raw, when))
    return out


@cache
def scanned_dossier_files(unit_id: str) -> tuple[tuple[str, bytes], ...]:
    """The unit's dossier with its tờ trình printed on two pages and scanned back (no text layer)."""
    from tests.scan_samples import two_page_scan

    (_name, docx), *rest = dossier_files(unit_id)
    return (("Tờ trình (bản scan).pdf", two_page_scan(docx)), *rest)


def scan_heavy_emails(count: int, attachments: int = 3) -> list[tuple[bytes, datetime]]:
    """Like :func:`unit_emails`, but every third message carries a scanned two-page PDF."""
    out = []
    for index in range(count):
        unit = UNITS[index % len(UNITS)]
        files = scanned_dossier_files(unit) if index % 3 == 0 else dossier_files(unit)
        raw = eml(sender=UNIT_EMAILS[unit], subject=f"Hồ sơ {index}", attachments=list(files)[:attachments],
                  date=START + timedelta(minutes=index))
        out.append((raw, START + timedelta(minutes=index)))
    return out


def append_all(account: ImapAccount, messages: list[tuple[bytes, datetime]]) -> None:
    """APPEND every message over one connection (in order, so UIDs follow the list)."""
    with account.connect() as client:
        for raw, when in messages:
            client.append("INBOX", raw, msg_time=when)


_SENT_AT = re.compile(r"Đã gửi \d\d/\d\d/\d{4} \d\d:\d\d")


def workbook_values(path: Path, ignore: str = "Cập nhật lúc") -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cell values, without the cells holding the "updated at" stamp, and with «Đã gửi <when>»
    read as «Đã gửi»: when the SMTP server took a reply is the wall clock of that run, not its outcome."""
    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: [tuple(_comparable(v, ignore) for v in row) for row in sheet.iter_rows(values_only=True)]
                for sheet in book.worksheets}
    finally:
        book.close()


def _comparable(value: object, ignore: str) -> object:
    if not isinstance(value, str):
        return value
    return None if ignore in value else _SENT_AT.sub("Đã gửi", value)
