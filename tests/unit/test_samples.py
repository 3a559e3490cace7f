"""Round-trip checks of tests/samples.py through python-docx, pdfplumber, openpyxl and email."""

from __future__ import annotations

import email
import io
import unicodedata
import zipfile
from collections.abc import Callable
from email import policy
from email.message import EmailMessage

import openpyxl
import pdfplumber
import pytest
from docx import Document

from tests import samples
from tests.samples import SAMPLE_DOSSIERS, Dossier

TAM_DUONG = SAMPLE_DOSSIERS["tam_duong"]


def _blocks(data: bytes) -> list[str | list[list[str]]]:
    """Body of a .docx in order: paragraph texts and tables (as rows of cell texts)."""
    out: list[str | list[list[str]]] = []
    for item in Document(io.BytesIO(data)).iter_inner_content():
        if hasattr(item, "rows"):
            out.append([[cell.text for cell in row.cells] for row in item.rows])
        else:
            out.append(item.text)
    return out


def _tables(data: bytes) -> list[list[list[str]]]:
    return [block for block in _blocks(data) if isinstance(block, list)]


def _paragraphs(data: bytes) -> list[str]:
    return [block for block in _blocks(data) if isinstance(block, str)]


def _parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _all_text(d: Dossier) -> list[str]:
    return [d.issuer, d.place, d.chair, *d.collectives, *(f"{p.name} {p.position}" for p in d.individuals)]


@pytest.mark.parametrize(
    ("unit", "collectives", "individuals"),
    [("tp_laichau", 1, 4), ("tam_duong", 1, 4), ("sin_ho", 1, 3), ("cd_giaoduc", 1, 5), ("cd_yte", 1, 6),
     ("cdvc", 1, 8)],
)  # fmt: skip
def test_sample_dossiers_sizes_and_nfc(unit: str, collectives: int, individuals: int) -> None:
    d = SAMPLE_DOSSIERS[unit]
    assert (len(d.collectives), len(d.individuals)) == (collectives, individuals)
    assert all(unicodedata.is_normalized("NFC", text) for text in _all_text(d))
    assert len({p.name for p in d.individuals}) == individuals


def test_to_trinh_prose_layout() -> None:
    data = samples.to_trinh_docx(TAM_DUONG)
    header, signature = _tables(data)
    assert header[0][0] == "LĐLĐ TỈNH LAI CHÂU\nLĐLĐ HUYỆN TAM ĐƯỜNG\nSố: 38/TTr-LĐLĐ"
    assert header[0][1].endswith("\n\nTam Đường, ngày 30 tháng 11 năm 2020")
    assert signature[0][1] == "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH\n\n\n\nChảo Thị Chiêu"
    lines = _paragraphs(data)
    assert "TỜ TRÌNH" in lines
    assert lines.index("1. Tập thể (01):") < lines.index("2. Cá nhân (04):")
    assert "1. Công đoàn cơ sở Trường Mầm non xã Bản Bo;" in lines
    assert "1. Đồng chí Lò Văn Pâng - Chủ tịch Công đoàn cơ sở Trường PTDTBT Tiểu học xã Bản Giang;" in lines


def test_to_trinh_table_style_and_honorific() -> None:
    nominees = _tables(samples.to_trinh_docx(TAM_DUONG, style="table"))[1]
    assert nominees[0] == ["STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Ghi chú"]
    assert nominees[1] == ["I. TẬP THỂ"] * 4  # merged section row
    assert [row[1] for row in nominees[5:]] == ["Giàng A Chứ", "Lù Văn Phóng", "Lù Thị Ngoan"]
    plain = _paragraphs(samples.to_trinh_docx(TAM_DUONG, honorific=""))
    assert "2. Giàng A Chứ - Kế toán Trường THCS xã Nùng Nàng;" in plain
    with pytest.raises(ValueError, match="style"):
        samples.to_trinh_docx(TAM_DUONG, style="list")


