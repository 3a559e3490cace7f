"""Mail the same units send about everything else, and a second campaign's dossier (generated, no fixtures).

A monthly report, an invitation, a sports team list of 16 players, a tờ trình for year-end union work,
the dossier of the «Xanh - Sạch - Đẹp» movement, and thread follow-ups (thanks, a question) quoting
mailbot's acknowledgement the way Gmail and Outlook do. Documents are .docx built with python-docx.
"""

from __future__ import annotations

from tests.dossier_templates import docx_of, header, signature

XSD = "phong trào “Xanh - Sạch - Đẹp, bảo đảm an toàn vệ sinh lao động” năm 2020"
XSD_NAME = "Sơ kết phong trào “Xanh - Sạch - Đẹp, bảo đảm an toàn vệ sinh lao động” năm 2020"
XSD_PLAN = "Kế hoạch số 205/KH-LĐLĐ ngày 20/11/2020"
XSD_PEOPLE = (("Nguyễn Văn Bình", "Công nhân, Công ty Thủy điện Nậm Na"),
              ("Lò Thị Hương", "Kỹ thuật viên, Công ty Cao su Lai Châu"))
XSD_GROUP = "Công đoàn cơ sở Công ty Thủy điện Nậm Na"
PLAYERS = tuple(f"Vận động viên số {i:02d} Lò Văn {name}" for i, name in enumerate(
    ("An", "Bình", "Cường", "Dũng", "Em", "Giang", "Hải", "Khánh", "Long", "Minh", "Nam", "Phúc", "Quang",
     "Sơn", "Tâm", "Vinh"), 1))


def _head(issuer: str, number: str) -> tuple[str, str]:
    return header(issuer.upper(), number)


def monthly_report_docx(issuer: str) -> bytes:
    """«Báo cáo tình hình CNVCLĐ tháng 11/2020», which mentions the movement in passing."""
    return docx_of([
        _head(issuer, "Số: 45/BC-LĐLĐ"),
        "BÁO CÁO",
        "Tình hình công nhân, viên chức, lao động và hoạt động công đoàn tháng 11/2020",
        "I. TÌNH HÌNH CNVCLĐ",
        "Đời sống, việc làm của công nhân, viên chức, lao động cơ bản ổn định.",
        "II. HOẠT ĐỘNG CÔNG ĐOÀN",
        "Tiếp tục triển khai phong trào thi đua văn hóa công sở; tổ chức hội nghị người lao động.",
        signature(issuer.upper()),
    ])


def invitation_docx(issuer: str) -> bytes:
    return docx_of([
        _head(issuer, "Số: 12/GM-LĐLĐ"),
        "GIẤY MỜI",
        "Dự Hội nghị tổng kết công tác công đoàn năm 2020",
        "Kính gửi: Văn phòng Liên đoàn Lao động tỉnh Lai Châu.",
        "Thời gian: 08 giờ 00, ngày 28/12/2020. Địa điểm: Hội trường UBND huyện.",
        signature(issuer.upper()),
    ])


def sports_list_docx(issuer: str) -> bytes:
    """A football team registration: 16 players in a numbered table (looks like a danh sách)."""
    rows = [["STT", "Họ và tên", "Chức vụ", "Đơn vị"]]
    rows += [[str(i), name, "Vận động viên", issuer] for i, name in enumerate(PLAYERS, 1)]
    return docx_of([
        _head(issuer, ""),
        "DANH SÁCH VẬN ĐỘNG VIÊN",
        "Đăng ký thi đấu môn bóng đá Hội thao CNVCLĐ tỉnh Lai Châu năm 2020",
        rows,
        signature(issuer.upper()),
    ])


def year_end_to_trinh_docx(issuer: str) -> bytes:
    """A tờ trình for year-end union work that cites the parent plan, not this campaign."""
    return docx_of([
        _head(issuer, "Số: 50/TTr-LĐLĐ"),
        "TỜ TRÌNH",
        "V/v đề nghị khen thưởng tổng kết công tác công đoàn năm 2020",
        "Kính gửi: Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu.",
        "Căn cứ Kế hoạch số 117/KH-LĐLĐ của Liên đoàn Lao động tỉnh về tổng kết công tác năm 2020,",
        f"đề nghị tặng Bằng khen cho: 1. {XSD_GROUP}; 2. Ông {XSD_PEOPLE[0][0]}, {XSD_PEOPLE[0][1]}.",
        signature(issuer.upper()),
    ])


def xsd_to_trinh_docx(issuer: str) -> bytes:
    """The tờ trình of the «Xanh - Sạch - Đẹp» campaign, with nominees."""
    return docx_of([
        _head(issuer, "Số: 21/TTr-LĐLĐ"),
        "TỜ TRÌNH",
        f"Về việc đề nghị tặng Bằng khen cho tập thể, cá nhân có thành tích xuất sắc trong {XSD}",
        "Kính gửi: Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu.",
        f"Thực hiện {XSD_PLAN} của Liên đoàn Lao động tỉnh, đề nghị tặng Bằng khen cho:",
        "I. TẬP THỂ",
        f"1. {XSD_GROUP};",
        "II. CÁ NHÂN",
        *[f"{i}. Ông {name}, {role};" for i, (name, role) in enumerate(XSD_PEOPLE, 1)],
        signature(issuer.upper()),
    ])


def xsd_bien_ban_docx(issuer: str) -> bytes:
    return docx_of([
        _head(issuer, "Số: 20/BB-LĐLĐ"),
        "BIÊN BẢN",
        f"Họp xét đề nghị khen thưởng {XSD}",
        "Hôm nay, ngày 25/11/2020, Ban Thường vụ họp xét và thống nhất đề nghị khen thưởng.",
        signature(issuer.upper()),
    ])


def xsd_bao_cao_docx(issuer: str) -> bytes:
    return docx_of([
        _head(issuer, "Số: 22/BC-LĐLĐ"),
        "BÁO CÁO",
        f"Sơ kết {XSD}",
        f"Thực hiện {XSD_PLAN}, báo cáo kết quả như sau:",
        "I. KẾT QUẢ",
        "Các công đoàn cơ sở hưởng ứng tích cực.",
        signature(issuer.upper()),
    ])


def xsd_dossier(issuer: str) -> list[tuple[str, bytes]]:
    return [("Tờ trình đề nghị khen thưởng XSĐ.docx", xsd_to_trinh_docx(issuer)),
            ("Biên bản họp xét XSĐ.docx", xsd_bien_ban_docx(issuer)),
            ("Báo cáo sơ kết XSĐ.docx", xsd_bao_cao_docx(issuer))]


def gmail_reply_body(words: str, quoted: str) -> str:
    """A Gmail-style reply: the new words, the attribution line, the quoted text."""
    lines = "\n".join(f"> {line}" for line in quoted.splitlines())
    attribution = "Vào 09:15 Th 3, 1 thg 12, 2020 LĐLĐ tỉnh Lai Châu <tonghop.ldld@example.org>\nđã viết:"
    return f"{words}\n\n{attribution}\n{lines}\n"


def outlook_reply_body(words: str, quoted: str) -> str:
    return (f"{words}\n\n-----Original Message-----\nFrom: LĐLĐ tỉnh Lai Châu <tonghop.ldld@example.org>\n"
            f"Sent: Tuesday, December 1, 2020 9:15 AM\nSubject: Hồ sơ\n\n{quoted}\n")
