"""bot.core.rules: a unit's dossier merged over its messages; reminder slots. Hand-built records, no parsing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config.schema import Config, Unit
from bot.core import rules
from bot.core.model import Finding, MessageRecord, Outcome, UnitDossier
from tests.unit.builders import (
    DEADLINE,
    at,
    collective,
    complete,
    doc,
    groups,
    message,
    people,
    person,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _unit(cfg: Config, unit_id: str) -> Unit:
    unit = cfg.unit(unit_id)
    assert unit is not None
    return unit


def _assess(cfg: Config, unit_id: str, *records: MessageRecord) -> UnitDossier:
    return rules.assess(_unit(cfg, unit_id), list(records), cfg)


# ------------------------------------------------------------------------------------ completeness


def test_nothing_received(cfg: Config) -> None:
    dossier = _assess(cfg, "tam_duong")
    assert dossier.received == ()
    assert dossier.missing == ("to_trinh", "bien_ban", "tom_tat")
    assert (dossier.messages, dossier.last_message_at, dossier.late, dossier.over_quota) == (0, None, False, False)
    assert not dossier.complete and dossier.owes_something


def test_complete_over_two_messages(cfg: Config) -> None:
    """GIVEN the tờ trình on day 1 and biên bản + tóm tắt on day 2 WHEN merged THEN complete."""
    names = (collective("Công đoàn cơ sở Trường Mầm non xã Bản Bo"), person("Lò Văn Pâng"))
    first = message("tam_duong", at(1), doc("to_trinh", names))
    second = message("tam_duong", at(2), doc("bien_ban"), doc("tom_tat", names), doc("bao_cao"))
    dossier = _assess(cfg, "tam_duong", second, first)       # any order in, arrival order used
    assert dossier.missing == ()
    assert dossier.complete and not dossier.owes_something
    assert dossier.received == ("to_trinh", "bien_ban", "tom_tat", "bao_cao")   # config order
    assert (dossier.messages, dossier.last_message_at) == (2, at(2))
    assert (dossier.collectives, dossier.individuals) == (1, 1)


def test_missing_items(cfg: Config) -> None:
    dossier = _assess(cfg, "tam_duong", message("tam_duong", at(1), doc("to_trinh"), doc("bao_cao")))
    assert dossier.missing == ("bien_ban", "tom_tat")
    assert dossier.received == ("to_trinh", "bao_cao")


def test_only_this_units_counted_messages(cfg: Config) -> None:
    """GIVEN a DMARC failure and another unit's mail WHEN assessing Tam Đường THEN neither counts."""
    records = [replace(complete("tam_duong", at(1)), counted=False, outcome=Outcome.DMARC_FAIL),
               complete("sin_ho", at(1))]
    dossier = _assess(cfg, "tam_duong", *records)
    assert dossier.messages == 0
    assert dossier.missing == ("to_trinh", "bien_ban", "tom_tat")


@pytest.mark.parametrize(
    ("status", "received"),
    [
        ("ok", True),
        (Finding.NEEDS_OCR, True),               # a scan: staff can read it
        (Finding.UNSUPPORTED_FORMAT, True),      # legacy .doc: staff can open it
        (Finding.UNREADABLE_ATTACHMENT, False),  # corrupt
        (Finding.EMPTY_ATTACHMENT, False),
        (Finding.ENCRYPTED_ATTACHMENT, False),
        (Finding.ATTACHMENT_TOO_LARGE, False),
    ],
)
def test_which_document_states_count_as_received(cfg: Config, status: str, received: bool) -> None:
    record = message("tam_duong", at(1), doc("bien_ban", status=status))
    dossier = _assess(cfg, "tam_duong", record)
    assert ("bien_ban" in dossier.received) is received
    assert ("bien_ban" in dossier.missing) is not received
    if status != "ok":
        assert status in dossier.flags