def test_bien_ban_vote_table() -> None:
    data = samples.bien_ban_docx(TAM_DUONG)
    votes = _tables(data)[1]
    assert votes[0] == ["STT", "Tên tập thể, cá nhân", "Số phiếu đồng ý", "Tỷ lệ (%)"]
    assert votes[1][1] == "Công đoàn cơ sở Trường Mầm non xã Bản Bo (tập thể)"
    assert [row[1] for row in votes[2:]] == [p.name for p in TAM_DUONG.individuals]
    lines = _paragraphs(data)
    assert "Số thành viên có mặt: 06/06 đồng chí; vắng: không." in lines
    assert "1. Đồng chí Chảo Thị Chiêu - Chủ tịch LĐLĐ huyện Tam Đường - Chủ trì;" in lines


def test_tom_tat_sections_and_kind_column() -> None:
    data = samples.tom_tat_docx(SAMPLE_DOSSIERS["cd_giaoduc"])
    collective, individual = _tables(data)[1:3]
    assert collective[1][1] == "Công đoàn Trường THPT Bình Lư"
    assert individual[5][1:3] == ["Dương Thị Phương", "Kế toán, Trường THPT Mường Kim"]
    assert {"I. TẬP THỂ", "II. CÁ NHÂN"} <= set(_paragraphs(data))
    single = _tables(samples.tom_tat_docx(SAMPLE_DOSSIERS["cd_giaoduc"], kind_column=True))[1]
    assert single[0] == single[1] == ["TT", "Loại", "Họ và tên", "Chức vụ - Đơn vị", "Thành tích"]
    assert [row[1] for row in single[2:]] == ["Tập thể"] + ["Cá nhân"] * 5
    assert single[3][2] == "Đinh Ngọc Long"


def test_bao_cao_mentions_documents_but_no_nominee() -> None:
    text = "\n".join(_paragraphs(samples.bao_cao_docx(TAM_DUONG)))
    assert "Tờ trình" in text and "Biên bản" in text and "I. ĐẶC ĐIỂM TÌNH HÌNH" in text
    assert not any(p.name in text for p in TAM_DUONG.individuals)


def test_to_trinh_pdf_text_layer() -> None:
    d = SAMPLE_DOSSIERS["cdvc"]
    with pdfplumber.open(io.BytesIO(samples.to_trinh_pdf(d))) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    lines = text.splitlines()
    for i, person in enumerate(d.individuals, 1):
        assert any(line.startswith(f"{i}. Đồng chí {person.name} - ") for line in lines), person.name
    assert "Số: 52/TTr-CĐVC" in lines
    assert f"1. {d.collectives[0]};" in lines
    assert unicodedata.is_normalized("NFC", text)


def test_danh_sach_xlsx() -> None:
    d = SAMPLE_DOSSIERS["muong_te"]
    sheet = openpyxl.load_workbook(io.BytesIO(samples.danh_sach_xlsx(d))).active
    values = {
        cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None
    }
    assert values["A4"] == "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    assert (values["A9"], values["B10"], values["A11"]) == ("I. TẬP THỂ", d.collectives[0], "II. CÁ NHÂN")
    assert [values[f"B{row}"] for row in range(12, 16)] == [p.name for p in d.individuals]
    assert values["A17"] == "Tổng cộng: 01 tập thể, 04 cá nhân."
    assert {"A4:E4", "A9:E9", "A11:E11"} <= {str(r) for r in sheet.merged_cells.ranges}


