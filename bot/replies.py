"""Acknowledgements and reminders as ``EmailMessage`` values, in Vietnamese. Pure.

Every outgoing message carries ``Auto-Submitted: auto-replied`` (RFC 3834) and ``X-Mailbot``
so that our own mail coming back is never answered, and a Message-ID derived from its
idempotency key, so a re-sent copy is recognisable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from bot.classify import MAILBOT_HEADER
from bot.config import Config, Unit
from bot.model import DocumentRecord, Finding, IncomingMail, MessageRecord, Nominee, UnitDossier
from parsers.nominees import COLLECTIVE, INDIVIDUAL

_STATUS_TEXT = {
    Finding.UNREADABLE_ATTACHMENT: "không mở được (tệp hỏng hoặc không đúng định dạng)",
    Finding.ENCRYPTED_ATTACHMENT: "có mật khẩu bảo vệ nên không mở được",
    Finding.EMPTY_ATTACHMENT: "là tệp rỗng (0 byte)",
    Finding.ATTACHMENT_TOO_LARGE: "quá lớn, hệ thống không xử lý",
    Finding.UNSUPPORTED_FORMAT: (
        "là định dạng hệ thống chưa đọc được tự động; cán bộ sẽ kiểm tra, đề nghị đơn vị gửi thêm bản .docx hoặc .pdf"),
    Finding.NEEDS_OCR: "là bản chụp/scan, chưa đọc được chữ tự động; cán bộ sẽ kiểm tra",
}


def message_id_for(key: str, sender: str) -> str:
    domain = sender.rsplit("@", 1)[-1].strip(">").strip() or "mailbot.local"
    return f"<mailbot.{hashlib.sha256(key.encode()).hexdigest()[:24]}@{domain}>"


def sender_address(cfg: Config) -> str:
    if cfg.smtp is not None:
        return cfg.smtp.sender
    user = cfg.mailbox.user or "mailbot@localhost"
    return str(Address(display_name=cfg.campaign.organization, addr_spec=user))


def _envelope(cfg: Config, key: str, subject: str, to: Sequence[str], now: datetime) -> EmailMessage:
    sender = sender_address(cfg)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id_for(key, getaddresses([sender])[0][1])
    message["Auto-Submitted"] = "auto-replied"
    message["X-Auto-Response-Suppress"] = "All"
    message[MAILBOT_HEADER] = key.split(":", 1)[0]
    return message


def acknowledgement(mail: IncomingMail, record: MessageRecord, unit: Unit, dossier: UnitDossier,
                    cfg: Config, now: datetime, *, to: Sequence[str] = (), cc: Sequence[str] = ()) -> EmailMessage:
    """The one reply a unit's message gets: what arrived, who is nominated, quota, what is missing."""
    subject = mail.subject if mail.subject.lower().startswith("re:") else f"Re: {mail.subject}".strip()
    message = _envelope(cfg, f"ack:{record.digest}", subject, list(to) or [mail.from_addr], now)
    if cc:
        message["Cc"] = ", ".join(cc)
    if mail.message_id:
        message["In-Reply-To"] = mail.message_id
        message["References"] = " ".join([*mail.references, mail.message_id])
    message.set_content(_ack_body(mail, record, unit, dossier, cfg))
    return message


def _ack_body(mail: IncomingMail, record: MessageRecord, unit: Unit, dossier: UnitDossier, cfg: Config) -> str:
    when = record.received_at.astimezone(cfg.campaign.tz)
    parts = [
        f"Kính gửi: {unit.name},",
        f"{cfg.campaign.organization} đã nhận được thư của đơn vị lúc {when:%H:%M} ngày {when:%d/%m/%Y}"
        f" (tiêu đề: «{mail.subject or '(không có tiêu đề)'}»).",
    ]
    if Finding.UNVERIFIED_SENDER in record.findings:
        parts.append(f"Lưu ý: địa chỉ {mail.from_addr} chưa được đăng ký cho đơn vị; bản sao thư này được gửi"
                     " tới địa chỉ đã đăng ký của đơn vị để xác nhận.")
    parts += [
        "1. Tài liệu nhận được trong thư này:\n" + _documents_text(record.documents, cfg),
        _nominees_text(dossier),
        _quota_text(dossier),
        _status_text(dossier, cfg),
        _deadline_text(dossier, cfg),
        _signature(cfg),
    ]
    return "\n\n".join(parts) + "\n"


def _documents_text(documents: Sequence[DocumentRecord], cfg: Config) -> str:
    if not documents:
        return ("   Thư không kèm tài liệu hồ sơ nào. Nếu đơn vị có câu hỏi, cán bộ phụ trách sẽ trả lời"
                " trực tiếp.")
    lines = []
    for doc in documents:
        spec = cfg.doc_kind(doc.kind)
        what = spec.label if spec else "không phải thành phần hồ sơ" if doc.kind == "other" else \
            "chưa xác định được loại tài liệu (cán bộ sẽ kiểm tra)"
        state = _STATUS_TEXT.get(Finding(doc.status), "") if doc.status != "ok" else ""
        lines.append(f"   - «{doc.filename}»: {what}" + (f"; tệp {state}" if state else "") + ".")
    return "\n".join(lines)


