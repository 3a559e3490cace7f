"""The decided picture (bot/core/picture.py): counts defined once, the review queue open and done,
paper receipts apart from mail, and ``status --json`` read from it. Hand-built records, pure."""

from __future__ import annotations

from dataclasses import replace

from bot.config.schema import Config
from bot.core.decisions import DecisionKind, StaffDecision
from bot.core.model import Outcome, Verdict
from bot.core.picture import ReviewState, build
from bot.core.views import status_object
from tests.unit.builders import DEADLINE, at, complete, doc, message, people

WHEN = at(10)


def decision(kind: DecisionKind, number: int = 1, **fields: object) -> StaffDecision:
    return StaffDecision(kind, by="luong", at=WHEN, id=number, **fields)  # type: ignore[arg-type]


def test_counts_are_one_definition_whatever_the_mix(cfg: Config) -> None:
    """GIVEN a complete unit, one over quota, one late, one missing an item and the rest silent
    THEN only the complete one is «Đủ hồ sơ», and each count is the number of units whose words say it."""
    late = DEADLINE.replace(day=21)
    records = [complete("tam_duong", at(1)), complete("sin_ho", at(2), individuals=6),
               complete("cdvc", late), message("muong_te", at(3), doc("to_trinh", people(2)))]
    picture = build(cfg, records, [])
    counts = picture.counts
    words = {u.id: u.words for u in picture.units}
    assert words["tam_duong"] == "Đủ hồ sơ" and words["sin_ho"] == "Vượt chỉ tiêu"
    assert words["cdvc"] == "Nộp muộn" and words["muong_te"].startswith("Thiếu ")
    assert (counts.units, counts.complete, counts.over_quota, counts.late, counts.missing) == (8, 1, 1, 1, 1)
    assert counts.not_submitted == sum(w == "Chưa nộp" for w in words.values()) == 4
    assert counts.complete == sum(u.verdict == Verdict.IN_ORDER for u in picture.units)
    assert counts.needs_action == 3


def test_a_decision_closes_the_item_it_settles(cfg: Config) -> None:
    """GIVEN an unknown sender's dossier WHEN staff assign it THEN its item leaves the open queue and is
    done by that decision (who, when, which); undone, it is open again."""
    stranger = replace(complete("cdvc", at(5)), unit_id=None, counted=False, outcome=Outcome.UNKNOWN_SENDER,
                       from_addr="thuky@gmail.example")
    before = build(cfg, [stranger], [])
    assert [i.reason for i in before.review.open] == ["unknown_sender"] and before.review.done == ()
    assign = decision(DecisionKind.ASSIGN, 7, message_id=stranger.message_id, unit_id="cdvc")
    after = build(cfg, [stranger], [assign])
    assert after.review.open == () and after.counts.open_review == 0
    (done,) = after.review.done
    assert (done.state, done.reason, done.decided_by, done.decided_at, done.decision_id) == (
        ReviewState.DONE, "unknown_sender", "luong", WHEN, 7)
    assert done.record.unit_id == "cdvc" and after.unit("cdvc").verdict == Verdict.IN_ORDER  # type: ignore[union-attr]
    undone = build(cfg, [stranger], [replace(assign, undone_at=at(11), undone_by="luong")])
    assert [i.reason for i in undone.review.open] == ["unknown_sender"] and undone.review.done == ()


def test_differing_lists_close_by_themselves_when_a_later_dossier_agrees(cfg: Config) -> None:
    """GIVEN a dossier whose tờ trình and tóm tắt name different people, THEN one open item for the unit;
    WHEN the unit sends a corrected dossier THEN the item is done, closed by itself (no decision)."""
    first = message("tam_duong", at(1), doc("to_trinh", people(3)), doc("bien_ban"), doc("tom_tat", people(2)))
    picture = build(cfg, [first], [])
    assert [(i.reason, i.record.key) for i in picture.review.open] == [("lists_disagree", first.key)]
    fixed = message("tam_duong", at(2), doc("to_trinh", people(2)), doc("bien_ban"), doc("tom_tat", people(2)))
    later = build(cfg, [first, fixed], [])
    assert later.review.open == ()
    (done,) = later.review.done
    assert done.reason == "lists_disagree" and done.closed_by_itself and done.decided_by == ""


def test_a_paper_receipt_is_not_mail(cfg: Config) -> None:
    """GIVEN a unit's tờ trình and tóm tắt by mail WHEN staff receive its biên bản on paper THEN it is
    complete, with one mail and one paper receipt; ``status --json`` counts one message."""
    mail = message("tam_duong", at(1), doc("to_trinh", people(2)), doc("tom_tat", people(2)))
    receive = decision(DecisionKind.RECEIVE, 3, unit_id="tam_duong", item="bien_ban")
    picture = build(cfg, [mail], [receive])
    unit = picture.unit("tam_duong")
    assert unit is not None and unit.words == "Đủ hồ sơ"
    assert (len(unit.mails), len(unit.papers)) == (1, 1)
    status = status_object(picture)
    row = next(u for u in status["units"] if u["id"] == "tam_duong")
    assert (row["messages"], row["paper"], row["complete"]) == (1, 1, True)


def test_status_json_lists_open_items_in_needs_review_and_done_ones_apart(cfg: Config) -> None:
    stranger = replace(complete("cdvc", at(5)), unit_id=None, counted=False, outcome=Outcome.UNKNOWN_SENDER)
    other = message(None, at(6), counted=False, outcome=Outcome.UNKNOWN_SENDER, from_addr="x@example.org")
    assign = decision(DecisionKind.ASSIGN, 2, message_id=stranger.message_id, unit_id="cdvc")
    status = status_object(build(cfg, [stranger, other], [assign]))
    assert [i["from"] for i in status["needs_review"]] == ["x@example.org"]
    assert set(status["needs_review"][0]) >= {"message_id", "from", "subject", "reason"}
    (done,) = status["review_done"]
    assert (done["reason"], done["decided_by"], done["decision"], done["unit"]) == (
        "unknown_sender", "luong", 2, "cdvc")
