"""Deterministic generators of realistic sample dossiers and e-mails (bytes only).

The documents imitate what the unions of Lai Châu province really send for a commendation
campaign (administrative layout of Nghị định 30/2020): a borderless two-column header table,
a title, a body and a two-column signature table. Nothing is written to disk and nothing
outside the project is read, except the DejaVu fonts used by :func:`to_trinh_pdf`.
The same inputs always give the same bytes (fixed dates, fixed zip timestamps, no randomness).
"""

from __future__ import annotations

import base64
import hashlib
import io
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email import policy as email_policy
from email.header import Header
from email.message import MIMEPart
from email.parser import BytesParser
from email.utils import format_datetime, formataddr, getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

__all__ = [
    "DEFAULT_DATE",
    "SAMPLE_DOSSIERS",
    "Dossier",
    "Person",
    "auto_reply_eml",
    "bao_cao_docx",
    "bien_ban_docx",
    "bounce_eml",
    "corrupt_docx",
    "danh_sach_xlsx",
    "eml",
    "empty_file",
    "full_dossier",
    "rar_of",
    "seven_zip_of",
    "to_trinh_docx",
    "to_trinh_pdf",
    "tom_tat_docx",
    "zip_of",
]


@dataclass(frozen=True)
class Person:
    """An individual nominee: full name and "position, workplace"."""

    name: str
    position: str


@dataclass(frozen=True)
class Dossier:
    """What one unit proposes: the issuing union, its place, the nominees, number and chair."""

    issuer: str
    place: str
    collectives: tuple[str, ...]
    individuals: tuple[Person, ...]
    number: int = 19
    chair: str = "Sùng A Pó"
    parent: str = ""      # the governing body above the issuer (top-left block); "" the federation
    superior: str = ""    # whom a tờ trình goes to («Kính gửi: Ban Thường vụ …»); "" the federation


ICT = timezone(timedelta(hours=7))
DEFAULT_DATE = datetime(2020, 12, 1, 8, 0, tzinfo=ICT)
_DOC_STAMP = datetime(2020, 11, 30, 2, 27)  # docProps times, naive UTC as Word writes them
_ZIP_STAMP = (2020, 11, 30, 9, 27, 0)
_PDF_STAMP = datetime(2020, 11, 30, 9, 27, tzinfo=ICT)
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

_MOVEMENT = "phong trào “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở” năm 2020"
_PLAN = "Kế hoạch số 199/KH-LĐLĐ ngày 13/11/2020"
_PROVINCE = "Liên đoàn Lao động tỉnh Lai Châu"
_PARENT = "LĐLĐ TỈNH LAI CHÂU"
_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
_MOTTO = "Độc lập - Tự do - Hạnh phúc"
_AWARD = "Bằng khen của BCH LĐLĐ tỉnh"
_RECIPIENTS = ("Nơi nhận:", "- Như trên;", "- Văn phòng LĐLĐ tỉnh;", "- Lưu: VT.")
_REPORT_RECIPIENTS = ("Nơi nhận:", "- LĐLĐ tỉnh (b/c);", "- Các CĐCS trực thuộc;", "- Lưu: VT.")
_TO_TRINH_DAY, _BIEN_BAN_DAY, _BAO_CAO_DAY = 30, 26, 29

_STAFF_POOL = (
    "Lại Thị Phương",
    "Vũ Hữu Huy",
    "Đào Mạnh Toàn",
    "Đặng Kim Hằng",
    "Hà Ngọc Mai",
    "Phan Minh Cường",
    "Lương Thị Hương",
    "Tạ Công Cường",
    "Cao Kim Mai",
    "Lê Thế Quyết",
    "Bùi Kim Hoa",
    "Lù Văn Tiên",
    "Giàng Thị Sua",
    "Dương Minh Hoa",
)
_BOARD_ROLES = (
    "Phó Chủ tịch {issuer}",
    "Ủy viên Ban Thường vụ, Trưởng ban Tổ chức",
    "Ủy viên Ban Thường vụ, Trưởng ban Chính sách - Pháp luật",
    "Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra",
)
_FEATS = (
    "Chấp hành nghiêm thời gian làm việc; không sử dụng đồ uống có cồn trong giờ làm việc, "
    "không hút thuốc lá nơi công sở.",
    "Thực hiện tốt quy định về trang phục, đeo thẻ công chức, viên chức khi thi hành công vụ; "
    "giao tiếp, ứng xử chuẩn mực với đồng nghiệp và Nhân dân.",
    "Tham mưu xây dựng và triển khai Quy chế văn hóa công sở tại đơn vị; chủ động đề xuất "
    "bài trí phòng làm việc gọn gàng, khoa học.",
    "Tham gia tích cực phong trào “Xanh - Sạch - Đẹp”, “Đoàn kết sáng tạo” của cơ quan.",
    "Là đoàn viên công đoàn xuất sắc năm 2020; nhiệt tình giúp đỡ đồng nghiệp, được tập thể tín nhiệm.",
)
_RESULTS = (
    "Năm 2020 hoàn thành xuất sắc nhiệm vụ; đạt danh hiệu Lao động tiên tiến.",
    "Năm 2020 hoàn thành xuất sắc nhiệm vụ; đạt danh hiệu Chiến sĩ thi đua cơ sở.",
    "03 năm liên tục (2018 - 2020) hoàn thành tốt nhiệm vụ, năm 2020 hoàn thành xuất sắc nhiệm vụ.",
)
_COLLECTIVE_FEATS = (
    "Ban hành và tổ chức thực hiện nghiêm Quy chế văn hóa công sở; 100% cán bộ, công chức, "
    "viên chức thực hiện đúng quy định về trang phục, giao tiếp, ứng xử.",
    "Phối hợp tốt với chuyên môn tổ chức kiểm tra việc chấp hành giờ giấc, kỷ luật lao động hằng tháng.",
    "Bài trí công sở khoa học, xanh - sạch - đẹp; treo Quốc kỳ, biển tên cơ quan đúng quy định.",
    "Không có cán bộ, đoàn viên vi phạm kỷ luật; 100% đoàn viên được xếp loại hoàn thành tốt nhiệm vụ.",
)
_COLLECTIVE_RESULT = (
    "Năm 2020 Công đoàn cơ sở hoàn thành xuất sắc nhiệm vụ; tập thể đạt danh hiệu Tập thể lao động tiên tiến."
)

# ---------------------------------------------------------------- shared wording


def _seed(d: Dossier) -> int:
    """Stable per-unit number (crc32 of the issuer) used to vary details deterministically."""
    return zlib.crc32(d.issuer.encode("utf-8"))


def _office_code(issuer: str) -> str:
    """Suffix of document numbers: LĐLĐ, CĐN (Công đoàn ngành) or CĐVC (Công đoàn Viên chức)."""
    low = issuer.lower()
    if "ngành" in low:
        return "CĐN"
    if "viên chức" in low:
        return "CĐVC"
    return "LĐLĐ"


def _count(n: int) -> str:
    """Counts are written with two digits in Vietnamese administrative documents ("04")."""
    return f"{n:02d}"


def _dated(place: str, day: int, month: int = 11) -> str:
    """The place-and-date line of the header ("Tam Đường, ngày 30 tháng 11 năm 2020")."""
    return f"{place}, ngày {day:02d} tháng {month:02d} năm 2020"


def _short_position(position: str) -> str:
    """Position as written in prose: "Kế toán, Trường X" becomes "Kế toán Trường X"."""
    return position.replace(", ", " ", 1)


