"""Containment on the real servers: no message can stop the inbox (Dovecot, aiosmtpd, `mailbot poll`).

An attachment named 200 × «ữ» + ".docx" (over 255 bytes on disk once prefixed), from an unknown sender
and inside a unit's .zip, used to stop every poll for good. Now each such message is recorded with its
sender (processed, or an `error` for staff), every other message commits and is answered once, and
every poll exits 0. The second test injects a reply fault into one message of `mailbot poll` run
in-process and counts the replies at aiosmtpd over three polls.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bot.app import cli, pipeline
from bot.workbook.content import SHEET_REVIEW
from tests import samples
from tests.integration.harness import (
    IMAP_ENV,
    SMTP_ENV,
    UNIT_EMAIL,
    Setup,
    at,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    status_json,
    unit_mail,
)
from tests.mailservers import ImapAccount, SmtpSink

LONG_NAME = "ữ" * 200 + ".docx"
STRANGER = "nguoi.la@example.com"


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink("bot@example.org", "app-password") as server:
        yield server


def _rows(setup: Setup) -> dict[str, tuple[str, str, str, str]]:
    """message_id -> (outcome, from, subject, reply)."""
    with closing(sqlite3.connect(setup.root / "state" / "mailbot.sqlite3")) as db:
        return {mid: (outcome, sender, subject, reply) for mid, outcome, sender, subject, reply in db.execute(
            "SELECT message_id, outcome, from_addr, subject, reply FROM messages")}


def _replies(sink: SmtpSink) -> Counter[str]:
    """How often each incoming Message-ID was answered at the SMTP server."""
    return Counter(str(parse_sent(message)["In-Reply-To"]) for message in sink.messages)


def _docx(unit: str) -> bytes:
    return samples.to_trinh_docx(samples.SAMPLE_DOSSIERS[unit])


def test_an_attachment_named_200_u_does_not_stop_the_inbox(tmp_path: Path, imap_account: ImapAccount,
                                                            sink: SmtpSink) -> None:
    """GIVEN a unit's dossier, a stranger's mail with a 200 × «ữ».docx attachment, a unit's .zip holding a
    file of that name, and another unit's dossier WHEN polled three times THEN every poll exits 0, the two
    plain dossiers are answered once each, the two others are recorded with their senders (listed for
    staff when they failed), and no message is answered twice."""
    first = unit_mail("tam_duong", [("Tờ trình.docx", _docx("tam_duong"))], date=at(1))
    stranger = samples.eml(sender=STRANGER, subject="Gửi tài liệu", attachments=[(LONG_NAME, b"PK\x03\x04 not a docx")])
    zipped = unit_mail("phong_tho", [("Hồ sơ.zip", samples.zip_of({LONG_NAME: _docx("phong_tho")}))], date=at(2))
    last = unit_mail("sin_ho", [("Tờ trình.docx", _docx("sin_ho"))], date=at(3))
    for raw in (first, stranger, zipped, last):
        imap_account.append(raw)
    setup = make_config(tmp_path / "bot", imap_account, sink)
    for _ in range(3):
        ok(run_mailbot(setup, "poll"))
    rows = _rows(setup)
    assert len(rows) == 4
    by_sender = {sender: (outcome, subject, reply) for outcome, sender, subject, reply in rows.values()}
    for unit in ("tam_duong", "sin_ho"):
        assert by_sender[UNIT_EMAIL[unit]][0] == "accepted" and by_sender[UNIT_EMAIL[unit]][2]
    assert set(by_sender) == {UNIT_EMAIL["tam_duong"], UNIT_EMAIL["sin_ho"], UNIT_EMAIL["phong_tho"], STRANGER}
    review = status_json(setup)["needs_review"]
    for sender in (STRANGER, UNIT_EMAIL["phong_tho"]):
        outcome, subject, _ = by_sender[sender]
        assert subject, "the subject is kept"
        if outcome == "error":
            assert any(i["from"] == sender and i["reason"] == "error" and i["subject"] == subject for i in review)
    answered = _replies(sink)
    assert all(count == 1 for count in answered.values()), answered
    assert len(answered) == sum(1 for outcome, _, _, reply in rows.values() if reply)
    assert setup.tally.exists()


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, imap_account: ImapAccount,
               sink: SmtpSink) -> Setup:
    setup = make_config(tmp_path / "bot", imap_account, sink)
    monkeypatch.setenv(IMAP_ENV, setup.imap_password)
    monkeypatch.setenv(SMTP_ENV, setup.smtp_password)
    return setup


def test_a_reply_that_cannot_be_composed_stays_with_its_message(in_process: Setup, imap_account: ImapAccount,
                                                                 sink: SmtpSink,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN three unit dossiers, the second's reply failing every time WHEN `mailbot poll` runs four times
    THEN the first and third are answered once at aiosmtpd, the second never; it is tried three times, in
    `needs_review` and on the workbook's review sheet with its sender, and every poll exits 0."""
    units = ("tam_duong", "phong_tho", "sin_ho")
    raws = [unit_mail(unit, [("Tờ trình.docx", _docx(unit))], date=at(day)) for day, unit in enumerate(units, 1)]
    for raw in raws:
        imap_account.append(raw)
    real = pipeline.replies.acknowledgement

    def acknowledgement(mail: Any, *args: Any, **kwargs: Any) -> Any:
        if mail.from_addr == UNIT_EMAIL["phong_tho"]:
            raise ValueError("injected")
        return real(mail, *args, **kwargs)

    monkeypatch.setattr(pipeline.replies, "acknowledgement", acknowledgement)
    monkeypatch.chdir(in_process.root)
    for _ in range(4):
        assert cli.main(["--config", str(in_process.config), "poll"]) == cli.EXIT_OK
    answered = _replies(sink)
    assert sorted(answered.values()) == [1, 1] and len(answered) == 2
    with closing(sqlite3.connect(in_process.root / "state" / "mailbot.sqlite3")) as db:
        failed = db.execute("SELECT outcome, stage, attempts, from_addr FROM messages WHERE from_addr=?",
                            (UNIT_EMAIL["phong_tho"],)).fetchall()
    assert failed == [("error", "replying", 3, UNIT_EMAIL["phong_tho"])]
    review = [i for i in status_json(in_process)["needs_review"] if i["reason"] == "error"]
    assert [i["from"] for i in review] == [UNIT_EMAIL["phong_tho"]]
    sheet = openpyxl.load_workbook(in_process.tally, read_only=True)[SHEET_REVIEW]
    cells = [" ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True)]
    assert any(UNIT_EMAIL["phong_tho"] in line and "Lỗi ở bước «soạn và xếp thư trả lời»" in line
               for line in cells), cells
