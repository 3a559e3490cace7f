"""The pure judgement of campaign relevance (bot/core/relevance.py, markers.py, quotes.py): good and bad cases."""

from __future__ import annotations

import pytest

from bot.config.markers import core_phrase, default_markers, initials, plan_key
from bot.core import quotes, relevance
from bot.core.relevance import DocumentSignal, Relevance

NAME = "Sơ kết phong trào “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở” năm 2020"
MARKERS = default_markers(NAME, "199/KH-LĐLĐ", 2020)
GENERIC = default_markers("Đề nghị khen thưởng (bộ thử tài liệu thật)", "01/KH-THU", 2030)


def test_defaults_come_from_the_name_and_the_plan() -> None:
    assert MARKERS.plans == ("199 kh",)
    assert "van hoa cong so" in MARKERS.keywords
    assert MARKERS.abbreviations == ("vhcs",)
    assert MARKERS.year == 2020
    assert (core_phrase("Xanh - Sạch - Đẹp"), initials("Xanh - Sạch - Đẹp")) == ("xanh sach dep", "xsd")
    assert plan_key("117/KH-LĐLĐ") == "117 kh"
    assert GENERIC.keywords == () and GENERIC.year == 2030


MESSAGES = [
    # (subject, body, expected relevance)
    ("Hỏi về hồ sơ đề nghị khen thưởng phong trào văn hóa công sở năm 2020", "Đơn vị xin hỏi…", Relevance.CAMPAIGN),
    ("Gui ho so thi dua VHCS nam 2020 - LDLD Sin Ho", "", Relevance.CAMPAIGN),
    ("Hồ sơ", "Thực hiện Kế hoạch số 199/KH-LĐLĐ ngày 13/11/2020, đơn vị gửi hồ sơ", Relevance.CAMPAIGN),
    ("Hồ sơ", "Thực hiện kế hoạch 199 của LĐLĐ tỉnh", Relevance.CAMPAIGN),
    ("Tờ trình đề nghị khen thưởng năm 2020", "", Relevance.CAMPAIGN),
    ("Gửi hồ sơ đề nghị khen thưởng", "Đơn vị gửi kèm tài liệu.", Relevance.UNSURE),
    ("Báo cáo tình hình CNVCLĐ tháng 11/2020", "Kính gửi LĐLĐ tỉnh, đơn vị gửi báo cáo.", Relevance.OTHER_BUSINESS),
    ("Báo cáo công tác công đoàn tháng 11 năm 2020", "", Relevance.OTHER_BUSINESS),
    ("Giấy mời dự hội nghị", "Trân trọng kính mời", Relevance.OTHER_BUSINESS),
    ("Giấy mời dự Hội nghị tổng kết công tác công đoàn năm 2020", "", Relevance.OTHER_BUSINESS),
    ("Danh sách vận động viên tham gia Hội thao CNVCLĐ năm 2020", "", Relevance.OTHER_BUSINESS),
    ("Xin chào", "Anh chị cho hỏi lịch họp tuần sau", Relevance.OTHER_BUSINESS),
    ("Hồ sơ đề nghị khen thưởng phong trào “Xanh - Sạch - Đẹp” năm 2020", "", Relevance.OTHER_CAMPAIGN),
    ("Báo cáo sơ kết phong trào Xanh - Sạch - Đẹp", "", Relevance.OTHER_CAMPAIGN),
    ("Tờ trình đề nghị khen thưởng tổng kết công tác công đoàn năm 2020", "", Relevance.OTHER_CAMPAIGN),
    ("Hồ sơ khen thưởng phong trào thi đua Lao động giỏi năm 2020", "", Relevance.OTHER_CAMPAIGN),
    ("Hồ sơ khen thưởng phong trào VHCS và báo cáo Xanh - Sạch - Đẹp", "", Relevance.CAMPAIGN),
    ("Báo cáo sơ kết phong trào thi đua năm 2020", "đề nghị khen thưởng năm 2020", Relevance.CAMPAIGN),
]


@pytest.mark.parametrize(("subject", "body", "want"), MESSAGES)
def test_message_words(subject: str, body: str, want: Relevance) -> None:
    text = relevance.read_text(f"{subject}\n{body}", MARKERS)
    verdict = relevance.judge_message(text, [], dossier_documents=False, in_thread=False)
    assert verdict.relevance == want, verdict.reason
    assert verdict.reason