def test_eml_vietnamese_headers_and_attachments() -> None:
    d = SAMPLE_DOSSIERS["cd_giaoduc"]
    files = [*samples.full_dossier(d), ("Danh sách.xlsx", b"x"), ("Tờ trình.pdf", b"%PDF"), ("a.bin", b"")]
    subject = "Hồ sơ đề nghị khen thưởng phong trào văn hóa công sở năm 2020 - Công đoàn ngành Giáo dục tỉnh"
    name = "Công đoàn ngành Giáo dục tỉnh Lai Châu"
    raw = samples.eml(
        sender="congdoan.giaoduc@example.vn", sender_name=name, subject=subject, attachments=files
    )
    assert b"\n" not in raw.replace(b"\r\n", b"") and raw.isascii()
    message = _parse(raw)
    assert (message["Subject"], message["From"].addresses[0].display_name) == (subject, name)
    assert message["Date"].datetime == samples.DEFAULT_DATE
    got = [(part.get_filename(), part.get_content()) for part in message.iter_attachments()]
    assert got == files
    types = [part.get_content_type() for part in message.iter_attachments()]
    assert types[-3:] == ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          "application/pdf", "application/octet-stream"]  # fmt: skip
    assert message.get_body(("plain",)).get_content().startswith("Kính gửi")


def test_eml_forward_override_and_determinism() -> None:
    inner = samples.eml(
        sender="ldld.tamduong@example.vn", subject="Gửi hồ sơ", attachments=[("Tờ trình.docx", b"PK")]
    )
    headers = {"Message-ID": "<x1@example.org>", "X-Mailer": "Microsoft Outlook 16.0"}
    kwargs = {"sender": "vanphong.ldld@example.org", "subject": "Fwd: Gửi hồ sơ", "forward_of": inner}
    raw = samples.eml(headers=headers, **kwargs)
    assert raw == samples.eml(headers=headers, **kwargs)
    message = _parse(raw)
    assert (message["Message-ID"], message["X-Mailer"]) == ("<x1@example.org>", "Microsoft Outlook 16.0")
    (part,) = message.iter_attachments()
    assert (part.get_content_type(), part.get_filename()) == ("message/rfc822", "Gửi hồ sơ.eml")
    forwarded = part.get_content()
    assert [a.get_filename() for a in forwarded.iter_attachments()] == ["Tờ trình.docx"]
    assert "Message-ID" not in _parse(
        samples.eml(sender="a@example.vn", subject="x", headers={"Message-ID": ""})
    )


def test_auto_reply_and_bounce() -> None:
    reply = _parse(samples.auto_reply_eml(sender="ldld.sinho@example.vn", in_reply_to="<bot.1@example.org>"))
    assert (reply["Auto-Submitted"], reply["In-Reply-To"]) == ("auto-replied", "<bot.1@example.org>")
    assert reply["Subject"].startswith("Tự động trả lời:")
    original = samples.eml(
        sender="tonghop.ldld@example.org", to="ldld.sinho@example.vn", subject="Đã nhận hồ sơ"
    )
    bounce = _parse(samples.bounce_eml(original=original))
    assert (bounce.get_content_type(), bounce["Return-Path"]) == ("multipart/report", "<>")
    assert bounce["From"].addresses[0].username == "MAILER-DAEMON"
    _notice, status, returned = bounce.iter_parts()
    assert status.get_content_type() == "message/delivery-status"
    assert returned.get_content()["Subject"] == "Đã nhận hồ sơ"


def test_zip_corrupt_and_empty() -> None:
    archive = zipfile.ZipFile(io.BytesIO(samples.zip_of({"Tờ trình.docx": b"a", "Biên bản.docx": b"b"})))
    assert archive.namelist() == ["Tờ trình.docx", "Biên bản.docx"]
    broken = samples.corrupt_docx()
    assert broken.startswith(b"PK\x03\x04")
    with pytest.raises(zipfile.BadZipFile):
        Document(io.BytesIO(broken))
    assert samples.empty_file() == b""


@pytest.mark.parametrize(
    "generate",
    [samples.to_trinh_docx, samples.bien_ban_docx, samples.tom_tat_docx, samples.bao_cao_docx,
     samples.to_trinh_pdf, samples.danh_sach_xlsx],
)  # fmt: skip
def test_generators_are_deterministic(generate: Callable[[Dossier], bytes]) -> None:
    assert generate(TAM_DUONG) == generate(TAM_DUONG)
