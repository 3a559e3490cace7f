"""The «Hướng dẫn» sheet: what each sheet, column, colour, mark and decision of the workbook means,
and how to undo a decision. Pure: a :class:`Sheet` of two columns, in the staff's words.
"""

from __future__ import annotations

from bot.config.schema import Config
from bot.workbook.content import (
    CORRECTION,
    DECISION,
    NOTE,
    PAPER,
    RESULT,
    SHEET_MESSAGES,
    SHEET_NOMINEES,
    SHEET_REVIEW,
    SHEET_SUMMARY,
    Row,
    Sheet,
    Tone,
    item_headings,
)
from bot.workbook.decision_cells import (
    ASSIGN_WORDS,
    COLLECTIVE_WORDS,
    FILE_WORDS,
    IGNORE_WORDS,
    INDIVIDUAL_WORDS,
    PAPER_WORDS,
    REMOVE_WORDS,
    RENAME_WORDS,
    UNDO_WORDS,
)

SHEET_GUIDE = "Hướng dẫn"
GUIDE_HEADER = ["Mục", "Ý nghĩa"]
SHEETS_WORDS = (
    (SHEET_SUMMARY, "Mỗi đơn vị một dòng: thành phần hồ sơ đã nhận, số tập thể và cá nhân đề nghị so với chỉ "
                    "tiêu, trạng thái, thư gần nhất. Dòng cuối là tổng cộng. Trang in vừa một tờ A4 ngang; các "
                    f"cột «{NOTE}», «{PAPER}», «{RESULT}» ở bên phải là cột làm việc, không in."),
    (SHEET_NOMINEES, "Mỗi tập thể, cá nhân được đề nghị một dòng, theo đơn vị, kèm tệp đã nêu tên họ."),
    (SHEET_MESSAGES, "Mọi thư đã nhận về đợt này: thời gian, người gửi, tiêu đề, tệp đính kèm và cách hệ thống "
                     "đọc từng tệp, kết quả và thư trả lời (Đã gửi, Chờ gửi, hoặc vì sao không trả lời)."),
    (SHEET_REVIEW, "Những thư cần cán bộ xem và quyết định (người gửi lạ, tệp không đọc được, danh sách không "
                   "khớp…). Chọn cách xử lý ở cột «Quyết định»."),
    ("Các quyết định", "Mọi quyết định của cán bộ, mới nhất trước, kể cả quyết định đã huỷ."),
    ("Ghi chú cũ", "Ghi chú của cán bộ mà dòng của nó không còn trong bảng (giữ lại để không mất)."),
)
COLOUR_WORDS = (
    (Tone.GREEN, "Đủ hồ sơ", "Đủ thành phần bắt buộc, trong chỉ tiêu, đúng hạn."),
    (Tone.AMBER, "Thiếu …", "Đơn vị đã gửi nhưng còn thiếu thành phần (ghi rõ ở cột «Trạng thái»)."),
    (Tone.RED, "Vượt chỉ tiêu / Nộp muộn", "Đề nghị nhiều hơn chỉ tiêu, hoặc nộp sau hạn."),
    (Tone.GREY, "Chưa nộp", "Đơn vị chưa gửi gì."),
)


def guide_sheet(cfg: Config) -> Sheet:
    """The legend, built from the same words the other sheets use."""
    rows = [_part("Các trang tính")]
    rows += [Row([f"Trang «{title}»", words]) for title, words in SHEETS_WORDS]
    rows.append(_part("Dấu trong các cột thành phần hồ sơ"))
    rows += [Row(["✓", "Đã nhận thành phần này (qua thư, hoặc bản giấy do cán bộ ghi nhận)."]),
             Row(["✗", "Còn thiếu thành phần bắt buộc này."]),
             Row(["(ô trống)", "Thành phần không bắt buộc, chưa gửi."])]
    rows += [Row([f"Cột «{heading}»", kind.label]) for heading, kind in zip(item_headings(cfg), cfg.documents,
                                                                            strict=True)]
    rows.append(_part("Màu của cột «Trạng thái»"))
    rows += [Row([name, words], tone=tone) for tone, name, words in COLOUR_WORDS]
    rows.append(_part("Cột «Cờ»"))
    rows.append(Row(["Cờ", "Những điểm cần chú ý trong hồ sơ của đơn vị, ví dụ: Vượt chỉ tiêu, Nộp muộn, Địa chỉ "
                           "gửi chưa đăng ký, Tệp không đọc được, Các danh sách không khớp."]))
    rows.append(_part("Quyết định của cán bộ (chọn trong ô, áp dụng ở lần kiểm tra thư sau)"))
    rows += [Row([choice, words]) for choice, words in _decisions()]
    rows.append(_part("Huỷ một quyết định"))
    rows.append(Row([UNDO_WORDS, f"Chọn «{UNDO_WORDS}» trong ô quyết định của chính dòng đó: quyết định mới nhất "
                                 "của dòng được huỷ ở lần kiểm tra thư sau. Cũng có thể huỷ trên trang quản lý "
                                 "hoặc nhờ người quản trị hệ thống huỷ. Trang «Các quyết định» ghi lại mọi lần huỷ."]))
    return Sheet(SHEET_GUIDE, list(GUIDE_HEADER), rows, status_column="Mục", widths={"Mục": 34, "Ý nghĩa": 110})


def _part(title: str) -> Row:
    return Row([title, None], total=True)


def _decisions() -> list[tuple[str, str]]:
    return [
        (f"«{ASSIGN_WORDS}: <tên đơn vị>»", f"Trang «{SHEET_REVIEW}», cột «{DECISION}»: tính thư này cho đơn vị "
                                            "đó (người gửi lạ, địa chỉ chưa đăng ký); đơn vị nhận thư báo đã "
                                            "nhận. Có thể gõ tên đơn vị, không cần dấu."),
        (f"«{IGNORE_WORDS}»", f"Trang «{SHEET_REVIEW}», cột «{DECISION}»: không tính thư này; những gì nó mang "
                              "đến được rút lại."),
        (f"«{FILE_WORDS}: <thành phần>»", f"Trang «{SHEET_REVIEW}», cột «{DECISION}»: tệp của dòng là thành phần "
                                         "hồ sơ đó (hoặc «Tài liệu khác»: không tính)."),
        (f"«{RENAME_WORDS}: <tên đúng>»", f"Trang «{SHEET_NOMINEES}», cột «{CORRECTION}»: sửa tên người, tập thể."),
        (f"«{COLLECTIVE_WORDS}» / «{INDIVIDUAL_WORDS}»", f"Trang «{SHEET_NOMINEES}», cột «{CORRECTION}»: "
                                                         "đổi loại đề nghị."),
        (f"«{REMOVE_WORDS}»", f"Trang «{SHEET_NOMINEES}», cột «{CORRECTION}»: bỏ người, tập thể khỏi danh sách."),
        (f"«{PAPER_WORDS}: <thành phần>»", f"Trang «{SHEET_SUMMARY}», cột «{PAPER}»: thành phần đó đã nhận bằng "
                                          "bản giấy; có thể thêm «ngày dd/mm/yyyy»."),
        (f"Cột «{RESULT}»", "Hệ thống ghi kết quả của quyết định: đã áp dụng (ai, lúc nào), hoặc vì sao chưa "
                            "áp dụng được."),
    ]