def _award_sentence(d: Dossier) -> str:
    """The "01 tập thể và 04 cá nhân" part shared by several documents."""
    return f"{_count(len(d.collectives))} tập thể và {_count(len(d.individuals))} cá nhân"


def _staff(d: Dossier, count: int) -> list[str]:
    """Committee members, secretary and clerk: never the chair nor a nominee."""
    taken = {d.chair, *(p.name for p in d.individuals)}
    pool = [name for name in _STAFF_POOL if name not in taken]
    start = _seed(d) % len(pool)
    return [pool[(start + i) % len(pool)] for i in range(count)]


def _feat(i: int) -> str:
    """A short, deterministic achievement summary for the i-th individual."""
    first, second = _FEATS[i % len(_FEATS)], _FEATS[(i + 2) % len(_FEATS)]
    return f"{first} {second} {_RESULTS[i % len(_RESULTS)]}"


def _collective_feat(i: int) -> str:
    """A short, deterministic achievement summary for the i-th collective."""
    first = _COLLECTIVE_FEATS[i % len(_COLLECTIVE_FEATS)]
    second = _COLLECTIVE_FEATS[(i + 1) % len(_COLLECTIVE_FEATS)]
    return f"{first} {second} {_COLLECTIVE_RESULT}"


def _collective_rows(d: Dossier) -> list[list[str]]:
    """[name, "Trực thuộc <issuer>", achievements] for each collective."""
    return [[name, f"Trực thuộc {d.issuer}", _collective_feat(i)] for i, name in enumerate(d.collectives)]


def _individual_rows(d: Dossier) -> list[list[str]]:
    """[name, position, achievements] for each individual."""
    return [[p.name, p.position, _feat(i)] for i, p in enumerate(d.individuals)]


def _attached_to(d: Dossier) -> str:
    """The "(Kèm theo Tờ trình số ...)" line of the tóm tắt and the danh sách."""
    number = f"{d.number}/TTr-{_office_code(d.issuer)}"
    return f"(Kèm theo Tờ trình số {number} ngày {_TO_TRINH_DAY}/11/2020 của {d.issuer})"


def _chair_block(d: Dossier) -> list[str]:
    """Right-hand signature block: who signs for the standing committee."""
    return ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "", "", "", d.chair]


# ---------------------------------------------------------------- zip / docx plumbing


