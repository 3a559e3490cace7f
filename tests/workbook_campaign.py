"""A generated 20-unit campaign in every state a unit can be in, for the workbook's print test and bench.

Bytes and values only (nothing read from the shared data folder beside the checkout): the conftest
campaign's 8 units plus 12 more with long names, and records built with tests/unit/builders.py.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.config import schema as config_module
from bot.config.schema import Config
from bot.core.model import Finding, MessageRecord, Outcome
from tests.conftest import TEST_AUTHSERV_ID, write_config
from tests.unit.builders import at, collective, complete, doc, groups, message, people, person

EXTRA_UNITS = (
    ("muong_lay", "Liên đoàn Lao động huyện Mường Lay"),
    ("tan_uyen", "Liên đoàn Lao động huyện Tân Uyên"),
    ("than_uyen", "Liên đoàn Lao động huyện Than Uyên"),
    ("nam_nhun", "Liên đoàn Lao động huyện Nậm Nhùn"),
    ("cd_congthuong", "Công đoàn ngành Công Thương tỉnh Lai Châu"),
    ("cd_nnptnt", "Công đoàn ngành Nông nghiệp và Phát triển nông thôn tỉnh Lai Châu"),
    ("cd_kkt", "Công đoàn các Khu kinh tế tỉnh Lai Châu"),
    ("cd_xaydung", "Công đoàn ngành Xây dựng tỉnh Lai Châu"),
    ("cd_giaothong", "Công đoàn ngành Giao thông vận tải tỉnh Lai Châu"),
    ("cd_thuedien", "Công đoàn Công ty Thủy điện Lai Châu"),
    ("cd_cansu", "Công đoàn Cơ quan Liên đoàn Lao động tỉnh"),
    ("cd_bhxh", "Công đoàn Bảo hiểm xã hội tỉnh Lai Châu"),
)


def campaign_config(folder: Path) -> Config:
    """The conftest campaign with 20 units, Maildir inbox, every path under ``folder``."""
    (folder / "inbox" / "new").mkdir(parents=True, exist_ok=True)
    (folder / "inbox" / "cur").mkdir(exist_ok=True)
    units = "".join(f'\n[[unit]]\nid = "{uid}"\nname = "{name}"\nemails = ["{uid}@example.vn"]\n'
                    for uid, name in EXTRA_UNITS)
    mailbox = f'\n[mailbox]\nkind = "maildir"\npath = "inbox"\nauthserv_id = "{TEST_AUTHSERV_ID}"\n'
    return config_module.load(write_config(folder, units + mailbox))


def campaign_records() -> list[MessageRecord]:
    """Complete, missing, over quota, late, unreadable, unknown sender, lists that disagree, nothing sent."""
    broken = replace(doc("bien_ban", status=Finding.UNREADABLE_ATTACHMENT, filename="Bien ban.docx"),
                     detail="broken zip/Office container")
    return [
        complete("tam_duong", at(1)),
        complete("phong_tho", at(21, 8), individuals=3),                       # late
        message("sin_ho", at(2), doc("to_trinh", (collective("Tổ Văn phòng"), *people(6)))),  # over quota
        message("cd_yte", at(3), doc("to_trinh", people(2)), broken),
        message(None, at(4), outcome=Outcome.UNKNOWN_SENDER, counted=False, from_addr="la@gmail.com",
                subject="Gửi hồ sơ khen thưởng"),
        complete("cdvc", at(5), individuals=8),
        complete("muong_lay", at(5, 10)),
        message("tan_uyen", at(6), doc("to_trinh", (*groups(1), *people(3))), doc("tom_tat", people(2))),
        complete("than_uyen", at(6, 15), individuals=4),
        message("nam_nhun", at(7), doc("bao_cao")),
        complete("cd_congthuong", at(7, 11)),
        message("cd_nnptnt", at(8), doc("to_trinh", (*groups(2), *people(5))), doc("bien_ban"),
                findings=(str(Finding.UNVERIFIED_SENDER),), from_addr="nguoi.gui@gmail.com"),
        complete("cd_kkt", at(8, 14)),
        message("cd_xaydung", at(9), doc("tom_tat", (person("Vàng Thị Mỷ", "Kế toán"),))),
        complete("cd_giaothong", at(9, 16), individuals=1),
        complete("cd_cansu", at(9, 17)),
    ]