def test_unreadable_copy_then_readable_copy(cfg: Config) -> None:
    """GIVEN a corrupt tờ trình then a good one WHEN merged THEN received, and the flag stays for review."""
    bad = message("tam_duong", at(1), doc("to_trinh", status=Finding.UNREADABLE_ATTACHMENT))
    good = message("tam_duong", at(2), doc("to_trinh"))
    assert "to_trinh" in _assess(cfg, "tam_duong", bad).missing
    dossier = _assess(cfg, "tam_duong", bad, good)
    assert "to_trinh" in dossier.received
    assert Finding.UNREADABLE_ATTACHMENT in dossier.flags


# ------------------------------------------------------------------------------------ quota


@pytest.mark.parametrize(
    ("unit_id", "collectives", "individuals", "over"),
    [
        ("tam_duong", 1, 4, False),      # default quota 1 + 4
        ("tam_duong", 1, 5, True),
        ("tam_duong", 2, 4, True),       # collectives over on their own
        ("tam_duong", 0, 0, False),
        ("cd_yte", 1, 6, False),         # per-unit quota 1 + 6
        ("cd_yte", 1, 7, True),
        ("cdvc", 1, 8, False),           # per-unit quota 1 + 8
        ("cdvc", 1, 9, True),
        ("cdvc", 2, 8, True),
    ],
)
def test_quota(cfg: Config, unit_id: str, collectives: int, individuals: int, over: bool) -> None:
    names = (*groups(collectives), *people(individuals))
    dossier = _assess(cfg, unit_id, message(unit_id, at(1), doc("to_trinh", names)))
    unit = _unit(cfg, unit_id)
    assert (dossier.collectives, dossier.individuals) == (collectives, individuals)
    assert (dossier.quota_collectives, dossier.quota_individuals) == (unit.quota.collectives,
                                                                      unit.quota.individuals)
    assert dossier.over_quota is over
    assert (Finding.OVER_QUOTA in dossier.flags) is over
    assert dossier.owes_something  # biên bản and tóm tắt still missing


def test_over_quota_unit_owes_something_even_when_complete(cfg: Config) -> None:
    dossier = _assess(cfg, "tam_duong", complete("tam_duong", at(1), individuals=5))
    assert dossier.complete
    assert dossier.over_quota and dossier.owes_something


# ------------------------------------------------------------------------------------ which list counts


def test_latest_message_with_a_list_supersedes_the_earlier_list(cfg: Config) -> None:
    """GIVEN 5 people on day 1 (over quota) and a corrected tóm tắt with 4 on day 3 WHEN merged THEN the 4."""
    first = message("tam_duong", at(1), doc("to_trinh", (*groups(1), *people(5))))
    corrected = people(4, prefix="Giàng Thị")
    second = message("tam_duong", at(3), doc("tom_tat", (*groups(1), *corrected)))
    later_without_list = message("tam_duong", at(4), doc("bien_ban"))
    dossier = _assess(cfg, "tam_duong", later_without_list, second, first)
    assert [n.name for n in dossier.nominees if n.kind == "individual"] == [n.name for n in corrected]
    assert not dossier.over_quota


def test_an_unreadable_list_does_not_supersede(cfg: Config) -> None:
    first = message("tam_duong", at(1), doc("to_trinh", people(3)))
    broken = message("tam_duong", at(2), doc("to_trinh", people(1, prefix="Cứ A"), status=Finding.NEEDS_OCR))
    dossier = _assess(cfg, "tam_duong", first, broken)
    assert [n.name for n in dossier.nominees] == [n.name for n in people(3)]


