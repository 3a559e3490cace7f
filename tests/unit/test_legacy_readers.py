"""Legacy-encoded documents through parsers.extract (docx runs, xlsx cells, PDF and plain text), and the
Word reader's completeness: headers of every section, first-page headers, text boxes, nested tables."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

import parsers
from bot.config.doc_kinds import DEFAULT_DOC_KINDS, TO_TRINH
from bot.config.schema import Config
from bot.core import classify
from tests import legacy_samples as ls

VN, VNH, VNI, TNR = ".VnTime", ".VnTimeH", "VNI-Times", "Times New Roman"


def _lines(filename: str, data: bytes) -> list[str]:
    return parsers.extract(filename, data).lines()


# ------------------------------------------------------------------------------------ docx runs


def test_docx_runs_are_converted_by_their_own_font() -> None:
    """GIVEN one paragraph mixing .VnTime, .VnTimeH, VNI-Times and Unicode runs WHEN read THEN one line."""
    data = ls.legacy_docx([[("Kính gửi: ", VN), ("ban thường vụ", VNH), (" Liên đoàn ", VNI), ("Lao động", TNR)]])
    assert _lines("x.docx", data) == ["Kính gửi: BAN THƯỜNG VỤ Liên đoàn Lao động"]


def test_a_unicode_run_with_latin1_letters_is_left_alone() -> None:
    """GIVEN a Times New Roman run «Café Hà Nội» among TCVN3 runs WHEN read THEN it is not converted."""
    data = ls.legacy_docx([[("Báo cáo tóm tắt ", VN)], [("Café Hà Nội", TNR)]])
    assert _lines("x.docx", data) == ["Báo cáo tóm tắt", "Café Hà Nội"]


def test_run_font_inherited_from_the_normal_style() -> None:
    """GIVEN runs with no font of their own in a document whose Normal style is .VnTime WHEN read THEN
    converted (the font comes from the style, as Word draws it)."""
    raw = ls.to_tcvn3("Đồng chí Lò Văn Pâng, Chủ tịch")
    data = _without_run_fonts(ls.legacy_docx([[(raw, TNR)]], normal_font=VN))
    assert _lines("x.docx", data) == ["Đồng chí Lò Văn Pâng, Chủ tịch"]


def _without_run_fonts(data: bytes) -> bytes:
    """The same docx with every run-level w:rFonts removed from document.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml":
                content = re.sub(rb"<w:rFonts [^>]*/>", b"", content)
            target.writestr(item, content)
    return out.getvalue()


def test_unicode_document_in_a_vntime_template_is_not_converted() -> None:
    """GIVEN Unicode text typed in runs that still name .VnTime WHEN read THEN it stays as typed."""
    lines = ["Báo cáo tóm tắt thành tích", "Lò Văn Pâng, Chủ tịch Công đoàn", "Hà Nội, ngày 30 tháng 11"]
    data = ls.legacy_docx([[(line, TNR)] for line in lines]).replace(b"Times New Roman", b".VnTime")
    assert _lines("x.docx", data) == lines


def test_tcvn3_to_trinh_is_classified_and_its_unit_found(cfg: Config) -> None:
    """GIVEN a tờ trình typed in .VnTimeH/.VnTime WHEN read THEN the title and the unit are recognised."""
    data = ls.legacy_docx(
        [[("Liên đoàn Lao động huyện Tam Đường", VNH)], [("Tờ trình", VNH)],
         [("Về việc đề nghị khen thưởng", VN)]],
    )
    document = parsers.extract("TT.docx", data)
    assert document.lines()[:2] == ["LIÊN ĐOÀN LAO ĐỘNG HUYỆN TAM ĐƯỜNG", "TỜ TRÌNH"]
    assert classify.doc_kind("TT.docx", document, DEFAULT_DOC_KINDS).kind == TO_TRINH
    unit = classify.unit_by_text(document.lines(), cfg.units)
    assert unit is not None and unit.id == "tam_duong"


# ------------------------------------------------------------------------------------ Word completeness


