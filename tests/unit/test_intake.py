"""bot.core.intake: reading each attachment, deciding whose dossier a message feeds, safe archive names."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import pytest

from bot.config.schema import Config
from bot.core import filenames, intake
from bot.core.model import Attachment, DocumentRecord, Finding, IncomingMail, Outcome
from bot.message import mime
from tests import samples
from tests.samples import SAMPLE_DOSSIERS

TAM_DUONG = SAMPLE_DOSSIERS["tam_duong"]
UNIT_ADDRESS = "ldld.tamduong@example.vn"
STAFF_ADDRESS = "vanphong.ldld@example.org"


@functools.cache
def _dossier_files() -> tuple[tuple[str, bytes], ...]:
    return tuple(samples.full_dossier(TAM_DUONG))


def _receive(cfg: Config, sender: str, *, attachments: bool = True,
             headers: dict[str, str] | None = None) -> tuple[IncomingMail, list[DocumentRecord]]:
    raw = samples.eml(sender=sender, subject="Hồ sơ đề nghị khen thưởng", headers=headers,
                      attachments=list(_dossier_files()) if attachments else ())
    mail = mime.parse(raw)
    return mail, [intake.read_document(a, cfg) for a in mail.attachments]


def test_read_document_of_a_full_dossier(cfg: Config) -> None:
    """GIVEN the four sample documents WHEN read THEN right kinds, unit hints and the tờ trình's nominees."""
    _, documents = _receive(cfg, UNIT_ADDRESS)
    assert [d.kind for d in documents] == ["to_trinh", "bien_ban", "tom_tat", "bao_cao"]
    assert all(d.status == "ok" and d.format == "docx" for d in documents)
    assert {d.unit_hint for d in documents} == {"tam_duong"}
    to_trinh, bien_ban, tom_tat, bao_cao = documents
    expected = {*TAM_DUONG.collectives, *(p.name for p in TAM_DUONG.individuals)}
    assert {n.name for n in to_trinh.nominees} == expected
    assert {n.name for n in tom_tat.nominees} == expected
    assert all(n.source == to_trinh.filename for n in to_trinh.nominees)
    assert bien_ban.nominees == () and bao_cao.nominees == ()    # not list documents
    filename, data = _dossier_files()[0]
    assert (to_trinh.filename, to_trinh.size) == (filename, len(data))
    assert len(to_trinh.sha256) == 64


@pytest.mark.parametrize(
    ("filename", "data", "status", "kind"),
    [
        ("Tờ trình đề nghị khen thưởng.docx", samples.corrupt_docx(), Finding.UNREADABLE_ATTACHMENT, "to_trinh"),
        ("Biên bản họp xét.docx", samples.empty_file(), Finding.EMPTY_ATTACHMENT, "bien_ban"),
        ("BaoCao_TomTat.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, Finding.UNSUPPORTED_FORMAT,
         "tom_tat"),
        ("Danh sach.docx", samples.zip_of({"EncryptedPackage": b"\0" * 10}), Finding.ENCRYPTED_ATTACHMENT,
         "danh_sach"),
        ("scan.docx", samples.corrupt_docx(), Finding.UNREADABLE_ATTACHMENT, "unclassified"),
    ],
)
def test_read_document_of_a_bad_file_keeps_the_name_based_kind(
        cfg: Config, filename: str, data: bytes, status: str, kind: str) -> None:
    """GIVEN an attachment that cannot be read WHEN read THEN a status word, the file-name kind, no nominee."""
    record = intake.read_document(Attachment(filename, "application/octet-stream", data), cfg)
    assert (record.status, record.kind) == (status, kind)
    assert record.nominees == ()
    assert record.detail
    assert record.size == len(data)


def test_read_document_of_a_refused_zip(cfg: Config) -> None:
    record = intake.read_document(Attachment("ho so.zip", "application/zip", b"", origin="zip-refused"), cfg)
    assert record.status == Finding.ATTACHMENT_TOO_LARGE


# ------------------------------------------------------------------------------------ decide


def test_registered_sender_is_accepted(cfg: Config) -> None:
    mail, documents = _receive(cfg, UNIT_ADDRESS)
    decision = intake.decide(mail, documents, cfg)
    assert decision.outcome == Outcome.ACCEPTED
    assert decision.unit is not None and decision.unit.id == "tam_duong"
    assert decision.counted and decision.replies
    assert decision.findings == ()


