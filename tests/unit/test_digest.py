"""The staff digest before the deadline, pure parts: its config, its daily slots, «what changed» between two
snapshots, and the mail composed from them."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest

from bot.config import schema as config_module
from bot.config.schema import Config, ConfigError
from bot.core import digest as plan
from bot.core.model import Outcome
from bot.core.picture import build
from bot.message import digest as compose
from tests.conftest import write_config
from tests.unit.builders import at, complete, doc, message, people

MAILDIR = '[mailbox]\nkind = "maildir"\npath = "inbox"\n'


def _config(tmp_path: Path, extra: str = "") -> Config:
    return config_module.load(write_config(tmp_path, MAILDIR + extra))


def test_by_default_a_digest_each_day_from_the_first_reminder_slot_to_the_deadline(cfg: Config) -> None:
    """GIVEN reminders 7, 3 and 1 days before a deadline of 20/12 23:59:59 at 08:00, no [digest] section
    THEN a digest slot every day from 13/12 to 20/12, at 08:00 local time."""
    slots = plan.digest_slots(cfg)
    assert [s.id for s in slots] == [f"digest:2020-12-{day}" for day in range(13, 21)]
    assert all(s.at.hour == 8 and s.at.minute == 0 for s in slots)
    assert cfg.digest.enabled and cfg.digest.time == time(8, 0)


def test_the_digest_section_sets_days_time_and_weekdays(tmp_path: Path) -> None:
    cfg = _config(tmp_path, '[digest]\ndays = 4\ntime = "07:30"\nweekdays = ["mon", "tue", "wed", "thu", "fri"]\n')
    slots = plan.digest_slots(cfg)
    # 16/12/2020 is a Wednesday: 16, 17, 18 (Fri); 19 and 20 are the weekend
    assert [s.id for s in slots] == ["digest:2020-12-16", "digest:2020-12-17", "digest:2020-12-18"]
    assert slots[0].at.hour == 7 and slots[0].at.minute == 30


def test_a_bad_digest_section_is_reported_key_by_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _config(tmp_path, '[digest]\ntime = "7h30"\nweekdays = ["someday"]\nevery = 1\n')
    text = "\n".join(caught.value.problems)
    assert "digest.time" in text and "digest.weekdays" in text and "digest.every: unknown key" in text


def test_a_digest_is_due_once_a_day_and_missed_days_make_one_mail(cfg: Config) -> None:
    """GIVEN the default schedule
    THEN nothing before 13/12 08:00; the 13/12 slot at 08:00 and not again once recorded; after two days
    down, the 15/12 digest is due with the two missed slots recorded with it; nothing after the deadline."""
    assert plan.digest_due(cfg, at(13, 7, 59), set()) == []
    first = plan.digest_due(cfg, at(13, 8, 0), set())
    assert [s.id for s in first] == ["digest:2020-12-13"]
    sent = {(plan.STAFF, "digest:2020-12-13")}
    assert plan.digest_due(cfg, at(13, 17), sent) == []
    later = plan.digest_due(cfg, at(15, 9), sent)
    assert [s.id for s in later] == ["digest:2020-12-14", "digest:2020-12-15"]
    assert plan.digest_due(cfg, at(21, 8), set()) == []


def test_no_digest_when_disabled_or_nobody_to_send_it_to(tmp_path: Path, cfg: Config) -> None:
    disabled = _config(tmp_path, "[digest]\nenabled = false\n")
    assert plan.digest_due(disabled, at(15, 9), set()) == []
    nobody = replace(cfg, campaign=replace(cfg.campaign, staff_emails=()))
    assert plan.digest_due(nobody, at(15, 9), set()) == []


def test_what_changed_is_the_difference_of_two_snapshots_kept_as_json(cfg: Config) -> None:
    """GIVEN a first digest after tam_duong sent a tờ trình naming A and B
    WHEN tam_duong then sends the biên bản and a new list naming A and C, and a stranger writes
    THEN the change for tam_duong: two new messages, the biên bản received, C added,
    B removed; the stranger's mail is the one new review item; nothing for the other units."""
    first = [message("tam_duong", at(14), doc("to_trinh", people(2)))]
    before = _snapshot(cfg, first, at(15, 8))
    restored = plan.from_json(plan.to_json(before))
    assert restored == before
    newer = [*first, message("tam_duong", at(15, 10), doc("bien_ban")),
             message("tam_duong", at(15, 11), doc("to_trinh", (people(1)[0], people(3)[2]))),
             message(None, at(15, 12), outcome=Outcome.UNKNOWN_SENDER, counted=False)]
    after = _snapshot(cfg, newer, at(16, 8))
    changes = plan.unit_changes(restored, after)
    assert changes == [plan.UnitChange("tam_duong", 2, ("bien_ban",), ("Lò Văn C",), ("Lò Văn B",))]
    review = build(cfg, newer, []).review.open
    assert len(plan.new_review(restored, review)) == 1 and plan.new_review(after, review) == set()


