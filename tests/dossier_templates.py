"""Dossier documents in the many shapes units send, each with its ground truth (generated, no fixtures).

Every :class:`Template` builds a .docx with python-docx and says what a careful clerk reads in it:
the item kind, the unit, the nominees (kind, name, position, workplace) and, for a biên bản, the
meeting facts. The layouts are the hard cases of issue 3: a tờ trình titled only by its «V/v» line,
titles typed without accents or letter-spaced, a báo cáo sơ kết holding a nominee table, a công văn
cover letter, header tables naming governing and issuing body, columns in odd order, headers merged
over two rows, prose lists with honorifics and a «Tổng cộng» row.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import docx
from docx.table import Table as DocxTable

Block = str | list[list[str]] | tuple[str, ...]   # a paragraph, a table (rows), or a 2-column header


@dataclass(frozen=True)
class Person:
    name: str
    position: str
    workplace: str
    honorific: str = "Ông"


GROUPS = ("Công đoàn cơ sở Trường Mầm non xã Bản Bo", "Công đoàn cơ sở Bệnh viện Đa khoa huyện")
PEOPLE = (
    Person("Lò Văn Pâng", "Chủ tịch CĐCS", "Trường Tiểu học xã Bình Lư"),
    Person("Lù Thị Ngoan", "Kế toán", "Trường THCS xã Sơn Bình", "Bà"),
    Person("Giàng A Chứ", "Giáo viên", "Trường Mầm non xã Bản Bo", "Đồng chí"),
    Person("Nguyễn Thị Thu Hà", "Điều dưỡng", "Trạm Y tế xã Bản Hon", "Bà"),
)


@dataclass(frozen=True)
class Template:
    id: str
    filename: str
    kind: str                                   # what the document is
    unit: str | None                            # unit id of the issuing body (conftest config)
    blocks: tuple[Block, ...]
    collectives: tuple[str, ...] = ()
    individuals: tuple[Person, ...] = ()
    positions: bool = False                     # position and workplace given apart
    meeting: dict[str, object] = field(default_factory=dict)

    def docx(self) -> bytes:
        return docx_of(self.blocks)

    @property
    def nominees(self) -> set[tuple[str, str]]:
        return {("collective", n) for n in self.collectives} | {("individual", p.name) for p in self.individuals}


def docx_of(blocks: Sequence[Block]) -> bytes:
    """A .docx of paragraphs, tables (list of rows) and borderless 2-column header tables (tuple)."""
    doc = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            doc.add_paragraph(block)
        elif isinstance(block, tuple):
            _table(doc, [list(block)])
        else:
            _table(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc: object, rows: list[list[str]]) -> DocxTable:
    width = max(len(row) for row in rows)
    table = doc.add_table(rows=len(rows), cols=width)  # type: ignore[attr-defined]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == "<merge-left>":
                table.cell(r, c - 1).merge(table.cell(r, c))
            elif text == "<merge-up>":
                table.cell(r - 1, c).merge(table.cell(r, c))
            else:
                table.cell(r, c).text = text
    return table


# ---------------------------------------------------------------- the pieces of a Vietnamese document

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"


def header(issuer: str, number: str, governing: str = "LĐLĐ TỈNH LAI CHÂU",
           place: str = "Tam Đường") -> tuple[str, str]:
    """The NĐ 30/2020 top block: governing over issuing body left, the nation's name right."""
    left = "\n".join(x for x in (governing, issuer, number) if x)
    return (left, f"{NATION}\n{place}, ngày 28 tháng 11 năm 2020")


def signature(body: str, name: str = "Vàng Văn Sinh") -> tuple[str, str]:
    return ("Nơi nhận:\n- Như trên;\n- Lưu: VT.", f"TM. BAN THƯỜNG VỤ\n{body}\nCHỦ TỊCH\n\n{name}")


def prose_people(people: Sequence[Person], bullet: Callable[[int], str]) -> list[str]:
    return [f"{bullet(i)}{p.honorific} {p.name}, {p.position} {p.workplace};" for i, p in enumerate(people, 1)]


def numbered(i: int) -> str:
    return f"{i}. "


def dashed(_: int) -> str:
    return "- "


def table_rows(people: Sequence[Person], groups: Sequence[str]) -> list[list[str]]:
    rows = [["I. TẬP THỂ", "<merge-left>", "<merge-left>", "<merge-left>"]]
    rows += [[str(i), g, "", ""] for i, g in enumerate(groups, 1)]
    rows.append(["II. CÁ NHÂN", "<merge-left>", "<merge-left>", "<merge-left>"])
    rows += [[str(i), p.name, p.position, p.workplace] for i, p in enumerate(people, 1)]
    return rows


# ---------------------------------------------------------------- the templates

TD = header("LĐLĐ HUYỆN TAM ĐƯỜNG", "Số: 19/TTr-LĐLĐ")

