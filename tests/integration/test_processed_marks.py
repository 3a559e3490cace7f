"""Processed mail is marked for staff with an IMAP keyword (Dovecot has no Gmail labels), while the
staff's own \\Seen marks stay exactly as they were."""

from __future__ import annotations

from pathlib import Path

from tests.integration.harness import at, mailbox_section, make_config, ok, run_mailbot, unit_mail
from tests.mailservers import ImapAccount, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier

DONE = b"$MailbotDone"


def _flags(account: ImapAccount) -> dict[int, set[bytes]]:
    with account.connect() as client:
        client.select_folder("INBOX", readonly=True)
        return {uid: set(flags) for uid, flags in client.get_flags(client.search(["ALL"])).items()}


def _two_messages(account: ImapAccount) -> tuple[int | None, int | None]:
    unread = account.append(unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(8)),
                            msg_time=at(8))
    read = account.append(unit_mail("tam_duong", full_dossier(SAMPLE_DOSSIERS["tam_duong"]), date=at(9)),
                          msg_time=at(9), flags=[b"\\Seen"])
    return unread, read


def test_processed_mail_gets_the_keyword_and_seen_is_untouched(
        tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    """GIVEN one unread and one already-read dossier
    WHEN `mailbot poll` processes them (folder opened read-write for the keyword)
    THEN both carry $MailbotDone, the unread one is still not \\Seen, the read one still \\Seen."""
    unread, read = _two_messages(imap_account)
    ok(run_mailbot(make_config(tmp_path, imap_account, smtp_sink), "poll"))
    flags = _flags(imap_account)
    assert DONE in flags[unread] and b"\\Seen" not in flags[unread]  # type: ignore[index]
    assert DONE in flags[read] and b"\\Seen" in flags[read]  # type: ignore[index]
    assert len(smtp_sink.messages) == 2


def test_mark_processed_false_leaves_the_mailbox_exactly_as_it_was(
        tmp_path: Path, imap_account: ImapAccount, smtp_sink: SmtpSink) -> None:
    _unread, _read = _two_messages(imap_account)
    before = _flags(imap_account)
    mailbox = mailbox_section(imap_account, extra="mark_processed = false\n")
    ok(run_mailbot(make_config(tmp_path, imap_account, smtp_sink, mailbox=mailbox), "poll"))
    assert _flags(imap_account) == before
    assert len(smtp_sink.messages) == 2


def test_check_says_what_run_will_do_with_this_server(tmp_path: Path, imap_account: ImapAccount,
                                                      smtp_sink: SmtpSink) -> None:
    """Dovecot offers IDLE and no Gmail labels: `mailbot check` says IDLE works and the keyword is used."""
    mailbox = mailbox_section(imap_account, extra="idle = true\n")
    check = ok(run_mailbot(make_config(tmp_path, imap_account, smtp_sink, mailbox=mailbox), "check"))
    assert "OK   IMAP IDLE available" in check.stdout
    assert "OK   processed mail is marked with the IMAP keyword $MailbotDone" in check.stdout
    assert "OK   templates in " in check.stdout
