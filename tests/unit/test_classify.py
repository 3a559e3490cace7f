"""bot.core.classify: automated mail (no reply), which unit, what each document is."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace

import pytest

import parsers
from bot.config.doc_kinds import DEFAULT_DOC_KINDS
from bot.config.schema import Config, Quota, Unit
from bot.core import classify
from bot.core.model import IncomingMail, Outcome
from bot.message import mime
from parsers import Document, Table
from tests import samples
from tests.dossier_templates import TEMPLATES, Template
from tests.samples import SAMPLE_DOSSIERS

UNIT_ADDRESS = "ldld.tamduong@example.vn"
KINDS = DEFAULT_DOC_KINDS


def _mail(**kwargs: object) -> IncomingMail:
    fields: dict[str, object] = {"sender": UNIT_ADDRESS, "subject": "Hồ sơ đề nghị khen thưởng VHCS 2020"}
    fields.update(kwargs)
    return mime.parse(samples.eml(**fields))  # type: ignore[arg-type]


MDN = (
    b"From: LDLD Tam Duong <ldld.tamduong@example.vn>\r\n"
    b"To: tonghop.ldld@example.org\r\n"
    b"Subject: Read: Ho so\r\n"
    b"Message-ID: <mdn.1@example.vn>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/report; report-type=disposition-notification; boundary="R"\r\n\r\n'
    b"--R\r\nContent-Type: text/plain\r\n\r\nYour message was displayed.\r\n"
    b"--R\r\nContent-Type: message/disposition-notification\r\n\r\n"
    b"Final-Recipient: rfc822; ldld.tamduong@example.vn\r\n"
    b"Disposition: manual-action/MDN-sent-manually; displayed\r\n"
    b"--R--\r\n"
)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: _mail(headers={"Auto-Submitted": "auto-replied"}), Outcome.AUTO_REPLY),
        (lambda: _mail(headers={"Auto-Submitted": "auto-generated"}), Outcome.AUTO_REPLY),
        (lambda: mime.parse(samples.auto_reply_eml(sender=UNIT_ADDRESS)), Outcome.AUTO_REPLY),
        (lambda: _mail(headers={"X-Autoreply": "yes"}), Outcome.AUTO_REPLY),
        (lambda: _mail(headers={"Precedence": "bulk"}), Outcome.AUTO_REPLY),
        (lambda: _mail(headers={"Precedence": "junk"}), Outcome.AUTO_REPLY),
        (lambda: _mail(headers={"Precedence": "list"}), Outcome.MAILING_LIST),
        (lambda: _mail(headers={"List-Id": "Cong doan <congdoan.lists.example.vn>"}), Outcome.MAILING_LIST),
        (lambda: _mail(headers={"List-Unsubscribe": "<mailto:leave@lists.example.vn>"}), Outcome.MAILING_LIST),
        (lambda: _mail(headers={"Return-Path": "<>"}), Outcome.BOUNCE),
        (lambda: _mail(sender="MAILER-DAEMON@mail.example.vn", subject="Thư không gửi được"), Outcome.BOUNCE),
        (lambda: _mail(sender="postmaster@example.vn", subject="Thư không gửi được"), Outcome.BOUNCE),
        (lambda: mime.parse(samples.bounce_eml(original=samples.eml(sender="tonghop.ldld@example.org",
                                                                    to=UNIT_ADDRESS, subject="Nhắc"))),
         Outcome.BOUNCE),
        (lambda: mime.parse(MDN), Outcome.READ_RECEIPT),
        (lambda: _mail(headers={"X-Mailbot": "ack"}), Outcome.OWN_REPLY),
        (lambda: _mail(headers={"X-Mailbot": "remind", "Auto-Submitted": "auto-replied"}), Outcome.OWN_REPLY),
        (lambda: _mail(subject="Tự động trả lời: Hồ sơ thi đua"), Outcome.AUTO_REPLY),
        (lambda: _mail(subject="Trả lời tự động: Hồ sơ thi đua"), Outcome.AUTO_REPLY),
        (lambda: _mail(subject="Automatic reply: Ho so thi dua"), Outcome.AUTO_REPLY),
        (lambda: _mail(subject="Out of Office: Ho so"), Outcome.AUTO_REPLY),
        (lambda: _mail(subject="Undeliverable: Hồ sơ thi đua"), Outcome.BOUNCE),
    ],
    ids=["auto-replied", "auto-generated", "sample-auto-reply", "x-autoreply", "precedence-bulk",
         "precedence-junk", "precedence-list", "list-id", "list-unsubscribe", "return-path-null", "mailer-daemon",
         "postmaster", "dsn-report", "mdn-report", "x-mailbot", "x-mailbot-wins", "subject-tu-dong",
         "subject-tra-loi-tu-dong", "subject-automatic-reply", "subject-ooo", "subject-undeliverable"],
)
def test_automated(make: Callable[[], IncomingMail], expected: Outcome) -> None:
    assert classify.automated_outcome(make()) == expected


@pytest.mark.parametrize(
    "mail",
    [
        pytest.param(lambda: _mail(attachments=samples.full_dossier(SAMPLE_DOSSIERS["tam_duong"])), id="dossier"),
        pytest.param(lambda: _mail(headers={"Auto-Submitted": "no"}), id="auto-submitted-no"),
        pytest.param(lambda: _mail(subject="Re: Tự động trả lời"), id="reply-mentioning-auto"),
        pytest.param(lambda: _mail(subject="Báo cáo tóm tắt thành tích"), id="plain-subject"),
        pytest.param(lambda: _mail(headers={"Precedence": "first-class"}), id="other-precedence"),
    ],
)
def test_a_units_normal_mail_is_not_automated(mail: Callable[[], IncomingMail]) -> None:
    assert classify.automated_outcome(mail()) is None


# ------------------------------------------------------------------------------------ which unit


@pytest.mark.parametrize(
    ("address", "expected"),
    [("ldld.tamduong@example.vn", "tam_duong"), ("LDLD.TamDuong@Example.VN", "tam_duong"),
     ("CDVC.TINH@EXAMPLE.VN", "cdvc"), ("tamduong@example.vn", None), ("ldld.tamduong@example.vn.evil", None),
     ("", None)],
)
def test_unit_by_address(cfg: Config, address: str, expected: str | None) -> None:
    unit = classify.unit_by_address(address, cfg.units)
    assert (unit.id if unit else None) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["LĐLĐ TỈNH LAI CHÂU", "LĐLĐ HUYỆN TAM ĐƯỜNG"], "tam_duong"),
        (["ldld huyen tam duong"], "tam_duong"),                       # typed without accents
        (["LIÊN ĐOÀN LAO ĐỘNG HUYỆN SÌN HỒ"], "sin_ho"),              # the full name
        (["LĐLĐ TỈNH LAI CHÂU", "LĐLĐ THÀNH PHỐ LAI CHÂU"], "tp_laichau"),
        (["CÔNG ĐOÀN VIÊN CHỨC TỈNH"], "cdvc"),
        (["TM. BAN THƯỜNG VỤ", "Công đoàn ngành Y tế"], "cd_yte"),
        (["LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU"], None),                  # the federation itself is no unit
        (["LĐLĐ huyện Sìn Hồng"], None),                               # whole words only
        ([], None),
    ],
)
def test_unit_by_text(cfg: Config, lines: list[str], expected: str | None) -> None:
    unit = classify.unit_by_text(lines, cfg.units)
    assert (unit.id if unit else None) == expected


def test_unit_by_text_longest_alias_wins_whatever_the_order() -> None:
    """GIVEN «Công đoàn ngành Y tế» and «Công đoàn ngành Y tế huyện Than Uyên» WHEN both match THEN the longer."""
    short = Unit("yte", "Công đoàn ngành Y tế", (), ("CĐ ngành Y tế",), Quota(1, 4))
    long = Unit("yte_than_uyen", "Công đoàn ngành Y tế huyện Than Uyên", (), (), Quota(1, 4))
    lines = ["CÔNG ĐOÀN NGÀNH Y TẾ HUYỆN THAN UYÊN"]
    assert classify.unit_by_text(lines, (short, long)) == long
    assert classify.unit_by_text(lines, (long, short)) == long
    assert classify.unit_by_text(["Công đoàn ngành Y tế"], (long, short)) == short


@functools.cache
def _sample_document(unit: str, kind: str) -> Document:
    d = SAMPLE_DOSSIERS[unit]
    make = {"to_trinh": samples.to_trinh_docx, "bien_ban": samples.bien_ban_docx, "tom_tat": samples.tom_tat_docx,
            "bao_cao": samples.bao_cao_docx, "danh_sach": samples.danh_sach_xlsx, "pdf": samples.to_trinh_pdf}[kind]
    return parsers.extract("tai-lieu", make(d))


@pytest.mark.parametrize("unit", list(SAMPLE_DOSSIERS))
def test_document_unit_from_the_header_table(cfg: Config, unit: str) -> None:
    """GIVEN a unit's tờ trình (issuer in the top-left header cell) WHEN asked THEN that unit."""
    found = classify.document_unit(_sample_document(unit, "to_trinh"), cfg.units)
    assert found is not None
    assert found.id == unit