def test_registered_sender_without_documents_is_still_accepted(cfg: Config) -> None:
    mail, documents = _receive(cfg, "LDLD.TamDuong@Example.VN", attachments=False)
    decision = intake.decide(mail, documents, cfg)
    assert (decision.outcome, decision.unit.id if decision.unit else None) == (Outcome.ACCEPTED, "tam_duong")


def test_unknown_sender_whose_documents_name_a_unit(cfg: Config) -> None:
    """GIVEN a personal Gmail sending Tam Đường's dossier WHEN decided THEN accepted for Tam Đường, unverified."""
    mail, documents = _receive(cfg, "chuyenvien.tamduong@gmail.com")
    decision = intake.decide(mail, documents, cfg)
    assert decision.outcome == Outcome.ACCEPTED
    assert decision.unit is not None and decision.unit.id == "tam_duong"
    assert decision.counted
    assert decision.findings == (Finding.UNVERIFIED_SENDER,)


def test_forward_of_a_registered_address_vouches_for_the_unit(cfg: Config) -> None:
    original = samples.eml(sender="cdvc.tinh@example.vn", subject="Hồ sơ")
    mail = mime.parse(samples.eml(sender="ai.do@gmail.com", subject="Fwd: Hồ sơ", forward_of=original))
    decision = intake.decide(mail, [], cfg)
    assert (decision.outcome, decision.unit.id if decision.unit else None) == (Outcome.ACCEPTED, "cdvc")
    assert Finding.UNVERIFIED_SENDER in decision.findings


def test_unknown_sender_naming_no_unit(cfg: Config) -> None:
    mail, documents = _receive(cfg, "nguoi.la@gmail.com", attachments=False)
    decision = intake.decide(mail, documents, cfg)
    assert (decision.outcome, decision.unit, decision.counted, decision.replies) == (
        Outcome.UNKNOWN_SENDER, None, False, False)


@pytest.mark.parametrize(
    "verdict",
    ["mx.example.org; dmarc=fail (p=reject) header.from=example.vn", "mx.example.org; spf=fail smtp.mailfrom=x",
     "mx.example.org; spf=hardfail; dmarc=none"],
)
def test_failed_authentication_is_not_counted(cfg: Config, verdict: str) -> None:
    """GIVEN a registered From address that failed DMARC/SPF WHEN decided THEN DMARC_FAIL, nothing counted."""
    mail, documents = _receive(cfg, UNIT_ADDRESS, headers={"Authentication-Results": verdict})
    decision = intake.decide(mail, documents, cfg)
    assert decision.outcome == Outcome.DMARC_FAIL
    assert not decision.counted and not decision.replies


def test_passing_authentication_is_accepted(cfg: Config) -> None:
    headers = {"Authentication-Results": "mx.example.org; dmarc=pass; spf=pass; dkim=pass"}
    mail, documents = _receive(cfg, UNIT_ADDRESS, headers=headers)
    assert intake.decide(mail, documents, cfg).outcome == Outcome.ACCEPTED


def test_staff_forwarding_a_dossier(cfg: Config) -> None:
    """GIVEN staff sending a unit's documents WHEN decided THEN STAFF, counted for that unit, no reply."""
    mail, documents = _receive(cfg, STAFF_ADDRESS.upper())
    decision = intake.decide(mail, documents, cfg)
    assert decision.outcome == Outcome.STAFF
    assert decision.unit is not None and decision.unit.id == "tam_duong"
    assert decision.counted and not decision.replies
    assert decision.findings == (Finding.FORWARDED_BY_STAFF,)


def test_staff_mail_without_documents(cfg: Config) -> None:
    mail, documents = _receive(cfg, STAFF_ADDRESS, attachments=False)
    decision = intake.decide(mail, documents, cfg)
    assert (decision.outcome, decision.unit, decision.counted) == (Outcome.STAFF, None, False)


def test_auto_reply_from_a_unit_is_not_counted(cfg: Config) -> None:
    mail = mime.parse(samples.auto_reply_eml(sender=UNIT_ADDRESS))
    decision = intake.decide(mail, [], cfg)
    assert decision.outcome == Outcome.AUTO_REPLY
    assert decision.unit is not None and decision.unit.id == "tam_duong"
    assert not decision.counted and not decision.replies