def test_lists_disagree_within_one_message(cfg: Config) -> None:
    """GIVEN a tờ trình naming A, B and a tóm tắt naming A, C in one message WHEN merged THEN A, B, C, flagged."""
    a, b, c = person("Lò Văn Pâng"), person("Giàng A Chứ"), person("Lù Thị Ngoan")
    record = message("tam_duong", at(1), doc("to_trinh", (a, b)), doc("tom_tat", (a, c)))
    dossier = _assess(cfg, "tam_duong", record)
    assert [n.name for n in dossier.nominees] == [a.name, b.name, c.name]
    assert Finding.LISTS_DISAGREE in dossier.flags
    assert len(dossier.disagreements) == 2
    to_trinh_line = next(line for line in dossier.disagreements if line.startswith("Tờ trình"))
    tom_tat_line = next(line for line in dossier.disagreements if line.startswith("Báo cáo tóm tắt"))
    assert c.name in to_trinh_line and b.name not in to_trinh_line
    assert b.name in tom_tat_line and c.name not in tom_tat_line


def test_same_people_spelled_differently_agree(cfg: Config) -> None:
    record = message("tam_duong", at(1), doc("to_trinh", (person("Nông Thúy Thủy"), person("Đ/c Lò Văn Pâng"))),
                     doc("tom_tat", (person("NÔNG THUÝ THUỶ"), person("Lò Văn Pâng"))))
    dossier = _assess(cfg, "tam_duong", record)
    assert dossier.individuals == 2
    assert Finding.LISTS_DISAGREE not in dossier.flags


# ------------------------------------------------------------------------------------ late


@pytest.mark.parametrize(
    ("arrivals", "late"),
    [
        ({"to_trinh": DEADLINE, "bien_ban": DEADLINE, "tom_tat": DEADLINE}, False),   # at the deadline itself
        ({"to_trinh": at(1), "bien_ban": at(1), "tom_tat": DEADLINE + timedelta(seconds=1)}, True),
        ({"to_trinh": at(1), "bien_ban": at(21, 8)}, True),                            # tóm tắt still missing
        ({"to_trinh": at(1)}, False),                                                  # missing is not late
        ({"to_trinh": at(1), "bien_ban": at(1), "tom_tat": at(1), "bao_cao": at(25)}, False),  # optional item
    ],
)
def test_late_when_a_required_item_first_arrives_after_the_deadline(
        cfg: Config, arrivals: dict[str, datetime], late: bool) -> None:
    records = [message("tam_duong", when, doc(kind)) for kind, when in arrivals.items()]
    dossier = _assess(cfg, "tam_duong", *records)
    assert dossier.late is late
    assert (Finding.LATE in dossier.flags) is late


def test_resending_after_the_deadline_an_item_first_sent_on_time_is_not_late(cfg: Config) -> None:
    """GIVEN a complete dossier on 1/12 and a corrected tờ trình on 22/12 WHEN merged THEN not late, new list."""
    on_time = complete("tam_duong", at(1), individuals=4)
    resent = message("tam_duong", at(22), doc("to_trinh", (*groups(1), *people(3, prefix="Giàng A"))))
    dossier = _assess(cfg, "tam_duong", on_time, resent)
    assert not dossier.late
    assert dossier.individuals == 3
    assert dossier.last_message_at == at(22)


def test_late_copy_of_an_item_first_sent_unreadable_is_late(cfg: Config) -> None:
    """GIVEN a corrupt biên bản on time and the readable one after the deadline WHEN merged THEN late."""
    records = [message("tam_duong", at(1), doc("to_trinh"), doc("tom_tat"),
                       doc("bien_ban", status=Finding.UNREADABLE_ATTACHMENT)),
               message("tam_duong", at(21), doc("bien_ban"))]
    assert _assess(cfg, "tam_duong", *records).late


def test_unverified_sender_flag_is_carried(cfg: Config) -> None:
    record = message("tam_duong", at(1), doc("to_trinh"), findings=(Finding.UNVERIFIED_SENDER,))
    assert Finding.UNVERIFIED_SENDER in _assess(cfg, "tam_duong", record).flags


def test_assess_all_one_dossier_per_unit_in_config_order(cfg: Config) -> None:
    dossiers = rules.assess_all([complete("cdvc", at(1))], cfg)
    assert [d.unit_id for d in dossiers] == [u.id for u in cfg.units]
    assert [d.complete for d in dossiers] == [u.id == "cdvc" for u in cfg.units]


