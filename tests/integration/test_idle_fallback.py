"""A server without IDLE: `mailbot run` with mailbox.idle = true says so and keeps polling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.harness import (
    UNIT_EMAIL,
    at,
    mailbox_section,
    make_config,
    ok,
    run_mailbot,
    start_mailbot,
    stop_mailbot,
    unit_mail,
    wait_until,
)
from tests.mailservers import Dovecot, ImapAccount, SmtpSink
from tests.samples import SAMPLE_DOSSIERS, full_dossier

NO_IDLE = "protocol imap {\n  imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS\n}\n"


class DovecotWithoutIdle(Dovecot):
    """A private Dovecot that does not advertise IDLE (like some older or hosted servers)."""

    def _prepare(self) -> None:
        super()._prepare()
        with open(self.conf_path, "a") as fh:
            fh.write(NO_IDLE)


@pytest.fixture
def account_without_idle() -> Iterator[ImapAccount]:
    with DovecotWithoutIdle() as server:
        yield server.create_account("noidle")


def test_without_idle_run_falls_back_to_polling(tmp_path: Path, account_without_idle: ImapAccount,
                                                smtp_sink: SmtpSink) -> None:
    """GIVEN a server whose CAPABILITY lacks IDLE and `run` with idle = true, poll every 3 s
    WHEN `check` runs, then `run`, and a dossier arrives
    THEN check says there is no IDLE, run logs that it polls instead, and the dossier is answered."""
    account = account_without_idle
    setup = make_config(tmp_path, account, smtp_sink,
                        mailbox=mailbox_section(account, extra="idle = true\npoll_minutes = 0.05\n"))
    check = ok(run_mailbot(setup, "check"))
    assert "the server offers no IDLE: run polls every 0.05 min" in check.stdout
    proc = start_mailbot(setup, "run")
    try:
        assert wait_until(setup.tally.exists, timeout=20)
        account.append(unit_mail("muong_te", full_dossier(SAMPLE_DOSSIERS["muong_te"]), date=at(8)), msg_time=at(8))
        assert wait_until(lambda: (UNIT_EMAIL["muong_te"],) in [m.rcpt_tos for m in smtp_sink.messages], timeout=20)
    finally:
        code, _out, err = stop_mailbot(proc)
    assert code == 0, err[-3000:]
    assert "does not offer IDLE: polling every 0.05 min instead" in err
