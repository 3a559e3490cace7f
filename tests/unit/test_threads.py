"""Which Message-IDs make a campaign thread (bot/state/threads.py)."""

from __future__ import annotations

from pathlib import Path

from bot.core.model import Outcome, Reply
from bot.state.ledger import Ledger
from bot.state.threads import Threads, remember_old_replies
from tests.unit.builders import at, message


def test_replies_and_campaign_mail_make_a_thread_other_mail_does_not(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "state.sqlite3")
    ledger.record(message("tam_duong", at(1), message_id="<dossier@unit>"))
    ledger.record(message("tam_duong", at(1), message_id="<report@unit>", outcome=Outcome.OTHER_BUSINESS,
                          counted=False))
    ledger.record(message(None, at(1), message_id="<staff-own@ldld>", outcome=Outcome.STAFF, counted=False))
    threads = Threads(ledger)
    threads.remember("<ack.1@ldld>", "ack", at(1))
    threads.remember("<ack.1@ldld>", "ack", at(2))  # a second time (a crash before the ledger commit) is a no-op
    assert threads.in_campaign_thread(["<x@y>", "<ack.1@ldld>"])
    assert threads.in_campaign_thread(["<dossier@unit>"])
    assert not threads.in_campaign_thread(["<report@unit>"])
    assert not threads.in_campaign_thread(["<staff-own@ldld>"])
    assert not threads.in_campaign_thread([])


def test_a_state_file_from_before_learns_its_acknowledgements(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "state.sqlite3")
    ledger.record(message("tam_duong", at(1), reply=Reply.queued_as("ack.eml")))
    ledger.record(message("phong_tho", at(1), reply=Reply(withheld="rate_limited")))
    threads = Threads(ledger)
    assert threads.is_empty()
    remember_old_replies(threads, lambda digest: f"<ack.{digest[:8]}@ldld>")
    digest = ledger.records("tam_duong")[0].digest
    assert threads.in_campaign_thread([f"<ack.{digest[:8]}@ldld>"])
    assert not threads.in_campaign_thread([f"<ack.{ledger.records('phong_tho')[0].digest[:8]}@ldld>"])
