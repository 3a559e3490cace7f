"""Reply keys keep the spelling that outbox file names and Message-IDs of mail already queued derive from."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.digest import DigestSlot
from bot.core.reply_keys import ReplyKey, ReplyKind
from bot.transport.outbox import Outbox


def test_each_key_is_spelled_as_before() -> None:
    deadline = datetime(2020, 12, 20, 10, tzinfo=UTC)
    assert str(ReplyKey.ack("ab12")) == "ack:ab12"
    assert str(ReplyKey.late_ack("<m1@x>")) == "ack:decision:<m1@x>"
    assert str(ReplyKey.reminder("tam_duong", "T-3")) == "remind:tam_duong:T-3"
    assert str(ReplyKey.digest("199/KH-LĐLĐ", "2020-12-16")) == "digest:199/KH-LĐLĐ:2020-12-16"
    assert str(ReplyKey.summary("199/KH-LĐLĐ", deadline)) == "summary:199/KH-LĐLĐ:2020-12-20T10:00:00+00:00"


def test_the_outbox_file_is_named_by_the_kind_and_the_whole_key() -> None:
    late, plain = ReplyKey.late_ack("ab12"), ReplyKey.ack("ab12")
    assert late.kind == plain.kind == ReplyKind.ACK
    assert Outbox.file_name(late).startswith("ack-") and Outbox.file_name(plain).startswith("ack-")
    assert Outbox.file_name(late) != Outbox.file_name(plain)
    assert Outbox.file_name(ReplyKey.ack("x")) == "ack-ba5670a20f61c10aaed0.eml"  # sha256("ack:x"), as before


def test_a_digest_slot_keeps_its_ledger_id() -> None:
    slot = DigestSlot(date(2020, 12, 13), datetime(2020, 12, 13, 1, tzinfo=UTC))
    assert slot.id == "digest:2020-12-13"