def zip_of(members: Mapping[str, bytes]) -> bytes:
    """A deflated zip of the given members (UTF-8 names, fixed timestamps, given order)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def rar_of(members: Mapping[str, bytes]) -> bytes:
    """A RAR 4 archive of the given members, stored (no compression: RAR's own is proprietary), UTF-8
    names, as WinRAR writes its headers: each with the low 16 bits of its CRC-32."""
    def block(head_type: int, flags: int, body: bytes) -> bytes:
        header = struct.pack("<BHH", head_type, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(header) & 0xFFFF) + header

    out = [b"Rar!\x1a\x07\x00", block(0x73, 0, bytes(6))]
    for name, data in members.items():
        raw_name = name.encode("utf-8")
        body = struct.pack("<IIBIIBBHI", len(data), len(data), 2, zlib.crc32(data), 0x5A210000, 20, 0x30,
                           len(raw_name), 0x20) + raw_name
        out += [block(0x74, 0x8000 | 0x0200, body), data]   # a file block with a long body, Unicode name
    out.append(b"\xc4\x3d\x7b\x00\x40\x07\x00")            # the end-of-archive block
    return b"".join(out)


def seven_zip_of(members: Mapping[str, bytes]) -> bytes:
    """A 7-Zip archive (LZMA) of the given members, written by libarchive."""
    import tempfile

    import libarchive

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.7z"
        with libarchive.file_writer(str(path), "7zip") as archive:
            for name, data in members.items():
                archive.add_file_from_memory(name, len(data), data)
        return path.read_bytes()


def _rezip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed member timestamps so the output is reproducible."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return zip_of({info.filename: source.read(info) for info in source.infolist()})


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _new_docx() -> DocxDocument:
    """An A4 document with Vietnamese administrative margins and Times New Roman 13."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.paragraph_format.space_after = Pt(4)
    return doc


def _format(par: Paragraph, text: str, fmt: str, align: str, size: float | None) -> None:
    """Fill a paragraph; fmt may contain b (bold), i (italic), > (first-line indent)."""
    par.alignment = _ALIGN[align]
    if ">" in fmt:
        par.paragraph_format.first_line_indent = Cm(1)
    if not text:
        return
    run = par.add_run(text)
    run.bold = True if "b" in fmt else None
    run.italic = True if "i" in fmt else None
    if size:
        run.font.size = Pt(size)


def _para(
    doc: DocxDocument, text: str, fmt: str = ">", *, align: str = "justify", size: float | None = None
) -> None:
    """Append a body paragraph (indented and justified unless told otherwise)."""
    _format(doc.add_paragraph(), text, fmt, align, size)


def _cell_lines(
    cell: _Cell, lines: Sequence[tuple[str, str]], align: str = "center", size: float = 12.5
) -> None:
    """Write one paragraph per line into a table cell (python-docx joins them with newlines)."""
    for i, (text, fmt) in enumerate(lines):
        par = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        par.paragraph_format.space_after = Pt(0)
        _format(par, text, fmt, align, size)


def _header_table(doc: DocxDocument, d: Dossier, number_line: str | None, date_line: str) -> None:
    """Borderless 2-column header: issuing body on the left, national title and date on the right."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    issuer_lines = [(d.parent or _PARENT, ""), (d.issuer.upper(), "b")]
    if number_line:
        issuer_lines.append((number_line, ""))
    _cell_lines(left, issuer_lines)
    _cell_lines(right, [(_NATION, "b"), (_MOTTO, "b"), ("", ""), (date_line, "i")])


def _title(doc: DocxDocument, title: str, subtitle: str) -> None:
    """Blank line, bold title (14 pt) and bold subject line, all centred."""
    _para(doc, "", "", align="center")
    _para(doc, title, "b", align="center", size=14)
    _para(doc, subtitle, "b", align="center")


def _signature_table(doc: DocxDocument, left: Sequence[str], right: Sequence[str]) -> None:
    """Borderless 2-column signature block (recipients or secretary | signer)."""
    _para(doc, "", "", align="center")
    table = doc.add_table(rows=1, cols=2)
    left_cell, right_cell = table.rows[0].cells
    left_align = "left" if left and left[0] == "Nơi nhận:" else "center"
    _cell_lines(left_cell, [(text, "b" if i == 0 else "") for i, text in enumerate(left)], left_align, 11)
    _cell_lines(right_cell, [(text, "b" if text else "") for text in right], "center", 13)


def _grid(doc: DocxDocument, header: Sequence[str], widths: Sequence[float]) -> Table:
    """A bordered table ("Table Grid") with a bold header row."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text, width in zip(table.rows[0].cells, header, widths, strict=True):
        cell.width = Cm(width)
        _cell_lines(cell, [(text, "b")], "center", 12)
    return table


def _add_row(table: Table, values: Sequence[str | int], widths: Sequence[float]) -> None:
    """Append a data row; the first column (numbering) is centred."""
    cells = table.add_row().cells
    for i, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
        cell.width = Cm(width)
        _cell_lines(cell, [(str(value), "")], "center" if i == 0 else "left", 12)


def _section_row(table: Table, text: str) -> None:
    """A row merged across the whole table holding a section title ("I. TẬP THỂ")."""
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    _cell_lines(merged, [(text, "b")], "left", 12)


def _docx_bytes(doc: DocxDocument, d: Dossier, title: str) -> bytes:
    """Fix the core properties, save and normalise the package."""
    props = doc.core_properties
    props.author = props.last_modified_by = f"Văn phòng {d.issuer}"
    props.title = title
    props.created = props.modified = props.last_printed = _DOC_STAMP
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return _rezip(buffer.getvalue())


# ---------------------------------------------------------------- tờ trình


def _to_trinh_intro(d: Dossier) -> list[str]:
    """The "Căn cứ ..." paragraphs and the request sentence."""
    return [
        f"Căn cứ {_PLAN} của {_PROVINCE} về việc sơ kết {_MOVEMENT};",
        f"Căn cứ Biên bản họp xét thi đua, khen thưởng ngày {_BIEN_BAN_DAY}/11/2020 "
        f"của Ban Thường vụ {d.issuer};",
        "Căn cứ thành tích đạt được của các tập thể, cá nhân trong thực hiện phong trào năm 2020,",
        f"Ban Thường vụ {d.issuer} kính đề nghị Ban Thường vụ Liên đoàn Lao động tỉnh xem xét, "
        f"tặng Bằng khen cho {_award_sentence(d)} đã có thành tích xuất sắc trong {_MOVEMENT}, "
        "cụ thể như sau:",
    ]


def _to_trinh_list(d: Dossier, honorific: str) -> list[tuple[str, str]]:
    """Numbered nominee lines as (text, fmt): "1. Tập thể (01):", "1. Đồng chí X - position;"."""
    lines = [(f"1. Tập thể ({_count(len(d.collectives))}):", "b>")]
    lines += [(f"{i}. {name};", ">") for i, name in enumerate(d.collectives, 1)]
    lines.append((f"2. Cá nhân ({_count(len(d.individuals))}):", "b>"))
    for i, person in enumerate(d.individuals, 1):
        who = f"{honorific} {person.name}" if honorific else person.name
        lines.append((f"{i}. {who} - {_short_position(person.position)};", ">"))
    return lines


def _to_trinh_closing(d: Dossier) -> list[tuple[str, str]]:
    """Attachment note (italic, centred in Word) and the closing request."""
    return [
        ("(Có Biên bản họp xét và Báo cáo tóm tắt thành tích của các tập thể, cá nhân kèm theo)", "i"),
        (f"Ban Thường vụ {d.issuer} kính trình Ban Thường vụ {d.superior or _PROVINCE_SHORT} xem xét, "
         "quyết định./.", ">"),
    ]


_TO_TRINH_SUBJECT = (
    f"Về việc đề nghị tặng Bằng khen cho tập thể, cá nhân có thành tích xuất sắc trong {_MOVEMENT}"
)
_PROVINCE_SHORT = "Liên đoàn Lao động tỉnh"
_ADDRESSEE = "Kính gửi: Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu."


def _to_trinh_table(doc: DocxDocument, d: Dossier) -> None:
    """Nominees as a table with merged section rows I. TẬP THỂ / II. CÁ NHÂN."""
    widths = (1.2, 4.8, 7.0, 3.0)
    table = _grid(doc, ("STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Ghi chú"), widths)
    _section_row(table, "I. TẬP THỂ")
    for i, name in enumerate(d.collectives, 1):
        _add_row(table, (i, name, f"Trực thuộc {d.issuer}", ""), widths)
    _section_row(table, "II. CÁ NHÂN")
    for i, person in enumerate(d.individuals, 1):
        _add_row(table, (i, person.name, person.position, ""), widths)


def to_trinh_docx(d: Dossier, *, honorific: str = "Đồng chí", style: str = "prose") -> bytes:
    """Tờ trình (request) .docx; style "prose" lists nominees as numbered lines, "table" in a table.

    honorific prefixes individual names in prose ("Đồng chí", "Ông/Bà", "" for none).
    """
    if style not in ("prose", "table"):
        raise ValueError(f"style must be 'prose' or 'table', not {style!r}")
    doc = _new_docx()
    number = f"Số: {d.number}/TTr-{_office_code(d.issuer)}"
    _header_table(doc, d, number, _dated(d.place, _TO_TRINH_DAY))
    _title(doc, "TỜ TRÌNH", _TO_TRINH_SUBJECT)
    _para(doc, f"Kính gửi: Ban Thường vụ {d.superior}." if d.superior else _ADDRESSEE, "", align="center")
    for text in _to_trinh_intro(d):
        _para(doc, text)
    if style == "prose":
        for text, fmt in _to_trinh_list(d, honorific):
            _para(doc, text, fmt)
    else:
        _to_trinh_table(doc, d)
    for text, fmt in _to_trinh_closing(d):
        _para(doc, text, fmt, align="center" if "i" in fmt else "justify")
    _signature_table(doc, _RECIPIENTS, _chair_block(d))
    return _docx_bytes(doc, d, "Tờ trình")


# ---------------------------------------------------------------- biên bản


def _attendees(d: Dossier) -> tuple[list[str], str]:
    """Attendance lines (chair first, "- Chủ trì") and the secretary's name."""
    members = _staff(d, len(_BOARD_ROLES) + 1)
    lines = [f"1. Đồng chí {d.chair} - Chủ tịch {d.issuer} - Chủ trì;"]
    for i, (name, role) in enumerate(zip(members, _BOARD_ROLES, strict=False), 2):
        lines.append(f"{i}. Đồng chí {name} - {role.format(issuer=d.issuer)};")
    return lines, members[-1]


def _votes(d: Dossier, present: int) -> list[tuple[str, str, str]]:
    """Vote table rows (name, "5/6", "83.3"); the collectives end in " (tập thể)"."""
    names = [f"{name} (tập thể)" for name in d.collectives] + [p.name for p in d.individuals]
    rows = []
    for i, name in enumerate(names):
        yes = present if i % 3 == 0 else present - 1
        rows.append((name, f"{yes}/{present}", f"{100 * yes / present:.1f}"))
    return rows


def _bien_ban_opening(d: Dossier) -> str:
    """The "Hôm nay, vào hồi ..." paragraph."""
    return (
        f"Hôm nay, vào hồi 9 giờ 00 phút, ngày {_BIEN_BAN_DAY} tháng 11 năm 2020, "
        f"tại Phòng họp cơ quan {d.issuer}, Ban Thường vụ {d.issuer} tổ chức họp xét, "
        "đề nghị khen thưởng các tập thể, cá nhân có thành tích "
        f"xuất sắc trong {_MOVEMENT}."
    )


def _bien_ban_agenda(d: Dossier) -> list[str]:
    """Section II (content) lines before the vote table."""
    return [
        f"1. Đồng chí {d.chair} quán triệt {_PLAN} của Liên đoàn Lao động tỉnh; tiêu chuẩn, số lượng "
        "và hồ sơ đề nghị khen thưởng.",
        "2. Hội nghị nghe báo cáo tóm tắt thành tích của các tập thể, cá nhân do các công đoàn cơ sở "
        "đề nghị; thảo luận, nhận xét và tiến hành bỏ phiếu kín.",
        "3. Kết quả bỏ phiếu:",
    ]


def _bien_ban_conclusion(d: Dossier) -> list[str]:
    """Section III (conclusion) lines."""
    return [
        "Căn cứ kết quả bỏ phiếu, Hội nghị thống nhất đề nghị Ban Thường vụ Liên đoàn Lao động tỉnh "
        f"tặng Bằng khen cho {_award_sentence(d)} có số phiếu đồng ý đạt từ 70% trở lên "
        "(có danh sách kèm theo Tờ trình).",
        "Biên bản kết thúc vào hồi 11 giờ 00 phút cùng ngày, đã được đọc lại cho các thành viên "
        "dự họp cùng nghe và nhất trí thông qua 100%.",
    ]


def _vote_table(doc: DocxDocument, d: Dossier, present: int) -> None:
    """[STT, Tên tập thể, cá nhân, Số phiếu đồng ý, Tỷ lệ (%)] vote table."""
    widths = (1.2, 8.8, 3.5, 2.5)
    table = _grid(doc, ("STT", "Tên tập thể, cá nhân", "Số phiếu đồng ý", "Tỷ lệ (%)"), widths)
    for i, row in enumerate(_votes(d, present), 1):
        _add_row(table, (i, *row), widths)


def bien_ban_docx(d: Dossier) -> bytes:
    """Biên bản họp xét (minutes of the selection meeting) .docx with attendees and a vote table."""
    doc = _new_docx()
    number = f"Số: {max(1, d.number - 2)}/BB-{_office_code(d.issuer)}"
    _header_table(doc, d, number, _dated(d.place, _BIEN_BAN_DAY))
    _title(doc, "BIÊN BẢN", f"Họp xét đề nghị khen thưởng {_MOVEMENT}")
    _para(doc, _bien_ban_opening(d))
    _para(doc, "I. THÀNH PHẦN", "b>")
    attendees, secretary = _attendees(d)
    for text in attendees:
        _para(doc, text)
    present = len(attendees) + 1
    _para(doc, f"Thư ký: Đồng chí {secretary} - Cán bộ Văn phòng {d.issuer}.")
    _para(doc, f"Số thành viên có mặt: {_count(present)}/{_count(present)} đồng chí; vắng: không.")
    _para(doc, "II. NỘI DUNG", "b>")
    for text in _bien_ban_agenda(d):
        _para(doc, text)
    _vote_table(doc, d, present)
    _para(doc, "", "", align="center")
    _para(doc, "III. KẾT LUẬN", "b>")
    for text in _bien_ban_conclusion(d):
        _para(doc, text)
    _signature_table(doc, ["THƯ KÝ", "", "", "", secretary], ["CHỦ TRÌ", "", "", "", d.chair])
    return _docx_bytes(doc, d, "Biên bản họp xét")


# ---------------------------------------------------------------- báo cáo tóm tắt


_TOM_TAT_WIDTHS = (1.2, 4.0, 4.3, 6.5)
_TOM_TAT_HEADER = ("STT", "Họ tên / Tên tập thể", "Chức vụ, đơn vị công tác", "Tóm tắt thành tích")
_KIND_WIDTHS = (1.0, 1.8, 3.6, 3.8, 5.8)
_KIND_HEADER = ("TT", "Loại", "Họ và tên", "Chức vụ - Đơn vị", "Thành tích")


def _tom_tat_sections(doc: DocxDocument, d: Dossier) -> None:
    """Default layout: "I. TẬP THỂ" + table, "II. CÁ NHÂN" + table."""
    for title, rows in (("I. TẬP THỂ", _collective_rows(d)), ("II. CÁ NHÂN", _individual_rows(d))):
        _para(doc, title, "b>")
        table = _grid(doc, _TOM_TAT_HEADER, _TOM_TAT_WIDTHS)
        for i, row in enumerate(rows, 1):
            _add_row(table, (i, *row), _TOM_TAT_WIDTHS)
        _para(doc, "", "", align="center")


def _tom_tat_kind_table(doc: DocxDocument, d: Dossier) -> None:
    """Single table [TT, Loại, Họ và tên, Chức vụ - Đơn vị, Thành tích], header merged over two rows."""
    table = _grid(doc, _KIND_HEADER, _KIND_WIDTHS)
    second = table.add_row().cells
    for top, bottom in zip(table.rows[0].cells, second, strict=True):
        top.merge(bottom)
    rows = [("Tập thể", *row) for row in _collective_rows(d)]
    rows += [("Cá nhân", *row) for row in _individual_rows(d)]
    for i, row in enumerate(rows, 1):
        _add_row(table, (i, *row), _KIND_WIDTHS)
    _para(doc, "", "", align="center")


def tom_tat_docx(d: Dossier, *, kind_column: bool = False) -> bytes:
    """Báo cáo tóm tắt trích ngang thành tích .docx (per-section tables, or one table with a Loại column)."""
    doc = _new_docx()
    _header_table(doc, d, None, _dated(d.place, _TO_TRINH_DAY))
    _title(
        doc,
        "BÁO CÁO TÓM TẮT TRÍCH NGANG THÀNH TÍCH NĂM 2020",
        "Đề nghị tặng Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh về thành tích xuất sắc "
        f"trong {_MOVEMENT}",
    )
    note = _attached_to(d)
    _para(doc, note, "i", align="center")
    if kind_column:
        _tom_tat_kind_table(doc, d)
    else:
        _tom_tat_sections(doc, d)
    clerk = _staff(d, len(_BOARD_ROLES) + 2)[-1]
    _signature_table(doc, ["NGƯỜI LẬP BIỂU", "", "", "", clerk], _chair_block(d))
    return _docx_bytes(doc, d, "Báo cáo tóm tắt thành tích")


# ---------------------------------------------------------------- báo cáo sơ kết


def _bao_cao_facts(d: Dossier) -> dict[str, str]:
    """Deterministic figures for the report (union counts, members, percentages)."""
    seed = _seed(d)
    members = 900 + seed % 2500
    return {
        "unions": str(20 + seed % 60),
        "members": f"{members:,}".replace(",", "."),
        "meetings": _count(2 + seed % 4),
        "turnout": f"{members * 2 + 300:,}".replace(",", "."),
        "tidy": str(90 + seed % 11),
        "checked": str(8 + seed % 10),
    }


def _bao_cao_results(d: Dossier, f: Mapping[str, str]) -> list[tuple[str, str]]:
    """Section II of the report; mentions Tờ trình and Biên bản in passing."""
    return [
        ("II. KẾT QUẢ THỰC HIỆN", "b>"),
        ("1. Công tác tuyên truyền, quán triệt", "b>"),
        (
            f"Ngay sau khi nhận được Kế hoạch của Liên đoàn Lao động tỉnh, Ban Thường vụ {d.issuer} "
            "đã ban hành văn bản hướng dẫn các công đoàn cơ sở triển khai thực hiện; tổ chức "
            f"{f['meetings']} hội nghị quán triệt với {f['turnout']} lượt đoàn viên tham gia; "
            "tuyên truyền qua trang thông tin điện tử, các nhóm Zalo.",
            ">",
        ),
        ("2. Kết quả thực hiện các nội dung của phong trào", "b>"),
        (
            "- Về trang phục, giao tiếp, ứng xử: 100% cán bộ, công chức, viên chức thực hiện đúng "
            "quy định về trang phục, đeo thẻ khi thi hành công vụ; giao tiếp, ứng xử văn minh, "
            "lịch sự với đồng nghiệp và Nhân dân.",
            ">",
        ),
        (
            f"- Về bài trí công sở: {f['tidy']}% cơ quan, đơn vị bố trí phòng làm việc gọn gàng, "
            "khoa học; treo Quốc kỳ, biển tên cơ quan, biển tên phòng làm việc đúng quy định.",
            ">",
        ),
        (
            "- Về chấp hành kỷ luật, kỷ cương hành chính: đoàn viên chấp hành nghiêm giờ giấc làm việc, "
            "không sử dụng đồ uống có cồn trong giờ làm việc; không có trường hợp vi phạm "
            "phải xử lý kỷ luật.",
            ">",
        ),
        ("3. Công tác kiểm tra, giám sát và thi đua, khen thưởng", "b>"),
        (
            "Phối hợp với thủ trưởng cơ quan, đơn vị kiểm tra việc thực hiện văn hóa công sở tại "
            f"{f['checked']} công đoàn cơ sở. Ngày {_BIEN_BAN_DAY}/11/2020, Ban Thường vụ đã họp xét "
            f"thi đua (có Biên bản họp xét) và lập Tờ trình số {d.number}/TTr-{_office_code(d.issuer)} "
            "đề nghị khen thưởng các điển hình tiên tiến.",
            ">",
        ),
    ]


def _bao_cao_assessment(d: Dossier) -> list[tuple[str, str]]:
    """Sections III-V of the report and its closing sentence."""
    return [
        ("III. ĐÁNH GIÁ CHUNG", "b>"),
        (
            "1. Ưu điểm: Phong trào được triển khai sâu rộng, nhận thức của đoàn viên về văn hóa "
            "công sở được nâng lên; ý thức chấp hành kỷ luật, kỷ cương hành chính có nhiều "
            "chuyển biến tích cực.",
            ">",
        ),
        (
            "2. Tồn tại, hạn chế: Một số công đoàn cơ sở triển khai còn hình thức; "
            "việc kiểm tra, đôn đốc chưa "
            "thường xuyên; cơ sở vật chất một số đơn vị vùng cao còn khó khăn.",
            ">",
        ),
        ("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021", "b>"),
        (
            "Tiếp tục tuyên truyền, vận động đoàn viên thực hiện tốt văn hóa công sở gắn với thực hiện "
            "Chỉ thị số 05-CT/TW của Bộ Chính trị; kịp thời biểu dương, khen thưởng các điển hình tiên tiến.",
            ">",
        ),
        ("V. ĐỀ XUẤT, KIẾN NGHỊ", "b>"),
        (
            f"Đề nghị Liên đoàn Lao động tỉnh xem xét, tặng Bằng khen cho {_award_sentence(d)} "
            "có thành tích xuất sắc trong phong trào (có Tờ trình riêng).",
            ">",
        ),
        (f"Trên đây là báo cáo sơ kết {_MOVEMENT} của {d.issuer}./.", ">"),
    ]


def bao_cao_docx(d: Dossier) -> bytes:
    """Báo cáo sơ kết (progress report) .docx: long prose that mentions Tờ trình and Biên bản in passing."""
    doc = _new_docx()
    number = f"Số: {max(1, d.number - 1)}/BC-{_office_code(d.issuer)}"
    _header_table(doc, d, number, _dated(d.place, _BAO_CAO_DAY))
    _title(doc, "BÁO CÁO", f"Sơ kết {_MOVEMENT}")
    facts = _bao_cao_facts(d)
    _para(
        doc,
        f"Thực hiện {_PLAN} của {_PROVINCE} về việc sơ kết {_MOVEMENT}, "
        f"Ban Thường vụ {d.issuer} báo cáo kết quả thực hiện như sau:",
    )
    _para(doc, "I. ĐẶC ĐIỂM TÌNH HÌNH", "b>")
    _para(
        doc,
        f"{d.issuer} hiện có {facts['unions']} công đoàn cơ sở với {facts['members']} đoàn viên; "
        "trong đó khối hành chính, sự nghiệp chiếm phần lớn. Đội ngũ cán bộ, công chức, viên chức, "
        "người lao động cơ bản có bản lĩnh chính trị vững vàng, tích cực hưởng ứng các phong trào thi đua.",
    )
    for text, fmt in _bao_cao_results(d, facts) + _bao_cao_assessment(d):
        _para(doc, text, fmt)
    _signature_table(doc, _REPORT_RECIPIENTS, _chair_block(d))
    return _docx_bytes(doc, d, "Báo cáo sơ kết")


# ---------------------------------------------------------------- tờ trình as PDF


def _font_paths() -> tuple[Path, Path]:
    """DejaVu regular and bold (needed for Vietnamese glyphs)."""
    regular, bold = _FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf"
    for path in (regular, bold):
        if not path.is_file():
            raise RuntimeError(f"font {path} not found; install it with: apt-get install fonts-dejavu-core")
    return regular, bold


def _new_pdf(d: Dossier) -> FPDF:
    """An A4 fpdf2 document with DejaVu fonts and fixed metadata."""
    regular, bold = _font_paths()
    pdf = FPDF(format="A4")
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_author(f"Văn phòng {d.issuer}")
    pdf.set_title("Tờ trình")
    pdf.set_creator("Microsoft® Word 2016")
    pdf.set_producer("Microsoft® Word 2016")
    pdf.set_creation_date(_PDF_STAMP)
    pdf.add_page()
    return pdf


def _pdf_text(
    pdf: FPDF, text: str, fmt: str = "", *, align: str = "J", size: float = 12, width: float = 0
) -> None:
    """One paragraph (wrapped); empty text leaves a blank line."""
    pdf.set_font("DejaVu", "B" if "b" in fmt else "", size)
    pdf.multi_cell(width, 6.2, text, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)


def _pdf_columns(
    pdf: FPDF, blocks: Sequence[tuple[float, float, str, Sequence[tuple[str, str]]]], size: float
) -> None:
    """Side-by-side blocks (x, width, align, lines) starting at the current y."""
    top = bottom = pdf.get_y()
    for x, width, align, lines in blocks:
        pdf.set_xy(x, top)
        for text, fmt in lines:
            _pdf_text(pdf, text, fmt, align=align, size=size, width=width)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 4)


