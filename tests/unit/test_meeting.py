"""parsers.meeting: the date, attendance and vote a biên bản states (nothing guessed)."""

from __future__ import annotations

from datetime import date

import pytest

import parsers
from parsers import Document, Table
from parsers.meeting import MeetingFacts, Vote, meeting_facts
from tests import samples
from tests.dossier_templates import TEMPLATES, Template
from tests.samples import SAMPLE_DOSSIERS

WITH_FACTS = [t for t in TEMPLATES if t.meeting]


def _facts(*lines: str) -> MeetingFacts:
    return meeting_facts(Document("docx", ("BIÊN BẢN", *lines)))


@pytest.mark.parametrize("template", WITH_FACTS, ids=[t.id for t in WITH_FACTS])
def test_template_meeting_facts(template: Template) -> None:
    facts = meeting_facts(parsers.extract(template.filename, template.docx()))
    expected = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in template.meeting.items()}
    assert facts.as_dict() == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Vào lúc 14 giờ 00 phút, ngày 05 tháng 12 năm 2020, tại hội trường", date(2020, 12, 5)),
        ("Hôm nay, ngày 26/11/2020, tại Phòng họp", date(2020, 11, 26)),
        ("Hom nay ngay 3-12-2020 tai van phong", date(2020, 12, 3)),
        ("Vào hồi 8 giờ 30, ngày 1 tháng 12 năm 2020", date(2020, 12, 1)),
        ("Hội nghị bắt đầu vào lúc 13 giờ ngày 19 tháng 5 năm 2025 tại Hội trường Công ty.", date(2025, 5, 19)),
        ("Hôm nay, ngày 31 tháng 02 năm 2020", None),                  # no such day: nothing, not a guess
        ("Tam Đường, ngày 28 tháng 11 năm 2020", None),                # the document's date is not the meeting's
    ],
)
def test_meeting_date(line: str, expected: date | None) -> None:
    assert _facts(line).held_on == expected


def test_meeting_date_over_two_lines() -> None:
    assert _facts("Hôm nay, vào hồi 9 giờ,", "ngày 02 tháng 12 năm 2020 tại LĐLĐ huyện").held_on == date(2020, 12, 2)


@pytest.mark.parametrize(
    ("line", "present", "members", "absent"),
    [
        ("Có mặt: 09/09 đồng chí; vắng: 0", 9, 9, 0),
        ("Số thành viên có mặt: 06/07 đồng chí; vắng: 01.", 6, 7, 1),
        ("7/9 ủy viên có mặt, vắng 2 (có lý do)", 7, 9, 2),
        ("Có mặt 5 đồng chí, vắng mặt: không", 5, None, 0),
    ],
)
def test_attendance(line: str, present: int, members: int | None, absent: int) -> None:
    facts = _facts(line)
    assert (facts.present, facts.members, facts.absent) == (present, members, absent)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Kết quả: 100% nhất trí.", "100%"),
        ("Hội nghị nhất trí 100%.", "100%"),
        ("Kết quả biểu quyết: 9/9 phiếu tán thành", "9/9"),
        ("Tán thành: 8/9", "8/9"),
        ("Lê Thị Nguyệt Mai (với số phiếu 04/04)", "4/4"),
        ("Đạt 85,7% số phiếu đồng ý", "85.7%"),
        ("Biên bản được đọc lại và 100% nhất trí thông qua.", ""),   # approving the minutes is no vote on nominees
        ("Hội nghị có 7/9 đồng chí dự họp", ""),
    ],
)
def test_vote_result(line: str, expected: str) -> None:
    assert _facts(line).result == expected


def test_vote_table_of_the_sample_bien_ban() -> None:
    d = SAMPLE_DOSSIERS["tam_duong"]
    facts = meeting_facts(parsers.extract("Biên bản.docx", samples.bien_ban_docx(d)))
    names = [vote.name for vote in facts.votes]
    assert names == [*d.collectives, *(p.name for p in d.individuals)]
    assert all(0 < vote.votes_for <= vote.votes_total == facts.present for vote in facts.votes)
    assert facts.held_on is not None
    assert facts.present == facts.members


def test_vote_table_any_column_order() -> None:
    document = Document("docx", (Table(rows=(("Số phiếu đồng ý", "Họ và tên", "STT"), ("5/6", "Ông Lò Văn Pâng", "1"),
                                             ("x", "Tổng cộng", ""))),))
    assert meeting_facts(document).votes == (Vote("Lò Văn Pâng", 5, 6),)


def test_nothing_stated_is_empty() -> None:
    facts = _facts("Nội dung họp: triển khai kế hoạch.")
    assert facts.empty
    assert facts.as_dict() == {}


def test_round_trip_through_a_dict() -> None:
    facts = MeetingFacts(held_on=date(2020, 12, 5), present=7, members=9, absent=2, result="7/7",
                         votes=(Vote("Lò Văn Pâng", 7, 7),))
    assert MeetingFacts.from_dict(facts.as_dict()) == facts


def test_a_vote_stated_over_two_lines() -> None:
    """GIVEN the scanned biên bản's «… thống nhất và biểu quyết» / «09/09 thành viên có mặt (100%).» THEN 9/9."""
    facts = _facts("Hội đồng Thi đua - Khen thưởng Sở Tư pháp đã thống nhất và biểu quyết",
                   "09/09 thành viên có mặt (100%).", "Cuộc họp kết thúc vào hồi 16h30 cùng ngày.")
    assert facts.result == "9/9"
