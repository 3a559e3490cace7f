"""SMTP outage: the server goes away on its own port for several polls and comes back on it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from unittest import mock

from tests.integration.harness import explain, make_config, ok, parse_sent, run_mailbot
from tests.load_samples import mixed_mailbox
from tests.mailservers import ImapAccount, SmtpSink, free_port

SMTP_USER, SMTP_PASSWORD = "bot@example.org", "app-password"


class FixedPortSink(SmtpSink):
    """An `SmtpSink` that always listens on the same port, so it can 'come back' after a stop."""

    def __init__(self, port: int) -> None:
        super().__init__(SMTP_USER, SMTP_PASSWORD)
        self.fixed_port = port

    def start(self) -> FixedPortSink:
        with mock.patch("tests.mailservers.free_port", return_value=self.fixed_port):
            super().start()
        return self


def test_replies_wait_through_an_outage_and_go_out_once(tmp_path: Path, imap_account: ImapAccount) -> None:
    """GIVEN the SMTP server down while three polls each find new mail
    THEN every reply waits in outbox/pending (none lost, none queued twice) and each poll exits 0;
    WHEN the server comes back on the same port and one more poll runs
    THEN every waiting reply is delivered exactly once, and later polls send nothing again."""
    port = free_port()
    sink = FixedPortSink(port).start()
    setup = make_config(tmp_path / "bot", imap_account, sink, "[limits]\nreplies_per_sender_per_hour = 100\n")
    sink.stop()
    messages = mixed_mailbox(24, seed=11)
    queued_per_poll = []
    for batch in range(3):
        for raw, when in messages[batch * 8:(batch + 1) * 8]:
            imap_account.append(raw, msg_time=when)
        poll = ok(run_mailbot(setup, "poll"))
        assert "SMTP" in poll.stdout and str(port) in poll.stdout + poll.stderr, explain(poll)
        queued_per_poll.append(len(setup.outbox_files("pending")))
    assert queued_per_poll[0] > 0 and queued_per_poll == sorted(queued_per_poll), queued_per_poll
    assert setup.outbox_files("sent") == []
    waiting = {path.name for path in setup.outbox_files("pending")}

    with FixedPortSink(port) as back:
        ok(run_mailbot(setup, "poll"))
        ok(run_mailbot(setup, "poll"))
        ok(run_mailbot(setup, "send"))
        delivered = Counter(str(parse_sent(m)["Message-ID"]) for m in back.messages)
    assert len(delivered) == len(waiting) and set(delivered.values()) == {1}, delivered
    assert setup.outbox_files("pending") == []
    assert {path.name for path in setup.outbox_files("sent")} == waiting
