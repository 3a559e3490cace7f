"""Whose mail and whose files (issue 21 points 2, 3, 4 and 7), on Dovecot + aiosmtpd through the real CLI.

Outlook's Rich Text winmail.dat, a grassroots union's files sent along with a unit's dossier, a tờ trình
that replaces an earlier list, and strangers writing in a unit's name.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.integration.conftest import SMTP_PASSWORD, SMTP_USER
from tests.integration.harness import (
    UNIT_EMAIL,
    UNIT_NAME,
    Setup,
    at,
    body_text,
    explain,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    status_json,
    units_by_id,
)
from tests.mailservers import Dovecot, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier
from tests.tnef_samples import outlook_rich_text_eml, tnef_of

_accounts = itertools.count(1)


def message_id(raw: bytes) -> str:
    return str(message_from_bytes(raw)["Message-ID"]).strip()


def replies_to(sink: SmtpSink, raw: bytes) -> list[EmailMessage]:
    wanted = message_id(raw)
    return [m for m in (parse_sent(s) for s in sink.messages) if str(m.get("In-Reply-To", "")).strip() == wanted]


@dataclass
class Polled:
    setup: Setup
    sink: SmtpSink
    raw: dict[str, bytes]


def _poll(dovecot: Dovecot, folder: Path, prefix: str, raw: dict[str, bytes], extra: str = "") -> Iterator[Polled]:
    dovecot.start()
    account = dovecot.create_account(f"{prefix}{next(_accounts)}", password="secret")
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink:
        setup = make_config(folder, account, sink, extra)
        for message in raw.values():
            account.append(message)
        ok(run_mailbot(setup, "poll"))
        yield Polled(setup, sink, raw)


# ---------------------------------------------------------------- point 3: Outlook's winmail.dat

@pytest.fixture(scope="module")
def outlook(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Polled]:
    """Three units write from Outlook in Rich Text: a whole dossier in winmail.dat, a winmail.dat that
    holds only the message body, and one damaged on the way."""
    def send(unit: str, **kwargs: object) -> bytes:
        return outlook_rich_text_eml(sender=UNIT_EMAIL[unit], sender_name=UNIT_NAME[unit], date=at(2, 9),
                                     subject=f"Hồ sơ đề nghị khen thưởng VHCS 2020 - {UNIT_NAME[unit]}",
                                     body="Kính gửi Văn phòng LĐLĐ tỉnh,\nĐơn vị gửi hồ sơ theo Kế hoạch "
                                          "199/KH-LĐLĐ.\nTrân trọng.", **kwargs)  # type: ignore[arg-type]
    damaged = tnef_of(full_dossier(SAMPLE_DOSSIERS["sin_ho"]))
    raw = {"dossier": send("tp_laichau", files=full_dossier(SAMPLE_DOSSIERS["tp_laichau"])),
           "body_only": send("tam_duong", files=[]),
           "damaged": send("sin_ho", winmail=damaged[: len(damaged) // 3])}
    yield from _poll(dovecot, tmp_path_factory.mktemp("outlook"), "outlook", raw)


def test_winmail_dat_dossier_counts_like_any_attachment(outlook: Polled) -> None:
    """GIVEN a unit's four documents inside Outlook's winmail.dat
    WHEN `mailbot poll` runs
    THEN they count as the unit's dossier, and the reply lists each file by its own name."""
    unit = units_by_id(status_json(outlook.setup))["tp_laichau"]
    assert unit["complete"] and unit["individuals"] == len(SAMPLE_DOSSIERS["tp_laichau"].individuals), unit
    (reply,) = replies_to(outlook.sink, outlook.raw["dossier"])
    text = body_text(reply)
    for name, _ in full_dossier(SAMPLE_DOSSIERS["tp_laichau"]):
        assert f"«{name}»" in text
    assert "winmail.dat" not in text


def test_unreadable_winmail_dat_names_outlooks_rich_text_once(outlook: Polled) -> None:
    """GIVEN a damaged winmail.dat, and one that holds only the message body
    THEN each reply says the cause in plain words (Outlook's Rich Text), once, with no «cán bộ sẽ kiểm
    tra» about it; the damaged one goes to staff review."""
    (damaged,) = replies_to(outlook.sink, outlook.raw["damaged"])
    text = body_text(damaged)
    assert "Thư được Outlook gửi ở định dạng Rich Text (winmail.dat) nên không mở được tệp đính kèm" in text
    assert text.count("Rich Text") == 1 and "cán bộ sẽ kiểm tra" not in text, text
    (body_only,) = replies_to(outlook.sink, outlook.raw["body_only"])
    assert "chỉ chứa nội dung thư, không có tệp đính kèm nào" in body_text(body_only)
    status = status_json(outlook.setup)
    assert "tnef_unreadable" in units_by_id(status)["sin_ho"]["flags"]
    reasons = {(i["message_id"], i["reason"]) for i in status["needs_review"]}
    assert (message_id(outlook.raw["damaged"]), "tnef_unreadable") in reasons, explain(
        run_mailbot(outlook.setup, "status"))
