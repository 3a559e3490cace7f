"""parsers.nominees: who a document proposes, from prose lists, section tables and kind columns."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest

import parsers
from parsers import Document, Table, extract_nominees
from parsers.nominees import COLLECTIVE, INDIVIDUAL, ExtractedNominee, looks_collective, section_kind
from parsers.text import name_key
from tests import samples
from tests.dossier_templates import TEMPLATES, Template
from tests.samples import SAMPLE_DOSSIERS, Dossier

Generator = Callable[[Dossier], bytes]


def _prose_position(position: str) -> str:
    """The tờ trình prose writes «Kế toán, Trường X» as «Kế toán Trường X» (see samples._short_position)."""
    return position.replace(", ", " ", 1)


# (generator, how the individual's position is written in it; None: positions not compared)
LAYOUTS: dict[str, tuple[Generator, Callable[[str], str] | None]] = {
    "to_trinh_prose": (samples.to_trinh_docx, _prose_position),
    "to_trinh_prose_no_honorific": (lambda d: samples.to_trinh_docx(d, honorific=""), _prose_position),
    "to_trinh_table": (lambda d: samples.to_trinh_docx(d, style="table"), lambda p: p),
    "tom_tat_sections": (samples.tom_tat_docx, lambda p: p),
    "tom_tat_kind_column": (lambda d: samples.tom_tat_docx(d, kind_column=True), lambda p: p),
    "to_trinh_pdf": (samples.to_trinh_pdf, None),     # wrapped PDF lines: names only
    "danh_sach_xlsx": (samples.danh_sach_xlsx, lambda p: p),
}
UNITS = ("tam_duong", "phong_tho", "sin_ho", "cd_yte", "cdvc")


def _extract(data: bytes) -> list[ExtractedNominee]:
    return extract_nominees(parsers.extract("tai-lieu", data))


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_nominee_exactly_once(layout: str, unit: str) -> None:
    """GIVEN a unit's list document in one of the layouts units send WHEN read THEN exactly its nominees."""
    d = SAMPLE_DOSSIERS[unit]
    generate, position_of = LAYOUTS[layout]
    found = _extract(generate(d))

    expected = {(COLLECTIVE, name) for name in d.collectives} | {(INDIVIDUAL, p.name) for p in d.individuals}
    assert {(n.kind, n.name) for n in found} == expected
    assert len(found) == len(d.collectives) + len(d.individuals)
    assert all(unicodedata.is_normalized("NFC", n.name) for n in found)
    if position_of is not None:
        positions = {n.name: n.position for n in found if n.kind == INDIVIDUAL}
        assert positions == {p.name: position_of(p.position) for p in d.individuals}


@pytest.mark.parametrize(("unit", "collectives", "individuals"), [("cd_yte", 1, 6), ("cdvc", 1, 8)])
def test_counts_of_the_units_with_a_larger_quota(unit: str, collectives: int, individuals: int) -> None:
    found = _extract(samples.to_trinh_docx(SAMPLE_DOSSIERS[unit]))
    assert sum(n.kind == COLLECTIVE for n in found) == collectives
    assert sum(n.kind == INDIVIDUAL for n in found) == individuals


def test_prose_with_slash_honorific() -> None:
    d = SAMPLE_DOSSIERS["tam_duong"]
    found = _extract(samples.to_trinh_docx(d, honorific="Ông/Bà"))
    assert {n.name for n in found if n.kind == INDIVIDUAL} == {p.name for p in d.individuals}


@pytest.mark.parametrize("unit", ["tam_duong", "cdvc"])
def test_bien_ban_names_no_attendee(unit: str) -> None:
    """GIVEN a biên bản (attendees, secretary, chair, vote table) WHEN read THEN no attendee is a nominee."""
    d = SAMPLE_DOSSIERS[unit]
    document = parsers.extract("Biên bản.docx", samples.bien_ban_docx(d))
    found = {n.name for n in extract_nominees(document)}
    true_nominees = set(d.collectives) | {p.name for p in d.individuals}
    assert found <= true_nominees
    assert d.chair not in found
    attendees = [line for line in document.lines() if line.startswith(("1. Đồng chí", "2. Đồng chí"))]
    assert attendees, "the biên bản lists its attendees"