# ------------------------------------------------------------------------------------ reminders


def test_reminder_slots_at_eight_local_time(cfg: Config) -> None:
    slots = rules.reminder_slots(cfg)
    assert [s.id for s in slots] == ["T-7", "T-3", "T-1"]
    assert [s.at for s in slots] == [datetime(2020, 12, day, 8, 0, tzinfo=HCM) for day in (13, 17, 19)]
    assert all(s.at.astimezone(HCM).time() == time(8, 0) for s in slots)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2020, 12, 13, 7, 59, tzinfo=HCM), []),
        (datetime(2020, 12, 13, 8, 0, tzinfo=HCM), ["T-7"]),
        (datetime(2020, 12, 17, 1, 0, tzinfo=HCM), ["T-7"]),
        (datetime(2020, 12, 17, 1, 0, tzinfo=HCM).astimezone(ZoneInfo("UTC")), ["T-7"]),
        (datetime(2020, 12, 17, 8, 0, tzinfo=HCM), ["T-7", "T-3"]),
        (datetime(2020, 12, 17, 1, 0, tzinfo=ZoneInfo("UTC")), ["T-7", "T-3"]),   # 08:00 in Hanoi
        (datetime(2020, 12, 20, 23, 59, tzinfo=HCM), ["T-7", "T-3", "T-1"]),
        (DEADLINE + timedelta(seconds=1), []),
    ],
)
def test_due_slots(cfg: Config, now: datetime, due: list[str]) -> None:
    assert [s.id for s in rules.due_slots(cfg, now)] == due


T3 = datetime(2020, 12, 17, 8, 0, tzinfo=HCM)


def _dossiers(cfg: Config) -> list[UnitDossier]:
    """tam_duong and cdvc complete, cd_yte complete but over quota, every other unit owing everything."""
    records = [complete("tam_duong", at(1)), complete("cdvc", at(1)), complete("cd_yte", at(1), individuals=7)]
    return rules.assess_all(records, cfg)


def test_at_t3_with_nothing_sent_one_entry_per_owing_unit(cfg: Config) -> None:
    """GIVEN T-3 08:00 and no reminder ever sent WHEN asked THEN every owing unit once, with T-7 and T-3."""
    due = _to_ids(rules.reminders_due(_dossiers(cfg), rules.due_slots(cfg, T3), set()))
    owing = [u.id for u in cfg.units if u.id not in ("tam_duong", "cdvc")]
    assert list(due) == owing
    assert all(slots == ["T-7", "T-3"] for slots in due.values())


def test_complete_units_are_never_reminded_over_quota_ones_are(cfg: Config) -> None:
    due = _to_ids(rules.reminders_due(_dossiers(cfg), rules.due_slots(cfg, T3), set()))
    assert "tam_duong" not in due and "cdvc" not in due
    assert "cd_yte" in due


def test_already_reminded_for_the_latest_slot(cfg: Config) -> None:
    sent = {(u.id, "T-3") for u in cfg.units}
    assert rules.reminders_due(_dossiers(cfg), rules.due_slots(cfg, T3), sent) == []


def test_reminded_for_t7_only_owes_t3(cfg: Config) -> None:
    sent = {(u.id, "T-7") for u in cfg.units}
    due = _to_ids(rules.reminders_due(_dossiers(cfg), rules.due_slots(cfg, T3), sent))
    assert due and all(slots == ["T-3"] for slots in due.values())


def test_no_reminder_after_the_deadline(cfg: Config) -> None:
    after = DEADLINE + timedelta(hours=1)
    assert rules.reminders_due(_dossiers(cfg), rules.due_slots(cfg, after), set()) == []


def test_no_reminder_before_the_first_slot(cfg: Config) -> None:
    before = datetime(2020, 12, 13, 7, 0, tzinfo=HCM)
    assert rules.reminders_due(_dossiers(cfg), rules.due_slots(cfg, before), set()) == []