def test_document_unit_from_the_signature_block(cfg: Config) -> None:
    body = tuple(f"Đoạn văn số {i}." for i in range(30))
    document = Document("docx", ("BÁO CÁO", *body, Table(rows=(("TM. BAN THƯỜNG VỤ\nLĐLĐ HUYỆN MƯỜNG TÈ",),))))
    found = classify.document_unit(document, cfg.units)
    assert found is not None
    assert found.id == "muong_te"


# ------------------------------------------------------------------------------------ what each document is


@pytest.mark.parametrize(
    ("source", "expected"),
    [("to_trinh", "to_trinh"), ("bien_ban", "bien_ban"), ("tom_tat", "tom_tat"), ("bao_cao", "bao_cao"),
     ("danh_sach", "danh_sach"), ("pdf", "to_trinh")],
)
def test_title_beats_a_misleading_file_name(source: str, expected: str) -> None:
    """GIVEN a document saved as «Bao cao.docx» WHEN classified THEN its title decides."""
    guess = classify.doc_kind("Bao cao.docx", _sample_document("phong_tho", source), KINDS)
    assert guess.kind == expected
    assert guess.source == "title"
    if expected != "bao_cao":
        assert "bao_cao" in guess.note


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("Tờ trình đề nghị khen thưởng.docx", "to_trinh"),
        ("To\u0300 tri\u0300nh.docx", "to_trinh"),              # NFD, from a Mac
        ("TTr-LDLD-TamDuong.docx", "to_trinh"),
        ("TomTat_ThanhTich.docx", "tom_tat"),
        ("BaoCao_SoKet.docx", "bao_cao"),
        ("Bao cao tom tat.docx", "tom_tat"),
        ("Báo cáo tóm tắt thành tích.docx", "tom_tat"),
        ("Bien ban hop xet.pdf", "bien_ban"),
        ("BienBan.pdf", "bien_ban"),
        ("DanhSach_KhenThuong.xlsx", "danh_sach"),
        ("QuyetDinh_KhenThuong.pdf", "other"),
        ("Cong van 123.pdf", "other"),
        ("scan0001.pdf", "unclassified"),
        ("IMG_2020.jpg", "unclassified"),
        pytest.param("TTr_LDLD_TamDuong.docx", "to_trinh"),
        pytest.param("BB_HopXet.docx", "bien_ban"),
        pytest.param("QD_KhenThuong.pdf", "other"),
    ],
)
def test_kind_from_the_file_name_alone(filename: str, expected: str) -> None:
    """GIVEN an attachment that could not be read WHEN classified THEN by its file name (camel case, _ or -)."""
    guess = classify.doc_kind(filename, None, KINDS)
    assert guess.kind == expected
    assert guess.source == ("" if expected == "unclassified" else "filename")