def test_headers_of_every_section_first_and_even_pages_once_each() -> None:
    data = ls.legacy_docx(
        [[("Nội dung", VN)]],
        header=[("Liên đoàn Lao động tỉnh", VN)],
        first_page_header=[("Công đoàn Viên chức", VNI)],
        even_header=[("Trang chẵn", VN)],
        second_headers=[[("Phụ lục danh sách", VN)], [("Phụ lục danh sách", VN)]],  # repeated: read once
    )
    lines = _lines("x.docx", data)
    for line in ("Liên đoàn Lao động tỉnh", "Công đoàn Viên chức", "Trang chẵn", "Phụ lục danh sách"):
        assert lines.count(line) == 1
    assert lines.index("Phụ lục danh sách") < lines.index("Nội dung")
    assert "- 2 -" not in lines                                     # page-number paragraphs are not text


def test_text_box_is_read_once_not_with_its_fallback_copy() -> None:
    data = ls.legacy_docx([[("Trước hộp", VN)], [("Sau hộp", VN)]], text_box=("Dự thảo lần hai", VN))
    lines = _lines("x.docx", data)
    assert lines.count("Dự thảo lần hai") == 1
    assert lines.index("Sau hộp") < lines.index("Dự thảo lần hai")


def test_nested_table_in_legacy_fonts_follows_its_parent() -> None:
    data = ls.legacy_docx(
        [[("Danh sách", VN)]],
        table=[[("Họ và tên", VN)], [("Lò Văn Pâng", VNI)]],
        nested=[("Nguyễn Thị Hoà", VN)],
    )
    document = parsers.extract("x.docx", data)
    outer, inner = document.tables
    assert outer.rows[0] == ("Họ và tên", "Lò Văn Pâng")
    assert inner.rows == (("Nguyễn Thị Hoà",),)


# ------------------------------------------------------------------------------------ xlsx, pdf, text


def test_xlsx_cells_are_converted_by_their_font() -> None:
    data = ls.legacy_xlsx([
        [("STT", VN), ("danh sách đề nghị", VNH), ("Lò Văn Pâng", VNI), ("Đường", "Arial"), ("Café", "Arial")],
        [("1", VN), ("Nguyễn Thị Hoà", VN), ("Phó Chủ tịch", VN)],
    ])
    [table] = parsers.extract("x.xlsx", data).tables
    assert table.rows[0] == ("STT", "DANH SÁCH ĐỀ NGHỊ", "Lò Văn Pâng", "Đường", "Café")
    assert table.rows[1][:3] == ("1", "Nguyễn Thị Hoà", "Phó Chủ tịch")


_PDF_LINES = [  # no ư: fpdf2 drops U+00AD (TCVN3 ư) as a soft hyphen when it lays out a line
    "Liên đoàn Lao động huyện Sìn Hồ",
    "Báo cáo tóm tắt thành tích của ông Lò Văn Pâng",
    "đề nghị tặng Bằng khen năm 2020",
]


def test_pdf_text_layer_in_tcvn3_is_converted() -> None:
    lines = _lines("x.pdf", ls.tcvn3_pdf(_PDF_LINES))
    assert lines == _PDF_LINES


def test_plain_text_bytes_in_tcvn3_and_vni() -> None:
    text = "\n".join(_PDF_LINES) + "\nTrưởng ban"
    assert _lines("x.txt", ls.to_tcvn3(text).encode("latin-1")) == text.splitlines()
    assert _lines("x.txt", ls.to_vni(text).encode("cp1252")) == text.splitlines()


def test_converted_text_is_nfc() -> None:
    data = ls.legacy_docx([[("Nghị quyết đại hội", VNI)], [("Hoà thuận", VN)]])
    assert all(unicodedata.is_normalized("NFC", line) for line in _lines("x.docx", data))


def test_docx_that_lost_its_legacy_font_names_is_recognised_by_statistics() -> None:
    """GIVEN TCVN3 text whose runs now name Arial (a re-saved copy) WHEN read THEN still converted."""
    text = ["Liên đoàn Lao động huyện Tam Đường", "Báo cáo tóm tắt thành tích của đồng chí Lò Văn Pâng"]
    data = ls.legacy_docx([[(ls.to_tcvn3(line), "Arial")] for line in text])
    assert _lines("x.docx", data) == text


def test_docx_in_french_with_a_unicode_font_is_untouched() -> None:
    text = ["Où est la bibliothèque ? Le goût du café à côté de l'église.", "Très naïf, Noël à Montréal, ça coûte."]
    assert _lines("x.docx", ls.legacy_docx([[(line, "Arial")] for line in text])) == text