def test_reasons_quote_the_words_as_written() -> None:
    text = relevance.read_text("Báo cáo tình hình CNVCLĐ tháng 11/2020", MARKERS)
    assert text.other_business == "Báo cáo tình hình"
    verdict = relevance.judge_message(text, [], dossier_documents=False, in_thread=False)
    assert verdict.reason == "thư nêu «Báo cáo tình hình»"
    assert relevance.read_text("Sơ kết phong trào “Xanh - Sạch - Đẹp”", MARKERS).other_campaign == "Xanh - Sạch - Đẹp"


OURS = DocumentSignal(Relevance.CAMPAIGN, "nêu «199 kh»")
ELSEWHERE = DocumentSignal(Relevance.OTHER_CAMPAIGN, "của phong trào/việc khác")
BUSINESS = DocumentSignal(Relevance.OTHER_BUSINESS, "việc khác")
NEUTRAL = DocumentSignal(Relevance.NEUTRAL)

WITH_DOCUMENTS = [
    # (subject, documents, dossier-shaped documents, in thread, expected)
    ("Gửi tài liệu", [OURS], True, False, Relevance.CAMPAIGN),
    ("Gửi tài liệu", [ELSEWHERE, OURS], True, False, Relevance.CAMPAIGN),
    ("Gửi tài liệu", [ELSEWHERE], False, False, Relevance.OTHER_CAMPAIGN),
    ("Gửi tài liệu", [BUSINESS, BUSINESS], False, False, Relevance.OTHER_BUSINESS),
    ("Gửi hồ sơ đề nghị khen thưởng", [ELSEWHERE], False, False, Relevance.OTHER_CAMPAIGN),
    ("Hồ sơ đề nghị khen thưởng năm 2020", [ELSEWHERE, BUSINESS], False, False, Relevance.OTHER_CAMPAIGN),
    ("Gửi hồ sơ đề nghị khen thưởng", [BUSINESS], False, False, Relevance.UNSURE),
    ("Hồ sơ đề nghị khen thưởng năm 2020", [BUSINESS], False, False, Relevance.UNSURE),
    ("Hồ sơ đề nghị khen thưởng năm 2020", [NEUTRAL, ELSEWHERE], True, False, Relevance.CAMPAIGN),
    ("Gửi tài liệu", [NEUTRAL], True, False, Relevance.UNSURE),
    ("Gửi hồ sơ đề nghị khen thưởng - chibo_bao-cao-thang-5.docx", [BUSINESS], False, False, Relevance.UNSURE),
    ("Gửi tài liệu", [NEUTRAL], False, False, Relevance.OTHER_BUSINESS),
    ("Re: cảm ơn", [], False, True, Relevance.CAMPAIGN),
    ("Giấy mời", [BUSINESS], False, True, Relevance.CAMPAIGN),
]


@pytest.mark.parametrize(("subject", "documents", "shaped", "thread", "want"), WITH_DOCUMENTS)
def test_message_with_documents_and_threads(subject: str, documents: list[DocumentSignal], shaped: bool,
                                            thread: bool, want: Relevance) -> None:
    text = relevance.read_text(subject, MARKERS)
    named = [(f"tep{i}.docx", signal) for i, signal in enumerate(documents)]
    assert relevance.judge_message(text, named, dossier_documents=shaped, in_thread=thread).relevance == want