def test_bao_cao_tom_tat_is_tom_tat_not_bao_cao() -> None:
    document = Document("docx", ("LĐLĐ HUYỆN TAM ĐƯỜNG", "BÁO CÁO TÓM TẮT TRÍCH NGANG THÀNH TÍCH NĂM 2020"))
    assert classify.doc_kind("x.docx", document, KINDS).kind == "tom_tat"
    assert classify.doc_kind("x.docx", _sample_document("tam_duong", "tom_tat"), KINDS).kind == "tom_tat"


def test_two_line_bao_cao_tom_tat_title_is_tom_tat() -> None:
    document = Document("docx", ("LĐLĐ HUYỆN TAM ĐƯỜNG", "BÁO CÁO", "TÓM TẮT THÀNH TÍCH ĐỀ NGHỊ KHEN THƯỞNG"))
    assert classify.doc_kind("x.docx", document, KINDS).kind == "tom_tat"


def test_two_line_title_is_joined() -> None:
    document = Document("docx", ("LĐLĐ HUYỆN TAM ĐƯỜNG", "TỜ", "TRÌNH", "Về việc đề nghị khen thưởng"))
    assert classify.doc_kind("x.docx", document, KINDS).kind == "to_trinh"


def test_quyet_dinh_title_is_other_even_if_it_cites_a_to_trinh() -> None:
    document = Document("docx", (
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", "Số: 123/QĐ-LĐLĐ", "QUYẾT ĐỊNH",
        "Về việc tặng Bằng khen", "Căn cứ Tờ trình số 38/TTr-LĐLĐ của LĐLĐ huyện Tam Đường;",
    ))
    guess = classify.doc_kind("Tờ trình.docx", document, KINDS)
    assert guess.kind == "other"
    assert "to_trinh" in guess.note