def _to_ids(due: list[tuple[UnitDossier, list[rules.ReminderSlot]]]) -> dict[str, list[str]]:
    return {dossier.unit_id: [slot.id for slot in slots] for dossier, slots in due}


# ------------------------------------------------------------------------------------ strangers


def test_a_stranger_s_list_never_replaces_the_unit_s_own_until_staff_assign_it(cfg: Config) -> None:
    """GIVEN the unit's list from its registered address, then a list naming the unit from another address
    THEN the unit's own list stands (the stranger's waits, «chờ xác nhận»); once staff assign the stranger's
    mail (its finding goes) it supersedes as any later list does."""
    own = message("tam_duong", at(1), doc("to_trinh", people(2)), doc("bien_ban"), doc("tom_tat", people(2)))
    forged = message("tam_duong", at(2), doc("to_trinh", people(7, "Giàng A")),
                     findings=(Finding.UNVERIFIED_SENDER,))
    dossier = _assess(cfg, "tam_duong", own, forged)
    assert [n.name for n in dossier.nominees] == [n.name for n in people(2)]
    assert Finding.UNVERIFIED_SENDER in dossier.flags and not dossier.over_quota
    vouched = replace(forged, findings=(Finding.DECIDED_BY_STAFF,))
    assert _assess(cfg, "tam_duong", own, vouched).individuals == 7


def test_a_stranger_s_list_is_shown_when_the_unit_sent_none_itself(cfg: Config) -> None:
    forged = message("tam_duong", at(2), doc("to_trinh", people(3)), findings=(Finding.UNVERIFIED_SENDER,))
    assert _assess(cfg, "tam_duong", forged).individuals == 3


# ------------------------------------------------------------------------------------ corrections


def test_a_newer_list_flags_the_older_files_that_still_name_the_dropped_and_keeps_achievements(
        cfg: Config) -> None:
    """GIVEN a dossier of 3 people (achievements in the tóm tắt, votes in the biên bản), then a new tờ trình
    «thay thế bản trước» without Lò Văn C
    THEN the list is the new one, each remaining person keeps the achievements of the old tóm tắt, and the
    old tóm tắt and biên bản (not sent again) are flagged naming Lò Văn C; the old tờ trình is replaced, not
    flagged."""
    from parsers.meeting import MeetingFacts, Vote
    three = people(3)
    summary = tuple(replace(n, achievements=f"Thành tích của {n.name}") for n in three)
    minutes = replace(doc("bien_ban"), meeting=MeetingFacts(votes=tuple(Vote(n.name, 5, 5) for n in three)))
    first = message("tam_duong", at(1), doc("to_trinh", three), minutes, doc("tom_tat", summary))
    newer = message("tam_duong", at(3), doc("to_trinh", three[:2], filename="Tờ trình thay thế.docx"))
    dossier = _assess(cfg, "tam_duong", first, newer)
    assert [(n.name, n.achievements) for n in dossier.nominees] == [
        (n.name, f"Thành tích của {n.name}") for n in three[:2]]
    assert [(o.filename, o.names) for o in dossier.outdated] == [
        (minutes.filename, ("Lò Văn C",)), (doc("tom_tat").filename, ("Lò Văn C",))]
    assert Finding.OUTDATED_NAMES in dossier.flags and not dossier.disagreements
    lines = rules.describe_outdated(dossier.outdated, HCM)
    assert lines[1] == f"«{doc('tom_tat').filename}» (gửi ngày 01/12/2020): còn tên Lò Văn C"


def test_files_sent_again_with_the_newer_list_are_not_outdated(cfg: Config) -> None:
    first = message("tam_duong", at(1), doc("to_trinh", people(3)), doc("tom_tat", people(3)))
    newer = message("tam_duong", at(3), doc("to_trinh", people(2)), doc("tom_tat", people(2)))
    assert _assess(cfg, "tam_duong", first, newer).outdated == ()
    same = message("tam_duong", at(3), doc("to_trinh", people(3)))
    assert _assess(cfg, "tam_duong", first, same).outdated == ()
