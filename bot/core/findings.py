"""The one registry of outcome and finding codes: what each means to staff and what it sets off.

Every list that asks "which codes matter for X" derives from here: the unit's flags (rules), the
review sheet and ``needs_review`` (views), the sentence about a file in the acknowledgement
(replies) and the Vietnamese words of the workbook (workbook/wording). A new code is one entry.
Unknown codes (stored by a newer version) are shown as they are, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.config.doc_kinds import ItemKind
from bot.core.model import Finding, Outcome, Sign, Stage
from parsers.model import ReadWarning


class Scope(StrEnum):
    """Where a code is found."""

    OUTCOME = "outcome"      # what became of a message (MessageRecord.outcome)
    MESSAGE = "message"      # a finding on a message (MessageRecord.findings)
    DOCUMENT = "document"    # a document's status or warning (DocumentRecord.status / warnings)
    UNIT = "unit"            # derived for a unit's whole dossier (rules)
    REVIEW = "review"        # a review reason only
    SIGN = "sign"            # what gave a machine's message away (a finding on a message)
    STAGE = "stage"          # where handling a message failed (MessageRecord.stage, with Outcome.ERROR)


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    words: str                 # Vietnamese, for staff
    scope: Scope
    flags_unit: bool = False   # on a counted message or document: the unit carries it as a flag
    review: bool = False       # a person must look at it (Cần xem xét, needs_review)
    reply_text: str = ""       # what the acknowledgement says of a file with this status ("" = nothing)
    whole_line: bool = False   # ``reply_text`` is the whole sentence about the file (its kind is not guessed)


NO_DOCUMENTS = "no_documents"
OTHER_DOCUMENT = ItemKind.OTHER
RUNNABLE_WORDS = "Tệp chạy được (có thể chứa mã độc): không mở, đã cất riêng"

_CODES = (
    Code(Outcome.ACCEPTED, "Đã nhận", Scope.OUTCOME),
    Code(Outcome.AUTO_REPLY, "Thư trả lời tự động", Scope.OUTCOME),
    Code(Outcome.BOUNCE, "Thư báo lỗi gửi", Scope.OUTCOME),
    Code(Outcome.READ_RECEIPT, "Xác nhận đã đọc", Scope.OUTCOME),
    Code(Outcome.MAILING_LIST, "Thư từ danh sách thư", Scope.OUTCOME),
    Code(Outcome.FEEDBACK_REPORT, "Báo cáo khiếu nại/lạm dụng tự động (ARF, DMARC)", Scope.OUTCOME),
    Code(Outcome.CHALLENGE, "Thư yêu cầu xác minh người gửi (chống thư rác)", Scope.OUTCOME),
    Code(Outcome.OWN_REPLY, "Thư của chính mailbot", Scope.OUTCOME),
    Code(Outcome.DUPLICATE, "Thư trùng", Scope.OUTCOME),
    Code(Outcome.UNKNOWN_SENDER, "Người gửi không đăng ký", Scope.OUTCOME, review=True),
    Code(Outcome.DMARC_FAIL, "Không qua kiểm tra DMARC/SPF", Scope.OUTCOME, review=True),
    Code(Outcome.STAFF, "Thư của cán bộ Liên đoàn", Scope.OUTCOME),
    Code(Outcome.TOO_LARGE, "Thư quá lớn", Scope.OUTCOME, review=True),
    Code(Outcome.ERROR, "Lỗi khi xử lý", Scope.OUTCOME, review=True),
    Code(Outcome.IGNORED, "Cán bộ quyết định bỏ qua", Scope.OUTCOME),
    Code(Outcome.RECEIVED_OTHER_WAY, "Nhận bản giấy / trực tiếp", Scope.OUTCOME),
    # Not this campaign (bot/core/relevance.py): as an outcome, and as the kind of a document left out.
    Code(Outcome.OTHER_BUSINESS, "Việc khác, không thuộc đợt này", Scope.OUTCOME),
    Code(Outcome.OTHER_CAMPAIGN, "Thuộc phong trào/đợt khác", Scope.OUTCOME),
    Code(Outcome.THREAD_FOLLOWUP, "Thư hỏi thêm trong chuỗi thư, cán bộ trả lời", Scope.OUTCOME, review=True),
    Code(Outcome.THREAD_THANKS, "Thư cảm ơn trong chuỗi thư", Scope.OUTCOME),
    Code(Outcome.IN_SPAM, "Thư của đơn vị nằm trong thư mục Spam", Scope.OUTCOME, review=True),
    Code(Outcome.SPAM, "Thư rác (thư mục Spam)", Scope.OUTCOME),
    Code(Finding.OVER_QUOTA, "Vượt chỉ tiêu", Scope.UNIT),
    Code(Finding.LATE, "Nộp muộn", Scope.UNIT),
    Code(Finding.LISTS_DISAGREE, "Các danh sách không khớp", Scope.UNIT, review=True),
    Code(Finding.OUTDATED_NAMES, "Tài liệu gửi trước còn tên người không còn đề nghị", Scope.UNIT, review=True),
    Code(Finding.UNVERIFIED_SENDER, "Địa chỉ gửi chưa đăng ký, chờ xác nhận", Scope.MESSAGE, flags_unit=True,
         review=True),
    Code(Finding.UNREADABLE_ATTACHMENT, "Tệp không đọc được", Scope.DOCUMENT, flags_unit=True, review=True,
         reply_text="không mở được (tệp hỏng hoặc không đúng định dạng)"),
    Code(Finding.ENCRYPTED_ATTACHMENT, "Tệp có mật khẩu", Scope.DOCUMENT, flags_unit=True, review=True,
         reply_text="có mật khẩu bảo vệ nên không mở được"),
    Code(Finding.EMPTY_ATTACHMENT, "Tệp rỗng", Scope.DOCUMENT, flags_unit=True, review=True,
         reply_text="là tệp rỗng (0 byte)"),
    Code(Finding.UNSUPPORTED_FORMAT, "Định dạng chưa đọc được", Scope.DOCUMENT, flags_unit=True, review=True,
         reply_text="là định dạng hệ thống chưa đọc được tự động; cán bộ sẽ kiểm tra, "
                    "đề nghị đơn vị gửi thêm bản .docx hoặc .pdf"),
    Code(Finding.NEEDS_OCR, "Bản chụp, cần đọc bằng mắt", Scope.DOCUMENT, flags_unit=True, review=True,
         reply_text="là bản chụp/scan, chưa đọc được chữ tự động; cán bộ sẽ kiểm tra"),
    Code(Finding.ATTACHMENT_TOO_LARGE, "Tệp quá lớn", Scope.DOCUMENT, flags_unit=True, review=True,
         reply_text="quá lớn, hệ thống không xử lý"),
    Code(Finding.EXECUTABLE_ATTACHMENT, RUNNABLE_WORDS, Scope.DOCUMENT, flags_unit=True, review=True,
         reply_text="là tệp chạy được (chương trình hoặc tập lệnh), hệ thống không mở và không tính; "
                    "đề nghị đơn vị gửi bản .docx hoặc .pdf"),
    Code(Finding.TNEF_UNREADABLE, "Tệp winmail.dat (Outlook Rich Text) không mở được", Scope.DOCUMENT,
         flags_unit=True, review=True, whole_line=True,
         reply_text="Thư được Outlook gửi ở định dạng Rich Text (winmail.dat) nên không mở được tệp đính kèm; "
                    "đề nghị đơn vị gửi lại ở định dạng HTML hoặc văn bản thường"),
    Code(Finding.TNEF_BODY_ONLY, "winmail.dat chỉ có nội dung thư, không có tệp", Scope.DOCUMENT, whole_line=True,
         reply_text="Thư được Outlook gửi ở định dạng Rich Text (winmail.dat); tệp này chỉ chứa nội dung thư, "
                    "không có tệp đính kèm nào. Nếu đơn vị có gửi kèm tài liệu, đề nghị gửi lại ở định dạng "
                    "HTML hoặc văn bản thường"),
    Code(Finding.TABLE_CUT, "Bảng quá dài: chỉ đọc các dòng đầu, cần xem phần còn lại", Scope.DOCUMENT,
         flags_unit=True, review=True),
    Code(Finding.GRASSROOTS_DOCUMENT, "Hồ sơ của cơ sở gửi kèm", Scope.DOCUMENT, review=True),
    Code(Finding.OCR_TO_CONFIRM, "Đọc từ bản scan, cần đối chiếu", Scope.DOCUMENT, flags_unit=True, review=True),
    Code(Finding.UNCLASSIFIED, "Chưa rõ loại tài liệu", Scope.DOCUMENT, review=True),
    Code(Finding.MIME_DEFECTS, "Thư có lỗi định dạng", Scope.MESSAGE),
    Code(Finding.RATE_LIMITED, "Quá nhiều thư, tạm không trả lời", Scope.MESSAGE, review=True),
    Code(Finding.FORWARDED_BY_STAFF, "Cán bộ chuyển tiếp", Scope.MESSAGE),
    Code(Finding.DECIDED_BY_STAFF, "Theo quyết định của cán bộ", Scope.MESSAGE),
    Code(Finding.CAMPAIGN_UNSURE, "Chưa rõ thuộc đợt này, cần xác nhận", Scope.MESSAGE, review=True),
    Code(Finding.CLOUD_LINKS, "Gửi đường dẫn tệp (Drive…), tệp chưa được tính", Scope.MESSAGE, review=True),
    Code(Finding.CAMPAIGN_MIXED, "Vừa có tài liệu của đợt này vừa có của phong trào/đợt khác, cần xem xét",
         Scope.MESSAGE, review=True),
    Code(Finding.UNIT_REQUEST, "Đơn vị có đề nghị, cán bộ trả lời", Scope.MESSAGE, review=True),
    Code(Finding.UNREADABLE_MESSAGE, "Thư lồng quá nhiều lớp, không đọc được nội dung", Scope.MESSAGE,
         review=True),
    Code(Stage.READING, "đọc thư", Scope.STAGE),
    Code(Stage.WORKER, "tiến trình đọc tài liệu", Scope.STAGE),
    Code(Stage.ARCHIVING, "lưu bản sao thư và tệp đính kèm", Scope.STAGE),
    Code(Stage.DECIDING, "phân loại thư", Scope.STAGE),
    Code(Stage.REPLYING, "soạn và xếp thư trả lời", Scope.STAGE),
    Code(Stage.COMMITTING, "ghi vào sổ theo dõi", Scope.STAGE),
    # What the readers say about a document they read (parsers never import the bot: their codes are here).
    Code(ReadWarning.OCR, "Chữ được nhận dạng tự động từ bản chụp", Scope.DOCUMENT),
    Code(ReadWarning.OCR_PAGE_LIMIT, "Bản chụp nhiều trang quá mức: các trang sau chưa được đọc", Scope.DOCUMENT),
    Code(ReadWarning.OCR_TIME_LIMIT, "Hết thời gian đọc bản chụp: các trang còn lại chưa được đọc", Scope.DOCUMENT),
    Code(ReadWarning.OCR_TIMEOUT, "Một trang bản chụp đọc quá lâu nên bị bỏ qua", Scope.DOCUMENT),
    Code(ReadWarning.OCR_FAILED, "Có trang bản chụp không đọc được", Scope.DOCUMENT),
    Code(ReadWarning.OCR_ROTATED, "Có trang bị xoay, đã xoay lại để đọc", Scope.DOCUMENT),
    Code(ReadWarning.OCR_LOW_CONFIDENCE, "Chữ trên bản chụp mờ, kết quả đọc chưa chắc chắn", Scope.DOCUMENT),
    Code(ReadWarning.CID_GLYPHS, "Phông chữ trong tệp PDF không giải mã được hết, có chỗ đọc sai", Scope.DOCUMENT),
    Code(ReadWarning.CONVERTED_BY_LIBREOFFICE, "Tệp định dạng cũ, đã chuyển sang định dạng mới để đọc",
         Scope.DOCUMENT),
    Code(Finding.NAMES_CAMPAIGN, "Tài liệu nêu tên đợt thi đua này", Scope.DOCUMENT),
    Code(NO_DOCUMENTS, "Thư không kèm tài liệu", Scope.REVIEW, review=True),
    Code(OTHER_DOCUMENT, "Tài liệu khác", Scope.DOCUMENT),
)
REGISTRY: dict[str, Code] = {str(entry.code): entry for entry in _CODES}

# Why a message was judged a machine's (bot.core.automated.Verdict): each sign is a finding of its own.
SIGN_WORDS: dict[Sign, str] = {
    Sign.MAILBOT_HEADER: "thư của chính mailbot (X-Mailbot)",
    Sign.REPORT_PART: "báo cáo chuẩn của máy chủ thư (multipart/report)",
    Sign.FAILED_RECIPIENTS_HEADER: "tiêu đề báo lỗi gửi (X-Failed-Recipients)",
    Sign.AUTO_SUBMITTED: "tiêu đề Auto-Submitted",
    Sign.AUTOREPLY_HEADER: "tiêu đề trả lời tự động (X-Autoreply…)",
    Sign.PRECEDENCE: "tiêu đề Precedence",
    Sign.LIST_HEADER: "tiêu đề danh sách thư (List-Id…)",
    Sign.NULL_RETURN_PATH: "địa chỉ trả về rỗng (<>)",
    Sign.BOUNCE_SENDER: "người gửi là máy chủ thư (MAILER-DAEMON, postmaster)",
    Sign.LIST_SENDER: "người gửi là phần mềm danh sách thư",
    Sign.NOREPLY_SENDER: "địa chỉ không nhận trả lời (no-reply)",
    Sign.BOUNCE_SUBJECT: "tiêu đề thư báo lỗi gửi",
    Sign.GATEWAY_SUBJECT: "tiêu đề thông báo của bộ lọc virus/thư rác",
    Sign.AUTO_SUBJECT: "tiêu đề thư trả lời tự động",
    Sign.RECEIPT_SUBJECT: "tiêu đề xác nhận đã đọc",
    Sign.FEEDBACK_SUBJECT: "tiêu đề báo cáo khiếu nại",
    Sign.CHALLENGE_SUBJECT: "tiêu đề yêu cầu xác minh",
    Sign.LIST_SUBJECT: "tiêu đề thông báo của danh sách thư",
    Sign.DSN_TEXT: "nội dung báo lỗi gửi thư",
    Sign.CHALLENGE_TEXT: "nội dung yêu cầu xác minh người gửi",
    Sign.LIST_TEXT: "nội dung thông báo của danh sách thư",
    Sign.AWAY_TEXT: "nội dung báo vắng mặt",
    Sign.GENERATED_TEXT: "nội dung tự nhận là thư tự động",
}


_SIGN_CODES = tuple(Code(sign, f"dấu hiệu: {text}", Scope.SIGN) for sign, text in SIGN_WORDS.items())
REGISTRY.update((str(entry.code), entry) for entry in _SIGN_CODES)


def _codes(scope: Scope, *, flags_unit: bool | None = None, review: bool | None = None) -> tuple[str, ...]:
    return tuple(str(c.code) for c in _CODES if c.scope == scope
                 and (flags_unit is None or c.flags_unit == flags_unit) and (review is None or c.review == review))


# Derived lists, in registry order (the order flags are shown in).
UNIT_FLAGS_FROM_RECORDS = tuple(str(c.code) for c in _CODES if c.flags_unit)
REVIEW_OUTCOMES = frozenset(_codes(Scope.OUTCOME, review=True))
REVIEW_MESSAGE_FINDINGS = _codes(Scope.MESSAGE, review=True)
REVIEW_DOCUMENT_STATUSES = _codes(Scope.DOCUMENT, review=True)


def words(code: str) -> str:
    """Vietnamese for staff; an unknown code as it is."""
    entry = REGISTRY.get(code)
    return entry.words if entry else code


def failure_words(stage: str | None, note: str) -> str:
    """An ``error`` row for staff: the stage where handling it failed and the reason with what happens next
    (both kept on the row: MessageRecord.stage and .note)."""
    why = note or "chưa rõ lý do (chi tiết kỹ thuật trong nhật ký)"
    return f"Lỗi ở bước «{words(stage)}»: {why}" if stage else why


def reply_text(code: str) -> str:
    entry = REGISTRY.get(code)
    return entry.reply_text if entry else ""


def reply_is_whole_line(code: str) -> bool:
    """The acknowledgement's sentence about a file with this status stands alone (no «loại tài liệu»)."""
    entry = REGISTRY.get(code)
    return bool(entry and entry.whole_line)