@pytest.mark.parametrize("unit", ["tam_duong", "cd_yte", "cdvc"])
def test_bao_cao_so_ket_names_nobody(unit: str) -> None:
    """GIVEN a báo cáo sơ kết (numbered prose sections, no list) WHEN read THEN no nominee at all."""
    assert _extract(samples.bao_cao_docx(SAMPLE_DOSSIERS[unit])) == []


# ------------------------------------------------------------------------------------ hand-built tables


def _table_document(*rows: tuple[str, ...], before: tuple[str, ...] = ()) -> Document:
    return Document("docx", (*before, Table(rows=rows)))


def test_surnames_that_fold_like_organisation_words_stay_individuals() -> None:
    """GIVEN people named Bàn, Tô, Trương next to Ban, Tổ, Trường bodies WHEN no section says THEN by diacritics."""
    document = _table_document(
        ("STT", "Họ và tên", "Chức vụ, đơn vị công tác"),
        ("1", "Bàn Thị Hiền", "Nhân viên văn thư"),
        ("2", "Tô Văn Dũng", "Giáo viên"),
        ("3", "Trương Thị Lan", "Kế toán"),
        ("4", "Ban Quản lý dự án đầu tư xây dựng tỉnh", ""),
        ("5", "Tổ Công đoàn Khối văn phòng", ""),
        ("6", "Trường Tiểu học xã Bản Bo", ""),
    )
    kinds = {n.name: n.kind for n in extract_nominees(document)}
    assert kinds == {
        "Bàn Thị Hiền": INDIVIDUAL, "Tô Văn Dũng": INDIVIDUAL, "Trương Thị Lan": INDIVIDUAL,
        "Ban Quản lý dự án đầu tư xây dựng tỉnh": COLLECTIVE, "Tổ Công đoàn Khối văn phòng": COLLECTIVE,
        "Trường Tiểu học xã Bản Bo": COLLECTIVE,
    }


@pytest.mark.parametrize(
    ("name", "collective"),
    [("Bàn Thị Hiền", False), ("BÀN THỊ HIỀN", False), ("Tô Văn Dũng", False), ("Trương Thị Lan", False),
     ("Ban Dân tộc tỉnh", True), ("BAN DÂN TỘC TỈNH", True), ("Tổ Văn thư", True), ("Trường THPT Bình Lư", True),
     ("Công đoàn cơ sở Sở Tư pháp", True), ("UBND xã Kan Hồ", True), ("Nhóm Pháp Chế (tập thể)", True)],
)
def test_looks_collective(name: str, collective: bool) -> None:
    assert looks_collective(name) is collective


def test_prose_honorific_before_a_colliding_surname() -> None:
    """GIVEN «Bà Bàn Thị Hiền» in a numbered prose list WHEN read THEN the honorific goes, the surname stays."""
    document = Document("docx", ("2. Cá nhân (02):", "1. Bà Bàn Thị Hiền - Nhân viên văn thư;",
                                 "2. Ông Tô Văn Dũng - Giáo viên, Trường THCS xã Bum Nưa."))
    found = extract_nominees(document)
    assert [(n.kind, n.name, n.position) for n in found] == [
        (INDIVIDUAL, "Bàn Thị Hiền", "Nhân viên văn thư"),
        (INDIVIDUAL, "Tô Văn Dũng", "Giáo viên, Trường THCS xã Bum Nưa"),
    ]