@pytest.mark.parametrize(
    ("symbol_line", "expected"),
    [("Số: 36/BB-LĐLĐ", "bien_ban"), ("Số: 38/TTr-LĐLĐ", "to_trinh"), ("Số 12 / BC-CĐN", "bao_cao"),
     ("Số: 123/QĐ-LĐLĐ", "other"), ("Số: 5/CV-LĐLĐ", "other")],
)
def test_kind_from_the_number_and_symbol_line(symbol_line: str, expected: str) -> None:
    """GIVEN no recognisable title WHEN the «Số: …/TTr-…» line has a symbol THEN it decides."""
    document = Document("docx", ("LĐLĐ HUYỆN TAM ĐƯỜNG", symbol_line, "Hôm nay, ngày 26 tháng 11 năm 2020, " * 4))
    guess = classify.doc_kind("tai-lieu.docx", document, KINDS)
    assert (guess.kind, guess.source) == (expected, "symbol")


def test_unknown_document_is_unclassified() -> None:
    document = Document("docx", ("Kính gửi anh chị,", "Xin cảm ơn."))
    guess = classify.doc_kind("tai-lieu.docx", document, KINDS)
    assert (guess.kind, guess.source) == ("unclassified", "")


# ------------------------------------------------------------------------------------ templates: kind, confidence, unit

TEMPLATE_IDS = [t.id for t in TEMPLATES]


@functools.cache
def _template_document(template_id: str) -> Document:
    template = next(t for t in TEMPLATES if t.id == template_id)
    return parsers.extract(template.filename, template.docx())


@pytest.mark.parametrize("template", TEMPLATES, ids=TEMPLATE_IDS)
def test_template_kind(template: Template) -> None:
    """GIVEN a document in one of the shapes units send WHEN classified THEN the item a clerk would say."""
    guess = classify.doc_kind(template.filename, _template_document(template.id), KINDS)
    assert guess.kind == template.kind, guess.reason
    assert guess.reason
    if template.kind == "unclassified":
        assert guess.confidence < 0.5
    else:
        assert guess.confidence >= 0.6


