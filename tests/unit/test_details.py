"""Classification confidence, meeting facts and list differences: stored, migrated, shown (extra keys only)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.config.schema import Config
from bot.core import intake
from bot.core.model import Attachment, Finding, Nominee, Reply
from bot.core.picture import build
from bot.core.views import review_items, status_object
from bot.state.ledger import SCHEMA_VERSION, Ledger
from parsers.meeting import MeetingFacts, Vote
from tests.dossier_templates import TEMPLATES
from tests.unit.builders import at, doc, message, person

CONTRACT_UNIT_KEYS = {"id", "name", "received", "missing", "complete", "collectives", "individuals", "quota",
                      "over_quota", "late", "last_message_at", "nominees", "flags"}


def _template(template_id: str) -> Attachment:
    template = next(t for t in TEMPLATES if t.id == template_id)
    return Attachment(template.filename, "application/octet-stream", template.docx())


def test_read_document_keeps_confidence_reason_and_meeting(cfg: Config) -> None:
    record = intake.read_document(_template("bien_ban_vao_luc"), cfg)
    assert record.kind == "bien_ban"
    assert record.confidence is not None and record.confidence >= 0.9
    assert "BIÊN BẢN" in record.reason
    assert record.meeting is not None
    assert (record.meeting.held_on, record.meeting.present, record.meeting.result) == (date(2020, 12, 5), 7, "7/7")


def test_an_unsure_document_says_why_in_its_detail(cfg: Config) -> None:
    record = intake.read_document(_template("cong_van_asking_for_awards"), cfg)
    assert record.kind == Finding.UNCLASSIFIED
    assert "V/v đề nghị khen thưởng" in record.detail
    items = review_items([message("sin_ho", at(1), record)])
    assert [(item.reason, "công văn" in item.detail) for item in items] == [("unclassified", True)]


def test_workplace_is_kept_apart(cfg: Config) -> None:
    record = intake.read_document(_template("danh_sach_table"), cfg)
    pang = next(n for n in record.nominees if n.name == "Lò Văn Pâng")
    assert (pang.position, pang.workplace) == ("Chủ tịch CĐCS", "Trường Tiểu học xã Bình Lư")


def test_new_fields_round_trip(ledger: Ledger) -> None:
    meeting = MeetingFacts(held_on=date(2020, 12, 5), present=7, members=9, result="7/7",
                           votes=(Vote("Lò Văn Pâng", 7, 7),))
    documents = (
        replace(doc("bien_ban"), confidence=0.95, reason="tiêu đề «BIÊN BẢN» → bien_ban", meeting=meeting),
        replace(doc("to_trinh"), confidence=0.5,
                nominees=(Nominee("individual", "Lò Văn Pâng", "Kế toán", "Tờ trình.docx", "Trường X",
                                   "Chiến sĩ thi đua cơ sở"),)),
    )
    original = replace(message("tam_duong", at(1), *documents, uid="7"), processed_at=at(1, 10))
    ledger.record(original)
    assert ledger.records() == [original]


# What version 2 added to a version-1 file (version 3 then added nominees.achievements).
VERSION_2 = """
    ALTER TABLE documents ADD COLUMN confidence REAL;
    ALTER TABLE documents ADD COLUMN reason TEXT NOT NULL DEFAULT '';
    ALTER TABLE documents ADD COLUMN meeting TEXT NOT NULL DEFAULT '';
    ALTER TABLE nominees ADD COLUMN workplace TEXT NOT NULL DEFAULT '';
    UPDATE meta SET value='2' WHERE key='schema';
"""


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_state_file_is_migrated_in_place(tmp_path: Path, version: int) -> None:
    """GIVEN a state file of an older version (before confidence/meeting/workplace, or before achievements)
    WHEN opened THEN read, then writable."""
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE messages (id INTEGER PRIMARY KEY, source TEXT NOT NULL, validity INTEGER NOT NULL,
            uid TEXT NOT NULL, message_id TEXT NOT NULL, digest TEXT NOT NULL, received_at TEXT NOT NULL,
            from_addr TEXT NOT NULL, from_name TEXT NOT NULL, subject TEXT NOT NULL, unit_id TEXT,
            counted INTEGER NOT NULL, outcome TEXT NOT NULL, findings TEXT NOT NULL, reply TEXT NOT NULL,
            processed_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1, UNIQUE (source, validity, uid));
        CREATE TABLE documents (id INTEGER PRIMARY KEY,
            message INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE, position INTEGER NOT NULL,
            filename TEXT NOT NULL, kind TEXT NOT NULL, format TEXT NOT NULL, status TEXT NOT NULL,
            size INTEGER NOT NULL, sha256 TEXT NOT NULL, warnings TEXT NOT NULL, detail TEXT NOT NULL,
            archive_path TEXT NOT NULL, unit_hint TEXT);
        CREATE TABLE nominees (id INTEGER PRIMARY KEY,
            document INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE, position INTEGER NOT NULL,
            kind TEXT NOT NULL, name TEXT NOT NULL, title TEXT NOT NULL);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema', '1');
        INSERT INTO messages VALUES (1, 'maildir', 0, '1', '<a@x>', 'd', '2020-12-01T02:00:00+00:00', 'a@x', '',
            'Hồ sơ', 'tam_duong', 1, 'accepted', '[]', '', '2020-12-01T02:00:00+00:00', 1);
        INSERT INTO documents VALUES (1, 1, 0, 'Tờ trình.docx', 'to_trinh', 'docx', 'ok', 10, 'h', '[]', '', '', NULL);
        INSERT INTO nominees VALUES (1, 1, 0, 'individual', 'Lò Văn Pâng', 'Kế toán');
    """)
    if version == 2:
        old.executescript(VERSION_2)
    old.commit()
    old.close()
    store = Ledger(path)
    try:
        (record,) = store.records()
        (document,) = record.documents
        assert (document.kind, document.confidence, document.reason, document.meeting) == ("to_trinh", None, "", None)
        assert (document.nominees[0].workplace, document.nominees[0].achievements) == ("", "")
        nominee = replace(document.nominees[0], achievements="Hoàn thành xuất sắc nhiệm vụ")
        store.record(replace(record, documents=(replace(document, confidence=0.9, nominees=(nominee,)),)))
        assert store.records()[0].documents[0].confidence == 0.9
        assert store.records()[0].documents[0].nominees[0].achievements == "Hoàn thành xuất sắc nhiệm vụ"
        schema = store.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0]
        assert schema == str(SCHEMA_VERSION)
    finally:
        store.close()
    Ledger(path).close()                     # opening a migrated file again is a no-op