DOCUMENTS = [
    # (document lines, expected)
    (["LĐLĐ HUYỆN TAM ĐƯỜNG", "Số: 19/TTr-LĐLĐ", "TỜ TRÌNH", "V/v đề nghị khen thưởng phong trào VHCS năm 2020",
      "Kính gửi: LĐLĐ tỉnh"], Relevance.CAMPAIGN),
    (["TỜ TRÌNH", "Về việc đề nghị khen thưởng", "Kính gửi: LĐLĐ tỉnh",
      "Thực hiện Kế hoạch số 199/KH-LĐLĐ ngày 13/11/2020"], Relevance.CAMPAIGN),
    (["BÁO CÁO", "Sơ kết phong trào thi đua “Xanh - Sạch - Đẹp, bảo đảm an toàn vệ sinh lao động”",
      "I. KẾT QUẢ", "Căn cứ Kế hoạch 117/KH-LĐLĐ"], Relevance.OTHER_CAMPAIGN),
    (["TỜ TRÌNH", "V/v đề nghị khen thưởng tổng kết công tác công đoàn năm 2020", "Kính gửi: LĐLĐ tỉnh"],
     Relevance.OTHER_CAMPAIGN),
    (["BÁO CÁO", "Tình hình CNVCLĐ và hoạt động công đoàn tháng 11/2020", "I. TÌNH HÌNH",
      "Đơn vị tiếp tục thực hiện phong trào văn hóa công sở"], Relevance.OTHER_BUSINESS),
    (["GIẤY MỜI", "Dự hội nghị tổng kết công tác công đoàn năm 2020", "Kính gửi: các đồng chí"],
     Relevance.OTHER_BUSINESS),
    (["DANH SÁCH VẬN ĐỘNG VIÊN", "Tham gia giải bóng đá CNVCLĐ năm 2020", "1. Nguyễn Văn A"],
     Relevance.OTHER_BUSINESS),
    (["BIÊN BẢN", "Họp xét thi đua khen thưởng", "Hôm nay, ngày 25/11/2020"], Relevance.NEUTRAL),
    (["TỜ TRÌNH", "V/v xin chủ trương bầu bổ sung chủ tịch công đoàn cơ sở", "Kính gửi: Ban Thường vụ"],
     Relevance.NEUTRAL),
    (["BÁO CÁO TÓM TẮT THÀNH TÍCH", "1. Tập thể Công đoàn trường A",
      "Đạt giải nhất hội thao, tham gia phong trào Xanh - Sạch - Đẹp"], Relevance.NEUTRAL),
]


@pytest.mark.parametrize(("lines", "want"), DOCUMENTS)
def test_documents_are_judged_by_their_title_zone(lines: list[str], want: Relevance) -> None:
    assert relevance.judge_document(lines, MARKERS).relevance == want


def test_a_generic_campaign_cannot_tell_movements_apart() -> None:
    assert relevance.other_movement("Sơ kết phong trào thi đua Lao động giỏi", GENERIC) == ""
    assert relevance.other_movement("Sơ kết phong trào thi đua Lao động giỏi", MARKERS) == "Lao động giỏi"


def test_a_generic_campaign_counts_unmarked_dossiers_as_unsure() -> None:
    text = relevance.read_text("Gửi hồ sơ đề nghị khen thưởng - 1.Tờ trình.doc\nĐơn vị gửi kèm tài liệu.", GENERIC)
    verdict = relevance.judge_message(text, [("a.doc", NEUTRAL)], dossier_documents=True, in_thread=False)
    assert verdict.relevance == Relevance.UNSURE


@pytest.mark.parametrize(("body", "want"), [
    ("Cảm ơn anh chị!\n\nOn Mon, 7 Dec 2020 at 10:00, LĐLĐ tỉnh <a@b.vn> wrote:\n> Đã nhận hồ sơ", "Cảm ơn anh chị!"),
    ("Xin hỏi đã đủ chưa ạ?\nVào 10:00, Th 2, 7 thg 12, 2020 LĐLĐ tỉnh <a@b.vn>\nđã viết:\n> Kính gửi",
     "Xin hỏi đã đủ chưa ạ?"),
    ("Vâng ạ\n-----Original Message-----\nFrom: LĐLĐ\nSent: Monday", "Vâng ạ"),
    ("Dạ vâng\n\nFrom: LĐLĐ tỉnh <a@b.vn>\nSent: Monday, December 7, 2020\nTo: x", "Dạ vâng"),
    ("dòng 1\n> trích\ndòng 2", "dòng 1\ndòng 2"),
    ('<div dir="ltr">Cảm ơn<br>ạ</div><div class="gmail_quote"><div>On … wrote:</div><blockquote>x</blockquote>',
     "Cảm ơn\nạ"),
    ("", ""),
])
def test_new_words_cut_the_quote(body: str, want: str) -> None:
    assert quotes.new_words(body) == want


@pytest.mark.parametrize(("words", "thanks"), [
    ("Cảm ơn anh chị!", True),
    ("Đơn vị đã nhận được, xin cảm ơn.\nTrân trọng,\nLò Văn Pâng", True),
    ("Thanks", True),
    ("Cảm ơn. Cho hỏi hồ sơ đã đủ chưa ạ?", False),
    ("Xin hỏi biên bản có bắt buộc không", False),
    ("Đơn vị sẽ gửi bổ sung tóm tắt sau, cảm ơn", False),
    ("", False),
])
def test_thanks(words: str, thanks: bool) -> None:
    assert relevance.is_thanks(words) is thanks