def test_auto_reply_carrying_documents_is_still_not_counted(cfg: Config) -> None:
    mail, documents = _receive(cfg, UNIT_ADDRESS, headers={"Auto-Submitted": "auto-replied"})
    decision = intake.decide(mail, documents, cfg)
    assert (decision.outcome, decision.counted) == (Outcome.AUTO_REPLY, False)


# ------------------------------------------------------------------------------------ safe_filename


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "..\\..\\Windows\\win.ini", "/etc/passwd", "a/../../b.docx", "..", ".", "C:\\x.docx",
     "Tờ\x00trình\x1f.docx", "\x7fx\n.docx", ".bashrc", "...hidden.docx", " . _x.docx", "",
     'a*b?c"d<e>f|g:h.docx'],
)
def test_safe_filename_stays_inside_its_folder(tmp_path: Path, name: str) -> None:
    safe = filenames.safe_filename(name)
    assert safe
    assert "/" not in safe and "\\" not in safe and ".." not in safe
    assert not safe.startswith(".")
    assert all(ord(ch) >= 32 and ch != "\x7f" for ch in safe)
    assert not any(ch in safe for ch in '*?"<>|:')
    assert (tmp_path / safe).resolve().parent == tmp_path.resolve()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("Tờ\x00trình.docx", "Tờ_trình.docx"),
        ("...hidden.docx", "hidden.docx"),
        ("Biên bản họp xét.docx", "Biên bản họp xét.docx"),      # ordinary names untouched
        (unicodedata.normalize("NFD", "Biên bản.docx"), "Biên bản.docx"),
        ("", "tep-dinh-kem"),
        ("..", "tep-dinh-kem"),
        ("///", "tep-dinh-kem"),
    ],
)
def test_safe_filename_values(name: str, expected: str) -> None:
    assert filenames.safe_filename(name) == expected


@pytest.mark.parametrize("extension", ["docx", "pdf", "xlsx"])
def test_very_long_names_keep_their_extension(extension: str) -> None:
    name = "Báo cáo tóm tắt thành tích " * 20 + "." + extension
    safe = filenames.safe_filename(name)
    assert len(safe.encode()) <= 255
    assert safe.endswith("." + extension)
    assert safe.startswith("Báo cáo tóm tắt")


def test_very_long_name_without_extension_is_cut() -> None:
    assert filenames.safe_filename("x" * 500, 50) == "x" * 50


# ------------------------------------------------------------------------------------ names that fit in 255 bytes


def test_a_name_of_vietnamese_letters_fits_in_255_bytes_with_its_extension(tmp_path: Path) -> None:
    name = "ữ" * 200 + ".docx"                            # 605 bytes of UTF-8
    safe = filenames.safe_filename(name, 255 - 25)
    assert len(safe.encode()) <= 230 and safe.endswith(".docx") and safe.startswith("ữữ")
    safe.encode().decode("utf-8")                         # cut on a character boundary
    (tmp_path / ("20201218-091200_abcd1234_" + safe)).write_bytes(b"x")   # the file system takes it


@pytest.mark.parametrize("room", [8, 12, 20, 100])
def test_a_tight_room_still_gives_a_name(room: int) -> None:
    safe = filenames.safe_filename("ữ" * 100 + ".docx", room)
    assert safe and len(safe.encode()) <= room


def test_invisible_and_bidi_characters_are_removed() -> None:
    assert filenames.visible("To trinh\u202excod.hta") == "To trinhxcod.hta"
    hidden = "\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200d\ufeff\u00ad"
    assert filenames.visible(f"Biên{hidden} bản.docx") == "Biên bản.docx"
    assert filenames.safe_filename("To trinh\u202excod.hta") == "To trinhxcod.hta"


def test_shown_names_lose_the_override_in_the_mail_and_in_a_zip() -> None:
    raw = samples.eml(sender="a@example.vn", subject="Hồ sơ",
                      attachments=[("To trinh\u202excod.hta", b"<script>1</script>"),
                                   ("ho so.zip", samples.zip_of({"Bien ban\u202excod.bat": b"@echo off"}))])
    names = [a.filename for a in mime.parse(raw).attachments]
    assert names == ["To trinhxcod.hta", "Bien banxcod.bat"]
