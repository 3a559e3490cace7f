"""Whose document it is (bot/core/issuer.py): the issuer block's lowest body, then the «Kính gửi»."""

from __future__ import annotations

import dataclasses

import pytest

from bot.config.schema import Config
from bot.core import intake, issuer
from bot.core.issuer import DocumentRole
from bot.core.model import Attachment, Finding
from tests.samples import SAMPLE_DOSSIERS, bien_ban_docx, to_trinh_docx, tom_tat_docx

FEDERATION = "Liên đoàn Lao động tỉnh Lai Châu"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.mark.parametrize("block", [
    ["CĐ NGÀNH Y TẾ LAI CHÂU", "CÔNG ĐOÀN CƠ SỞ BỆNH VIỆN ĐA KHOA TỈNH"],
    ["LĐLĐ HUYỆN TAM ĐƯỜNG", "CĐCS TRƯỜNG THCS BẢN GIANG"],
    ["CÔNG ĐOÀN VIÊN CHỨC TỈNH", "CĐCS SỞ TƯ PHÁP", "CÔNG ĐOÀN BỘ PHẬN VĂN PHÒNG SỞ"],
    ["CÔNG ĐOÀN NGÀNH GIÁO DỤC", "BAN NỮ CÔNG"],
    ["LĐLĐ HUYỆN TAM ĐƯỜNG", "VĂN PHÒNG"],
    ["CÔNG ĐOÀN VIÊN CHỨC TỈNH", "BAN TỔ CHỨC"],
    ["CĐ NGÀNH Y TẾ LAI CHÂU", f"CÔNG ĐOÀN CƠ SỞ BỆNH VIỆN ĐA KHOA TỈNH {MOTTO}"],
])
def test_a_body_under_the_unit_issued_it(cfg: Config, block: list[str]) -> None:
    lines = [*block, "Số: 12/TTr-CĐCS", MOTTO, "Độc lập - Tự do - Hạnh phúc", "TỜ TRÌNH"]
    found = issuer.role(lines, cfg.units, FEDERATION)
    assert found.role == DocumentRole.GRASSROOTS and found.body == block[-1].replace(MOTTO, "").strip()


@pytest.mark.parametrize("block", [
    ["LĐLĐ TỈNH LAI CHÂU", "CÔNG ĐOÀN NGÀNH Y TẾ"],
    ["LĐLĐ TỈNH LAI CHÂU", "LĐLĐ HUYỆN TAM ĐƯỜNG"],
    ["LĐLĐ TỈNH LAI CHÂU", "LĐLĐ HUYỆN PHONG THỔ", "Phong Thổ, ngày 01 tháng 12 năm 2020"],   # no «Số:» line
    ["LĐLĐ TỈNH LAI CHÂU", "LĐLĐ HUYỆN TAM ĐƯỜNG", "BAN THƯỜNG VỤ"],
    ["LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", "BAN THƯỜNG VỤ"],      # the federation's own office: not a unit's
    ["LIÊN ĐOÀN LAO ĐỘNG TỈNH TÂY NINH", "CĐCS CÔNG TY TNHH OUTDOOR PARK"],   # a CĐCS right under a federation
    [],
])
def test_the_unit_s_own_document_stays_its_own(cfg: Config, block: list[str]) -> None:
    lines = [*block, "Số: 19/TTr-LĐLĐ", MOTTO, "TỜ TRÌNH", "Kính gửi: Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu",
             "Căn cứ Kế hoạch số 199/KH-LĐLĐ …"]
    assert issuer.role(lines, cfg.units, FEDERATION).role == DocumentRole.OWN


def test_a_document_addressed_to_the_unit_is_not_the_unit_s(cfg: Config) -> None:
    lines = ["BỆNH VIỆN ĐA KHOA TỈNH", MOTTO, "TỜ TRÌNH", "Kính gửi:", "- Ban Thường vụ Công đoàn ngành Y tế",
             "Căn cứ Kế hoạch …"]
    assert issuer.role(lines, cfg.units, FEDERATION).role == DocumentRole.GRASSROOTS


def test_a_unit_that_is_itself_a_grassroots_union_keeps_its_documents(cfg: Config) -> None:
    """A CĐCS registered as a unit (directly under the federation) issues its own dossier."""
    units = tuple(dataclasses.replace(u, aliases=(*u.aliases, "Công đoàn cơ sở Sở Tư pháp")) if u.id == "cdvc"
                  else u for u in cfg.units)
    lines = ["LĐLĐ TỈNH LAI CHÂU", "CÔNG ĐOÀN CƠ SỞ SỞ TƯ PHÁP", MOTTO, "TỜ TRÌNH"]
    assert issuer.role(lines, units, FEDERATION).role == DocumentRole.OWN


def test_grassroots_files_are_read_as_no_item_and_name_no_nominee(cfg: Config) -> None:
    """GIVEN the tờ trình, biên bản and tóm tắt of «CÔNG ĐOÀN CƠ SỞ BỆNH VIỆN ĐA KHOA TỈNH» under Y tế
    THEN each is «hồ sơ của cơ sở gửi kèm» with no nominees; Y tế's own tờ trình stays a tờ trình."""
    cdcs = dataclasses.replace(SAMPLE_DOSSIERS["cd_yte"], issuer="Công đoàn cơ sở Bệnh viện Đa khoa tỉnh",
                               parent="CĐ NGÀNH Y TẾ LAI CHÂU", superior="Công đoàn ngành Y tế")
    for make in (to_trinh_docx, bien_ban_docx, tom_tat_docx):
        (record,) = intake.read_items(Attachment(f"{make.__name__}.docx", "", make(cdcs)), cfg)
        if make is tom_tat_docx and record.kind != Finding.GRASSROOTS_DOCUMENT:
            continue  # a tóm tắt without an issuer block or «Kính gửi» cannot tell whose it is
        assert (record.kind, record.nominees) == (Finding.GRASSROOTS_DOCUMENT, ()), make.__name__
        assert record.reason.startswith("hồ sơ của cơ sở gửi kèm")
    (own,) = intake.read_items(Attachment("tt.docx", "", to_trinh_docx(SAMPLE_DOSSIERS["cd_yte"])), cfg)
    assert own.kind == "to_trinh" and own.nominees
