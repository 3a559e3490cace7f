"""bot.state.ledger on a real SQLite file: the source of truth every view is derived from."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pytest

from bot.core.model import Finding, MessageKey, MessageRecord, Outcome, Reply
from bot.state.ledger import MAX_ATTEMPTS, Ledger
from tests.unit.builders import at, collective, doc, message, person


def _full() -> MessageRecord:
    names = (collective("Công đoàn cơ sở Trường Mầm non xã Bản Bo"), person("Lò Văn Pâng", "Kế toán"),
             person("Nông Thúy Thủy", "Giáo viên, Trường THCS xã Nùng Nàng"))
    documents = (
        doc("to_trinh", names),
        replace(doc("bien_ban", status=Finding.UNREADABLE_ATTACHMENT), detail="broken zip",
                warnings=("cid_glyphs",), archive_path="archive/tam_duong/x.docx", unit_hint="tam_duong"),
        doc("tom_tat", names[:2]),
    )
    return message("tam_duong", at(1, 9, 30), *documents, uid="101", findings=(Finding.UNVERIFIED_SENDER,),
                   from_addr="ai.do@gmail.com", subject="Hồ sơ «thi đua» 2020", reply=Reply.queued_as("ack-1.eml"))


def test_record_round_trip(ledger: Ledger) -> None:
    """GIVEN a message with documents and nominees WHEN stored and read back THEN equal, field for field."""
    original = replace(_full(), processed_at=at(1, 9, 31))
    ledger.record(original)
    [back] = ledger.records()
    assert back == original
    assert back.received_at.utcoffset() is not None
    assert back.documents[0].nominees == original.documents[0].nominees
    assert [n.source for n in back.documents[0].nominees] == ["Tờ trình.docx"] * 3


def test_processed_at_defaults_to_received_at(ledger: Ledger) -> None:
    ledger.record(_full())
    [back] = ledger.records()
    assert back.processed_at == back.received_at


def test_records_in_arrival_order_and_per_unit(ledger: Ledger) -> None:
    late = message("tam_duong", at(5), uid="3")
    early = message("sin_ho", at(1), uid="1")
    # same instant written in another zone: stored as UTC, so text order is time order
    middle = message("tam_duong", at(3).astimezone(UTC), uid="2")
    for record in (late, early, middle):
        ledger.record(record)
    assert [r.key.uid for r in ledger.records()] == ["1", "2", "3"]
    assert [r.key.uid for r in ledger.records("tam_duong")] == ["2", "3"]
    assert ledger.records("cdvc") == []


def test_a_units_records_stay_current_between_calls(ledger: Ledger) -> None:
    """One unit's list is kept between calls: after writes in any order, replacements of an earlier
    attempt, and a write by another connection, it equals what a fresh ledger on the file reads."""
    first = message("tam_duong", at(3), doc("to_trinh", (person("Lò Văn Pâng"),)), uid="1")
    ledger.record(first)
    assert [r.key for r in ledger.records("tam_duong")] == [first.key]
    ledger.record(message("sin_ho", at(2), uid="2"))
    ledger.record(message("tam_duong", at(3), uid="4"))  # same instant as the first: written later
    ledger.record(message("tam_duong", at(1), uid="3"))  # arrived before both
    failed = message(None, at(4), uid="5", outcome=Outcome.ERROR, counted=False)
    ledger.record(failed)
    ledger.record(replace(message("tam_duong", at(4), uid="5"), key=failed.key))  # its retry, now counted
    ledger.record(replace(message("sin_ho", at(5), uid="6"), key=first.key))  # uid 1 moved to another unit
    assert [r.key.uid for r in ledger.records("tam_duong")] == ["3", "4", "5"]
    other = Ledger(ledger.path)
    try:
        other.record(message("tam_duong", at(6), uid="7"))
        for unit in ("tam_duong", "sin_ho"):
            assert ledger.records(unit) == _fresh(ledger.path, unit)
        ledger.record(message("tam_duong", at(7), uid="8"))
        assert [r.key.uid for r in ledger.records("tam_duong")] == ["3", "4", "5", "7", "8"]
        assert ledger.records("tam_duong") == _fresh(ledger.path, "tam_duong")
        assert ledger.records("sin_ho") == _fresh(ledger.path, "sin_ho")
    finally:
        other.close()


def _fresh(path: Path, unit_id: str) -> list[MessageRecord]:
    fresh = Ledger(path)
    try:
        return fresh.records(unit_id)
    finally:
        fresh.close()


def test_known_uids_and_cursor(ledger: Ledger) -> None:
    ledger.record(message("tam_duong", at(1), uid="5"))
    ledger.record(message("tam_duong", at(1), uid="12"))
    ledger.record(message("tam_duong", at(1), uid="9"))
    assert ledger.known_uids("maildir", 0) == {"5", "9", "12"}
    assert ledger.known_uids("maildir", 1) == set()
    assert ledger.cursor("maildir", 0) == 12          # never moves backwards
    assert ledger.cursor("INBOX", 0) == 0


def test_advance_cursor_keeps_the_maximum(ledger: Ledger) -> None:
    ledger.advance_cursor("INBOX", 7, 40)
    ledger.advance_cursor("INBOX", 7, 30)
    ledger.advance_cursor("INBOX", 8, 2)
    assert (ledger.cursor("INBOX", 7), ledger.cursor("INBOX", 8)) == (40, 2)


def test_maildir_names_do_not_move_the_cursor(ledger: Ledger) -> None:
    ledger.record(message("tam_duong", at(1), uid="1606784400.M1P2.host"))
    assert ledger.cursor("maildir", 0) == 0
    assert ledger.known_uids("maildir", 0) == {"1606784400.M1P2.host"}


def test_errors_are_retried_until_the_attempt_limit(ledger: Ledger) -> None:
    failed = message(None, at(1), uid="7", outcome=Outcome.ERROR, counted=False)
    ledger.record(failed)
    assert ledger.known_uids("maildir", 0) == set()
    assert ledger.retry_uids("maildir", 0) == ["7"]
    assert ledger.attempts(failed.key) == 1
    ledger.record(replace(failed, attempts=MAX_ATTEMPTS))
    assert ledger.known_uids("maildir", 0) == {"7"}
    assert ledger.retry_uids("maildir", 0) == []


def test_a_failed_attempt_is_replaced_by_the_later_success(ledger: Ledger) -> None:
    """GIVEN an ERROR row with a document WHEN the message is processed again THEN only the success remains."""
    failed = message(None, at(1), doc("bao_cao"), uid="8", outcome=Outcome.ERROR, counted=False,
                     findings=())
    failed = replace(failed, error="ValueError: boom")
    ledger.record(failed)
    success = replace(_full(), key=failed.key, attempts=2)
    ledger.record(success)
    [back] = ledger.records()
    assert back.outcome == Outcome.ACCEPTED and back.attempts == 2
    assert [d.kind for d in back.documents] == ["to_trinh", "bien_ban", "tom_tat"]
    count = ledger.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert count == 3                                   # the failed attempt's document is gone too
    assert ledger.retry_uids("maildir", 0) == []


def test_seen_content_by_message_id_or_digest_under_another_key(ledger: Ledger) -> None:
    stored = message("tam_duong", at(1), uid="1", message_id="<a@example.vn>")
    ledger.record(stored)
    other_key = MessageKey("INBOX", 99, "1")
    assert ledger.seen_content("<a@example.vn>", "other-digest", other_key)           # same Message-ID
    assert ledger.seen_content("<b@example.vn>", stored.digest, other_key)            # same bytes
    assert ledger.seen_content("", stored.digest, other_key)
    assert not ledger.seen_content("<b@example.vn>", "other-digest", other_key)
    assert not ledger.seen_content("<a@example.vn>", stored.digest, stored.key)       # itself, re-processed


def test_seen_content_ignores_errors_duplicates_and_empty_ids(ledger: Ledger) -> None:
    ledger.record(message(None, at(1), uid="1", message_id="<e@x>", outcome=Outcome.ERROR, counted=False))
    ledger.record(message(None, at(1), uid="2", message_id="<d@x>", outcome=Outcome.DUPLICATE, counted=False))
    ledger.record(message(None, at(1), uid="3", message_id="", outcome=Outcome.AUTO_REPLY, counted=False))
    key = MessageKey("INBOX", 1, "50")
    assert not ledger.seen_content("<e@x>", "x", key)
    assert not ledger.seen_content("<d@x>", "y", key)
    assert not ledger.seen_content("", "z", key)


def test_known_message_ids(ledger: Ledger) -> None:
    ledger.record(message("tam_duong", at(1), uid="1", message_id="<ok@x>"))
    ledger.record(message(None, at(1), uid="2", message_id="<err@x>", outcome=Outcome.ERROR, counted=False))
    wanted = ["<ok@x>", "<err@x>", "", "<new@x>", *(f"<m{i}@x>" for i in range(1200))]
    assert ledger.known_message_ids(wanted) == {"<ok@x>"}


def test_replies_since(ledger: Ledger) -> None:
    for uid, hour, reply in (("1", 8, Reply.queued_as("a.eml")), ("2", 9, Reply.queued_as("b.eml")),
                            ("3", 9, Reply.none("rate_limited"))):
        ledger.record(replace(message("tam_duong", at(1, hour), uid=uid, from_addr="x@example.vn", reply=reply),
                              processed_at=at(1, hour)))
    assert ledger.replies_since("x@example.vn", at(1, 8, 30)) == 1
    assert ledger.replies_since("x@example.vn", at(1, 7)) == 2
    assert ledger.replies_since("y@example.vn", at(1, 7)) == 0


def test_reminders_sent(ledger: Ledger) -> None:
    assert ledger.reminders_sent() == set()
    ledger.mark_reminded("tam_duong", ["T-7", "T-3"], at(17, 8))
    ledger.mark_reminded("tam_duong", ["T-3"], at(17, 9))          # idempotent
    ledger.mark_reminded("cdvc", ["T-3"], at(17, 8))
    assert ledger.reminders_sent() == {("tam_duong", "T-7"), ("tam_duong", "T-3"), ("cdvc", "T-3")}


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "ledger.sqlite3"
    first = Ledger(path)
    first.record(_full())
    first.mark_reminded("tam_duong", ["T-7"], at(13, 8))
    first.close()
    second = Ledger(path)
    try:
        assert [r.key.uid for r in second.records()] == ["101"]
        assert second.reminders_sent() == {("tam_duong", "T-7")}
        assert second.cursor("maildir", 0) == 101
    finally:
        second.close()


def test_a_failing_transaction_leaves_nothing(ledger: Ledger) -> None:
    with pytest.raises(RuntimeError), ledger.transaction() as db:
        db.execute("INSERT INTO reminders VALUES ('x', 'T-1', '2020')")
        raise RuntimeError("crash mid-way")
    assert ledger.reminders_sent() == set()


@pytest.mark.parametrize("query", [
    "DELETE FROM documents WHERE message=?",            # what ON DELETE CASCADE runs when a row is replaced
    "DELETE FROM nominees WHERE document=?",
    "SELECT d.* FROM documents d JOIN messages m ON m.id=d.message WHERE m.id=? ORDER BY d.message, d.position",
    "SELECT n.* FROM nominees n JOIN documents d ON d.id=n.document JOIN messages m ON m.id=d.message"
    " WHERE m.unit_id=? ORDER BY n.document, n.position",
    "SELECT count(*) FROM messages WHERE from_addr=? AND processed_at>=?",
])
def test_per_message_queries_do_not_scan_whole_tables(ledger: Ledger, query: str) -> None:
    """GIVEN the ledger's schema WHEN SQLite plans a query a poll runs per message THEN it uses an index:
    a full scan per message made a poll quadratic in the size of the ledger."""
    plan = [row[-1] for row in ledger.db.execute(f"EXPLAIN QUERY PLAN {query}", (1,) * query.count("?"))]
    assert plan
    assert not [step for step in plan if step.startswith("SCAN") and "USING" not in step], plan
