"""Dossiers in awkward shapes, end to end: the real `mailbot` CLI, a real Dovecot and a real aiosmtpd sink.

- one .docx and one .pdf that each hold the tờ trình, biên bản, tóm tắt and báo cáo one after another
  count as every item, each with its nominees, and the reply lists every item;
- a mail that only carries a Google Drive link is told its linked files were not counted and is
  listed for staff (``cloud_links``);
- a unit's dossier forwarded inline by staff is acknowledged to the unit (To: the unit, Cc: staff,
  threaded to the forward).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.combined_samples import combined_docx, combined_pdf
from tests.integration.conftest import SMTP_PASSWORD, SMTP_USER
from tests.integration.harness import (
    STAFF,
    UNIT_EMAIL,
    Setup,
    at,
    body_text,
    explain,
    header_address,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    status_json,
    unit_mail,
    units_by_id,
)
from tests.mailservers import Dovecot, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, bao_cao_docx, bien_ban_docx, eml, to_trinh_docx, tom_tat_docx

ITEMS = ["to_trinh", "bien_ban", "tom_tat", "bao_cao"]
_accounts = itertools.count(1)


def _items(unit: str) -> list[bytes]:
    d = SAMPLE_DOSSIERS[unit]
    return [to_trinh_docx(d), bien_ban_docx(d), tom_tat_docx(d, kind_column=True), bao_cao_docx(d)]


def _forward() -> bytes:
    d = SAMPLE_DOSSIERS["phong_tho"]
    body = ("Văn phòng chuyển hồ sơ của LĐLĐ huyện Phong Thổ (đơn vị gửi nhầm vào hộp thư cá nhân).\n\n"
            "---------- Forwarded message ---------\n"
            f"From: LĐLĐ huyện Phong Thổ <{UNIT_EMAIL['phong_tho']}>\n"
            "Date: Thu, 3 Dec 2020 at 09:12\nSubject: Hồ sơ đề nghị khen thưởng\n"
            f"To: <{STAFF}>\n\nKính gửi Văn phòng, đơn vị gửi hồ sơ kèm theo.\n")
    return eml(sender=STAFF, sender_name="Văn phòng LĐLĐ tỉnh", subject="Fwd: Hồ sơ đề nghị khen thưởng",
               body=body, date=at(3, 10), message_id="<fwd.phongtho@example.org>",
               attachments=[("Tờ trình.docx", to_trinh_docx(d)), ("Biên bản họp xét.docx", bien_ban_docx(d)),
                            ("Báo cáo tóm tắt thành tích.docx", tom_tat_docx(d))])


def shapes_mail() -> dict[str, bytes]:
    return {
        "docx": unit_mail("tp_laichau", [("hoso.docx", combined_docx(_items("tp_laichau")))], date=at(1, 8)),
        "pdf": unit_mail("cdvc", [("hoso.pdf", combined_pdf(_items("cdvc")))], date=at(2, 8)),
        "drive": unit_mail("tam_duong", [], date=at(2, 9), body=(
            "Kính gửi Văn phòng LĐLĐ tỉnh,\nĐơn vị gửi hồ sơ qua đường dẫn: "
            "https://drive.google.com/drive/folders/1AbCdEfGhIjK?usp=sharing\nTrân trọng.")),
        "forward": _forward(),
    }


@dataclass
class Run:
    setup: Setup
    sink: SmtpSink
    raw: dict[str, bytes]
    poll: Any
    status: dict[str, Any]

    def reply_to(self, key: str) -> tuple[Any, Any]:
        wanted = _message_id(self.raw[key])
        found = [(m, parse_sent(m)) for m in self.sink.messages
                 if str(parse_sent(m).get("In-Reply-To", "")).strip() == wanted]
        assert len(found) == 1, f"{key}: {len(found)} replies"
        return found[0]


def _message_id(raw: bytes) -> str:
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    return next(line.split(":", 1)[1].strip() for line in head.splitlines() if line.lower().startswith("message-id:"))


@pytest.fixture(scope="module")
def run(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    dovecot.start()
    account = dovecot.create_account(f"shapes{next(_accounts)}", password="secret")
    with SmtpSink(SMTP_USER, SMTP_PASSWORD) as sink:
        setup = make_config(tmp_path_factory.mktemp("shapes"), account, sink)
        raw = shapes_mail()
        for message in raw.values():
            account.append(message)
        poll = run_mailbot(setup, "poll")
        yield Run(setup, sink, raw, poll, status_json(setup))


def test_every_message_gets_exactly_one_reply(run: Run) -> None:
    ok(run.poll)
    assert "4 new message(s)" in run.poll.stdout, explain(run.poll)
    assert len(run.sink.messages) == 4
    for key in run.raw:
        run.reply_to(key)


@pytest.mark.parametrize(("key", "unit", "name"), [("docx", "tp_laichau", "hoso.docx"), ("pdf", "cdvc", "hoso.pdf")])
def test_a_combined_file_counts_as_every_item_with_its_nominees(run: Run, key: str, unit: str, name: str) -> None:
    status = units_by_id(run.status)[unit]
    assert sorted(status["received"]) == sorted(ITEMS) and status["complete"]
    people = {p.name for p in SAMPLE_DOSSIERS[unit].individuals}
    assert people <= {n["name"] for n in status["nominees"]}
    assert status["individuals"] == len(people)
    text = body_text(run.reply_to(key)[1])
    for number, label in enumerate(("Tờ trình", "Biên bản họp xét", "Báo cáo tóm tắt", "Báo cáo sơ kết"), 1):
        line = next(line for line in text.splitlines() if f"«{name} ({number}/4)»" in line)
        assert label in line, line
    assert "Hồ sơ đã đủ các thành phần bắt buộc" in text


def test_a_drive_link_mail_is_told_the_files_were_not_counted(run: Run) -> None:
    envelope, reply = run.reply_to("drive")
    assert envelope.rcpt_tos == (UNIT_EMAIL["tam_duong"],)
    text = body_text(reply)
    assert "Google Drive" in text and "CHƯA được tính" in text and "tệp đính kèm" in text
    assert units_by_id(run.status)["tam_duong"]["received"] == []
    review = [item for item in run.status["needs_review"] if item["reason"] == "cloud_links"]
    assert [item["unit"] for item in review] == ["tam_duong"]
    assert not [i for i in run.status["needs_review"] if i["reason"] == "no_documents" and i["unit"] == "tam_duong"]


def test_a_staff_forward_is_acknowledged_to_the_unit(run: Run) -> None:
    envelope, reply = run.reply_to("forward")
    assert header_address(reply, "To") == [UNIT_EMAIL["phong_tho"]]
    assert header_address(reply, "Cc") == [STAFF]
    assert set(envelope.rcpt_tos) == {UNIT_EMAIL["phong_tho"], STAFF}
    assert str(reply["In-Reply-To"]).strip() == "<fwd.phongtho@example.org>"
    assert "<fwd.phongtho@example.org>" in str(reply["References"]).split()
    assert "chuyển tiếp" in body_text(reply) and "Phong Thổ" in body_text(reply)
    phong_tho = units_by_id(run.status)["phong_tho"]
    assert sorted(phong_tho["received"]) == ["bien_ban", "to_trinh", "tom_tat"]
    assert {p.name for p in SAMPLE_DOSSIERS["phong_tho"].individuals} <= {n["name"] for n in phong_tho["nominees"]}