# What the document readers say when they refuse a file (the texts of parsers' DocumentError), in the
# staff's words: matched as fragments, in this order (the more particular first).
READER_PROBLEM_WORDS: tuple[tuple[str, str], ...] = (
    ("password-protected", "có mật khẩu"),
    ("0 bytes", "tệp rỗng (0 byte)"),
    ("broken zip", "tệp nén hoặc tệp Office bị hỏng"),
    ("docx", "tệp Word bị hỏng, không đọc được"),
    ("xlsx", "tệp Excel bị hỏng, không đọc được"),
    ("pdf cannot", "tệp PDF bị hỏng, không đọc được"),
    ("tesseract", "ảnh chụp: máy chủ chưa cài phần mềm đọc chữ (OCR)"),
    ("image cannot", "ảnh bị hỏng, không đọc được"),
    ("members in the archive", "tệp nén chứa quá nhiều tệp"),
    ("once decompressed", "tệp nén quá lớn khi giải nén"),
    ("archive that could not be unpacked", "tệp nén không giải nén được (hỏng hoặc có mật khẩu)"),
    ("97-2003", "tệp Office đời cũ, không phải Word hay Excel"),
    ("libreoffice is not installed", "định dạng cũ: máy chủ chưa cài LibreOffice để chuyển đổi"),
    ("libreoffice", "định dạng cũ: không chuyển đổi được"),
    ("format not read", "định dạng hệ thống chưa đọc được"),
    (" pages", "quá nhiều trang"),
    (" bytes", "tệp quá lớn"),
)


def reader_problem_words(text: str) -> str:
    """Staff words for one reader's refusal text; "" when it is none the readers give."""
    folded = text.casefold()
    return next((words for fragment, words in READER_PROBLEM_WORDS if fragment in folded), "")
