"""Dossiers that only a careful clerk tells apart (issue 21): other purposes, other reports (generated, .docx).

- a «khen thưởng chuyên đề công tác An toàn, vệ sinh lao động» dossier (tờ trình, biên bản, tóm tắt):
  it says «đề nghị khen thưởng» and the year, and is another campaign's;
- the same shape for other purposes of Luật Thi đua, khen thưởng 2022 (đột xuất, cống hiến, kỷ niệm
  ngày thành lập) and other movements («Giỏi việc nước, đảm việc nhà»);
- «Báo cáo thu, chi tài chính công đoàn năm 2020», meant for the finance office.
"""

from __future__ import annotations

from tests.dossier_templates import docx_of, header, signature

ATVSLD = "khen thưởng chuyên đề công tác An toàn, vệ sinh lao động năm 2020"
ATVSLD_GROUP = "Công đoàn cơ sở Công ty Thủy điện Nậm Na 3"
ATVSLD_PEOPLE = (("Lò Văn Thanh", "An toàn viên, Công ty Thủy điện Nậm Na 3"),
                 ("Tẩn Thị Dung", "Cán bộ bảo hộ lao động, Công ty Cao su Mường Tè"))
# The title zone of other purposes' tờ trình (after «TỜ TRÌNH»), each another campaign's.
OTHER_PURPOSES = (
    f"V/v đề nghị {ATVSLD}",
    "Về việc đề nghị khen thưởng đột xuất cho cá nhân có hành động dũng cảm cứu người năm 2020",
    "V/v đề nghị khen thưởng quá trình cống hiến cho cán bộ công đoàn nghỉ hưu năm 2020",
    "V/v đề nghị khen thưởng nhân dịp kỷ niệm 30 năm ngày thành lập Liên đoàn Lao động huyện",
    "V/v đề nghị khen thưởng phong trào thi đua “Giỏi việc nước, đảm việc nhà” năm 2020",
    "V/v đề nghị khen thưởng hiến máu tình nguyện năm 2020",
)


def _head(issuer: str, number: str) -> tuple[str, str]:
    return header(issuer.upper(), number, place="Mường Tè")


def purpose_to_trinh_docx(issuer: str, purpose: str) -> bytes:
    """A tờ trình whose title zone names ``purpose``; its body reads like any proposal for commendation."""
    return docx_of([
        _head(issuer, "Số: 31/TTr-LĐLĐ"),
        "TỜ TRÌNH",
        purpose,
        "Kính gửi: Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu.",
        "Căn cứ Luật Thi đua, khen thưởng năm 2022; căn cứ kết quả thực hiện nhiệm vụ năm 2020,",
        "Ban Thường vụ đề nghị tặng Bằng khen cho:",
        "I. TẬP THỂ",
        f"1. {ATVSLD_GROUP};",
        "II. CÁ NHÂN",
        *[f"{i}. Ông {name}, {role};" for i, (name, role) in enumerate(ATVSLD_PEOPLE, 1)],
        signature(issuer.upper()),
    ])


def atvsld_bien_ban_docx(issuer: str) -> bytes:
    return docx_of([
        _head(issuer, "Số: 30/BB-LĐLĐ"),
        "BIÊN BẢN",
        f"Họp xét đề nghị {ATVSLD}",
        "Hôm nay, ngày 25/11/2020, Ban Thường vụ họp xét và thống nhất đề nghị khen thưởng.",
        signature(issuer.upper()),
    ])


def atvsld_tom_tat_docx(issuer: str) -> bytes:
    rows = [["STT", "Họ và tên", "Chức vụ, đơn vị", "Tóm tắt thành tích"],
            ["1", ATVSLD_GROUP, "", "Không để xảy ra tai nạn lao động năm 2020."],
            *[[str(i), name, role, "Làm tốt công tác an toàn, vệ sinh lao động."]
              for i, (name, role) in enumerate(ATVSLD_PEOPLE, 2)]]
    return docx_of([
        _head(issuer, ""),
        "BÁO CÁO TÓM TẮT THÀNH TÍCH",
        f"Đề nghị {ATVSLD}",
        rows,
        signature(issuer.upper()),
    ])


def atvsld_dossier(issuer: str) -> list[tuple[str, bytes]]:
    """Mường Tè's three documents of the ATVSLĐ chuyên đề, named as units name their files."""
    return [("Tờ trình đề nghị khen thưởng.docx", purpose_to_trinh_docx(issuer, f"V/v đề nghị {ATVSLD}")),
            ("Biên bản họp xét.docx", atvsld_bien_ban_docx(issuer)),
            ("Tóm tắt thành tích.docx", atvsld_tom_tat_docx(issuer))]


def finance_report_docx(issuer: str) -> bytes:
    """«Báo cáo thu, chi tài chính công đoàn năm 2020»: a BÁO CÁO of the year that is no báo cáo sơ kết."""
    return docx_of([
        _head(issuer, "Số: 40/BC-LĐLĐ"),
        "BÁO CÁO",
        "Thu, chi tài chính công đoàn năm 2020",
        "Kính gửi: Ban Tài chính Liên đoàn Lao động tỉnh Lai Châu.",
        "I. TÌNH HÌNH THU KINH PHÍ, ĐOÀN PHÍ CÔNG ĐOÀN",
        [["STT", "Nội dung", "Số tiền (đồng)"], ["1", "Thu đoàn phí công đoàn", "312.450.000"],
         ["2", "Thu kinh phí công đoàn", "1.204.800.000"]],
        "II. TÌNH HÌNH CHI",
        "Chi cho hoạt động phong trào, chi quản lý hành chính theo đúng quy định.",
        signature(issuer.upper()),
    ])