def test_total_rows_are_not_nominees() -> None:
    """GIVEN «Tổng cộng» / «Tổng số» rows in a Cá nhân section WHEN read THEN only the people are nominees."""
    document = _table_document(
        ("STT", "Họ và tên", "Chức vụ"),
        ("II. CÁ NHÂN",),
        ("1", "Lò Văn Pâng", "Kế toán"),
        ("2", "Giàng A Chứ", "Giáo viên"),
        ("", "Tổng Cộng", ""),
        ("", "Tổng số: 02", ""),
        ("", "Cộng", ""),
    )
    assert [n.name for n in extract_nominees(document)] == ["Lò Văn Pâng", "Giàng A Chứ"]


@pytest.mark.parametrize("mark", ["(tập thể)", "(Tập thể)", "(TẬP THỂ)", " (tap the)"])
def test_collective_mark_is_stripped_and_makes_a_collective(mark: str) -> None:
    """GIVEN a vote-table name ending «(tập thể)» that would otherwise look like a person WHEN read THEN collective."""
    document = _table_document(
        ("STT", "Tên tập thể, cá nhân", "Số phiếu đồng ý"),
        ("1", f"Nhóm Hỗ Trợ Pháp Lý {mark}", "5/6"),
        ("2", "Lò Văn Pâng", "5/6"),
    )
    assert [(n.kind, n.name) for n in extract_nominees(document)] == [
        (COLLECTIVE, "Nhóm Hỗ Trợ Pháp Lý"), (INDIVIDUAL, "Lò Văn Pâng"),
    ]


def test_same_nominee_twice_kept_once_with_a_position() -> None:
    """GIVEN one person in the prose and in a table, old and new tone placement WHEN read THEN one nominee."""
    document = Document("docx", (
        "2. Cá nhân:", "1. Đồng chí Nguyễn Văn Hoà;",
        Table(rows=(("STT", "Họ và tên", "Chức vụ"), ("1", "Nguyễn Văn Hòa", "Kế toán"))),
    ))
    found = extract_nominees(document)
    assert len(found) == 1
    assert found[0].kind == INDIVIDUAL
    assert found[0].position == "Kế toán"


def test_wrapped_prose_line_is_joined() -> None:
    document = Document("docx", ("1. Tập thể:", "1. Công đoàn cơ sở Trường Phổ thông Dân tộc bán trú",
                                 "Tiểu học xã Bản Giang;", "2. Cá nhân:", "1. Lò Văn Pâng - Kế toán."))
    assert [(n.kind, n.name) for n in extract_nominees(document)] == [
        (COLLECTIVE, "Công đoàn cơ sở Trường Phổ thông Dân tộc bán trú Tiểu học xã Bản Giang"),
        (INDIVIDUAL, "Lò Văn Pâng"),
    ]


def test_numbered_lines_outside_a_section_are_not_nominees() -> None:
    document = Document("docx", ("1. Công tác tuyên truyền", "2. Kết quả thực hiện", "Cá nhân xuất sắc năm 2020",
                                 "1. Lò Văn Pâng - Kế toán;"))
    assert extract_nominees(document) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("I. TẬP THỂ", COLLECTIVE), ("II. CÁ NHÂN", INDIVIDUAL), ("1. Tập thể (01):", COLLECTIVE),
     ("2. Cá nhân (04):", INDIVIDUAL), ("b) Cá nhân", INDIVIDUAL), ("Tập thể", COLLECTIVE),
     ("Cá nhân xuất sắc năm 2020", None), ("Tập thể lao động tiên tiến", None), ("", None),
     ("II. CÁ NHÂN " + "x" * 40, None)],
)
def test_section_kind(text: str, expected: str | None) -> None:
    assert section_kind(text) == expected


# ------------------------------------------------------------------------------------ dossier_templates

LISTING = [t for t in TEMPLATES if t.kind in ("to_trinh", "tom_tat", "danh_sach")]