def test_the_first_digest_counts_everything_since_the_start_and_bad_json_starts_afresh(cfg: Config) -> None:
    records = [complete("cdvc", at(14))]
    changes = plan.unit_changes(None, _snapshot(cfg, records, at(15, 8)))
    assert [(c.unit_id, c.new_messages, c.new_items) for c in changes] == [("cdvc", 1, ("to_trinh", "bien_ban",
                                                                                        "tom_tat"))]
    assert plan.from_json("{not json") is None and plan.from_json('{"units": 3}') is None and plan.from_json("") is None


def test_the_digest_mail_shows_status_changes_review_and_spam_with_the_workbook(cfg: Config) -> None:
    """GIVEN cdvc complete, tam_duong owing a biên bản, a stranger's mail and a unit's mail found in Spam
    THEN the digest to the staff lists them in Vietnamese, marks new review items «(mới)» and carries the
    workbook."""
    records = [complete("cdvc", at(14)), message("tam_duong", at(15), doc("to_trinh", people(2))),
               message(None, at(15, 10), outcome=Outcome.UNKNOWN_SENDER, counted=False, from_addr="la@example.org"),
               message("sin_ho", at(15, 11), outcome=Outcome.IN_SPAM, counted=False)]
    picture = build(cfg, records, [])
    after = plan.take_snapshot(picture, at(16, 8))
    content = compose.DigestContent(picture, plan.unit_changes(None, after), plan.new_review(None, picture.review.open),
                                    None, b"PK-workbook", "tally.xlsx")
    mail = compose.digest(content, at(16, 8), compose.digest_key(cfg, "2020-12-16"))
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert mail["To"] == "vanphong.ldld@example.org"
    assert "1/8 đơn vị đủ hồ sơ, 2 việc chờ cán bộ" in mail["Subject"]
    assert "Đủ hồ sơ: 1 (Công đoàn Viên chức tỉnh Lai Châu)" in body
    assert "Liên đoàn Lao động huyện Tam Đường: còn thiếu Biên bản họp xét; Báo cáo tóm tắt" in body
    assert "Chưa nộp: 6 (" in body and "Liên đoàn Lao động huyện Mường Tè" in body
    assert "TỪ ĐẦU ĐỢT" in body and "Liên đoàn Lao động huyện Tam Đường: 1 thư mới; nhận thêm Tờ trình" in body
    assert "(mới) Người gửi không đăng ký – chưa rõ đơn vị, 15/12/2020 10:00, la@example.org" in body
    assert "THƯ CỦA ĐƠN VỊ BỊ XẾP VÀO THƯ MỤC SPAM: 1" in body
    assert "(mới) Thư của đơn vị nằm trong thư mục Spam – Liên đoàn Lao động huyện Sìn Hồ" in body
    assert "chưa trả lời" in body and "unknown_sender" not in body and "in_spam" not in body
    attachment = next(mail.iter_attachments())
    assert attachment.get_filename() == "tally.xlsx" and attachment.get_content() == b"PK-workbook"


def test_every_branch_of_the_digest_template_renders(cfg: Config) -> None:
    mails = compose.preview(cfg, at(16, 8))
    assert len(mails) == 2 and all("Kính gửi" in m.get_body(("plain",)).get_content() for m in mails)  # type: ignore[union-attr]


def _snapshot(cfg: Config, records: list, moment: object) -> plan.Snapshot:  # type: ignore[type-arg]
    return plan.take_snapshot(build(cfg, records, []), moment)  # type: ignore[arg-type]