def _pdf_header(pdf: FPDF, d: Dossier) -> None:
    """Issuer block on the left, national title and date on the right."""
    left = [(_PARENT, ""), (d.issuer.upper(), "b"), (f"Số: {d.number}/TTr-{_office_code(d.issuer)}", "")]
    right = [(_NATION, "b"), (_MOTTO, "b"), ("", ""), (_dated(d.place, _TO_TRINH_DAY), "")]
    _pdf_columns(pdf, [(18, 70, "C", left), (90, 108, "C", right)], 11)


def _pdf_signature(pdf: FPDF, d: Dossier) -> None:
    """Recipients on the left, the chair's signature block on the right."""
    if pdf.get_y() > 225:
        pdf.add_page()
    left = [(text, "b" if i == 0 else "") for i, text in enumerate(_RECIPIENTS)]
    right = [(text, "b" if text else "") for text in _chair_block(d)]
    _pdf_columns(pdf, [(30, 75, "L", left), (110, 85, "C", right)], 10.5)


def to_trinh_pdf(d: Dossier) -> bytes:
    """The prose tờ trình as a text-layer PDF (fpdf2 + DejaVu); long lines wrap, names stay on one line."""
    pdf = _new_pdf(d)
    _pdf_header(pdf, d)
    _pdf_text(pdf, "TỜ TRÌNH", "b", align="C", size=14)
    _pdf_text(pdf, _TO_TRINH_SUBJECT, "b", align="C")
    _pdf_text(pdf, _ADDRESSEE, align="C")
    for text in _to_trinh_intro(d):
        _pdf_text(pdf, text)
    for text, fmt in _to_trinh_list(d, "Đồng chí") + _to_trinh_closing(d):
        _pdf_text(pdf, text, fmt)
    _pdf_signature(pdf, d)
    return bytes(pdf.output())