def test_status_json_shows_documents_and_list_differences_as_extra_keys(cfg: Config) -> None:
    a, b, c = person("Lò Văn Pâng"), person("Giàng A Chứ"), person("Lù Thị Ngoan")
    minutes = replace(doc("bien_ban"), confidence=0.95, reason="tiêu đề «BIÊN BẢN» → bien_ban",
                      meeting=MeetingFacts(held_on=date(2020, 12, 5), result="100%"))
    record = message("tam_duong", at(1), replace(doc("to_trinh", (a, b)), confidence=1.0), minutes,
                     doc("tom_tat", (a, c)))
    unit = next(u for u in status_object(build(cfg, [record], []))["units"] if u["id"] == "tam_duong")
    assert set(unit) >= CONTRACT_UNIT_KEYS
    assert "lists_disagree" in unit["flags"]
    assert sorted(unit["list_differences"], key=lambda d: d["name"]) == [
        {"name": b.name, "kind": "individual", "listed_in": ["Tờ trình.docx"],
         "missing_from": ["Báo cáo tóm tắt.docx"]},
        {"name": c.name, "kind": "individual", "listed_in": ["Báo cáo tóm tắt.docx"],
         "missing_from": ["Tờ trình.docx"]},
    ]
    files = {d["file"]: d for d in unit["documents"]}
    assert files["Tờ trình.docx"]["confidence"] == 1.0
    assert files["Biên bản họp xét.docx"]["meeting"] == {"date": "2020-12-05", "result": "100%"}
    assert all("workplace" in n and "achievements" in n for n in unit["nominees"])


def test_review_sheet_names_who_is_missing_from_which_list() -> None:
    a, b = person("Lò Văn Pâng"), person("Giàng A Chứ")
    record = message("tam_duong", at(1), doc("to_trinh", (a, b)), doc("danh_sach", (a,)))
    items = [item for item in review_items([record]) if item.reason == "lists_disagree"]
    assert [item.detail for item in items] == ["Danh sách.xlsx: không có Giàng A Chứ"]
    agreeing = message("tam_duong", at(2), doc("to_trinh", (a,)), doc("danh_sach", (a,)))
    assert not [item for item in review_items([agreeing]) if item.reason == "lists_disagree"]


def test_a_version_3_file_gets_its_replies_and_errors_as_fields(tmp_path: Path) -> None:
    """GIVEN a version-3 state file, whose replies were «queued X» / «none: Y» and whose failed and oversize
    messages kept «error: …» / «size:N» inside findings WHEN opened THEN they are fields, read back typed."""
    path = tmp_path / "v3.sqlite3"
    Ledger(path).close()
    old = sqlite3.connect(path)
    old.executescript("""
        UPDATE meta SET value='3' WHERE key='schema';
        INSERT INTO messages (id, source, validity, uid, message_id, digest, received_at, from_addr, from_name,
            subject, unit_id, counted, outcome, findings, reply, processed_at, attempts) VALUES
          (1, 'm', 0, '1', '<a@x>', 'd1', '2020-12-01T02:00:00+00:00', 'a@x', '', 'Hồ sơ', 'tam_duong', 1,
           'accepted', '["unverified_sender"]', 'queued ack-1.eml', '2020-12-01T02:00:00+00:00', 1),
          (2, 'm', 0, '2', '<b@x>', 'd2', '2020-12-01T03:00:00+00:00', 'b@x', '', 'X', NULL, 0,
           'error', '["error: ValueError: hỏng"]', 'none: error', '2020-12-01T03:00:00+00:00', 2),
          (3, 'm', 0, '3', '<c@x>', 'd3', '2020-12-01T04:00:00+00:00', '', '', '', NULL, 0,
           'too_large', '["size:99999999"]', 'none: too_large', '2020-12-01T04:00:00+00:00', 1);
    """)
    old.commit()
    old.close()
    store = Ledger(path)
    try:
        accepted, failed, large = sorted(store.records(), key=lambda r: r.key.uid)
        assert (accepted.reply, accepted.findings) == (Reply.queued_as("ack-1.eml"), ("unverified_sender",))
        assert (failed.reply, failed.findings, failed.error) == (Reply.none("error"), (), "ValueError: hỏng")
        assert (large.reply.withheld, large.findings, large.size) == ("too_large", (), 99999999)
        assert store.replies_since("a@x", datetime(2020, 11, 30, tzinfo=UTC)) == 1
    finally:
        store.close()
    reopened = Ledger(path)  # a second open leaves the converted rows alone
    try:
        assert sorted(reopened.records(), key=lambda r: r.key.uid)[0].reply == Reply.queued_as("ack-1.eml")
    finally:
        reopened.close()
