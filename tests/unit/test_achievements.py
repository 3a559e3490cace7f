"""A nominee's achievements summary: read from a list's column, merged, stored, shown in the tally and status."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import openpyxl
import pytest

from bot.config.schema import Config
from bot.core import intake
from bot.core.model import Attachment
from bot.core.picture import build
from bot.core.rules import assess_all
from bot.core.views import status_object
from bot.workbook import tally
from parsers import Document, Table, extract_nominees
from parsers.nominees import INDIVIDUAL, ExtractedNominee
from parsers.word import read
from tests.dossier_templates import PEOPLE, docx_of, header
from tests.unit.builders import at, doc, message, person

SUMMARIES = ("Hoàn thành xuất sắc nhiệm vụ 2 năm liền; Chiến sĩ thi đua cơ sở",
             "Dẫn đầu phong trào thi đua lao động giỏi, lao động sáng tạo",
             "Có sáng kiến làm lợi 120 triệu đồng",
             "Hoàn thành tốt nhiệm vụ")
# (header of the achievements column, the columns in order: N name, P position, W workplace, A achievements)
LAYOUTS = [
    ("Tóm tắt thành tích", "SNPWA"),
    ("Thành tích đạt được", "SNAPW"),
    ("Thành tích", "ASWPN"),
    ("Nội dung thành tích", "SPNAW"),
    ("Hình thức đề nghị khen thưởng", "SNPWA"),
    ("Danh hiệu", "SNWAP"),
]
_HEADS = {"S": "STT", "N": "Họ và tên", "P": "Chức vụ", "W": "Đơn vị công tác"}


def _tom_tat(title: str, order: str) -> bytes:
    """A báo cáo tóm tắt whose table has its columns in ``order``, the achievements one headed ``title``."""
    def cell(code: str, i: int) -> str:
        p = PEOPLE[i]
        return {"S": str(i + 1), "N": p.name, "P": p.position, "W": p.workplace, "A": SUMMARIES[i]}[code]
    rows = [[_HEADS.get(code, title) for code in order],
            *[[cell(code, i) for code in order] for i in range(len(PEOPLE))]]
    return docx_of((header("LĐLĐ HUYỆN TAM ĐƯỜNG", "Số: 20/BC-LĐLĐ"), "BÁO CÁO TÓM TẮT THÀNH TÍCH", rows))


def _expected() -> list[ExtractedNominee]:
    return [ExtractedNominee(INDIVIDUAL, p.name, p.position, p.workplace, s) for p, s in zip(PEOPLE, SUMMARIES,
                                                                                            strict=True)]


@pytest.mark.parametrize(("title", "order"), LAYOUTS)
def test_achievements_column_is_read_whatever_its_wording_and_place(title: str, order: str) -> None:
    assert extract_nominees(read(_tom_tat(title, order))) == _expected()


def test_a_list_without_the_column_leaves_it_blank() -> None:
    rows = [["STT", "Họ và tên", "Chức vụ", "Đơn vị công tác"],
            *[[str(i), p.name, p.position, p.workplace] for i, p in enumerate(PEOPLE, 1)]]
    found = extract_nominees(read(docx_of(("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", rows))))
    assert [n.name for n in found] == [p.name for p in PEOPLE]
    assert {n.achievements for n in found} == {""}


def test_a_summary_outranks_a_bare_award_column() -> None:
    """GIVEN «Hình thức khen thưởng» before «Tóm tắt thành tích» WHEN read THEN the summary is the achievements."""
    rows = [["STT", "Họ và tên", "Hình thức khen thưởng", "Tóm tắt thành tích"],
            ["1", PEOPLE[0].name, "Bằng khen", SUMMARIES[0]]]
    (found,) = extract_nominees(read(docx_of(("BÁO CÁO TÓM TẮT", rows))))
    assert found.achievements == SUMMARIES[0]


def test_an_achievements_header_naming_a_unit_is_not_the_workplace() -> None:
    """GIVEN «Thành tích của đơn vị» and no workplace column WHEN read THEN no workplace, the text is achievements."""
    document = Document("docx", (Table(rows=(("STT", "Họ và tên", "Chức vụ", "Thành tích của đơn vị công tác"),
                                             ("1", PEOPLE[0].name, "Kế toán", SUMMARIES[1]))),))
    (found,) = extract_nominees(document)
    assert (found.position, found.workplace, found.achievements) == ("Kế toán", "", SUMMARIES[1])


def test_a_code_in_the_award_column_is_no_summary() -> None:
    """GIVEN a state form whose «Danh hiệu thi đua/Hình thức khen thưởng» holds drop-down ids WHEN read THEN blank."""
    document = Document("xlsx", (Table(rows=(
        ("STT", "Phân loại khen thưởng", "Tên tập thể/cá nhân", "Chức vụ", "Đơn vị công tác",
         "Danh hiệu thi đua/Hình thức khen thưởng"),
        ("1", "CANHAN", "Ông Trương Quang Sáng", "Phó Giám đốc", "Sở Tư pháp", "1650360491"),
        ("2", "CANHAN", "Bà Lê Thị Hoa", "Chuyên viên", "Sở Tư pháp", "Chiến sĩ thi đua cơ sở"))),))
    assert [(n.name, n.achievements) for n in extract_nominees(document)] == [
        ("Trương Quang Sáng", ""), ("Lê Thị Hoa", "Chiến sĩ thi đua cơ sở")]


def test_header_merged_over_two_rows_in_a_docx() -> None:
    """GIVEN «Thành tích» merged down beside «Thông tin» merged across WHEN read THEN the column is found."""
    rows = [["STT", "Thông tin", "<merge-left>", "Thành tích"],
            ["<merge-up>", "Họ và tên", "Chức vụ", "<merge-up>"],
            *[[str(i), p.name, p.position, s] for i, (p, s) in enumerate(zip(PEOPLE, SUMMARIES, strict=True), 1)]]
    found = extract_nominees(read(docx_of(("BÁO CÁO TÓM TẮT THÀNH TÍCH", rows))))
    assert [(n.name, n.achievements) for n in found] == [(p.name, s) for p, s in zip(PEOPLE, SUMMARIES, strict=True)]


def test_header_merged_over_two_rows_in_a_sheet() -> None:
    """GIVEN a spreadsheet's merged header (the cell under «Thành tích» left blank) WHEN read THEN found."""
    document = Document("xlsx", (Table(rows=(("STT", "Thông tin", "", "Thành tích đạt được"),
                                             ("", "Họ và tên", "Chức vụ", ""),
                                             ("1", PEOPLE[0].name, "Kế toán", SUMMARIES[2]))),))
    (found,) = extract_nominees(document)
    assert (found.name, found.position, found.achievements) == (PEOPLE[0].name, "Kế toán", SUMMARIES[2])


