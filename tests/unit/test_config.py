"""bot.config.schema: the campaign file, validated; every problem reported at once as «file: key.path: message»."""

from __future__ import annotations

import copy
import tomllib
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config import schema as config
from bot.config.schema import ConfigError
from bot.core import classify
from tests.conftest import UNITS_TOML, write_config
from tests.samples import SAMPLE_DOSSIERS

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config.toml"
MAILDIR = '[mailbox]\nkind = "maildir"\npath = "inbox"\n'
BASE: dict[str, Any] = tomllib.loads(UNITS_TOML + "\n" + MAILDIR)


def _raw(**changes: Any) -> dict[str, Any]:
    """A deep copy of the conftest campaign with top-level sections replaced (None removes one)."""
    raw = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return raw


def _problems(raw: dict[str, Any], path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config.parse(raw, path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_repository_config_loads() -> None:
    """GIVEN the repository's own config.toml WHEN loaded THEN valid, and it recognises every sample unit."""
    if not REPO_CONFIG.exists():
        pytest.skip("config.toml not written yet")
    cfg = config.load(REPO_CONFIG)
    ids = [u.id for u in cfg.units]
    assert len(ids) == len(set(ids)) >= len(SAMPLE_DOSSIERS)
    assert all(u.emails for u in cfg.units)
    assert cfg.campaign.deadline.tzinfo is not None
    assert {(u.quota.collectives, u.quota.individuals) for u in cfg.units} >= {(1, 4), (1, 6), (1, 8)}
    assert cfg.paths.state.is_relative_to(REPO_CONFIG.parent)
    found = {d.issuer: classify.unit_by_text([d.issuer.upper()], cfg.units) for d in SAMPLE_DOSSIERS.values()}
    assert all(found.values()), [issuer for issuer, unit in found.items() if unit is None]
    assert len({unit.id for unit in found.values() if unit}) == len(SAMPLE_DOSSIERS)


def test_the_conftest_campaign(tmp_path: Path) -> None:
    cfg = config.load(write_config(tmp_path, MAILDIR))
    assert [u.id for u in cfg.units][:2] == ["tp_laichau", "tam_duong"]
    assert cfg.quota == config.Quota(1, 4)
    yte = cfg.unit("cd_yte")
    assert yte is not None and yte.quota == config.Quota(1, 6)
    assert cfg.campaign.deadline == datetime(2020, 12, 20, 23, 59, 59, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert cfg.campaign.staff_emails == ("vanphong.ldld@example.org",)
    assert cfg.reminders.days_before == (7, 3, 1) and cfg.reminders.time == time(8, 0)
    assert cfg.smtp is None
    assert [k.id for k in cfg.documents] == ["to_trinh", "bien_ban", "tom_tat", "bao_cao", "danh_sach"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    """GIVEN a config with nine different mistakes WHEN loaded THEN one ConfigError listing all nine."""
    path = tmp_path / "config.toml"
    raw = _raw()
    raw["campaign"]["deadlin"] = "typo"
    raw["campaign"]["timezone"] = "Asia/Hanoi_City"
    raw["campaign"]["required"] = ["to_trinh", "giay_khen"]
    raw["quota"]["collectives"] = "1"
    raw["quota"]["individuals"] = True
    raw["unit"].append({"id": "tam_duong", "name": "Trùng mã", "emails": ["LDLD.TamDuong@example.vn"]})
    raw["unit"].append({"id": "ok_unit", "name": "X", "emails": ["not-an-address"], "aliasses": []})
    raw["smtp"] = {"host": "smtp.example.org", "tls": "none", "from": "a@example.org"}
    raw["reminder"] = {}
    problems = _problems(raw, path)
    expected = [
        f"{path}: campaign.deadlin: unknown key",
        f"{path}: campaign.timezone: unknown time zone 'Asia/Hanoi_City'",
        f"{path}: campaign.required: unknown dossier item 'giay_khen'",
        f"{path}: quota.collectives: must be a whole number, got '1'",
        f"{path}: quota.individuals: must be a whole number, got True",
        f"{path}: unit[8].id: duplicate unit id 'tam_duong'",
        f"{path}: unit[8].emails: ldld.tamduong@example.vn is already the address of unit 'tam_duong'",
        f"{path}: unit[9].emails: 'not-an-address' is not an email address",
        f"{path}: unit[9].aliasses: unknown key",
        f"{path}: smtp.tls: \"none\" is allowed only for a loopback host",
        f"{path}: reminder: unknown key",
    ]
    for line in expected:
        assert any(problem.startswith(line) for problem in problems), (line, problems)
    assert len(problems) == len(expected)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"campaign": None}, "campaign: required section is missing"),
        ({"unit": None}, "unit: no [[unit]] configured"),
        ({"unit": {"id": "x"}}, "unit: must be an array of tables"),
        ({"quota": 5}, "quota: must be a table"),
        ({"mailbox": {"kind": "pop3"}}, "mailbox.kind: must be one of 'imap', 'maildir'"),
        ({"mailbox": {"kind": "maildir"}}, "mailbox.path: required"),
        ({"mailbox": {"kind": "imap", "host": "imap.example.org", "tls": "none", "user": "u"}},
         "mailbox.tls: \"none\" is allowed only for a loopback host"),
        ({"mailbox": {"kind": "imap"}}, "mailbox.user: required"),
        ({"smtp": {"host": "smtp.example.org"}}, "smtp.from: required"),
        ({"reminders": {"time": "8 giờ"}}, "reminders.time: '8 giờ' is not a time of day"),
        ({"reminders": {"days_before": [7, -1]}}, "reminders.days_before: every entry must be a whole number"),
        ({"limits": {"max_message_mb": 0}}, "limits.max_message_mb: must be at least 1"),
        ({"documents": {"to_trinh": {"title": ["x"]}}}, "documents.to_trinh.title: unknown key"),
        ({"documents": {"giay_khen": {}}}, "documents.giay_khen: unknown key"),
    ],
)
def test_single_problem(tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    path = tmp_path / "config.toml"
    problems = _problems(_raw(**change), path)
    assert any(p.startswith(f"{path}: {expected}") for p in problems), problems


@pytest.mark.parametrize("deadline", [42, "2020-12-20", None])
def test_deadline_must_be_a_date_or_date_time(tmp_path: Path, deadline: object) -> None:
    raw = _raw()
    if deadline is None:
        del raw["campaign"]["deadline"]
    else:
        raw["campaign"]["deadline"] = deadline
    problems = _problems(raw, tmp_path / "config.toml")
    assert any(": campaign.deadline: required: a TOML date-time" in p for p in problems)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_tls_none_is_allowed_on_loopback(tmp_path: Path, host: str) -> None:
    cfg = config.parse(_raw(smtp={"host": host, "port": 2525, "tls": "none", "from": "a@example.org"}),
                       tmp_path / "config.toml")
    assert cfg.smtp is not None and (cfg.smtp.tls, cfg.smtp.host, cfg.smtp.port) == ("none", host, 2525)


@pytest.mark.parametrize(("tls", "port"), [("ssl", 465), ("starttls", 587)])
def test_smtp_default_port_follows_tls(tmp_path: Path, tls: str, port: int) -> None:
    cfg = config.parse(_raw(smtp={"tls": tls, "from": "a@example.org"}), tmp_path / "config.toml")
    assert cfg.smtp is not None and cfg.smtp.port == port


def test_date_only_deadline_is_the_end_of_that_day_local(tmp_path: Path) -> None:
    """GIVEN «deadline = 2020-12-20» WHEN loaded THEN 23:59:59 on the 20th in the campaign's time zone."""
    text = UNITS_TOML.replace("deadline = 2020-12-20T23:59:59+07:00", "deadline = 2020-12-20")
    text = text.replace('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Bangkok"')
    path = tmp_path / "config.toml"
    path.write_text(text + MAILDIR, encoding="utf-8")
    deadline = config.load(path).campaign.deadline
    assert deadline == datetime(2020, 12, 20, 23, 59, 59, tzinfo=ZoneInfo("Asia/Bangkok"))
    assert deadline.utcoffset() == timedelta(hours=7)


def test_local_date_time_deadline_takes_the_campaign_zone(tmp_path: Path) -> None:
    raw = _raw()
    raw["campaign"]["deadline"] = datetime(2020, 12, 20, 17, 0)
    raw["campaign"]["timezone"] = "Asia/Tokyo"
    deadline = config.parse(raw, tmp_path / "config.toml").campaign.deadline
    assert deadline.utcoffset() == timedelta(hours=9)
    assert deadline.hour == 17


def test_relative_paths_are_taken_from_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a config in campaign/ with relative paths WHEN loaded from elsewhere THEN under campaign/."""
    folder = tmp_path / "campaign"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    extra = (MAILDIR + '[paths]\nstate = "st/db.sqlite3"\ntally = "../bao-cao/tally.xlsx"\n'
             f'archive = "{tmp_path / "abs-archive"}"\n'
             '[smtp]\nhost = "127.0.0.1"\ntls = "none"\nfrom = "a@example.org"\npassword_file = "secret.txt"\n')
    cfg = config.load(write_config(folder, extra))
    assert cfg.source == folder / "config.toml"
    assert cfg.mailbox.path == folder / "inbox"
    assert cfg.paths.state == folder / "st" / "db.sqlite3"
    assert cfg.paths.state_dir == folder / "st"
    assert cfg.paths.tally == folder / ".." / "bao-cao" / "tally.xlsx"
    assert cfg.paths.archive == tmp_path / "abs-archive"            # absolute stays
    assert cfg.paths.outbox == folder / "outbox"                     # default, also relative to the folder
    assert cfg.smtp is not None and cfg.smtp.password_file == folder / "secret.txt"


def test_unit_quota_override_is_partial(tmp_path: Path) -> None:
    raw = _raw()
    raw["unit"][0]["quota"] = {"individuals": 9}
    cfg = config.parse(raw, tmp_path / "config.toml")
    assert cfg.units[0].quota == config.Quota(collectives=1, individuals=9)


def test_emails_are_casefolded_and_staff_too(tmp_path: Path) -> None:
    raw = _raw()
    raw["unit"][0]["emails"] = [" LDLD.TPLaiChau@Example.VN "]
    raw["campaign"]["staff_emails"] = ["VanPhong@Example.org"]
    cfg = config.parse(raw, tmp_path / "config.toml")
    assert cfg.units[0].emails == ("ldld.tplaichau@example.vn",)
    assert cfg.campaign.staff_emails == ("vanphong@example.org",)


def test_document_kind_override(tmp_path: Path) -> None:
    raw = _raw(documents={"bao_cao": {"label": "Báo cáo tổng kết", "titles": ["báo cáo tổng kết"]}})
    raw["campaign"]["required"] = ["to_trinh", "bao_cao"]
    cfg = config.parse(raw, tmp_path / "config.toml")
    spec = cfg.doc_kind("bao_cao")
    assert spec is not None and (spec.label, spec.titles) == ("Báo cáo tổng kết", ("báo cáo tổng kết",))
    assert cfg.campaign.required == ("to_trinh", "bao_cao")


def test_missing_file_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        config.load(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[campaign\nname = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(bad)


def test_campaign_contact_is_a_string_or_a_table(tmp_path: Path) -> None:
    table = '[campaign.contact]\nperson = "Lương Thị Hà"\nphone = "0213 3876 123"\n'
    cfg = config.load(write_config(tmp_path, MAILDIR + table))
    assert cfg.campaign.contact_card.person == "Lương Thị Hà"
    assert cfg.campaign.contact == "Lương Thị Hà"
    assert cfg.campaign.contact_line == "đồng chí Lương Thị Hà, điện thoại 0213 3876 123"
