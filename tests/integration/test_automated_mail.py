"""Never answer a machine, on Dovecot + aiosmtpd through the real CLI (issue 10, part 4).

A sample of the real automated messages of tests/corpus/automated arrives from registered unit
addresses (From and Return-Path rewritten, as the held-out set sends them), beside unit mail that
must keep its reply: a dossier, a forwarded dossier, a unit's mail quoting a bounce. One `mailbot
poll`: no reply to any machine, each recorded with its outcome and the sign that gave it away;
every unit message gets its acknowledgement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import schema as config_module
from bot.core.model import MessageRecord, Outcome, Sign
from bot.state.ledger import Ledger
from tests.integration.harness import (
    ALL_UNITS,
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
from tests.mailservers import Dovecot, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, eml, full_dossier
from tests.unit.test_automated import AUTOMATED, as_from_unit

MACHINE_OUTCOMES = {Outcome.BOUNCE, Outcome.AUTO_REPLY, Outcome.READ_RECEIPT, Outcome.MAILING_LIST,
                    Outcome.FEEDBACK_REPORT, Outcome.CHALLENGE}
SAMPLE_EVERY = 6
QUOTED_BOUNCE = ("Delivery has failed to these recipients or groups:\n\nvanphong.ldld@example.org\n"
                 "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##")


def _sample() -> list[Path]:
    """Every SAMPLE_EVERY-th corpus message, and every one from a source with few of them."""
    return [p for i, p in enumerate(AUTOMATED) if i % SAMPLE_EVERY == 0 or p.name.startswith(("sisimai_", "be_non"))]


def _with_message_id(raw: bytes, mid: str) -> bytes:
    """The message with a Message-ID of its own (corpus files share or lack theirs)."""
    head, sep, rest = raw.partition(b"\n\n") if b"\r\n\r\n" not in raw else raw.partition(b"\r\n\r\n")
    head = re.sub(rb"(?im)^message-id:.*(?:\r?\n[ \t].*)*\r?\n?", b"", head + b"\n").rstrip(b"\r\n")
    return head + b"\nMessage-ID: " + mid.encode() + b"\n" + sep + rest


def _humans() -> dict[str, bytes]:
    d = SAMPLE_DOSSIERS
    return {
        "dossier": unit_mail("tam_duong", full_dossier(d["tam_duong"]), date=at(10)),
        "forward": eml(sender=UNIT_EMAIL["sin_ho"], subject="Fwd: Hồ sơ đề nghị khen thưởng VHCS 2020", date=at(10, 10),
                       body="Gửi lại hồ sơ ạ.\n\n---------- Forwarded message ---------\nFrom: LĐLĐ huyện Sìn Hồ\n"
                            "Subject: Hồ sơ đề nghị khen thưởng\n\nKính gửi LĐLĐ tỉnh.",
                       attachments=full_dossier(d["sin_ho"])),
        "quoting_bounce": eml(sender=UNIT_EMAIL["muong_te"], subject="Gửi lại hồ sơ khen thưởng (lần trước bị trả về)",
                              date=at(10, 11), body="Kính gửi LĐLĐ tỉnh, lần trước gửi bị báo lỗi:\n\n"
                              + QUOTED_BOUNCE + "\n\nNay đơn vị gửi lại. Trân trọng.",
                              attachments=full_dossier(d["muong_te"])),
    }


@dataclass
class Run:
    setup: Setup
    sink: SmtpSink
    machines: dict[str, str]         # Message-ID -> corpus file
    humans: dict[str, str]           # Message-ID -> case
    records: dict[str, MessageRecord]

    def replied(self) -> set[str]:
        return {str(parse_sent(m).get("In-Reply-To", "")).strip() for m in self.sink.messages}


@pytest.fixture(scope="module")
def run(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    dovecot.start()
    account = dovecot.create_account("machines")
    machines, humans = {}, {}
    for index, path in enumerate(_sample()):
        mid = f"<machine-{index}@corpus.example>"
        unit = ALL_UNITS[index % len(ALL_UNITS)]
        account.append(_with_message_id(as_from_unit(path.read_bytes(), UNIT_EMAIL[unit]), mid), msg_time=at(9))
        machines[mid] = path.name
    for key, raw in _humans().items():
        account.append(raw, msg_time=at(10))
        mid = next(line.split(b":", 1)[1].strip().decode() for line in raw.splitlines()
                   if line.lower().startswith(b"message-id:"))
        humans[mid] = key
    with SmtpSink("bot@example.org", "smtp-secret") as sink:
        setup = make_config(tmp_path_factory.mktemp("machines"), account, sink,
                            "[limits]\nreplies_per_sender_per_hour = 1000\n")
        ok(run_mailbot(setup, "poll"))
        ledger = Ledger(config_module.load(setup.config).paths.state)
        try:
            records = {r.message_id: r for r in ledger.records()}
        finally:
            ledger.close()
        yield Run(setup, sink, machines, humans, records)


def test_the_sample_is_large(run: Run) -> None:
    assert len(run.machines) >= 50


def test_no_machine_gets_a_reply(run: Run) -> None:
    """GIVEN real bounces, auto-replies, reports from units' addresses WHEN polled THEN none is answered."""
    answered = sorted(run.machines[mid] for mid in run.replied() if mid in run.machines)
    assert answered == []


def test_every_machine_is_recorded_with_its_outcome_and_sign(run: Run) -> None:
    wrong = {name: (run.records[mid].outcome if mid in run.records else None)
             for mid, name in run.machines.items()
             if mid not in run.records or run.records[mid].outcome not in MACHINE_OUTCOMES}
    assert wrong == {}
    for mid in run.machines:
        record = run.records[mid]
        assert not record.counted and not record.reply.sent and record.reply.withheld == record.outcome
        assert any(isinstance(f, Sign) for f in record.findings), (run.machines[mid], record.findings)


def test_every_unit_message_keeps_its_reply(run: Run) -> None:
    """GIVEN a dossier, a forwarded dossier and a unit's mail quoting a bounce THEN each is acknowledged."""
    assert set(run.humans) <= run.replied()
    assert {run.records[mid].outcome for mid in run.humans} == {Outcome.ACCEPTED}


def test_machines_count_nothing(run: Run) -> None:
    units = {unit["id"]: unit for unit in status_json(run.setup)["units"]}
    assert {unit_id for unit_id, unit in units.items() if unit["received"]} == {"tam_duong", "sin_ho", "muong_te"}
