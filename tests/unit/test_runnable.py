"""Programs and scripts among the attachments: found by extension and by signature, never read, never linked."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest

from bot.config.schema import Config
from bot.core import findings, intake, runnable
from bot.core.model import Attachment, Finding
from bot.core.picture import build
from bot.core.views import review_items
from bot.workbook import content
from tests.samples import SAMPLE_DOSSIERS, to_trinh_docx
from tests.unit.builders import at, doc, message

PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
LNK = b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00F" + b"\x00" * 60
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500


def _jar() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: A\n")
        archive.writestr("A.class", b"\xca\xfe\xba\xbe\x00\x00\x00\x34")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data"), [
    ("Bien ban.docx.exe", PE),
    ("Danh sach.bat", b"@echo off\r\ndel /q *\r\n"),
    ("Tom tat.lnk", LNK),
    ("To trinh.hta", b"<html><script>alert(1)</script></html>"),
    ("Báo cáo.SCR", b"anything"),
    ("thu.js", b"WScript.Echo(1)"),
    ("cai dat.msi", CFB),
    ("run.ps1", b"Write-Host hi"),
    ("Bien ban.exe. ", PE),                  # Windows drops the trailing dot and space
    ("Bien ban.docx", PE),                   # a Windows program named as a document
    ("to_trinh.pdf", b"\x7fELF\x02\x01\x01\x00"),
    ("ghi chu.txt", b"#!/bin/sh\nrm -rf ~\n"),
    ("app.bin", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01"),
    ("Tom tat.docx", LNK),
    ("thu vien.zip", _jar()),
    ("goi.jar", _jar()),
])
def test_programs_and_scripts_are_runnable(name: str, data: bytes) -> None:
    assert runnable.is_runnable(name, data)


@pytest.mark.parametrize(("name", "data"), [
    ("To trinh.docx", to_trinh_docx(SAMPLE_DOSSIERS["tam_duong"])),
    ("Bien ban.doc", CFB),                   # a Word 97 file is a compound file too, but not an installer
    ("Danh sach.pdf", b"%PDF-1.7\n"),
    ("exe.docx", b"PK\x03\x04"),
    ("Bản scan.jpg", b"\xff\xd8\xff\xe0"),
    ("Bao cao.exe.pdf", b"%PDF-1.4\n"),       # the last extension is what Windows runs by
])
def test_documents_are_not_runnable(name: str, data: bytes) -> None:
    assert not runnable.is_runnable(name, data)


def test_a_runnable_attachment_is_never_read_and_says_so(cfg: Config) -> None:
    [record] = intake.read_items(Attachment("Bien ban.docx.exe", "application/octet-stream", PE), cfg)
    assert record.status == Finding.EXECUTABLE_ATTACHMENT == "executable_attachment"
    assert record.runnable and not record.counts_as_received and record.nominees == ()
    code = findings.REGISTRY["executable_attachment"]
    assert code.words == "Tệp chạy được (có thể chứa mã độc): không mở, đã cất riêng"
    assert code.review and code.flags_unit and "chạy được" in code.reply_text


def test_the_neutral_name_runs_nothing() -> None:
    name = runnable.neutral_name("20201218-091200_abcd1234_Bien ban.docx.exe")
    assert name.endswith(".exe.khong-mo") and runnable.neutral_name(name) == name
    assert runnable.extension(name) == "khong-mo"


def test_the_workbook_links_no_runnable_file_and_warns_instead(cfg: Config) -> None:
    bad = replace(doc("bien_ban", status=str(Finding.EXECUTABLE_ATTACHMENT), filename="Bien ban.docx.exe"),
                  archive_path="archive/tam_duong/x_Bien ban.docx.exe.khong-mo")
    good = replace(doc("to_trinh"), archive_path="archive/tam_duong/y_To trinh.docx")
    alone = message("tam_duong", at(18), bad)
    both = message("tam_duong", at(19), good, bad)
    sheet = content.message_sheet(cfg, [alone, both])
    [first, second] = sheet.rows
    opened = sheet.header.index(content.OPEN)
    assert first.link == "" and first.values[opened] == content.RUNNABLE_CELL
    assert second.link == "" and second.values[opened] is None   # two files: no single link, as before
    files = sheet.header.index("Tệp đính kèm")
    assert findings.RUNNABLE_WORDS in str(first.values[files])

    assert any(item.reason == "executable_attachment" for item in review_items([alone]))
    review = content.review_sheet(build(cfg, [alone], []))
    rows = [row for row in review.rows if "Bien ban.docx.exe" in str(row.values)]
    assert rows and all(row.link == "" and row.values[review.header.index(content.OPEN)] == content.RUNNABLE_CELL
                        for row in rows)
    assert content.source_links("tam_duong", [both]) == {"Tờ trình.docx": "archive/tam_duong/y_To trinh.docx",
                                                         "Bien ban.docx.exe": ""}