def test_a_data_row_above_a_repeated_header_gives_no_column() -> None:
    """GIVEN a header repeated mid-table with a blank cell WHEN the row above is a nominee THEN nothing inherited."""
    document = Document("docx", (Table(rows=(("STT", "Họ và tên", "Chức vụ", ""),
                                             ("1", PEOPLE[0].name, "Kế toán", "Thành tích tốt"),
                                             ("STT", "Họ và tên", "Chức vụ", ""),
                                             ("2", PEOPLE[1].name, "Giáo viên", "Thành tích khá"))),))
    assert [n.achievements for n in extract_nominees(document)] == ["", ""]


def test_the_same_person_twice_keeps_the_achievements() -> None:
    document = Document("docx", (
        Table(rows=(("STT", "Họ và tên", "Chức vụ"), ("1", PEOPLE[0].name, PEOPLE[0].position))),
        Table(rows=(("STT", "Họ và tên", "Tóm tắt thành tích"), ("1", PEOPLE[0].name, SUMMARIES[0]))),
    ))
    (found,) = extract_nominees(document)
    assert (found.position, found.achievements) == (PEOPLE[0].position, SUMMARIES[0])


def test_merged_lists_keep_the_achievements_of_whichever_list_has_them(cfg: Config) -> None:
    """GIVEN a tờ trình without and a tóm tắt with achievements WHEN merged THEN each person has theirs."""
    a, b = person("Lò Văn Pâng", "Kế toán"), person("Giàng A Chứ")
    summary = (replace(a, position="", achievements=SUMMARIES[0]), replace(b, achievements=SUMMARIES[1]))
    record = message("tam_duong", at(1), doc("to_trinh", (a, b)), doc("tom_tat", summary))
    dossier = next(d for d in assess_all([record], cfg) if d.unit_id == "tam_duong")
    assert {(n.name, n.position, n.achievements, n.source) for n in dossier.nominees} == {
        (a.name, "Kế toán", SUMMARIES[0], "Tờ trình.docx"), (b.name, "", SUMMARIES[1], "Tờ trình.docx")}


def test_tally_and_status_show_the_achievements_read_from_a_tom_tat(cfg: Config, now: datetime) -> None:
    """GIVEN a generated tóm tắt and a tờ trình without the column WHEN tallied THEN workbook and status show them."""
    summary = intake.read_document(Attachment("Báo cáo tóm tắt.docx", "application/octet-stream",
                                              _tom_tat("Thành tích", "ASWPN")), cfg)
    plain = doc("to_trinh", (person("Vàng Thị Mai"), *(person(p.name) for p in PEOPLE)))
    records = [message("tam_duong", at(1), plain, summary),
               message("sin_ho", at(2), doc("to_trinh", (person("Lò Văn A"),)))]
    assert tally.write_workbook(build(cfg, records, []), now)
    sheet = openpyxl.load_workbook(cfg.paths.tally)["Danh sách đề nghị"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    got = {r["Họ tên / Tên tập thể"]: r["Tóm tắt thành tích"] for r in rows}
    read_back = {p.name: s for p, s in zip(PEOPLE, SUMMARIES, strict=True)}
    assert got == {**read_back, "Vàng Thị Mai": None, "Lò Văn A": None}
    column = values[0].index("Tóm tắt thành tích") + 1
    assert sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width > 45
    units = {u["id"]: u for u in status_object(build(cfg, records, []))["units"]}
    assert {n["name"]: n["achievements"] for n in units["tam_duong"]["nominees"]}[PEOPLE[2].name] == SUMMARIES[2]
    assert [n["achievements"] for n in units["sin_ho"]["nominees"]] == [""]