TEMPLATES: tuple[Template, ...] = (
    Template(
        "to_trinh_prose_sections", "To trinh.docx", "to_trinh", "tam_duong",
        (TD, "TỜ TRÌNH", "Về việc đề nghị tặng Bằng khen", "Kính gửi: Ban Thường vụ LĐLĐ tỉnh Lai Châu.",
         "Ban Thường vụ LĐLĐ huyện Tam Đường đề nghị tặng Bằng khen cho:", "I. Tập thể (01)",
         f"1. {GROUPS[0]};", "II. Cá nhân (03)", *prose_people(PEOPLE[:3], numbered),
         signature("LĐLĐ HUYỆN TAM ĐƯỜNG")),
        collectives=GROUPS[:1], individuals=PEOPLE[:3]),
    Template(
        "to_trinh_only_vv_line", "ho-so-1.docx", "to_trinh", "phong_tho",
        (header("LĐLĐ HUYỆN PHONG THỔ", "Số: 38/TTr-LĐLĐ\nV/v đề nghị khen thưởng phong trào năm 2020",
                place="Phong Thổ"),
         "Kính gửi: Ban Thường vụ LĐLĐ tỉnh Lai Châu.",
         "LĐLĐ huyện Phong Thổ kính đề nghị tặng Bằng khen cho các cá nhân sau:",
         *prose_people(PEOPLE[1:3], dashed), "Kính đề nghị Ban Thường vụ xem xét./."),
        individuals=PEOPLE[1:3]),
    Template(
        "to_trinh_lowercase_no_accents", "scan_final.docx", "to_trinh", "sin_ho",
        (header("LDLD huyen Sin Ho", "So: 7/TTr-LDLD", governing="LDLD tinh Lai Chau", place="Sin Ho"),
         "to trinh", "ve viec de nghi khen thuong", "Kinh gui: Ban Thuong vu LDLD tinh.", "Ca nhan:",
         *prose_people(PEOPLE[:2], numbered)),
        individuals=PEOPLE[:2]),
    Template(
        "to_trinh_letter_spaced_table", "TTr.docx", "to_trinh", "cd_yte",
        (header("CÔNG ĐOÀN NGÀNH Y TẾ", "Số: 12/TTr-CĐN", place="Lai Châu"), "T Ờ   T R Ì N H",
         "Về việc đề nghị khen thưởng", "Kính gửi: Ban Thường vụ LĐLĐ tỉnh.",
         [["TT", "Họ và tên", "Chức vụ", "Đơn vị công tác"], *table_rows(PEOPLE[3:], GROUPS[1:])],
         signature("CÔNG ĐOÀN NGÀNH Y TẾ")),
        collectives=GROUPS[1:], individuals=PEOPLE[3:], positions=True),
    Template(
        "tom_tat_odd_columns_merged_header", "Tom tat thanh tich.docx", "tom_tat", "cdvc",
        (header("CÔNG ĐOÀN VIÊN CHỨC TỈNH", "", place="Lai Châu"), "BÁO CÁO TÓM TẮT THÀNH TÍCH",
         "Đề nghị tặng Bằng khen năm 2020",
         [["Thông tin", "<merge-left>", "<merge-left>", "Thành tích", "STT"],
          ["Đơn vị công tác", "Chức vụ", "Họ và tên", "<merge-up>", "<merge-up>"],
          ["(1)", "(2)", "(3)", "(4)", "(5)"],
          *[[p.workplace, p.position, p.name, "Hoàn thành xuất sắc nhiệm vụ", str(i)]
            for i, p in enumerate(PEOPLE, 1)],
          ["Tổng cộng", "", "04 cá nhân", "", ""]],
         signature("CÔNG ĐOÀN VIÊN CHỨC TỈNH")),
        individuals=PEOPLE, positions=True),
    Template(
        "tom_tat_kind_column_totals", "BaoCaoTomTat.docx", "tom_tat", "tam_duong",
        (header("LĐLĐ HUYỆN TAM ĐƯỜNG", "Số: 20/BC-LĐLĐ"), "BÁO CÁO", "TÓM TẮT THÀNH TÍCH ĐỀ NGHỊ KHEN THƯỞNG",
         [["Loại", "Tên tập thể/cá nhân", "Chức vụ, đơn vị công tác", "Tóm tắt thành tích"],
          ["Tập thể", GROUPS[0], "", "Đơn vị dẫn đầu"],
          *[["Cá nhân", f"{p.honorific} {p.name}", f"{p.position}, {p.workplace}", "Xuất sắc"] for p in PEOPLE[:2]],
          ["Loại", "Tên tập thể/cá nhân", "Chức vụ, đơn vị công tác", "Tóm tắt thành tích"],
          ["Cá nhân", f"Đ/c {PEOPLE[2].name}", f"{PEOPLE[2].position}, {PEOPLE[2].workplace}", "Xuất sắc"],
          ["Tổng số: 01 tập thể, 03 cá nhân", "", "", ""]]),
        collectives=GROUPS[:1], individuals=PEOPLE[:3]),
    Template(
        "bao_cao_so_ket_with_nominee_table", "Bao cao so ket.docx", "bao_cao", "muong_te",
        (header("LĐLĐ HUYỆN MƯỜNG TÈ", "Số: 21/BC-LĐLĐ", place="Mường Tè"), "BÁO CÁO",
         "Sơ kết phong trào thi đua năm 2020", "I. KẾT QUẢ THỰC HIỆN",
         "Đề nghị khen thưởng các tập thể, cá nhân sau:",
         [["STT", "Họ và tên", "Chức vụ", "Đơn vị công tác"], ["1", PEOPLE[0].name, "Chủ tịch", "CĐCS"]],
         signature("LĐLĐ HUYỆN MƯỜNG TÈ")),
    ),
    Template(
        "danh_sach_table", "DS.docx", "danh_sach", "tp_laichau",
        (header("LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ LAI CHÂU", "", governing="LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU",
                place="Lai Châu"),
         "DANH SÁCH", "ĐỀ NGHỊ KHEN THƯỞNG NĂM 2020",
         [["STT", "Họ và tên", "Chức vụ", "Đơn vị công tác"], *table_rows(PEOPLE, GROUPS),
          ["", "Tổng cộng", "", ""]]),
        collectives=GROUPS, individuals=PEOPLE, positions=True),
    Template(
        "bien_ban_vao_luc", "Bien ban.docx", "bien_ban", "tam_duong",
        (header("LĐLĐ HUYỆN TAM ĐƯỜNG", "Số: 17/BB-LĐLĐ"), "BIÊN BẢN", "Họp xét đề nghị khen thưởng năm 2020",
         "Vào lúc 14 giờ 00 phút, ngày 05 tháng 12 năm 2020, tại Phòng họp LĐLĐ huyện Tam Đường.",
         "Thành phần: Ban Thường vụ, có mặt 7/9 đồng chí, vắng 2 đồng chí (có lý do).",
         "Hội nghị đã biểu quyết với kết quả 7/7 phiếu tán thành.",
         "Biên bản được đọc lại và 100% thành viên nhất trí thông qua.",
         signature("LĐLĐ HUYỆN TAM ĐƯỜNG")),
        meeting={"date": date(2020, 12, 5), "present": 7, "members": 9, "absent": 2, "result": "7/7"}),
    Template(
        "bien_ban_hom_nay_no_accents", "BB hop.docx", "bien_ban", "phong_tho",
        (header("LDLD HUYEN PHONG THO", "So: 3/BB-LDLD", governing="", place="Phong Tho"), "bien ban hop xet",
         "Hom nay, ngay 03/12/2020, Ban Thuong vu LDLD huyen Phong Tho hop xet khen thuong.",
         "Tong so uy vien: 9; co mat 9 dong chi.", "Ket qua: 100% nhat tri de nghi khen thuong."),
        meeting={"date": date(2020, 12, 3), "present": 9, "members": 9, "result": "100%"}),
    Template(
        "cong_van_cover_letter", "Cong van gui ho so.docx", "other", "sin_ho",
        (header("LĐLĐ HUYỆN SÌN HỒ", "Số: 45/LĐLĐ\nV/v gửi hồ sơ đề nghị khen thưởng", place="Sìn Hồ"),
         "Kính gửi: Ban Thường vụ LĐLĐ tỉnh Lai Châu.", "LĐLĐ huyện Sìn Hồ gửi kèm theo hồ sơ gồm:",
         "- Tờ trình đề nghị khen thưởng;", "- Biên bản họp xét;", "- Báo cáo tóm tắt thành tích.")),
    Template(
        "cong_van_asking_for_awards", "hoso.docx", "unclassified", "sin_ho",
        (header("LĐLĐ HUYỆN SÌN HỒ", "Số: 46/LĐLĐ-VP\nV/v đề nghị khen thưởng", place="Sìn Hồ"),
         "Kính gửi: Ban Thường vụ LĐLĐ tỉnh Lai Châu.", "LĐLĐ huyện Sìn Hồ đề nghị khen thưởng cho 02 cá nhân.")),
    Template(
        "title_and_symbol_disagree", "tai-lieu.docx", "unclassified", "tam_duong",
        (header("LĐLĐ HUYỆN TAM ĐƯỜNG", "Số: 12/BB-LĐLĐ"), "TỜ TRÌNH", "Về việc đề nghị khen thưởng")),
    Template(
        "quyet_dinh_citing_a_to_trinh", "Tờ trình.docx", "other", None,
        (header("LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", "Số: 123/QĐ-LĐLĐ", governing="TỔNG LĐLĐ VIỆT NAM"),
         "QUYẾT ĐỊNH", "Về việc tặng Bằng khen", "Căn cứ Tờ trình số 19/TTr-LĐLĐ của LĐLĐ huyện Tam Đường;")),
    Template(
        "signature_only", "bb.docx", "bien_ban", "cd_giaoduc",
        ("BIÊN BẢN HỌP XÉT", "Hôm nay ngày 1 tháng 12 năm 2020, họp xét khen thưởng.",
         *[f"Nội dung thảo luận số {i}." for i in range(20)],
         signature("CÔNG ĐOÀN NGÀNH GIÁO DỤC")),
        meeting={"date": date(2020, 12, 1)}),
)
