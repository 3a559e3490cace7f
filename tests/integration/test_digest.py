"""The staff digest before the deadline, driven with `remind --now` (a new process each time, so every call
is also a restart): one a day, what changed since the last one, the workbook attached, never after the
deadline (the summary takes over); `mailbot digest` sends one at once."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.integration.harness import (
    STAFF,
    UNIT_NAME,
    Setup,
    at,
    body_text,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    unit_mail,
)
from tests.mailservers import ImapAccount, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, eml, full_dossier, to_trinh_docx


@pytest.fixture
def setup(tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> Setup:
    return make_config(tmp_path, imap_account, smtp_sink)


def _staff_mail(sink: SmtpSink) -> list[EmailMessage]:
    return [parse_sent(m) for m in sink.messages if m.rcpt_tos == (STAFF,)]


def _remind(setup: Setup, moment: str) -> None:
    ok(run_mailbot(setup, "remind", "--now", moment))


def test_one_digest_a_day_with_what_changed_and_the_workbook(
        setup: Setup, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN tp_laichau sent its whole dossier on 12/12 (digest from 13/12 at 08:00 by default)
    WHEN `remind --now` runs at 07:59 and 08:00 on 13/12, again at 17:00; tam_duong then sends a tờ trình and a
    stranger writes; `remind --now` runs on 14/12 at 08:00 and 09:00, and after the deadline
    THEN no digest at 07:59; one on 13/12 (the first: changes since the start), none at 17:00; one on 14/12
    naming only tam_duong's change and the stranger's mail as new; after the deadline only the summary."""
    imap_account.append(unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(12)),
                        msg_time=at(12))
    ok(run_mailbot(setup, "poll"))
    _remind(setup, "2020-12-13T07:59:00+07:00")
    assert _staff_mail(smtp_sink) == []
    _remind(setup, "2020-12-13T08:00:30+07:00")
    _remind(setup, "2020-12-13T17:00:00+07:00")
    [first] = _staff_mail(smtp_sink)
    text = body_text(first)
    assert "1/8 đơn vị đủ hồ sơ" in first["Subject"]
    assert f"Đủ hồ sơ: 1 ({UNIT_NAME['tp_laichau']})" in text
    assert "Chưa nộp: 7 (" in text and UNIT_NAME["muong_te"] in text
    assert "TỪ ĐẦU ĐỢT" in text and f"{UNIT_NAME['tp_laichau']}: 1 thư mới; nhận thêm Tờ trình" in text
    attachment = next(first.iter_attachments())
    assert attachment.get_filename() == "tally.xlsx" and attachment.get_content()[:2] == b"PK"

    tam_duong = SAMPLE_DOSSIERS["tam_duong"]
    imap_account.append(unit_mail("tam_duong", [("Tờ trình.docx", to_trinh_docx(tam_duong))], date=at(13, 10)),
                        msg_time=at(13, 10))
    imap_account.append(eml(sender="la.mat@example.org", subject="Hồ sơ khen thưởng", date=at(13, 11)),
                        msg_time=at(13, 11))
    ok(run_mailbot(setup, "poll"))
    _remind(setup, "2020-12-14T08:00:30+07:00")
    _remind(setup, "2020-12-14T09:00:00+07:00")
    assert len(_staff_mail(smtp_sink)) == 2
    second = body_text(_staff_mail(smtp_sink)[1])
    assert "TỪ BẢN TIN TRƯỚC (08:00 ngày 13/12/2020)" in second
    assert f"{UNIT_NAME['tam_duong']}: 1 thư mới; nhận thêm Tờ trình đề nghị khen thưởng; thêm vào danh sách:" \
        in second
    assert f"{UNIT_NAME['tp_laichau']}: 1 thư mới" not in second
    assert "(mới) Người gửi không đăng ký – chưa rõ đơn vị, 13/12/2020 11:00, la.mat@example.org" in second
    assert "unknown_sender" not in second

    _remind(setup, "2020-12-21T08:00:00+07:00")
    staff = _staff_mail(smtp_sink)
    assert len(staff) == 3 and staff[2]["Subject"].startswith("Tổng hợp hồ sơ đề nghị khen thưởng sau hạn")


def test_missed_days_make_one_digest_and_a_disabled_digest_sends_nothing(
        tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN `[digest] days = 2, time = "07:30"` (slots 18/12, 19/12, 20/12)
    WHEN mailbot first runs on 19/12 at 10:00 (18/12 missed), then on 19/12 again
    THEN one digest, not two; with `enabled = false` none at all."""
    setup = make_config(tmp_path / "on", imap_account, smtp_sink, '[digest]\ndays = 2\ntime = "07:30"\n')
    _remind(setup, "2020-12-17T09:00:00+07:00")
    assert _staff_mail(smtp_sink) == []
    _remind(setup, "2020-12-19T10:00:00+07:00")
    _remind(setup, "2020-12-19T10:05:00+07:00")
    assert len(_staff_mail(smtp_sink)) == 1
    off = make_config(tmp_path / "off", imap_account, smtp_sink, "[digest]\nenabled = false\n")
    _remind(off, "2020-12-19T10:00:00+07:00")
    assert len(_staff_mail(smtp_sink)) == 1


def test_mailbot_digest_sends_one_now_and_dry_run_sends_nothing(setup: Setup, smtp_sink: SmtpSink) -> None:
    dry = ok(run_mailbot(setup, "digest", "--now", "2020-12-10T15:00:00+07:00", "--dry-run"))
    assert STAFF in dry.stdout and "TÌNH HÌNH CHUNG" in dry.stdout and smtp_sink.messages == []
    ok(run_mailbot(setup, "digest", "--now", "2020-12-10T15:00:00+07:00"))
    assert len(_staff_mail(smtp_sink)) == 1
    _remind(setup, "2020-12-13T08:00:30+07:00")  # the scheduled digest of the day still goes
    staff = _staff_mail(smtp_sink)
    assert len(staff) == 2 and "TỪ BẢN TIN TRƯỚC (15:00 ngày 10/12/2020)" in body_text(staff[1])
