"""mailbot export: the nominee list as a decision annex (.docx), read back with python-docx."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docx
import pytest

from bot.config import schema as config_module
from bot.config.schema import Config
from bot.core.picture import build
from bot.core.rules import assess_all
from bot.workbook.export import export_annex, roman
from tests.conftest import write_config
from tests.unit.builders import at, collective, complete, doc, message, person


def _records() -> list:  # type: ignore[type-arg]
    return [complete("tam_duong", at(1), individuals=2),
            message("sin_ho", at(2), doc("to_trinh", (person("=cmd|' /C calc'!A0", "Kế toán\x07 trường"),
                                                      collective("Công đoàn Trường số 9")))),
            message("cd_yte", at(3), doc("bien_ban"))]


def _cells(path: Path) -> list[list[str]]:
    table = docx.Document(str(path)).tables[0]
    rows = []
    for row in table.rows:
        seen, texts = set(), []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                texts.append(cell.text)
        rows.append(texts)
    return rows


def test_annex_lists_every_nominee_grouped_by_unit_collectives_first(cfg: Config, tmp_path: Path) -> None:
    records = _records()
    done = export_annex(build(cfg, records, []), tmp_path / "phu-luc.docx")
    rows = _cells(done.path)
    assert rows[0] == ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị công tác"]
    dossiers = [d for d in assess_all(records, cfg) if d.nominees]
    expected: list[list[str]] = []
    number = 0
    for index, dossier in enumerate(dossiers, 1):
        unit = cfg.unit(dossier.unit_id)
        assert unit is not None
        expected.append([f"{roman(index)}. {unit.name}"])
        for kind, label in (("collective", "Tập thể"), ("individual", "Cá nhân")):
            group = [n for n in dossier.nominees if n.kind == kind]
            if group:
                expected.append([f"{label} ({len(group):02d})"])
            for nominee in group:
                number += 1
                expected.append([str(number), nominee.name, nominee.position.replace("\x07", "")])
    assert rows[1:] == expected
    assert (done.units, done.collectives, done.individuals) == (2, 2, 3)
    assert rows[1] == ["I. Liên đoàn Lao động huyện Tam Đường"]          # config order, not arrival
    assert [r for r in rows if r[0] == "Tập thể (01)"]


def test_annex_wording_and_font(cfg: Config, tmp_path: Path) -> None:
    assert cfg.export is not None
    path = export_annex(build(cfg, _records(), []), tmp_path / "a.docx").path
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert cfg.export.title in texts
    assert any(t.startswith("(Kèm theo Quyết định số") for t in texts)
    assert cfg.campaign.name in texts
    assert texts[-1].startswith("Tổng cộng: 02 tập thể, 03 cá nhân")
    assert document.styles["Normal"].font.name == "Times New Roman"
    header = document.tables[0].rows[0]._tr
    assert header.trPr is not None and header.trPr.xpath("./w:tblHeader")          # repeats on each page


def test_wording_comes_from_config(tmp_path: Path) -> None:
    extra = ('[export]\ntitle = "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN"\n'
             'decision = "(Kèm theo Quyết định số 15/QĐ-LĐLĐ ngày 28/12/2020 của Ban Thường vụ LĐLĐ tỉnh)"\n'
             'output = "ra/phu-luc.docx"\n')
    cfg = config_module.load(write_config(tmp_path, '[mailbox]\nkind = "maildir"\npath = "inbox"\n' + extra))
    done = export_annex(build(cfg, _records(), []))
    assert done.path == tmp_path / "ra" / "phu-luc.docx"
    texts = [p.text for p in docx.Document(str(done.path)).paragraphs]
    assert "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN" in texts
    assert "(Kèm theo Quyết định số 15/QĐ-LĐLĐ ngày 28/12/2020 của Ban Thường vụ LĐLĐ tỉnh)" in texts
    assert [p.name for p in done.path.parent.iterdir()] == ["phu-luc.docx"]


def test_unknown_export_key_is_a_config_error(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[mailbox]\nkind = "maildir"\npath = "inbox"\n[export]\ntitel = "x"\n')
    with pytest.raises(config_module.ConfigError) as caught:
        config_module.load(path)
    assert any("export.titel" in line and "unknown key" in line for line in caught.value.problems)


def test_no_nominees_yet_still_gives_a_document(cfg: Config, tmp_path: Path, now: datetime) -> None:
    done = export_annex(build(cfg, [], []), tmp_path / "trong.docx")
    document = docx.Document(str(done.path))
    assert not document.tables
    assert any("Chưa có" in p.text for p in document.paragraphs)


def test_many_units_number_in_roman() -> None:
    assert [roman(n) for n in (1, 4, 9, 11, 14, 40, 1990)] == ["I", "IV", "IX", "XI", "XIV", "XL", "MCMXC"]
