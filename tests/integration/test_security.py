"""Security through the real CLI on Dovecot + aiosmtpd: spoofing, leaks, secrets, loops, reply brake.

One inbox holds every case; `mailbot -v poll` runs once (then once more after mailbot's own reply is
fed back into the inbox). The IMAP and SMTP passwords are distinctive strings, searched for afterwards
in every output and every file mailbot wrote.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

import pytest

from tests.integration.harness import (
    UNIT_EMAIL,
    Setup,
    at,
    body_text,
    header_address,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    status_json,
    unit_mail,
)
from tests.mailservers import Dovecot, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, eml, full_dossier

IMAP_SECRET = "imap-S3cr3t-7f2c9e"
SMTP_SECRET = "smtp-S3cr3t-41ab77"
RATE = 2
SPOOFED_AUTH = "mx.example.org; dkim=none; spf=fail smtp.mailfrom=example.vn; dmarc=fail header.from=example.vn"
LOOPS = {
    "auto_generated": {"Auto-Submitted": "auto-generated"},
    "precedence_bulk": {"Precedence": "bulk"},
    "precedence_list": {"Precedence": "list"},
    "precedence_junk": {"Precedence": "junk"},
}


@dataclass
class Inbox:
    setup: Setup
    sink: SmtpSink
    outputs: list[subprocess.CompletedProcess[str]]
    uids: dict[str, int]

    def replies(self) -> list[EmailMessage]:
        return [parse_sent(message) for message in self.sink.messages]

    def reply_to(self, key: str) -> list[EmailMessage]:
        mid = _message_ids[key]
        return [reply for reply in self.replies() if str(reply.get("In-Reply-To", "")).strip() == mid]


_message_ids: dict[str, str] = {}


def _cases() -> dict[str, bytes]:
    d = SAMPLE_DOSSIERS
    cases = {
        "tp_laichau": unit_mail("tp_laichau", full_dossier(d["tp_laichau"]), date=at(2)),
        "sin_ho": unit_mail("sin_ho", full_dossier(d["sin_ho"]), date=at(2, 10)),
        "spoofed": eml(sender=UNIT_EMAIL["phong_tho"], subject="Hồ sơ khen thưởng", date=at(3),
                       attachments=full_dossier(d["phong_tho"]), headers={"Authentication-Results": SPOOFED_AUTH}),
        "unverified": eml(sender="chuyenvien.yte@gmail.example", subject="Gửi hồ sơ thay đơn vị", date=at(3, 11),
                          attachments=full_dossier(d["cd_yte"])),
        "mailer_daemon": eml(sender="MAILER-DAEMON@mx.example.vn", subject="Hồ sơ", date=at(4),
                             attachments=full_dossier(d["muong_te"])),
    }
    for index, (key, headers) in enumerate(LOOPS.items()):
        cases[key] = eml(sender=UNIT_EMAIL["muong_te"], subject=f"Hồ sơ {key}", headers=headers,
                         date=at(4, 12 + index), attachments=full_dossier(d["muong_te"]))
    for index in range(RATE + 2):
        cases[f"burst_{index}"] = unit_mail("tam_duong", full_dossier(d["tam_duong"]), date=at(5, 9, index),
                                            subject=f"Hồ sơ gửi lại lần {index + 1}")
    return cases


@pytest.fixture(scope="module")
def inbox(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Inbox]:
    dovecot.start()
    account = dovecot.create_account("security", password=IMAP_SECRET)
    uids = {}
    for key, raw in _cases().items():
        uids[key] = account.append(raw, msg_time=at(6))
        _message_ids[key] = next(line.split(b":", 1)[1].strip().decode() for line in raw.splitlines()
                                 if line.lower().startswith(b"message-id:"))
    with SmtpSink("bot@example.org", SMTP_SECRET) as sink:
        setup = make_config(tmp_path_factory.mktemp("security"), account, sink,
                            f"[limits]\nreplies_per_sender_per_hour = {RATE}\n")
        outputs = [ok(run_mailbot(setup, "-v", "poll"))]
        own = next(m for m in sink.messages if UNIT_EMAIL["tp_laichau"] in m.rcpt_tos)
        uids["own_reply"] = account.append(own.content)  # mailbot's own reply lands in its inbox (Bcc, reply-all)
        _message_ids["own_reply"] = str(parse_sent(own)["Message-ID"])
        outputs.append(ok(run_mailbot(setup, "-v", "poll")))
        outputs += [ok(run_mailbot(setup, "-v", cmd)) for cmd in ("status", "tally", "send")]
        outputs.append(run_mailbot(setup, "-v", "check"))
        yield Inbox(setup, sink, outputs, uids)


def test_dmarc_and_spf_failure_is_not_counted_and_not_answered(inbox: Inbox) -> None:
    status = status_json(inbox.setup)
    phong_tho = next(unit for unit in status["units"] if unit["id"] == "phong_tho")
    assert phong_tho["received"] == [] and phong_tho["individuals"] == 0
    assert {"from": UNIT_EMAIL["phong_tho"], "reason": "dmarc_fail"}.items() <= next(
        item for item in status["needs_review"] if item["from"] == UNIT_EMAIL["phong_tho"]).items()
    assert inbox.reply_to("spoofed") == []


def test_unverified_sender_gets_a_receipt_and_the_unit_the_acknowledgement(inbox: Inbox) -> None:
    status = status_json(inbox.setup)
    yte = next(unit for unit in status["units"] if unit["id"] == "cd_yte")
    assert yte["complete"] and "unverified_sender" in yte["flags"]
    receipt, ack = sorted(inbox.reply_to("unverified"), key=lambda m: header_address(m, "To") != [
        "chuyenvien.yte@gmail.example"])
    assert (header_address(receipt, "To"), header_address(receipt, "Cc")) == (["chuyenvien.yte@gmail.example"], [])
    assert (header_address(ack, "To"), header_address(ack, "Cc")) == ([UNIT_EMAIL["cd_yte"]], [])
    assert not any(p.name in body_text(receipt) for p in SAMPLE_DOSSIERS["cd_yte"].individuals)


def test_a_reply_names_only_its_own_unit_and_nominees(inbox: Inbox) -> None:
    replies = {key: inbox.reply_to(key) for key in ("tp_laichau", "sin_ho", "unverified")}
    owners = {"tp_laichau": "tp_laichau", "sin_ho": "sin_ho", "unverified": "cd_yte"}
    for key, sent in replies.items():
        reply = next(r for r in sent if "chưa được đăng ký là địa chỉ" not in body_text(r))  # not the receipt
        text = body_text(reply) + str(reply["Subject"])
        own = SAMPLE_DOSSIERS[owners[key]]
        assert all(person.name in text for person in own.individuals), key
        for other_id, other in SAMPLE_DOSSIERS.items():
            if other_id == owners[key]:
                continue
            leaked = [p.name for p in other.individuals if p.name in text and p not in own.individuals]
            assert not leaked, f"reply to {key} names {leaked}"
            assert other.issuer not in text, f"reply to {key} names {other.issuer}"


@pytest.mark.parametrize("key", [*LOOPS, "mailer_daemon", "own_reply"])
def test_no_reply_to_automated_mail(inbox: Inbox, key: str) -> None:
    assert inbox.uids[key], "the message must be in the inbox"
    assert inbox.reply_to(key) == []
    status = status_json(inbox.setup)
    muong_te = next(unit for unit in status["units"] if unit["id"] == "muong_te")
    assert muong_te["received"] == [], "automated mail is not counted either"


def test_at_most_n_replies_per_sender_per_hour(inbox: Inbox) -> None:
    answered = [key for key in _message_ids if key.startswith("burst_") and inbox.reply_to(key)]
    assert answered == [f"burst_{i}" for i in range(RATE)]
    assert len([m for m in inbox.sink.messages if UNIT_EMAIL["tam_duong"] in m.rcpt_tos]) == RATE


def test_exactly_the_expected_replies_went_out(inbox: Inbox) -> None:
    expected = {"tp_laichau", "sin_ho", "unverified", "burst_0", "burst_1"}
    assert {key for key in _message_ids if inbox.reply_to(key)} == expected
    assert len(inbox.sink.messages) == len(expected) + 1   # the unverified sender's receipt and the unit's reply


def test_no_secret_in_any_output_or_file(inbox: Inbox) -> None:
    assert inbox.sink.logins, "the SMTP password was really used"
    texts = [proc.stdout + proc.stderr for proc in inbox.outputs]
    assert any("DEBUG" in text for text in texts), "verbose logging was on"
    for text in texts:
        assert IMAP_SECRET not in text and SMTP_SECRET not in text
    for path in inbox.setup.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert IMAP_SECRET.encode() not in data and SMTP_SECRET.encode() not in data, path
    assert IMAP_SECRET not in os.environ.get("MAILBOT_TEST_IMAP_PASSWORD", "")