# ---------------------------------------------------------------- danh sách .xlsx


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _put(
    ws: Worksheet,
    ref: str,
    value: str | int,
    *,
    bold: bool = False,
    italic: bool = False,
    merge_to: str | None = None,
    align: Alignment = _CENTER,
) -> None:
    """Write a cell (optionally merged up to merge_to) with Times New Roman."""
    cell = ws[ref]
    cell.value = value
    cell.font = Font(name="Times New Roman", size=12, bold=bold, italic=italic)
    cell.alignment = align
    if merge_to:
        ws.merge_cells(f"{ref}:{merge_to}")


def _sheet_header(ws: Worksheet, d: Dossier) -> None:
    """Rows 1-6: issuer / national title, then the list title and its reference line."""
    _put(ws, "A1", _PARENT, merge_to="B1")
    _put(ws, "D1", _NATION, bold=True, merge_to="E1")
    _put(ws, "A2", d.issuer.upper(), bold=True, merge_to="B2")
    _put(ws, "D2", _MOTTO, bold=True, merge_to="E2")
    _put(ws, "A4", "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", bold=True, merge_to="E4")
    _put(ws, "A5", f"Tập thể, cá nhân có thành tích xuất sắc trong {_MOVEMENT}", bold=True, merge_to="E5")
    note = _attached_to(d)
    _put(ws, "A6", note, italic=True, merge_to="E6")
    ws.row_dimensions[5].height = 32
    for column, width in zip("ABCDE", (6, 34, 44, 28, 14), strict=True):
        ws.column_dimensions[column].width = width


