"""The inbox as staff use it, on Dovecot: several folders read (staff archive mail, sometimes before mailbot
saw it) with nothing counted or answered twice, and the spam folder reported, never answered."""

from __future__ import annotations

from pathlib import Path

from tests.integration.harness import (
    STAFF,
    UNIT_EMAIL,
    UNIT_NAME,
    Setup,
    at,
    body_text,
    mailbox_section,
    make_config,
    ok,
    parse_sent,
    run_mailbot,
    status_json,
    unit_mail,
    units_by_id,
)
from tests.mailservers import ImapAccount, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, eml, full_dossier


def _setup(tmp_path: Path, account: ImapAccount, sink: SmtpSink, extra: str) -> Setup:
    return make_config(tmp_path, account, sink, mailbox=mailbox_section(account, extra=extra))


def _move(account: ImapAccount, source: str, target: str) -> None:
    """What a staff member does in the mail client: move every message of ``source`` to ``target``."""
    with account.connect() as client:
        if not client.folder_exists(target):
            client.create_folder(target)
        client.select_folder(source)
        client.move(client.search(["ALL"]), target)


def _replies_to(sink: SmtpSink, unit_id: str) -> int:
    return sum(UNIT_EMAIL[unit_id] in m.rcpt_tos for m in sink.messages)


def _dossier(unit_id: str, day: int, **headers: str) -> bytes:
    return eml(sender=UNIT_EMAIL[unit_id], sender_name=UNIT_NAME[unit_id],
               subject=f"Hồ sơ đề nghị khen thưởng VHCS 2020 - {UNIT_NAME[unit_id]}",
               attachments=full_dossier(SAMPLE_DOSSIERS[unit_id]), date=at(day), headers=headers)


def test_a_message_moved_between_folders_is_counted_and_answered_once(
        tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN `folders = ["INBOX", "Archive"]`
    WHEN tp_laichau's dossier is polled from INBOX, then moved to Archive and polled again; tam_duong's is
    archived before mailbot saw it, polled, moved back to INBOX, polled; sin_ho's (no Message-ID) is in both
    folders at once (like Gmail's All Mail) in one poll
    THEN each is counted once (one message, complete) and answered once."""
    setup = _setup(tmp_path, imap_account, smtp_sink, 'folders = ["INBOX", "Archive"]\n')
    imap_account.append(unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(8)),
                        msg_time=at(8))
    imap_account.append(_dossier("tam_duong", 9), folder="Archive", msg_time=at(9))
    ok(run_mailbot(setup, "poll"))
    _move(imap_account, "INBOX", "Archive.moved")
    _move(imap_account, "Archive.moved", "Archive")
    _move(imap_account, "Archive", "INBOX")  # now both messages sit in INBOX under new UIDs
    ok(run_mailbot(setup, "poll"))
    no_id = _dossier("sin_ho", 10, **{"Message-ID": ""})
    imap_account.append(no_id, msg_time=at(10))
    imap_account.append(no_id, folder="Archive", msg_time=at(10))
    ok(run_mailbot(setup, "poll"))
    ok(run_mailbot(setup, "poll"))
    units = units_by_id(status_json(setup))
    for unit_id in ("tp_laichau", "tam_duong", "sin_ho"):
        assert units[unit_id]["messages"] == 1 and units[unit_id]["complete"], unit_id
        assert _replies_to(smtp_sink, unit_id) == 1, unit_id
    assert len(smtp_sink.messages) == 3


def test_a_units_mail_in_spam_is_reviewed_never_answered_and_counted_once_moved_to_the_inbox(
        tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN `spam_folder = "Spam"` holding tam_duong's dossier and an advertisement
    WHEN mailbot polls, the staff digest goes out, then staff move tam_duong's mail to INBOX and mailbot polls
    THEN first: no reply, tam_duong not counted, one review item `in_spam` for tam_duong (not the ad), and the
    digest lists it under Spam; after the move: one reply, counted, the review item gone."""
    setup = _setup(tmp_path, imap_account, smtp_sink, 'spam_folder = "Spam"\n')
    imap_account.append(_dossier("tam_duong", 9), folder="Spam", msg_time=at(9))
    imap_account.append(eml(sender="khuyenmai@example.com", subject="Giảm giá 50%", date=at(9)), folder="Spam",
                        msg_time=at(9))
    ok(run_mailbot(setup, "poll"))
    status = status_json(setup)
    assert smtp_sink.messages == []
    assert units_by_id(status)["tam_duong"]["messages"] == 0
    review = [(item["reason"], item["unit"]) for item in status["needs_review"]]
    assert review == [("in_spam", "tam_duong")]
    ok(run_mailbot(setup, "digest", "--now", "2020-12-10T08:00:00+07:00"))
    [digest] = [parse_sent(m) for m in smtp_sink.messages if m.rcpt_tos == (STAFF,)]
    text = body_text(digest)
    assert "THƯ CỦA ĐƠN VỊ BỊ XẾP VÀO THƯ MỤC SPAM: 1" in text and UNIT_NAME["tam_duong"] in text
    assert "Giảm giá" not in text

    with imap_account.connect() as client:
        client.select_folder("Spam")
        client.move(client.search(["FROM", UNIT_EMAIL["tam_duong"]]), "INBOX")
    ok(run_mailbot(setup, "poll"))
    ok(run_mailbot(setup, "poll"))
    status = status_json(setup)
    assert _replies_to(smtp_sink, "tam_duong") == 1
    assert units_by_id(status)["tam_duong"]["messages"] == 1 and units_by_id(status)["tam_duong"]["complete"]
    assert [item["reason"] for item in status["needs_review"]] == []


def test_a_missing_folder_is_a_log_line_and_a_check_warning_and_the_inbox_is_still_read(
        tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    setup = _setup(tmp_path, imap_account, smtp_sink, 'folders = ["INBOX", "Lưu trữ"]\nspam_folder = "Junk"\n')
    imap_account.append(unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(8)),
                        msg_time=at(8))
    poll = ok(run_mailbot(setup, "poll"))
    assert "folder «Junk» does not exist" in poll.stderr and "folder «Lưu trữ» does not exist" in poll.stderr
    assert _replies_to(smtp_sink, "tp_laichau") == 1
    check = run_mailbot(setup, "check")
    assert check.returncode == 0, check.stdout
    assert "--   folder: folder «Lưu trữ» does not exist" in check.stdout
    assert "--   spam folder (reported to staff, never answered): folder «Junk» does not exist" in check.stdout
