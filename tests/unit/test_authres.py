"""bot.core.authres and mailbox.authserv_id: only the receiving server's Authentication-Results count
(RFC 8601 §5); a header the sender wrote counts for nothing, whether it says fail or pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import schema as config_module
from bot.config.schema import Config, ConfigError
from bot.core import authres, intake
from bot.core.model import Outcome
from bot.message import mime
from tests import samples
from tests.conftest import TEST_AUTHSERV_ID, write_config

UNIT_ADDRESS = "ldld.tamduong@example.vn"
MAILDIR = '[mailbox]\nkind = "maildir"\npath = "inbox"\n'


def _decide(cfg: Config, *results: str) -> Outcome:
    """The outcome of a unit's mail carrying these Authentication-Results, topmost first."""
    raw = samples.eml(sender=UNIT_ADDRESS, subject="Hồ sơ đề nghị khen thưởng")
    head = b"".join(b"Authentication-Results: " + r.encode() + b"\r\n" for r in results)
    mail = mime.parse(head + raw)
    return intake.decide(mail, [], cfg).outcome


def test_a_forged_dmarc_fail_quarantines_nothing(cfg: Config) -> None:
    """GIVEN our server's pass on top and a sender's forged «dmarc=fail» below WHEN decided THEN accepted."""
    ours = f"{TEST_AUTHSERV_ID}; dmarc=pass header.from=example.vn; spf=pass"
    assert _decide(cfg, ours, "evil.example; dmarc=fail; spf=fail") == Outcome.ACCEPTED
    assert _decide(cfg, "evil.example; dmarc=fail (p=reject); spf=hardfail") == Outcome.ACCEPTED


def test_a_forged_dmarc_pass_vouches_for_nothing(cfg: Config) -> None:
    """GIVEN a forged «pass» added on top of our server's «fail» WHEN decided THEN our verdict: quarantined."""
    forged = "mx.example.org.evil.example; dmarc=pass; spf=pass; dkim=pass"
    ours = f"{TEST_AUTHSERV_ID}; dmarc=fail (p=reject) header.from=example.vn; spf=fail"
    assert _decide(cfg, forged, ours) == Outcome.DMARC_FAIL
    mail = mime.parse(b"Authentication-Results: " + forged.encode() + b"\r\n"
                      + samples.eml(sender=UNIT_ADDRESS, subject="x"))
    assert authres.trusted(mail, cfg.mailbox.authserv_ids) == authres.NONE


def test_our_servers_verdict_is_the_topmost_of_ours(cfg: Config) -> None:
    assert _decide(cfg, f"{TEST_AUTHSERV_ID}; dmarc=fail", f"{TEST_AUTHSERV_ID}; dmarc=pass") == Outcome.DMARC_FAIL
    assert _decide(cfg, f"(comment) {TEST_AUTHSERV_ID.upper()}; spf=hardfail") == Outcome.DMARC_FAIL


def test_authserv_id_defaults_to_gmail(tmp_path: Path) -> None:
    cfg = config_module.load(write_config(tmp_path, MAILDIR))
    assert cfg.mailbox.authserv_ids == ("mx.google.com",)
    assert _decide(cfg, "mx.google.com; dmarc=fail (p=NONE sp=NONE dis=NONE) header.from=example.vn") == \
        Outcome.DMARC_FAIL
    assert _decide(cfg, f"{TEST_AUTHSERV_ID}; dmarc=fail") == Outcome.ACCEPTED


def test_authserv_id_takes_a_list(tmp_path: Path) -> None:
    cfg = config_module.load(write_config(tmp_path, MAILDIR + 'authserv_id = ["MX.Example.org", "mx2.example.org"]\n'))
    assert cfg.mailbox.authserv_ids == ("mx.example.org", "mx2.example.org")
    assert _decide(cfg, "mx2.example.org; dmarc=fail") == Outcome.DMARC_FAIL


@pytest.mark.parametrize("value", ['""', "[]", "3", '["mx.google.com", 4]', '"two words"'])
def test_a_bad_authserv_id_is_named(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_module.load(write_config(tmp_path, MAILDIR + f"authserv_id = {value}\n"))
    assert any(re.search(r"mailbox\.authserv_id: must be", line) for line in caught.value.problems)
