"""«Đã xử lý» (``mailbot settle`` / the console's button): a review item staff handled outside mailbot (a
question answered, a request weighed) leaves the open queue for the done list, and nothing counted changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.config.schema import Config
from bot.core import picture
from bot.core.decision_checks import prepare
from bot.core.decisions import DecisionKind, StaffDecision, describe
from bot.core.model import MessageRecord, Outcome
from bot.core.review import ReviewState
from tests.unit.builders import at, complete

WHEN = at(10)


def _settle(number: int = 1, reason: str = "", undone: datetime | None = None) -> StaffDecision:
    return StaffDecision(DecisionKind.SETTLE, by="Lương Hà", at=WHEN, id=number, message_id="<m1@x>", item=reason,
                         undone_at=undone)


def _stranger() -> MessageRecord:
    record = complete("cdvc", at(5))
    return replace(record, unit_id=None, counted=False, outcome=Outcome.UNKNOWN_SENDER, message_id="<m1@x>",
                   from_addr="thuky.cdvc@gmail.example")


def _own() -> MessageRecord:
    return replace(complete("tam_duong", at(4)), message_id="<m2@x>")


def test_a_settled_item_leaves_the_queue_and_nothing_counted_changes(cfg: Config) -> None:
    stored = [_stranger(), _own()]
    before = picture.build(cfg, stored, [])
    assert [i.reason for i in before.review.open] == [Outcome.UNKNOWN_SENDER]
    after = picture.build(cfg, stored, [_settle()])
    assert after.review.open == ()
    [done] = after.review.done
    assert done.state == ReviewState.DONE and done.decided_by == "Lương Hà" and done.decision_id == 1
    assert after.counts.open_review == 0 and after.counts.done_review == 1
    assert [u.verdict for u in after.units] == [u.verdict for u in before.units]
    assert after.counts.complete == before.counts.complete and after.unit("cdvc").dossier.collectives == 0


def test_a_settle_for_another_reason_leaves_the_item_open_and_undo_reopens_it(cfg: Config) -> None:
    stored = [_stranger()]
    assert len(picture.build(cfg, stored, [_settle(reason="unit_request")]).review.open) == 1
    assert len(picture.build(cfg, stored, [_settle(reason=str(Outcome.UNKNOWN_SENDER))]).review.open) == 0
    assert len(picture.build(cfg, stored, [_settle(undone=WHEN)]).review.open) == 1


def test_settle_needs_a_known_message_and_reads_in_words(cfg: Config) -> None:
    stored = [_stranger()]
    assert isinstance(prepare(replace(_settle(), message_id="<nope@x>"), cfg, stored), str)
    checked = prepare(_settle(), cfg, stored)
    assert isinstance(checked, StaffDecision)
    assert describe(checked, cfg, stored).startswith("Đã xử lý việc cần xem xét của thư ngày 05/12/2020")
