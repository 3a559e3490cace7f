"""Shared fixtures: a small campaign config built in code, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.config import schema as config_module
from bot.config.schema import Config
from bot.state.ledger import Ledger

ICT = timezone(timedelta(hours=7))
NOW = datetime(2020, 12, 10, 9, 0, tzinfo=ICT)

UNITS_TOML = '''
[campaign]
name = "Sơ kết phong trào “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở” năm 2020"
reference = "199/KH-LĐLĐ"
deadline = 2020-12-20T23:59:59+07:00
timezone = "Asia/Ho_Chi_Minh"
required = ["to_trinh", "bien_ban", "tom_tat"]
staff_emails = ["vanphong.ldld@example.org"]
organization = "Liên đoàn Lao động tỉnh Lai Châu"

[quota]
collectives = 1
individuals = 4

[[unit]]
id = "tp_laichau"
name = "Liên đoàn Lao động thành phố Lai Châu"
emails = ["ldld.tplaichau@example.vn"]
aliases = ["LĐLĐ thành phố Lai Châu", "LĐLĐ TP Lai Châu"]

[[unit]]
id = "tam_duong"
name = "Liên đoàn Lao động huyện Tam Đường"
emails = ["ldld.tamduong@example.vn"]
aliases = ["LĐLĐ huyện Tam Đường"]

[[unit]]
id = "phong_tho"
name = "Liên đoàn Lao động huyện Phong Thổ"
emails = ["ldld.phongtho@example.vn"]
aliases = ["LĐLĐ huyện Phong Thổ"]

[[unit]]
id = "sin_ho"
name = "Liên đoàn Lao động huyện Sìn Hồ"
emails = ["ldld.sinho@example.vn"]
aliases = ["LĐLĐ huyện Sìn Hồ"]

[[unit]]
id = "muong_te"
name = "Liên đoàn Lao động huyện Mường Tè"
emails = ["ldld.muongte@example.vn"]
aliases = ["LĐLĐ huyện Mường Tè"]

[[unit]]
id = "cd_giaoduc"
name = "Công đoàn ngành Giáo dục tỉnh Lai Châu"
emails = ["congdoan.giaoduc@example.vn"]
aliases = ["Công đoàn ngành Giáo dục"]

[[unit]]
id = "cd_yte"
name = "Công đoàn ngành Y tế tỉnh Lai Châu"
emails = ["congdoan.yte@example.vn"]
aliases = ["Công đoàn ngành Y tế"]
quota = { collectives = 1, individuals = 6 }

[[unit]]
id = "cdvc"
name = "Công đoàn Viên chức tỉnh Lai Châu"
emails = ["cdvc.tinh@example.vn"]
aliases = ["Công đoàn Viên chức tỉnh", "CĐVC tỉnh"]
quota = { collectives = 1, individuals = 8 }
'''


TEST_AUTHSERV_ID = "mx.example.org"   # the test campaign's receiving server, as its Authentication-Results name it


def write_config(folder: Path, extra: str = "") -> Path:
    """A config.toml in ``folder``: the units above plus ``extra`` sections (mailbox, smtp, paths ...)."""
    path = folder / "config.toml"
    path.write_text(UNITS_TOML + "\n" + extra, encoding="utf-8")
    return path


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    """The campaign above with a Maildir inbox and all paths under tmp_path."""
    (tmp_path / "inbox" / "new").mkdir(parents=True)
    (tmp_path / "inbox" / "cur").mkdir()
    return config_module.load(write_config(
        tmp_path, f'[mailbox]\nkind = "maildir"\npath = "inbox"\nauthserv_id = "{TEST_AUTHSERV_ID}"\n'))


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    """A real SQLite ledger in a fresh state folder."""
    store = Ledger(tmp_path / "state" / "mailbot.sqlite3")
    yield store
    store.close()


@pytest.fixture
def now() -> datetime:
    return NOW


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long variants (`@pytest.mark.slow`) run only when asked for: `pytest -m slow`."""
    if "slow" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="long variant: run it with `scripts/test.sh -m slow`")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