@pytest.mark.parametrize("template", LISTING, ids=[t.id for t in LISTING])
def test_template_nominees(template: Template) -> None:
    """GIVEN odd column orders, two-row merged headers, prose with honorifics, totals rows WHEN read THEN the people."""
    found = _extract(template.docx())
    assert {(n.kind, n.name) for n in found} == template.nominees
    assert len(found) == len(template.nominees)
    if template.positions:
        by_name = {n.name: (n.position, n.workplace) for n in found if n.kind == INDIVIDUAL}
        assert by_name == {p.name: (p.position, p.workplace) for p in template.individuals}


def test_position_and_workplace_columns_apart_in_any_order() -> None:
    document = _table_document(
        ("Đơn vị công tác", "STT", "Chức danh", "Họ tên"),
        ("Trường THCS xã Sơn Bình", "1", "Kế toán", "Lù Thị Ngoan"),
    )
    assert extract_nominees(document) == [ExtractedNominee(INDIVIDUAL, "Lù Thị Ngoan", "Kế toán",
                                                           "Trường THCS xã Sơn Bình")]


def test_a_title_column_is_not_taken_for_the_position() -> None:
    """GIVEN «Tên gọi (Ông/Bà/Chức danh)» before «Chức vụ» WHEN read THEN «Chức vụ» is the position."""
    document = _table_document(
        ("STT", "Tên gọi (Ông/Bà/Chức danh)", "Tên tập thể/cá nhân", "Chức vụ", "Đơn vị công tác"),
        ("1", "Ông", "Trương Quang Sáng", "Phó Giám đốc", "Sở Tư pháp"),
    )
    assert extract_nominees(document) == [ExtractedNominee(INDIVIDUAL, "Trương Quang Sáng", "Phó Giám đốc",
                                                           "Sở Tư pháp")]


@pytest.mark.parametrize("written", ["Đại tá Lê Văn Tiến", "Thượng tá Lê Văn Tiến", "ThS. Lê Văn Tiến",
                                     "TS.BS. Lê Văn Tiến", "Ông Lê Văn Tiến", "Đ/c Lê Văn Tiến"])
def test_ranks_degrees_and_honorifics_are_no_part_of_the_name(written: str) -> None:
    document = _table_document(("STT", "Họ và tên", "Chức vụ"), ("1", written, "Chính ủy"))
    assert [n.name for n in extract_nominees(document)] == ["Lê Văn Tiến"]


@pytest.mark.parametrize("bullet", ["1. ", "1) ", "a) ", "- ", "– ", "+ ", "• "])
def test_prose_lists_after_a_lead_in(bullet: str) -> None:
    """GIVEN «… đề nghị khen thưởng cho các tập thể, cá nhân sau:» and bulleted lines WHEN read THEN each kind."""
    document = Document("docx", (
        "LĐLĐ huyện Tam Đường đề nghị khen thưởng cho các tập thể, cá nhân sau:",
        f"{bullet}Công đoàn cơ sở Trường Tiểu học xã Bình Lư;",
        f"{bullet}Đồng chí Lò Văn Pâng, Chủ tịch CĐCS Trường THCS xã Sơn Bình;",
        f"{bullet}Bà Lù Thị Ngoan - Kế toán.",
        "Kính đề nghị Ban Thường vụ xem xét./.",
    ))
    assert [(n.kind, n.name, n.position) for n in extract_nominees(document)] == [
        (COLLECTIVE, "Công đoàn cơ sở Trường Tiểu học xã Bình Lư", ""),
        (INDIVIDUAL, "Lò Văn Pâng", "Chủ tịch CĐCS Trường THCS xã Sơn Bình"),
        (INDIVIDUAL, "Lù Thị Ngoan", "Kế toán"),
    ]


def test_a_lead_in_list_of_documents_names_nobody() -> None:
    document = Document("docx", ("Hồ sơ đề nghị khen thưởng gồm:", "- Tờ trình đề nghị khen thưởng;",
                                 "- Biên bản họp xét;", "- Báo cáo tóm tắt thành tích."))
    assert extract_nominees(document) == []