def _sheet_rows(d: Dossier) -> list[tuple[str | int, ...]]:
    """Table body: section rows are 1-tuples, data rows have five values."""
    rows: list[tuple[str | int, ...]] = [("I. TẬP THỂ",)]
    rows += [(i, name, f"Trực thuộc {d.issuer}", _AWARD, "") for i, name in enumerate(d.collectives, 1)]
    rows.append(("II. CÁ NHÂN",))
    rows += [(i, p.name, p.position, _AWARD, "") for i, p in enumerate(d.individuals, 1)]
    return rows


def _sheet_table(ws: Worksheet, d: Dossier) -> int:
    """Header row 8, sections and data; returns the last row used."""
    header = (
        "STT",
        "Họ và tên / Tên tập thể",
        "Chức vụ, đơn vị công tác",
        "Hình thức khen thưởng",
        "Ghi chú",
    )
    for column, text in zip("ABCDE", header, strict=True):
        _put(ws, f"{column}8", text, bold=True)
    row = 8
    for values in _sheet_rows(d):
        row += 1
        if len(values) == 1:
            _put(ws, f"A{row}", values[0], bold=True, merge_to=f"E{row}", align=_WRAP)
        for column, value in zip("ABCDE", values, strict=False):
            _put(ws, f"{column}{row}", value, align=_CENTER if column == "A" else _WRAP)
    for line in ws.iter_rows(min_row=8, max_row=row, max_col=5):
        for cell in line:
            cell.border = _BOX
    return row


def _xlsx_bytes(wb: Workbook, d: Dossier) -> bytes:
    """Save without openpyxl stamping "now" into docProps, then normalise the package."""
    wb.properties.creator = wb.properties.lastModifiedBy = f"Văn phòng {d.issuer}"
    wb.properties.created = wb.properties.modified = _DOC_STAMP
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return _rezip(buffer.getvalue())


def danh_sach_xlsx(d: Dossier) -> bytes:
    """Danh sách đề nghị khen thưởng .xlsx: header rows, merged title, sections I/II, "Tổng cộng" line."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sach"
    _sheet_header(ws, d)
    last = _sheet_table(ws, d)
    total = f"Tổng cộng: {_count(len(d.collectives))} tập thể, {_count(len(d.individuals))} cá nhân."
    _put(ws, f"A{last + 2}", total, align=_WRAP)
    return _xlsx_bytes(wb, d)


# ---------------------------------------------------------------- broken inputs and bundles


def corrupt_docx() -> bytes:
    """A truncated .docx: starts with PK (local file header) but has no central directory."""
    whole = to_trinh_docx(SAMPLE_DOSSIERS["tam_duong"])
    return whole[: len(whole) // 2]


def empty_file() -> bytes:
    """A 0-byte attachment."""
    return b""


def full_dossier(d: Dossier) -> list[tuple[str, bytes]]:
    """The four .docx of a complete dossier with Vietnamese file names."""
    return [
        ("Tờ trình đề nghị khen thưởng.docx", to_trinh_docx(d)),
        ("Biên bản họp xét.docx", bien_ban_docx(d)),
        ("Báo cáo tóm tắt thành tích.docx", tom_tat_docx(d)),
        ("Báo cáo sơ kết.docx", bao_cao_docx(d)),
    ]


# ---------------------------------------------------------------- e-mail

# refold_source="none": headers of forwarded/bounced originals are written back verbatim.
_POLICY = email_policy.SMTP.clone(refold_source="none")
_CONTENT_TYPES = {
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("application", "pdf"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "zip": ("application", "zip"),
    "doc": ("application", "msword"),
    "dat": ("application", "ms-tnef"),   # Outlook's winmail.dat (tests/tnef_samples.py)
}
_ADDRESS_HEADERS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})
_DEFAULT_BODY = ("Kính gửi Văn phòng LĐLĐ tỉnh.\nThực hiện Kế hoạch số 199/KH-LĐLĐ, đơn vị gửi hồ sơ đề nghị "
                 "khen thưởng kèm theo.\nTrân trọng.")
_AUTO_REPLY_SUBJECT = "Tự động trả lời: [Đã nhận] Hồ sơ thi đua VHCS 2020"
_AUTO_REPLY_BODY = (
    "Cảm ơn anh/chị đã gửi thư.\n\nTôi đang đi công tác tại các xã vùng cao từ ngày 04/12 đến hết ngày "
    "11/12/2020, việc sử dụng thư điện tử bị hạn chế. Việc gấp xin liên hệ Văn phòng đơn vị.\n"
)


def _digest(*parts: str | bytes) -> str:
    """sha256 over length-prefixed parts: stable ids and boundaries for the same inputs."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _unstructured(name: str, value: str) -> str:
    """RFC 2047 (base64, split on character boundaries as real mailers do) when not ASCII."""
    charset = "us-ascii" if value.isascii() else "utf-8"
    return Header(value, charset, header_name=name).encode(linesep="\r\n")


def _address(display_name: str, addr: str) -> str:
    """One address; a non-ASCII display name becomes a single encoded-word.

    Splitting a display name over several encoded-words makes CPython's policy.default
    insert a spurious space ("Lai Ch âu"), so it is kept in one word.
    """
    if not display_name:
        return addr
    if display_name.isascii():
        return formataddr((display_name, addr))
    word = "=?utf-8?b?" + base64.b64encode(display_name.encode("utf-8")).decode("ascii") + "?="
    separator = " " if len(word) + len(addr) < 64 else "\r\n "
    return f"{word}{separator}<{addr}>"


def _encode_field(name: str, value: str) -> str:
    """Encode a header value according to its kind (address list or free text)."""
    if name.lower() in _ADDRESS_HEADERS:
        return ",\r\n ".join(_address(n, a) for n, a in getaddresses([value]))
    return _unstructured(name, value)


