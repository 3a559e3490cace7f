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
    "feedback_report": "Báo cáo khiếu nại/lạm dụng tự động (ARF, DMARC)",
    "challenge": "Thư yêu cầu xác minh người gửi (chống thư rác)",
    "own_reply": "Thư của chính mailbot",
    "duplicate": "Thư trùng",
    "unknown_sender": "Người gửi không đăng ký",
    "dmarc_fail": "Không qua kiểm tra DMARC/SPF",
    "staff": "Thư của cán bộ Liên đoàn",
    "too_large": "Thư quá lớn",
    "error": "Lỗi khi xử lý",
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


# Why a message was judged a machine's (bot.core.automated.Verdict.sign, stored as ``auto_sign:<sign>``).
SIGN_WORDS = {
    "mailbot_header": "thư của chính mailbot (X-Mailbot)",
    "report_part": "báo cáo chuẩn của máy chủ thư (multipart/report)",
    "failed_recipients_header": "tiêu đề báo lỗi gửi (X-Failed-Recipients)",
    "auto_submitted": "tiêu đề Auto-Submitted",
    "autoreply_header": "tiêu đề trả lời tự động (X-Autoreply…)",
    "precedence": "tiêu đề Precedence",
    "list_header": "tiêu đề danh sách thư (List-Id…)",
    "null_return_path": "địa chỉ trả về rỗng (<>)",
    "bounce_sender": "người gửi là máy chủ thư (MAILER-DAEMON, postmaster)",
    "list_sender": "người gửi là phần mềm danh sách thư",
    "noreply_sender": "địa chỉ không nhận trả lời (no-reply)",
    "bounce_subject": "tiêu đề thư báo lỗi gửi",
    "gateway_subject": "tiêu đề thông báo của bộ lọc virus/thư rác",
    "auto_subject": "tiêu đề thư trả lời tự động",
    "receipt_subject": "tiêu đề xác nhận đã đọc",
    "feedback_subject": "tiêu đề báo cáo khiếu nại",
    "challenge_subject": "tiêu đề yêu cầu xác minh",
    "list_subject": "tiêu đề thông báo của danh sách thư",
    "dsn_text": "nội dung báo lỗi gửi thư",
    "challenge_text": "nội dung yêu cầu xác minh người gửi",
    "list_text": "nội dung thông báo của danh sách thư",
    "away_text": "nội dung báo vắng mặt",
    "generated_text": "nội dung tự nhận là thư tự động",
}


def word(code: str) -> str:
    if code.startswith("auto_sign:"):
        sign = code.removeprefix("auto_sign:")
        return "dấu hiệu: " + SIGN_WORDS.get(sign, sign)
    return WORDS.get(code, code)


def reason_words(code: str) -> str:
    """Vietnamese with the code in brackets, so a row can be matched with ``status --json``."""
    return f"{WORDS[code]} ({code})" if code in WORDS else code


def outcome_words(record: MessageRecord) -> str:
    findings = [word(f) for f in record.findings if not f.startswith("error:")]
    errors = [f for f in record.findings if f.startswith("error:")]
    return "; ".join([word(str(record.outcome)), *findings, *errors])


def reply_words(reply: str) -> str:
    if reply.startswith("queued"):
        return "Đã trả lời (" + reply.removeprefix("queued").strip() + ")"
    if reply.startswith("none:"):
        return "Không trả lời: " + word(reply.removeprefix("none:").strip())
    return reply
