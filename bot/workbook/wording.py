"""Vietnamese words for the codes the ledger stores (outcomes, findings, reply notes), for staff eyes.

Unknown codes (added by a newer module) are shown as they are, never dropped.
"""

from __future__ import annotations

from bot.core.model import MessageRecord

KIND_WORDS = {"collective": "Tập thể", "individual": "Cá nhân"}

WORDS = {
    "accepted": "Đã nhận",
    "auto_reply": "Thư trả lời tự động",
    "bounce": "Thư báo lỗi gửi",
    "read_receipt": "Xác nhận đã đọc",
    "mailing_list": "Thư từ danh sách thư",
    "own_reply": "Thư của chính mailbot",
    "duplicate": "Thư trùng",
    "unknown_sender": "Người gửi không đăng ký",
    "dmarc_fail": "Không qua kiểm tra DMARC/SPF",
    "staff": "Thư của cán bộ Liên đoàn",
    "too_large": "Thư quá lớn",
    "error": "Lỗi khi xử lý",
    "in_spam": "Thư của đơn vị nằm trong thư mục Spam",
    "spam": "Thư rác (thư mục Spam)",
    "over_quota": "Vượt chỉ tiêu",
    "late": "Nộp muộn",
    "unverified_sender": "Địa chỉ gửi chưa đăng ký",
    "lists_disagree": "Các danh sách không khớp",
    "unreadable_attachment": "Tệp không đọc được",
    "encrypted_attachment": "Tệp có mật khẩu",
    "empty_attachment": "Tệp rỗng",
    "unsupported_format": "Định dạng chưa đọc được",
    "attachment_too_large": "Tệp quá lớn",
    "needs_ocr": "Bản chụp, cần đọc bằng mắt",
    "unclassified": "Chưa rõ loại tài liệu",
    "mime_defects": "Thư có lỗi định dạng",
    "rate_limited": "Quá nhiều thư, tạm không trả lời",
    "forwarded_by_staff": "Cán bộ chuyển tiếp",
    "no_documents": "Thư không kèm tài liệu",
    "other": "Tài liệu khác",
}


def word(code: str) -> str:
    return WORDS.get(code, code)


def reason_words(code: str) -> str:
    """Vietnamese with the code in brackets, so a row can be matched with ``status --json``."""
    return f"{WORDS[code]} ({code})" if code in WORDS else code


def outcome_words(record: MessageRecord) -> str:
    findings = [word(f) for f in record.findings if not f.startswith(("error:", "note:"))]
    errors = [f.removeprefix("note: ") for f in record.findings if f.startswith(("error:", "note:"))]
    return "; ".join([word(str(record.outcome)), *findings, *errors])


def reply_words(reply: str) -> str:
    if reply.startswith("queued"):
        return "Đã trả lời (" + reply.removeprefix("queued").strip() + ")"
    if reply.startswith("none:"):
        return "Không trả lời: " + word(reply.removeprefix("none:").strip())
    return reply