def _merge_headers(fields: dict[str, str], extra: Mapping[str, str]) -> None:
    """Add or override headers (case-insensitive); an empty value removes the header."""
    for name, value in extra.items():
        key = next((k for k in fields if k.lower() == name.lower()), name)
        if value == "":
            fields.pop(key, None)
        else:
            fields[key] = _encode_field(name, value)


def _head(fields: Mapping[str, str]) -> bytes:
    """Serialise already-encoded header fields with CRLF."""
    return "".join(f"{name}: {value}\r\n" for name, value in fields.items()).encode("ascii")


def _content_type(filename: str) -> tuple[str, str]:
    """MIME type guessed from the extension, application/octet-stream otherwise."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return _CONTENT_TYPES.get(extension, ("application", "octet-stream"))


def _attach_message(part: MIMEPart, raw: bytes) -> None:
    """Attach raw message bytes as message/rfc822, named after its subject like Thunderbird does."""
    inner = BytesParser(policy=_POLICY).parsebytes(raw)
    subject = str(inner.get("Subject", "") or "") or "Thư chuyển tiếp"
    part.add_attachment(inner, cte="7bit" if raw.isascii() else "8bit", filename=f"{subject}.eml")


def _mime_body(
    body: str, attachments: Sequence[tuple[str, bytes]], forward_of: bytes | None, digest: str
) -> bytes:
    """The MIME tree (text/plain first, then attachments) without the top-level address headers."""
    part = MIMEPart(policy=_POLICY)
    part.set_content(body, cte="quoted-printable")
    for filename, data in attachments:
        maintype, subtype = _content_type(filename)
        part.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    if forward_of is not None:
        _attach_message(part, forward_of)
    if part.is_multipart():
        part.set_boundary(f"0000000000{digest[:18]}")
    return part.as_bytes(policy=_POLICY)


def eml(
    *,
    sender: str,
    sender_name: str = "",
    to: str = "tonghop.ldld@example.org",
    subject: str,
    body: str = _DEFAULT_BODY,
    attachments: Sequence[tuple[str, bytes]] = (),
    date: datetime | None = None,
    message_id: str | None = None,
    headers: Mapping[str, str] | None = None,
    forward_of: bytes | None = None,
) -> bytes:
    """A complete RFC 5322 message (CRLF) as a unit's mailer would send it.

    Attachments get RFC 2231 file names and a type guessed from the extension; forward_of is
    attached as message/rfc822; headers adds or overrides fields ("" removes one). The default
    Message-ID is derived from the inputs (same inputs, same id), not random.
    """
    when = date or DEFAULT_DATE
    extra = headers or {}
    flat = [item for pair in attachments for item in pair]
    extra_flat = [f"{name}: {value}" for name, value in extra.items()]
    digest = _digest(
        sender, sender_name, to, subject, body, when.isoformat(), *flat, forward_of or b"", *extra_flat
    )
    fields = {
        "From": _address(sender_name, sender),
        "To": _encode_field("To", to),
        "Subject": _unstructured("Subject", subject),
        "Date": format_datetime(when),
        "Message-ID": message_id or f"<{when:%Y%m%d%H%M%S}.{digest[:14]}@example.vn>",
        "MIME-Version": "1.0",
    }
    _merge_headers(fields, extra)
    return _head(fields) + _mime_body(body, attachments, forward_of, digest)


def auto_reply_eml(
    *, sender: str, subject: str = _AUTO_REPLY_SUBJECT, in_reply_to: str | None = None
) -> bytes:
    """An out-of-office reply (Auto-Submitted: auto-replied) from a unit to the inbox."""
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    if in_reply_to:
        headers |= {"In-Reply-To": in_reply_to, "References": in_reply_to}
    return eml(
        sender=sender,
        subject=subject,
        body=_AUTO_REPLY_BODY,
        headers=headers,
        date=DEFAULT_DATE + timedelta(minutes=3),
    )


def _crlf(raw: bytes) -> bytes:
    """Normalise line endings to CRLF and end with exactly one line break."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n").rstrip(b"\r\n") + b"\r\n"


def _bounce_date(original: MIMEPart) -> datetime:
    """A few seconds after the original's Date (or the default date)."""
    try:
        sent = parsedate_to_datetime(str(original.get("Date", "")))
    except (TypeError, ValueError):
        sent = None
    return (sent or DEFAULT_DATE) + timedelta(seconds=7)


def _dsn_parts(rcpt: str, when: datetime) -> tuple[str, str]:
    """The human-readable notice and the machine-readable delivery-status block."""
    reason = f"550 5.1.1 <{rcpt}>:\r\n    Recipient address rejected: User unknown in virtual mailbox table"
    notice = (
        "This is the mail system at host mail.example.vn.\r\n\r\nI'm sorry to have to inform you that your "
        "message could not\r\nbe delivered to one or more recipients. It's attached below.\r\n\r\n"
        f"<{rcpt}>: host mx.example.vn[192.0.2.10] said: {reason}\r\n"
    )
    status = (
        f"Reporting-MTA: dns; mail.example.vn\r\nArrival-Date: {format_datetime(when)}\r\n\r\n"
        f"Final-Recipient: rfc822; {rcpt}\r\nOriginal-Recipient: rfc822;{rcpt}\r\nAction: failed\r\n"
        f"Status: 5.1.1\r\nRemote-MTA: dns; mx.example.vn\r\nDiagnostic-Code: smtp; {reason}\r\n"
    )
    return notice, status


def _report_body(boundary: str, rcpt: str, when: datetime, original: bytes) -> bytes:
    """multipart/report body: notice, delivery-status, the returned message."""
    notice, status = _dsn_parts(rcpt, when)
    cte = "" if original.isascii() else "\r\nContent-Transfer-Encoding: 8bit"
    parts = [
        (b"Content-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii", notice.encode()),
        (b"Content-Description: Delivery report\r\nContent-Type: message/delivery-status", status.encode()),
        (
            b"Content-Description: Undelivered Message\r\nContent-Type: message/rfc822" + cte.encode(),
            _crlf(original),
        ),
    ]
    mark = f"--{boundary}".encode()
    out = b"This is a MIME-encapsulated message.\r\n\r\n"
    for head, content in parts:
        out += mark + b"\r\n" + head + b"\r\n\r\n" + content + b"\r\n"
    return out + mark + b"--\r\n"


def bounce_eml(*, original: bytes) -> bytes:
    """A Postfix-style DSN (multipart/report) from MAILER-DAEMON with Return-Path <>, returning original."""
    parsed = BytesParser(policy=_POLICY).parsebytes(original)
    to = parseaddr(str(parsed.get("From", "")))[1] or "tonghop.ldld@example.org"
    rcpt = parseaddr(str(parsed.get("To", "")))[1] or "unknown@example.vn"
    when = _bounce_date(parsed)
    digest = _digest(b"bounce", original)
    boundary = f"{digest[:12].upper()}.{int(when.timestamp())}/mail.example.vn"
    fields = {
        "Return-Path": "<>",
        "From": "Mail Delivery System <MAILER-DAEMON@mail.example.vn>",
        "To": to,
        "Subject": "Undelivered Mail Returned to Sender",
        "Date": format_datetime(when),
        "Message-ID": f"<{when:%Y%m%d%H%M%S}.{digest[:14]}@mail.example.vn>",
        "Auto-Submitted": "auto-replied",
        "MIME-Version": "1.0",
        "Content-Type": f'multipart/report; report-type=delivery-status;\r\n boundary="{boundary}"',
    }
    return _head(fields) + b"\r\n" + _report_body(boundary, rcpt, when, original)