def _nominees_text(dossier: UnitDossier) -> str:
    if not dossier.nominees:
        return "2. Danh sách đề nghị khen thưởng: chưa đọc được danh sách tập thể, cá nhân nào."
    out = [f"2. Danh sách đề nghị khen thưởng hệ thống đọc được ({count_text(dossier)}):"]
    for kind, title in ((COLLECTIVE, "Tập thể"), (INDIVIDUAL, "Cá nhân")):
        group = [n for n in dossier.nominees if n.kind == kind]
        if group:
            out.append(f"   {title}:")
            out.extend(f"     {i}. {_nominee_line(n)}" for i, n in enumerate(group, 1))
    if dossier.disagreements:
        out.append("   Các tài liệu không khớp nhau: " + "; ".join(dossier.disagreements) + ".")
    out.append("   Đề nghị đơn vị kiểm tra lại họ tên; nếu có sai sót xin gửi lại bản đúng.")
    return "\n".join(out)


def _nominee_line(nominee: Nominee) -> str:
    return f"{nominee.name} – {nominee.position}" if nominee.position else nominee.name


def count_text(dossier: UnitDossier) -> str:
    return f"{dossier.collectives:02d} tập thể, {dossier.individuals:02d} cá nhân"


def _quota_text(dossier: UnitDossier) -> str:
    quota = f"tối đa {dossier.quota_collectives:02d} tập thể và {dossier.quota_individuals:02d} cá nhân"
    if not dossier.over_quota:
        return f"3. Số lượng đề nghị: {count_text(dossier)}, trong chỉ tiêu ({quota})."
    excess = []
    if dossier.collectives > dossier.quota_collectives:
        excess.append(f"{dossier.collectives - dossier.quota_collectives:02d} tập thể")
    if dossier.individuals > dossier.quota_individuals:
        excess.append(f"{dossier.individuals - dossier.quota_individuals:02d} cá nhân")
    return (f"3. Số lượng đề nghị: {count_text(dossier)}, VƯỢT chỉ tiêu ({quota}) {' và '.join(excess)}."
            " Đề nghị đơn vị rà soát, giảm số lượng và gửi lại Tờ trình, Báo cáo tóm tắt cho đúng chỉ tiêu.")


def _labels(ids: Sequence[str], cfg: Config) -> str:
    return "; ".join(spec.label for spec in (cfg.doc_kind(i) for i in ids) if spec)


def _status_text(dossier: UnitDossier, cfg: Config) -> str:
    received = _labels(dossier.received, cfg) or "chưa có"
    if dossier.missing:
        return (f"4. Hồ sơ của đơn vị đến thời điểm này:\n   Đã nhận: {received}.\n"
                f"   CÒN THIẾU: {_labels(dossier.missing, cfg)}. Đề nghị đơn vị bổ sung.")
    return f"4. Hồ sơ của đơn vị đến thời điểm này:\n   Đã nhận: {received}.\n   Hồ sơ đã đủ các thành phần bắt buộc."


def deadline_phrase(cfg: Config) -> str:
    deadline = cfg.campaign.deadline.astimezone(cfg.campaign.tz)
    reference = f" (theo Kế hoạch số {cfg.campaign.reference})" if cfg.campaign.reference else ""
    return f"{deadline:%H} giờ {deadline:%M} ngày {deadline:%d/%m/%Y}{reference}"


def _deadline_text(dossier: UnitDossier, cfg: Config) -> str:
    text = f"5. Hạn gửi hồ sơ: {deadline_phrase(cfg)}."
    if dossier.late:
        text += " Hồ sơ của đơn vị được ghi nhận là gửi sau thời hạn."
    return text


def _signature(cfg: Config) -> str:
    contact = f" Mọi thắc mắc xin liên hệ {cfg.campaign.contact}." if cfg.campaign.contact else ""
    return ("Đây là thư trả lời tự động của hệ thống tiếp nhận hồ sơ; đơn vị không cần trả lời thư này."
            f"{contact}\n\nTrân trọng,\n{cfg.campaign.organization}")


def reminder(unit: Unit, dossier: UnitDossier, cfg: Config, now: datetime, slot_id: str) -> EmailMessage:
    """A reminder to a unit that still owes something: exactly what is missing or over quota."""
    deadline = cfg.campaign.deadline.astimezone(cfg.campaign.tz)
    subject = f"Nhắc gửi hồ sơ đề nghị khen thưởng – hạn {deadline:%d/%m/%Y}"
    message = _envelope(cfg, f"remind:{unit.id}:{slot_id}", subject, list(unit.emails), now)
    owed = []
    if dossier.missing:
        owed.append(f"   - Còn thiếu: {_labels(dossier.missing, cfg)}.")
    if dossier.over_quota:
        owed.append(f"   - Số lượng đề nghị ({count_text(dossier)}) vượt chỉ tiêu tối đa "
                    f"{dossier.quota_collectives:02d} tập thể và {dossier.quota_individuals:02d} cá nhân.")
    campaign = f"«{cfg.campaign.name}»"
    body = [
        f"Kính gửi: {unit.name},",
        f"{cfg.campaign.organization} xin nhắc: hạn gửi hồ sơ đề nghị khen thưởng {campaign} là "
        f"{deadline_phrase(cfg)}.",
        "Đến thời điểm này, hồ sơ của đơn vị:\n" + ("\n".join(owed)),
        "Đề nghị đơn vị hoàn thiện và gửi qua thư điện tử trước thời hạn.",
        _signature(cfg),
    ]
    message.set_content("\n\n".join(body) + "\n")
    return message


def reply_recipients(record: MessageRecord, unit: Unit, mail: IncomingMail) -> tuple[list[str], list[str]]:
    """To the sender; when the sender is not the unit's registered address, a copy to that address."""
    if Finding.UNVERIFIED_SENDER in record.findings:
        return [mail.from_addr], list(unit.emails)
    return [mail.from_addr], []
