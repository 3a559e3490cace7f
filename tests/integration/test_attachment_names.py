"""Attachment names through the real CLI on a Maildir: names that fit in 255 bytes, invisible characters
removed, and programs kept so that nothing runs them and the workbook links none of them."""

from __future__ import annotations

import email
import mailbox
import sqlite3
import stat
from email import policy
from pathlib import Path

import openpyxl

from bot.core.findings import RUNNABLE_WORDS
from tests.conftest import TEST_AUTHSERV_ID, write_config
from tests.integration.harness import UNIT_EMAIL, at, explain, ok, run_mailbot, unit_mail
from tests.samples import SAMPLE_DOSSIERS, eml, to_trinh_docx, zip_of

LONG = "ữ" * 200 + ".docx"
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
LNK = b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00F" + b"\x00" * 60
PROGRAMS = {"Bien ban.docx.exe": PE, "Danh sach.bat": b"@echo off\r\nformat c:\r\n", "Tom tat.lnk": LNK,
            "To trinh\u202excod.hta": b"<html><script>new ActiveXObject('WScript.Shell')</script></html>"}


def _setup(tmp_path: Path, messages: list[bytes]) -> Path:
    box = mailbox.Maildir(tmp_path / "inbox", create=True)
    for raw in messages:
        box.add(raw)
    return write_config(tmp_path, f'[mailbox]\nkind = "maildir"\npath = "inbox"\nauthserv_id = "{TEST_AUTHSERV_ID}"\n'
                                  '[paths]\nstate = "state/mailbot.sqlite3"\ntally = "tally.xlsx"\n'
                                  'outbox = "outbox"\narchive = "archive"\n')


def _documents(root: Path) -> list[tuple[str, str, str]]:
    db = sqlite3.connect(root / "state" / "mailbot.sqlite3")
    try:
        return db.execute("SELECT filename, status, archive_path FROM documents ORDER BY id").fetchall()
    finally:
        db.close()


def test_long_names_and_programs_are_archived_safely_and_never_linked(tmp_path: Path) -> None:
    docx = to_trinh_docx(SAMPLE_DOSSIERS["tam_duong"])
    stranger = eml(sender="nguoi.la@example.com", subject="Tài liệu", date=at(14),
                   attachments=[(LONG, docx), ("ho so.zip", zip_of({LONG: docx + b"\0"}))])
    programs = unit_mail("tam_duong", list(PROGRAMS.items()), date=at(15))
    after = unit_mail("muong_te", [("To trinh.docx", to_trinh_docx(SAMPLE_DOSSIERS["muong_te"]))], date=at(16))
    config = _setup(tmp_path, [stranger, programs, after])

    proc = ok(run_mailbot(config, "poll", timeout=600))
    ok(run_mailbot(config, "tally"))

    archived = [p for p in (tmp_path / "archive").rglob("*") if p.is_file()]
    assert all(len(p.name.encode()) <= 255 for p in archived), [p.name for p in archived]
    long_copies = [p for p in archived if "ữữữ" in p.name]
    assert len(long_copies) == 2 and all(p.name.endswith(".docx") for p in long_copies), explain(proc)

    documents = _documents(tmp_path)
    assert not any("\u202e" in name for name, _, _ in documents)
    runnable = {name: path for name, status, path in documents if status == "executable_attachment"}
    assert set(runnable) == {"Bien ban.docx.exe", "Danh sach.bat", "Tom tat.lnk", "To trinhxcod.hta"}
    for path in runnable.values():
        copy = tmp_path / path
        assert copy.name.endswith(".khong-mo") and copy.is_file()
        assert not copy.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    assert any(name == "To trinh.docx" and status == "ok" for name, status, _ in documents), "the poll went on"

    workbook = openpyxl.load_workbook(tmp_path / "tally.xlsx")
    targets = [cell.hyperlink.target for sheet in workbook for row in sheet.iter_rows() for cell in row
               if cell.hyperlink is not None]
    assert targets and not any("khong-mo" in target or ".exe" in target or ".bat" in target for target in targets)
    texts = [str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value]
    assert any(RUNNABLE_WORDS in text for text in texts)
    assert not any("\u202e" in text for text in texts)

    replies = [email.message_from_bytes(p.read_bytes(), policy=policy.default)
               for p in (tmp_path / "outbox" / "pending").glob("*.eml")]
    bodies = [m.get_body(("plain",)).get_content() for m in replies if UNIT_EMAIL["tam_duong"] in m["To"]]
    [about_programs] = [body for body in bodies if "To trinhxcod.hta" in body]
    assert "chạy được" in about_programs and not any("\u202e" in body for body in bodies)


def _summary_cells(tally: Path) -> tuple[list[str], list[openpyxl.cell.Cell]]:
    sheet = openpyxl.load_workbook(tally)["Tổng hợp"]
    header_row = next(r for r in sheet.iter_rows() if any(c.value == "Nhận bản giấy" for c in r))
    row = next(r for r in sheet.iter_rows(min_row=header_row[0].row + 1) if any(c.value == "tam_duong" for c in r))
    return [str(c.value) for c in header_row], list(row)


def test_a_formula_in_a_decision_cell_is_refused_and_kept_as_text(tmp_path: Path) -> None:
    """Read as empty before, it vanished at the rewrite; now it stays, as text, with the reason beside it."""
    mail = unit_mail("tam_duong", [("To trinh.docx", to_trinh_docx(SAMPLE_DOSSIERS["tam_duong"]))], date=at(15))
    config = _setup(tmp_path, [mail])
    ok(run_mailbot(config, "poll"))
    tally = tmp_path / "tally.xlsx"
    header, row = _summary_cells(tally)
    workbook = openpyxl.load_workbook(tally)
    workbook["Tổng hợp"].cell(row=row[0].row, column=header.index("Nhận bản giấy") + 1).value = '=CONCAT("Đã","")'
    workbook.save(tally)

    for _ in range(2):                                   # refused each time, never lost
        ok(run_mailbot(config, "tally"))
        header, row = _summary_cells(tally)
        typed = row[header.index("Nhận bản giấy")]
        assert typed.value == '=CONCAT("Đã","")' and typed.data_type == "s"   # text now, not a formula
        result = str(row[header.index("Kết quả ghi nhận")].value)
        assert result.startswith("Chưa áp dụng") and "công thức" in result
    assert ok(run_mailbot(config, "decisions")).stdout == ""