# ---------------------------------------------------------------- ready-made dossiers


def _people(*pairs: tuple[str, str]) -> tuple[Person, ...]:
    """Tuple of Person from (name, position) pairs."""
    return tuple(Person(name, position) for name, position in pairs)


SAMPLE_DOSSIERS: dict[str, Dossier] = {
    "tp_laichau": Dossier(
        issuer="LĐLĐ thành phố Lai Châu",
        place="Lai Châu",
        collectives=("Công đoàn Trường PTDTBT Tiểu học phường Đông Phong",),
        individuals=_people(
            ("Đào Thanh Hạnh", "Công chức Văn hóa - Xã hội, UBND phường Tân Phong"),
            ("Vì Thị Thoa", "Nhân viên văn thư, Trường THCS xã San Thàng"),
            ("Đặng Hữu Phong", "Giáo viên, Trường Tiểu học phường Quyết Tiến"),
            ("Giàng Thị Mai", "Tổ trưởng chuyên môn, Trường PTDTBT Tiểu học phường Đoàn Kết"),
        ),
        number=19,
        chair="Sùng A Pó",
    ),
    "tam_duong": Dossier(
        issuer="LĐLĐ huyện Tam Đường",
        place="Tam Đường",
        collectives=("Công đoàn cơ sở Trường Mầm non xã Bản Bo",),
        individuals=_people(
            ("Lò Văn Pâng", "Chủ tịch Công đoàn cơ sở, Trường PTDTBT Tiểu học xã Bản Giang"),
            ("Giàng A Chứ", "Kế toán, Trường THCS xã Nùng Nàng"),
            ("Lù Văn Phóng", "Kế toán, Trường Tiểu học xã Sơn Bình"),
            ("Lù Thị Ngoan", "Phó Hiệu trưởng, Trường Mầm non xã Nà Tăm"),
        ),
        number=38,
        chair="Chảo Thị Chiêu",
    ),
    "phong_tho": Dossier(
        issuer="LĐLĐ huyện Phong Thổ",
        place="Phong Thổ",
        collectives=("Công đoàn cơ sở Trường Tiểu học xã Bản Lang",),
        individuals=_people(
            ("Tẩn Thị Mây", "Nữ hộ sinh, Trạm Y tế xã Bản Lang"),
            ("Lý Thị Chiêu", "Phó Hiệu trưởng, Trường PTDTBT Tiểu học xã Vàng Ma Chải"),
            ("Hầu Thị Mỵ", "Công chức Tư pháp - Hộ tịch, UBND xã Sì Lở Lầu"),
            ("Bàn Thị Hiền", "Nhân viên văn thư, Trường PTDTBT Tiểu học xã Khổng Lào"),
        ),
        number=31,
        chair="Hà Thu Nga",
    ),
    "sin_ho": Dossier(
        issuer="LĐLĐ huyện Sìn Hồ",
        place="Sìn Hồ",
        collectives=("Công đoàn cơ sở Phòng Tài chính - Kế hoạch huyện Sìn Hồ",),
        individuals=_people(
            ("Đặng Hồng Mai", "Phó Hiệu trưởng, Trường PTDTBT Tiểu học xã Noong Hẻo"),
            ("Cứ A Dìa", "Công chức Văn phòng - Thống kê, UBND xã Làng Mô"),
            ("Hầu Thị Pà", "Chủ tịch Công đoàn cơ sở, Trường PTDTBT Tiểu học xã Làng Mô"),
        ),
        number=19,
        chair="Nông Thúy Thủy",
    ),
    "muong_te": Dossier(
        issuer="LĐLĐ huyện Mường Tè",
        place="Mường Tè",
        collectives=("Công đoàn Trường Mầm non xã Thu Lũm",),
        individuals=_people(
            ("Trần Ngọc Hà", "Nhân viên văn thư, Trường Tiểu học xã Bum Nưa"),
            ("Cứ A Sềnh", "Giáo viên, Trường THCS xã Bum Nưa"),
            ("Vũ Thế Nam", "Kế toán, Trường Mầm non xã Kan Hồ"),
            ("Chu Văn Chờ", "Chủ tịch Công đoàn cơ sở, UBND xã Kan Hồ"),
        ),
        number=44,
        chair="Đỗ Quang Sơn",
    ),
    "cd_giaoduc": Dossier(
        issuer="Công đoàn ngành Giáo dục",
        place="Lai Châu",
        collectives=("Công đoàn Trường THPT Bình Lư",),
        individuals=_people(
            ("Đinh Ngọc Long", "Nhân viên văn thư, Trường THPT Nậm Nhùn"),
            ("Cầm Thị Lả", "Tổ trưởng chuyên môn, Trường THPT chuyên Lê Quý Đôn"),
            ("Cao Thúy Hương", "Giáo viên, Trường THPT Dân tộc nội trú tỉnh"),
            ("Tạ Hồng Hạnh", "Phó Hiệu trưởng, Trường THPT Sìn Hồ"),
            ("Dương Thị Phương", "Kế toán, Trường THPT Mường Kim"),
        ),
        number=34,
        chair="Quàng Văn Biên",
    ),
    "cd_yte": Dossier(
        issuer="Công đoàn ngành Y tế",
        place="Lai Châu",
        collectives=("Công đoàn cơ sở Bệnh viện Đa khoa tỉnh Lai Châu",),
        individuals=_people(
            ("Lò Thị Hương", "Điều dưỡng trưởng, Khoa Nội - Bệnh viện Đa khoa tỉnh"),
            ("Vàng A Sử", "Y sĩ, Trạm Y tế xã Pa Vệ Sủ"),
            ("Nguyễn Thị Thu Trang", "Dược sĩ, Trung tâm Y tế huyện Than Uyên"),
            ("Tao Văn Ún", "Bác sĩ, Trung tâm Y tế huyện Tân Uyên"),
            ("Pờ Thị Sính", "Nữ hộ sinh, Trạm Y tế xã Pa Ủ"),
            ("Hoàng Đức Thắng", "Trưởng phòng Tổ chức - Hành chính, Trung tâm Kiểm soát bệnh tật tỉnh"),
        ),
        number=27,
        chair="Lường Văn Thiêm",
    ),
    "cdvc": Dossier(
        issuer="Công đoàn Viên chức tỉnh",
        place="Lai Châu",
        collectives=("Công đoàn cơ sở Sở Tư pháp tỉnh Lai Châu",),
        individuals=_people(
            ("Đèo Văn Hặc", "Chuyên viên, Văn phòng Sở Nội vụ"),
            ("Sùng Thị Dua", "Kế toán, Ban Quản lý dự án đầu tư xây dựng tỉnh"),
            ("Phạm Minh Khôi", "Chủ tịch Công đoàn cơ sở, Sở Tài chính"),
            ("Lý Seo Chờ", "Chuyên viên, Sở Nông nghiệp và Phát triển nông thôn"),
            ("Khoàng Thị Quý", "Phó Chánh Văn phòng, Sở Tư pháp"),
            ("Bùi Thanh Tùng", "Kiểm soát viên, Sở Kế hoạch và Đầu tư"),
            ("Hoàng Thị Ngọc Ánh", "Văn thư, Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh"),
            ("Tẩn Mí Mẩy", "Chuyên viên, Ban Dân tộc tỉnh"),
        ),
        number=52,
        chair="Nguyễn Thị Thanh Huyền",
    ),
}
