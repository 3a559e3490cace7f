"""parsers.extract: one Document per format, format sniffed from the bytes, every failure a DocumentError."""

from __future__ import annotations

import dataclasses
import io
import struct
import unicodedata
import warnings
import zipfile
from collections.abc import Callable

import docx
import pytest
from fpdf import FPDF

import parsers
from bot.core.model import Finding
from parsers import (
    CorruptDocument,
    Document,
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    Limits,
    Table,
    TooLarge,
    UnsupportedFormat,
    sniff_format,
)
from tests import samples
from tests.samples import SAMPLE_DOSSIERS

TAM_DUONG = SAMPLE_DOSSIERS["tam_duong"]
SIN_HO = SAMPLE_DOSSIERS["sin_ho"]
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _docx_of(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_member(package: bytes, name: str, data: bytes) -> bytes:
    """The same zip package with one extra member."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    return samples.zip_of({**members, name: data})


def _lying_zip(declared: int) -> bytes:
    """A tiny docx-looking zip whose central directory claims ``declared`` uncompressed bytes."""
    data = bytearray(samples.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}))
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into("<I", data, start + 24, declared)
        start += 4
    return bytes(data)


def _cfb(*stream_names: str) -> bytes:
    """A minimal Compound File (OLE2) with the given empty streams under the root entry."""
    header = bytearray(512)
    header[0:8] = OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)               # one FAT sector
    struct.pack_into("<I", header, 48, 1)               # directory starts in sector 1
    struct.pack_into("<I", header, 56, 4096)            # mini stream cutoff
    struct.pack_into("<III", header, 60, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<I", header, 76, 0)               # DIFAT[0]: the FAT is sector 0
    header[80:512] = b"\xff" * 432
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE) + b"\xff" * 504

    def entry(name: str, kind: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<I", raw, 116, 0xFFFFFFFE)
        return bytes(raw)

    entries = [entry("Root Entry", 5, child=1 if stream_names else 0xFFFFFFFF)]
    for index, name in enumerate(stream_names, 1):
        entries.append(entry(name, 2, right=index + 1 if index < len(stream_names) else 0xFFFFFFFF))
    directory = b"".join(entries).ljust(512, b"\0")
    return bytes(header) + fat + directory


# ------------------------------------------------------------------------------------ one per format


def test_docx_reads_header_title_paragraphs_and_tables() -> None:
    document = parsers.extract("Tờ trình.docx", samples.to_trinh_docx(TAM_DUONG))
    lines = document.lines()
    assert document.format == "docx"
    assert "TỜ TRÌNH" in lines
    assert "LĐLĐ HUYỆN TAM ĐƯỜNG" in lines                       # header table cell, one line per paragraph
    assert f"Số: {TAM_DUONG.number}/TTr-LĐLĐ" in lines
    assert TAM_DUONG.chair in lines                               # signature table
    assert lines.index("TỜ TRÌNH") < lines.index(TAM_DUONG.chair)  # reading order
    assert all(unicodedata.is_normalized("NFC", line) and line == line.strip() and line for line in lines)


def test_pdf_reads_text_layer() -> None:
    document = parsers.extract("Tờ trình.pdf", samples.to_trinh_pdf(SIN_HO))
    text = document.text
    assert document.format == "pdf"
    assert document.pages >= 1
    assert "needs_ocr" not in document.warnings
    assert "TỜ TRÌNH" in document.lines()
    for p in SIN_HO.individuals:
        assert p.name in text
    assert SIN_HO.collectives[0] in text


def test_xlsx_reads_every_row_as_one_table() -> None:
    d = SAMPLE_DOSSIERS["muong_te"]
    document = parsers.extract("Danh sách.xlsx", samples.danh_sach_xlsx(d))
    assert document.format == "xlsx"
    [table] = document.tables
    names = [row[1] for row in table.rows if len(row) > 1]
    assert [p.name for p in d.individuals] == [n for n in names if n in {p.name for p in d.individuals}]
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in document.lines()
    assert any(row[0].startswith("Tổng cộng") for row in table.rows)
    assert all(all(isinstance(cell, str) for cell in row) for row in table.rows)  # STT numbers become text
    assert any(row[0] == "1" for row in table.rows)


def test_html_saved_as_doc_is_read_as_text() -> None:
    """GIVEN a Word «Web page» saved with a .doc extension WHEN extracted THEN its visible text lines."""
    html = (
        "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><meta charset='utf-8'>"
        "<style>p.MsoTitle {font-weight: bold}</style><script>var x = '<p>ẩn</p>';</script></head>"
        "<body><p class=MsoTitle>TỜ&nbsp;TRÌNH</p><p>Số: 7/TTr-LĐLĐ</p>"
        "<table><tr><td>1</td><td>Lò Văn Pâng</td></tr></table></body></html>"
    )
    document = parsers.extract("To trinh.doc", html.encode("utf-8"))
    assert sniff_format("To trinh.doc", html.encode("utf-8")) == "html"
    assert document.lines() == ["TỜ TRÌNH", "Số: 7/TTr-LĐLĐ", "1", "Lò Văn Pâng"]


@pytest.mark.parametrize(
    ("encoding", "text", "expected"),
    [
        ("utf-8", "TỜ TRÌNH\r\n\r\n  Số: 7/TTr  \n", ["TỜ TRÌNH", "Số: 7/TTr"]),
        ("cp1258", "Ông Bàn Đư\u0301c\nLa\u0300o Cai", ["Ông Bàn Đức", "Lào Cai"]),  # legacy Windows encoding
    ],
)
def test_plain_text(encoding: str, text: str, expected: list[str]) -> None:
    document = parsers.extract("ghi chu.txt", text.encode(encoding))
    assert document.lines() == expected


def test_lines_are_nfc_even_when_the_document_is_nfd() -> None:
    """GIVEN a docx typed on a Mac (NFD text) WHEN extracted THEN lines() is NFC."""
    document = parsers.extract("x.docx", _docx_of(unicodedata.normalize("NFD", "TỜ TRÌNH"), "Lò Văn Pâng"))
    assert document.lines() == ["TỜ TRÌNH", "Lò Văn Pâng"]


def test_block_lines_are_the_lines_of_each_block_worked_out_once() -> None:
    """GIVEN a paragraph, a blank and a table WHEN block_lines() is asked twice THEN one answer per block,
    the same object the second time, and lines() is their concatenation."""
    table = parsers.Table((("  Lò  Văn\nPâng ", ""), ("Chủ tịch", "x")))
    document = parsers.Document("docx", (unicodedata.normalize("NFD", "TỜ TRÌNH"), "   ", table))
    assert document.block_lines() == (("TỜ TRÌNH",), (), ("Lò Văn", "Pâng", "Chủ tịch", "x"))
    assert document.block_lines() is document.block_lines()
    assert document.lines() == ["TỜ TRÌNH", "Lò Văn", "Pâng", "Chủ tịch", "x"]
    assert parsers.Document("txt", ("  ", "\n")).is_empty and not document.is_empty


def test_a_changed_copy_of_a_document_works_its_lines_out_again() -> None:
    document = parsers.Document("docx", ("TỜ TRÌNH", "Kính gửi"))
    assert document.lines() == ["TỜ TRÌNH", "Kính gửi"]
    part = dataclasses.replace(document, blocks=("BIÊN BẢN",))
    assert part.lines() == ["BIÊN BẢN"]
    assert part == dataclasses.replace(part)   # the remembered lines are no part of equality


def test_lines_known_are_taken_only_when_they_fit_the_blocks() -> None:
    document = parsers.Document("docx", ("a b", "c"))
    document.block_lines_known((("wrong",),))
    assert document.lines() == ["a b", "c"]
    fitted = parsers.Document("docx", ("a  b", "c"))
    fitted.block_lines_known((("a b",), ("c",)))
    assert fitted.block_lines() == (("a b",), ("c",))


def test_docx_merged_cells_appear_once_per_row() -> None:
    """GIVEN a tờ trình table with «I. TẬP THỂ» merged across 4 columns WHEN read THEN it is one cell."""
    document = parsers.extract("x.docx", samples.to_trinh_docx(TAM_DUONG, style="table"))
    [nominees] = [t for t in document.tables if t.rows and t.rows[0][:2] == ("STT", "Họ và tên")]
    assert ("I. TẬP THỂ",) in nominees.rows
    assert ("II. CÁ NHÂN",) in nominees.rows
    data_rows = [row for row in nominees.rows if len(row) > 1]
    assert {len(row) for row in data_rows} == {4}
    assert len(data_rows) == 1 + len(TAM_DUONG.collectives) + len(TAM_DUONG.individuals)


# ------------------------------------------------------------------------------------ sniffing


def test_docx_named_pdf_is_read_as_docx() -> None:
    document = parsers.extract("Tờ trình.pdf", samples.to_trinh_docx(TAM_DUONG))
    assert document.format == "docx"
    assert "TỜ TRÌNH" in document.lines()


def test_pdf_with_junk_before_the_signature() -> None:
    """GIVEN a PDF with mailer junk before %PDF- WHEN extracted THEN it is still read as the PDF."""
    data = b"\r\n\r\nContent-Type: application/pdf\r\n\r\n" + samples.to_trinh_pdf(SIN_HO)
    assert sniff_format("x.pdf", data) == "pdf"
    document = parsers.extract("x.pdf", data)
    assert "TỜ TRÌNH" in document.lines()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: samples.to_trinh_docx(TAM_DUONG), "docx"),
        (lambda: samples.danh_sach_xlsx(TAM_DUONG), "xlsx"),
        (lambda: samples.to_trinh_pdf(SIN_HO), "pdf"),
    ],
    ids=["docx", "xlsx", "pdf"],
)
@pytest.mark.parametrize("filename", ["tep-dinh-kem", "Tài liệu.doc", "scan.jpg"])
def test_format_comes_from_the_bytes_not_the_name(make: Callable[[], bytes], expected: str, filename: str) -> None:
    data = make()
    assert sniff_format(filename, data) == expected
    assert parsers.extract(filename, data).format == expected


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("a.doc", OLE_MAGIC + b"\0" * 600, "ole"),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image"),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64, "image"),
        ("a.tif", b"II*\x00" + b"\0" * 64, "image"),
        ("a.zip", samples.zip_of({"a.txt": b"x"}), "zip"),
        ("ho so.rar", samples.rar_of({"a.txt": b"x"}), "rar"),
        ("ho so", samples.seven_zip_of({"a.txt": b"x"}), "7z"),
        ("a.docx", b"PK\x03\x04 truncated", "broken_zip"),
        ("a.txt", b"plain words", "text"),
        ("a.csv", b"1,2", "text"),
        ("a.bin", b"plain words", "unknown"),
        ("noextension", b"plain words", "unknown"),
    ],
)
def test_sniff_format(filename: str, data: bytes, expected: str) -> None:
    assert sniff_format(filename, data) == expected


# ------------------------------------------------------------------------------------ failures


@pytest.mark.parametrize(
    ("filename", "data", "error"),
    [
        ("Tờ trình.docx", b"", EmptyDocument),
        ("Tờ trình.docx", samples.corrupt_docx(), CorruptDocument),
        ("Tờ trình.docx", samples.zip_of({"[Content_Types].xml": b"<x", "word/document.xml": b"<<not xml"}),
         CorruptDocument),
        ("Danh sách.xlsx", samples.zip_of({"[Content_Types].xml": b"<x", "xl/workbook.xml": b"<<not xml"}),
         CorruptDocument),
        ("Tờ trình.pdf", b"%PDF-1.4\nthis is no pdf\n%%EOF\n", CorruptDocument),
        ("Tờ trình.pdf", samples.to_trinh_pdf(SIN_HO)[:4000], CorruptDocument),
        ("Tờ trình.docx", bytes(range(256)) * 8, UnsupportedFormat),
        ("Tờ trình.doc", OLE_MAGIC + b"\0" * 1000, UnsupportedFormat),
        ("Tờ trình.doc", _cfb("WordDocument", "\x01CompObj"), UnsupportedFormat),
        ("ho so.zip", samples.zip_of({"a.docx": b"x"}), UnsupportedFormat),
        ("ho so.rar", samples.rar_of({"a.docx": b"x"})[:40], UnsupportedFormat),
        ("Tờ trình.docx", samples.zip_of({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"\0" * 64}),
         EncryptedDocument),
    ],
    ids=["empty", "truncated-docx", "docx-bad-xml", "xlsx-bad-xml", "pdf-no-objects", "truncated-pdf",
         "random-bytes", "ole-header", "legacy-word-cfb", "plain-zip", "broken-rar", "encrypted-office-zip"],
)
def test_extract_failures(filename: str, data: bytes, error: type[DocumentError]) -> None:
    with pytest.raises(error):
        parsers.extract(filename, data)


def test_password_protected_docx_in_its_real_container_is_encrypted() -> None:
    with pytest.raises(EncryptedDocument):
        parsers.extract("Tờ trình.docx", _cfb("EncryptionInfo", "EncryptedPackage"))


def test_password_protected_pdf_is_encrypted() -> None:
    pdf = FPDF()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pdf.set_encryption(owner_password="chu-tich", user_password="mat-khau")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="TO TRINH")
    with pytest.raises(EncryptedDocument):
        parsers.extract("Tờ trình.pdf", bytes(pdf.output()))


def test_pdf_without_text_layer_is_flagged_needs_ocr() -> None:
    """GIVEN a scanned PDF (pages but no text) WHEN extracted THEN a Document warning needs_ocr."""
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 100, 150)
    document = parsers.extract("scan.pdf", bytes(pdf.output()))
    assert document.pages == 2
    assert "needs_ocr" in document.warnings
    assert document.is_empty


def test_zip_bomb_docx_is_refused_before_inflating() -> None:
    """GIVEN a docx carrying 2 MB of zeros (a few kB compressed) and a 1 MB ceiling WHEN extracted THEN TooLarge."""
    bomb = _with_member(samples.to_trinh_docx(TAM_DUONG), "word/media/zeros.bin", b"\0" * (2 * 1024 * 1024))
    assert len(bomb) < 200 * 1024
    with pytest.raises(TooLarge):
        parsers.extract("Tờ trình.docx", bomb, Limits(max_unzipped_bytes=1024 * 1024))


def test_zip_declaring_a_huge_size_is_refused_with_default_limits() -> None:
    data = _lying_zip(2**31 - 1)
    assert sniff_format("x.docx", data) == "docx"
    with pytest.raises(TooLarge):
        parsers.extract("x.docx", data)


def test_zip_with_too_many_members_is_refused() -> None:
    with pytest.raises(TooLarge):
        parsers.extract("x.xlsx", samples.danh_sach_xlsx(TAM_DUONG), Limits(max_zip_members=5))


def test_file_over_the_byte_limit_is_refused() -> None:
    data = samples.to_trinh_docx(TAM_DUONG)
    with pytest.raises(TooLarge):
        parsers.extract("x.docx", data, Limits(max_bytes=len(data) - 1))


def test_pdf_over_the_page_limit_is_refused() -> None:
    with pytest.raises(TooLarge):
        parsers.extract("x.pdf", samples.to_trinh_pdf(SIN_HO), Limits(max_pages=0))


def test_html_with_byte_order_mark() -> None:
    data = "\ufeff<html><body><p>TỜ TRÌNH</p></body></html>".encode()
    assert parsers.extract("To trinh.doc", data).lines() == ["TỜ TRÌNH"]


def test_error_codes_are_finding_words() -> None:
    """Every DocumentError code is a Finding word the ledger and the replies understand."""
    findings = {str(f) for f in Finding}
    for error in (DocumentError, EmptyDocument, CorruptDocument, EncryptedDocument, UnsupportedFormat, TooLarge):
        assert error.code in findings, error


def test_document_lines_split_cells_and_drop_blanks() -> None:
    document = Document("docx", ("  TỜ TRÌNH ", Table(rows=(("a\n\nb", ""), (" ", "c"))), ""))
    assert document.lines() == ["TỜ TRÌNH", "a", "b", "c"]
    assert document.text == "TỜ TRÌNH\na\nb\nc"
    assert not document.is_empty
    assert Document("docx", ("", Table(rows=((" ",),)))).is_empty