@pytest.mark.parametrize("template", TEMPLATES, ids=TEMPLATE_IDS)
def test_template_unit(cfg: Config, template: Template) -> None:
    """GIVEN a header block (governing over issuing body) or only a signature block WHEN asked THEN the issuer."""
    found = classify.document_unit(_template_document(template.id), cfg.units)
    assert (found.id if found else None) == template.unit


def test_the_governing_body_does_not_win_over_the_issuer() -> None:
    """GIVEN both bodies of the header configured as units WHEN asked THEN the lower one, the issuer, shorter or not."""
    nganh = Unit("nganh", "Công đoàn ngành Y tế tỉnh Lai Châu", (), ("Công đoàn ngành Y tế",), Quota(1, 4))
    cdcs = Unit("bv", "CĐCS Bệnh viện tỉnh", (), (), Quota(1, 4))
    document = Document("docx", (Table(rows=(("CÔNG ĐOÀN NGÀNH Y TẾ TỈNH LAI CHÂU\nCĐCS BỆNH VIỆN TỈNH\nSố: 3/TTr",
                                              "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),)), "TỜ TRÌNH"))
    assert classify.document_unit(document, (nganh, cdcs)) == cdcs


def test_issuer_on_a_pdf_line_that_runs_into_the_nation_name(cfg: Config) -> None:
    document = Document("pdf", ("LĐLĐ TỈNH LAI CHÂU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                "LĐLĐ HUYỆN SÌN HỒ Độc lập - Tự do - Hạnh phúc", "Số: 9/BB-LĐLĐ", "BIÊN BẢN"))
    found = classify.document_unit(document, cfg.units)
    assert found is not None
    assert found.id == "sin_ho"


def test_a_name_split_over_two_header_lines(cfg: Config) -> None:
    document = Document("docx", ("LIÊN ĐOÀN LAO ĐỘNG", "HUYỆN MƯỜNG TÈ", "Số: 2/TTr-LĐLĐ", "TỜ TRÌNH"))
    found = classify.document_unit(document, cfg.units)
    assert found is not None
    assert found.id == "muong_te"


@pytest.mark.parametrize(
    ("title", "expected"),
    [("TỜ TRÌNH", "to_trinh"), ("tờ trình", "to_trinh"), ("TO TRINH", "to_trinh"), ("T Ờ  T R Ì N H", "to_trinh"),
     ("Tờ  Trình", "to_trinh"), ("BIÊN  BẢN HỌP XÉT", "bien_ban"), ("bien ban", "bien_ban"),
     ("BAO CAO TOM TAT THANH TICH", "tom_tat"), ("Báo cáo sơ kết", "bao_cao"), ("DANH SACH", "danh_sach"),
     ("KẾ HOẠCH", "other"), ("HƯỚNG DẪN", "other"), ("THÔNG TƯ", "other")],
)
def test_title_tolerates_case_accents_and_spacing(title: str, expected: str) -> None:
    document = Document("docx", ("LĐLĐ HUYỆN TAM ĐƯỜNG", title, "Kính gửi: Ban Thường vụ"))
    guess = classify.doc_kind("x.docx", document, KINDS)
    assert (guess.kind, guess.source) == (expected, "title")


def test_a_list_line_after_kinh_gui_is_no_title() -> None:
    """GIVEN a công văn listing «- Tờ trình …» among its attachments WHEN classified THEN no tờ trình title."""
    document = Document("docx", ("LĐLĐ HUYỆN TAM ĐƯỜNG", "Kính gửi: LĐLĐ tỉnh", "Tờ trình đề nghị khen thưởng"))
    assert classify.doc_kind("x.docx", document, KINDS).kind == "unclassified"


@pytest.mark.parametrize(
    ("lines", "filename", "expected"),
    [
        (("Số: 5/LĐLĐ", "V/v đề nghị khen thưởng năm 2020"), "Tờ trình.docx", "to_trinh"),   # name agrees
        (("V/v đề nghị khen thưởng năm 2020",), "hoso.docx", "to_trinh"),                  # no number: not a công văn
        (("Số: 5/LĐLĐ", "V/v đề nghị khen thưởng năm 2020"), "Biên bản.docx", "unclassified"),
        (("Số: 5/LĐLĐ", "V/v báo cáo số liệu"), "x.docx", "other"),                         # công văn layout
        (("Số: 5/LĐLĐ", "V/v nộp hồ sơ khen thưởng"), "Tờ trình.docx", "unclassified"),      # cover vs name
        (("Số: 12/BC-LĐLĐ", "Hôm nay"), "Tóm tắt thành tích.docx", "tom_tat"),              # BC also heads a tóm tắt
        (("Số: 12/TTr-LĐLĐ", "Hôm nay"), "Danh sách.xlsx", "unclassified"),
        (("Số: 03/2018/TT-BNG",), "x.doc", "other"),                                        # year in the number
        (("Số 01 -BC/CB",), "x.docx", "bao_cao"),                                           # symbol before the slash
    ],
)
def test_number_subject_and_name_together(lines: tuple[str, ...], filename: str, expected: str) -> None:
    document = Document("docx", ("LĐLĐ HUYỆN TAM ĐƯỜNG", *lines, "Kính gửi: Ban Thường vụ LĐLĐ tỉnh."))
    assert classify.doc_kind(filename, document, KINDS).kind == expected


def test_confidence_grows_with_agreeing_evidence() -> None:
    alone = Document("docx", ("TỜ TRÌNH",))
    backed = Document("docx", ("Số: 19/TTr-LĐLĐ", "TỜ TRÌNH", "Về việc đề nghị khen thưởng"))
    weak = classify.doc_kind("x.docx", alone, KINDS)
    strong = classify.doc_kind("To trinh.docx", backed, KINDS)
    contradicted = classify.doc_kind("Bien ban.docx", alone, KINDS)
    assert contradicted.confidence < weak.confidence < strong.confidence <= 1.0
    assert "bien_ban" in contradicted.note


def test_subjects_come_from_config() -> None:
    """GIVEN ``[documents.to_trinh] subjects`` naming «xét tặng danh hiệu» WHEN a V/v line says so THEN tờ trình."""
    kinds = tuple(replace(k, subjects=("xét tặng danh hiệu",)) if k.id == "to_trinh" else k for k in KINDS)
    document = Document("docx", ("LĐLĐ HUYỆN TAM ĐƯỜNG", "V/v xét tặng danh hiệu năm 2020"))
    assert classify.doc_kind("x.docx", document, kinds).kind == "to_trinh"
    assert classify.doc_kind("x.docx", document, KINDS).kind == "unclassified"


@pytest.mark.parametrize(
    ("line", "expected"),
    [("quyết định của bộ trưởng bộ tài chính", "other"),     # a .VnTimeH heading decodes to lower case
     ("Kế hoạch số 199/KH-LĐLĐ ngày 13/11/2020", "unclassified")],
)
def test_lower_case_non_dossier_titles(line: str, expected: str) -> None:
    document = Document("docx", ("BỘ TÀI CHÍNH", line, "Căn cứ Nghị định số 86/2002/NĐ-CP"))
    assert classify.doc_kind("x.doc", document, KINDS).kind == expected


def test_an_issuer_typed_without_accents_is_not_taken_for_the_number_line() -> None:
    """GIVEN «SO Y TE» (Sở Y tế typed without accents) above «So: 3/TTr» WHEN asked THEN the Sở, not nothing."""
    so_y_te = Unit("so_yte", "Sở Y tế tỉnh Lai Châu", (), ("So Y te",), Quota(1, 4))
    document = Document("docx", ("UBND TINH LAI CHAU", "SO Y TE", "So: 3/TTr-SYT", "TO TRINH"))
    assert classify.document_unit(document, (so_y_te,)) == so_y_te