@pytest.mark.parametrize(
    "row", [("", "Tổng cộng: 03", ""), ("", "Tổng: 3 cá nhân", ""), ("", "Cộng 3", ""), ("", "TỔNG SỐ", "")])
def test_more_totals_rows(row: tuple[str, ...]) -> None:
    document = _table_document(("STT", "Họ và tên", "Chức vụ"), ("II. CÁ NHÂN",), ("1", "Lò Văn Pâng", "Kế toán"), row)
    assert [n.name for n in extract_nominees(document)] == ["Lò Văn Pâng"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A. KHEN THƯỞNG TẬP THỂ", COLLECTIVE), ("II. Danh sách cá nhân", INDIVIDUAL),
     ("Cá nhân (04 đồng chí):", INDIVIDUAL), ("Đề nghị khen thưởng cá nhân", INDIVIDUAL),
     ("Khen thưởng tập thể lao động", None)],
)
def test_more_section_headings(text: str, expected: str | None) -> None:
    assert section_kind(text) == expected


def test_an_ocr_table_keeps_its_rules_as_bars() -> None:
    """GIVEN OCR text of a ruled list («1. | Ông Trương Quang Sáng, Phó Giám đốc …») WHEN read THEN clean names."""
    document = Document("pdf", ("I | Tập thể", "1. | Công an tỉnh Quảng Bình", "D)", "4. |UBND huyện Quảng Ninh",
                                "II | Cá nhân", "1. | Ông Trương Quang Sáng, Phó Giám đốc Sở Tư pháp tỉnh Quảng Bình",
                                "2. | Đại tá Lê Văn Tiến - Chính ủy Bộ đội Biên phòng tỉnh Quảng Bình"))
    assert [(n.kind, n.name) for n in extract_nominees(document)] == [
        (COLLECTIVE, "Công an tỉnh Quảng Bình"), (COLLECTIVE, "UBND huyện Quảng Ninh"),
        (INDIVIDUAL, "Trương Quang Sáng"), (INDIVIDUAL, "Lê Văn Tiến"),
    ]


FORMULA_LIKE = ("=Lò Văn Pâng", "+Tòng Thị Phóng", "@Giàng A Dơ", "-Sùng Thị Mai")


def test_names_beginning_like_a_formula_stay_in_the_list() -> None:
    """A name typed with a leading =, +, @ or - (by slip or on purpose) is still a nominee, kept as written;
    the workbook writes it as text (bot/workbook/styling.py), never as a formula."""
    header = ("STT", "Họ và tên", "Chức vụ, đơn vị công tác")
    rows = tuple((str(n), name, "Đoàn viên") for n, name in enumerate(FORMULA_LIKE, 1))
    document = Document(format="docx", blocks=("II. CÁ NHÂN", Table(rows=(header, *rows))))
    found = extract_nominees(document)
    assert [n.name for n in found] == list(FORMULA_LIKE)
    assert all(n.kind == INDIVIDUAL for n in found)
    prose = Document(format="docx", blocks=("Cá nhân:", *(f"{i}. {name}, Đoàn viên" for i, name in
                                                             enumerate(FORMULA_LIKE, 1))))
    assert [n.name for n in extract_nominees(prose)] == list(FORMULA_LIKE)
    assert name_key("=Lò Văn Pâng") == name_key("Lò Văn Pâng")


def test_a_bullet_before_a_name_in_a_cell_is_a_list_mark() -> None:
    header = ("STT", "Họ và tên", "Chức vụ")
    document = Document(format="docx", blocks=("II. CÁ NHÂN", Table(rows=(header, ("1", "- Lò Văn Pâng", "Chủ tịch")))))
    assert [n.name for n in extract_nominees(document)] == ["Lò Văn Pâng"]
