"""The tally and the export through the real CLI: a workbook staff hold open never stops a poll, their
notes survive, mail-borne formulas stay text, and `mailbot export` writes the annex.

Real Dovecot (IMAP APPEND) and a real aiosmtpd sink; mailbot runs as a subprocess.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.integration.harness import (
    UNIT_EMAIL,
    UNIT_NAME,
    Setup,
    at,
    make_config,
    ok,
    run_mailbot,
    unit_mail,
)
from tests.mailservers import ImapAccount, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier

NOTE = "Ghi chú"


@pytest.fixture
def setup(tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> Setup:
    return make_config(tmp_path / "bot", imap_account, smtp_sink)


def _append(account: ImapAccount, unit_id: str, day: int, subject: str | None = None) -> None:
    raw = unit_mail(unit_id, full_dossier(SAMPLE_DOSSIERS[unit_id]), date=at(day), subject=subject)
    account.append(raw, msg_time=at(day, 9, 1))


def _summary(path: Path) -> dict[str, dict[str, object]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(workbook["Tổng hợp"].iter_rows(values_only=True))
    finally:
        workbook.close()
    start = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    header = [str(v) for v in rows[start]]
    key = header.index("Mã dòng")      # the unit id, in a hidden column
    return {str(row[key]): dict(zip(header, row, strict=False)) for row in rows[start + 1:] if row[key]}


def _staff_types_a_note(path: Path, unit_id: str, text: str) -> None:
    """A stand-in for Excel: staff type into Ghi chú of a unit's row and save."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Tổng hợp"]
    header_row = next(row[0].row for row in sheet.iter_rows() if row[0].value == "STT")
    header = [c.value for c in sheet[header_row]]
    for row in sheet.iter_rows(min_row=header_row + 1):
        if row[header.index("Mã dòng")].value == unit_id:
            row[header.index(NOTE)].value = text
    workbook.save(path)


def test_workbook_open_in_excel_does_not_stop_the_poll(setup: Setup, imap_account: ImapAccount,
                                                         smtp_sink: SmtpSink) -> None:
    """GIVEN a tally on which staff typed a note and which Excel holds open (owner file ~$tally.xlsx)
    WHEN new mail arrives and `mailbot poll` runs
    THEN the poll exits 0 and replies, the workbook is left alone (logged), no temporary file remains;
    AND once Excel closed it, the next poll rewrites it with the new unit and the staff's note."""
    _append(imap_account, "tp_laichau", 2)
    ok(run_mailbot(setup, "poll"))
    _staff_types_a_note(setup.tally, "tp_laichau", "Đã gọi điện xác nhận")
    before = setup.tally.read_bytes()
    owner = setup.tally.with_name("~$" + setup.tally.name)
    owner.write_bytes(b"\x0bNguyen Van A")

    _append(imap_account, "tam_duong", 3)
    proc = ok(run_mailbot(setup, "poll"))
    assert "1 new message" in proc.stdout
    assert {m.rcpt_tos[0] for m in smtp_sink.wait_for(2)} == {UNIT_EMAIL["tp_laichau"], UNIT_EMAIL["tam_duong"]}
    assert "not rewritten" in proc.stderr and "~$tally.xlsx" in proc.stderr
    assert "NOT rewritten: it is open in Excel" in proc.stdout          # not «tally: tally.xlsx» as if written
    assert setup.tally.read_bytes() == before
    assert [p.name for p in setup.root.iterdir() if ".tmp" in p.name] == []

    owner.unlink()
    ok(run_mailbot(setup, "poll"))
    summary = _summary(setup.tally)
    assert summary["tam_duong"]["Số thư"] == 1
    assert summary["tp_laichau"][NOTE] == "Đã gọi điện xác nhận"


def test_target_that_cannot_be_replaced_does_not_stop_the_poll(setup: Setup, imap_account: ImapAccount,
                                                                 smtp_sink: SmtpSink) -> None:
    """GIVEN the workbook's path is taken by a folder (a share that refuses the file) WHEN polling THEN
    exit 0, the reply goes out, status still answers; the workbook comes once the path is free."""
    setup.tally.mkdir(parents=True)
    _append(imap_account, "sin_ho", 4)
    proc = ok(run_mailbot(setup, "poll"))
    assert "retried at the next cycle" in proc.stderr
    assert len(smtp_sink.wait_for(1)) == 1
    assert UNIT_NAME["sin_ho"] in ok(run_mailbot(setup, "status")).stdout
    setup.tally.rmdir()
    ok(run_mailbot(setup, "tally"))
    assert _summary(setup.tally)["sin_ho"]["Số thư"] == 1


def test_formula_looking_mail_stays_text(setup: Setup, imap_account: ImapAccount) -> None:
    """GIVEN a subject that is an Excel formula WHEN the poll writes the workbook THEN no cell is a formula."""
    hostile = '=HYPERLINK("http://evil.example/x","Bấm vào đây")'
    _append(imap_account, "muong_te", 5, subject=hostile)
    ok(run_mailbot(setup, "poll"))
    workbook = openpyxl.load_workbook(setup.tally)
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    subject = next(c for c in cells if c.value == hostile)
    assert subject.data_type == "s" and subject.quotePrefix


def test_export_command_writes_the_annex(setup: Setup, imap_account: ImapAccount) -> None:
    """GIVEN two units' dossiers WHEN `mailbot export --output` runs THEN the .docx lists their nominees."""
    _append(imap_account, "tp_laichau", 2)
    _append(imap_account, "phong_tho", 3)
    ok(run_mailbot(setup, "poll"))
    target = setup.root / "xuat" / "phu-luc.docx"
    proc = ok(run_mailbot(setup, "export", "--output", str(target)))
    assert str(target) in proc.stdout
    table = docx.Document(str(target)).tables[0]
    texts = {unicodedata.normalize("NFC", cell.text) for row in table.rows for cell in row.cells}
    for unit_id in ("tp_laichau", "phong_tho"):
        dossier = SAMPLE_DOSSIERS[unit_id]
        assert {p.name for p in dossier.individuals} <= texts, unit_id
        assert any(UNIT_NAME[unit_id] in text for text in texts)
