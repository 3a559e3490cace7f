"""Acknowledgements, reminders and the staff summary as ``EmailMessage`` values, in Vietnamese.

The wording lives in Jinja2 templates (bot/message/texts.py); this module computes what they show.
The sentence about a file's problem comes from the findings registry (bot/core/findings.py).

Every outgoing message carries ``Auto-Submitted: auto-replied`` (RFC 3834) and ``X-Mailbot``
so that our own mail coming back is never answered, and a Message-ID derived from its
idempotency key, so a re-sent copy is recognisable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from email.headerregistry import Address, BaseHeader
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, getaddresses
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bot.config.doc_kinds import ItemKind
from bot.config.schema import Config, Unit
from bot.core import links, rules
from bot.core.body_list import names_in_body
from bot.core.classify import MAILBOT_HEADER
from bot.core.findings import reply_is_whole_line, reply_text
from bot.core.intake import forwarded_unit_address
from bot.core.issuer import GRASSROOTS_KIND
from bot.core.model import (
    DocStatus,
    DocumentRecord,
    Finding,
    IncomingMail,
    MessageKey,
    MessageRecord,
    Nominee,
    Outcome,
    UnitDossier,
)
from bot.core.picture import Picture, build
from bot.core.relevance import OTHER_BUSINESS_KIND, OTHER_CAMPAIGN_KIND
from bot.core.reply_keys import ReplyKey
from bot.message import texts
from bot.message.outgoing_policy import OUTGOING
from parsers.nominees import COLLECTIVE, INDIVIDUAL

_NOT_AN_ITEM = {
    ItemKind.OTHER: "không phải thành phần hồ sơ",
    OTHER_CAMPAIGN_KIND: "thuộc phong trào hoặc việc khác, không tính vào hồ sơ đợt này",
    OTHER_BUSINESS_KIND: "không thuộc hồ sơ đợt này, không tính",
    GRASSROOTS_KIND: "hồ sơ của cơ sở gửi kèm, không tính là thành phần hồ sơ của đơn vị",
}


def message_id_for(key: ReplyKey, sender: str) -> str:
    domain = sender.rsplit("@", 1)[-1].strip(">").strip() or "mailbot.local"
    return f"<mailbot.{hashlib.sha256(str(key).encode()).hexdigest()[:24]}@{domain}>"


def sender_address(cfg: Config) -> str:
    if cfg.smtp is not None:
        return cfg.smtp.sender
    user = cfg.mailbox.user or "mailbot@localhost"
    return str(Address(display_name=cfg.campaign.organization, addr_spec=user))


# For the type checker the mixin is a header (it only ever sits before one); at run time it is a plain object.
if TYPE_CHECKING:
    _HeaderBase = BaseHeader
else:
    _HeaderBase = object


class _FoldOnce(_HeaderBase):
    """Mixin for a header object shared by many messages: its folded text is computed once per policy."""

    def fold(self, *, policy: Any) -> str:
        folded: dict[Any, str] = self.__dict__.setdefault("_folded", {})
        if policy not in folded:
            if len(folded) > 8:  # policies are few; never let the memo grow without bound
                folded.clear()
            folded[policy] = super().fold(policy=policy)
        return folded[policy]


@lru_cache(maxsize=16)
def _from_header(sender: str) -> BaseHeader:
    """The From header of every reply, parsed and folded once instead of once per message.

    Folding an address with a Vietnamese display name costs the stdlib milliseconds (about an eighth
    of a poll). Setting the already-encoded text instead would not help: the stdlib decodes it and
    folds it again, adding a spurious space. So the real header object is kept, and it folds once.
    """
    base = type(default_policy.header_factory("From", sender))
    header: BaseHeader = type(f"_Once{base.__name__}", (_FoldOnce, base), {})("From", sender)
    return header


def _envelope(cfg: Config, key: ReplyKey, subject: str, to: Sequence[str], now: datetime) -> EmailMessage:
    sender = sender_address(cfg)
    message = EmailMessage(policy=OUTGOING)
    message["From"] = _from_header(sender)
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id_for(key, getaddresses([sender])[0][1])
    message["Auto-Submitted"] = "auto-replied"
    message["X-Auto-Response-Suppress"] = "All"
    message[MAILBOT_HEADER] = str(key.kind)
    return message


def acknowledgement(mail: IncomingMail, record: MessageRecord, unit: Unit, dossier: UnitDossier,
                    cfg: Config, now: datetime, *, to: Sequence[str] = (), cc: Sequence[str] = ()) -> EmailMessage:
    """The one reply a unit's message gets: what arrived, who is nominated, quota, what is missing."""
    subject = mail.subject if mail.subject.lower().startswith("re:") else f"Re: {mail.subject}".strip()
    message = _envelope(cfg, ReplyKey.ack(record.digest), subject, list(to) or [mail.from_addr], now)
    if cc:
        message["Cc"] = ", ".join(cc)
    if mail.message_id:
        message["In-Reply-To"] = mail.message_id
        message["References"] = " ".join([*mail.references, mail.message_id])
    message.set_content(_ack_body(mail, record, unit, dossier, cfg))
    return message


def receipt(mail: IncomingMail, record: MessageRecord, cfg: Config, now: datetime) -> EmailMessage:
    """The short receipt for a sender whose address is not the unit's: it says nothing of any dossier
    (the full acknowledgement goes to the unit's registered addresses)."""
    subject = mail.subject if mail.subject.lower().startswith("re:") else f"Re: {mail.subject}".strip()
    message = _envelope(cfg, ReplyKey.receipt(record.digest), subject, [mail.from_addr], now)
    if mail.message_id:
        message["In-Reply-To"] = mail.message_id
        message["References"] = " ".join([*mail.references, mail.message_id])
    when = record.received_at.astimezone(cfg.campaign.tz)
    message.set_content(texts.render(
        cfg.paths.templates, texts.RECEIPT, from_name=mail.from_name, from_addr=mail.from_addr,
        subject=mail.subject, received_time=f"{when:%H:%M}", received_date=f"{when:%d/%m/%Y}",
        organization=cfg.campaign.organization, contact=cfg.campaign.contact))
    return message


def _ack_body(mail: IncomingMail, record: MessageRecord, unit: Unit, dossier: UnitDossier, cfg: Config) -> str:
    when = record.received_at.astimezone(cfg.campaign.tz)
    return texts.render(
        cfg.paths.templates, texts.ACK, **_common(unit, dossier, cfg),
        received_time=f"{when:%H:%M}", received_date=f"{when:%d/%m/%Y}", subject=mail.subject,
        from_addr=mail.from_addr, unverified_sender=Finding.UNVERIFIED_SENDER in record.findings,
        forwarded_by=mail.from_addr if Finding.FORWARDED_BY_STAFF in record.findings else "",
        cloud_services=links.services(links.cloud_links(mail.body)) if Finding.CLOUD_LINKS in record.findings else [],
        documents=[_document_line(doc, cfg) for doc in record.documents],
        groups=_nominee_groups(dossier), disagreements=list(dossier.disagreements),
        body_names=list(names_in_body(mail.body)) if not record.documents else [],
        nominee_items=_spoken([k.id for k in cfg.documents if k.lists_nominees and k.id in cfg.campaign.required], cfg),
        required=_spoken(cfg.campaign.required, cfg),
        outdated=rules.describe_outdated(dossier.outdated, cfg.campaign.tz))


def _common(unit: Unit, dossier: UnitDossier, cfg: Config) -> dict[str, object]:
    """What every template about one unit's dossier may use."""
    return {
        "unit_name": unit.name, "organization": cfg.campaign.organization, "contact": cfg.campaign.contact_line,
        "campaign_name": cfg.campaign.name, "deadline": deadline_phrase(cfg), "late": dossier.late,
        "count": count_text(dossier), "quota": quota_text(dossier), "over_quota": dossier.over_quota,
        "received": _labels(dossier.received, cfg), "missing": _labels(dossier.missing, cfg),
        "nothing_received": dossier.messages == 0, "nothing_read": not dossier.nominees,
        "excess": _excess(dossier),
    }


def _document_line(doc: DocumentRecord, cfg: Config) -> dict[str, str]:
    if reply_is_whole_line(doc.status):
        return {"filename": doc.filename, "what": reply_text(doc.status), "problem": ""}
    spec = cfg.doc_kind(doc.kind)
    what = spec.label if spec else _NOT_AN_ITEM.get(doc.kind, "chưa xác định được loại tài liệu (cán bộ sẽ kiểm tra)")
    problem = reply_text(doc.status) if doc.status != DocStatus.OK else ""
    return {"filename": doc.filename, "what": what, "problem": problem}


def _nominee_groups(dossier: UnitDossier) -> list[dict[str, object]]:
    groups: list[dict[str, object]] = []
    for kind, title in ((COLLECTIVE, "Tập thể"), (INDIVIDUAL, "Cá nhân")):
        lines = [_nominee_line(n) for n in dossier.nominees if n.kind == kind]
        if lines:
            groups.append({"title": title, "lines": lines})
    return groups


def _nominee_line(nominee: Nominee) -> str:
    return f"{nominee.name} – {nominee.role}" if nominee.role else nominee.name


def count_text(dossier: UnitDossier) -> str:
    return f"{dossier.collectives:02d} tập thể, {dossier.individuals:02d} cá nhân"


def quota_text(dossier: UnitDossier) -> str:
    return f"tối đa {dossier.quota_collectives:02d} tập thể và {dossier.quota_individuals:02d} cá nhân"


def _excess(dossier: UnitDossier) -> list[str]:
    excess = []
    if dossier.collectives > dossier.quota_collectives:
        excess.append(f"{dossier.collectives - dossier.quota_collectives:02d} tập thể")
    if dossier.individuals > dossier.quota_individuals:
        excess.append(f"{dossier.individuals - dossier.quota_individuals:02d} cá nhân")
    return excess


def _labels(ids: Sequence[str], cfg: Config) -> str:
    return "; ".join(spec.label for spec in (cfg.doc_kind(i) for i in ids) if spec)


def _spoken(ids: Sequence[str], cfg: Config) -> str:
    """Item labels as a sentence says them: «Tờ trình …, Biên bản họp xét và Báo cáo tóm tắt …»."""
    labels = [spec.label for spec in (cfg.doc_kind(i) for i in ids) if spec]
    return " và ".join(filter(None, (", ".join(labels[:-1]), *labels[-1:])))


def deadline_phrase(cfg: Config) -> str:
    deadline = cfg.campaign.deadline.astimezone(cfg.campaign.tz)
    reference = f" (theo Kế hoạch số {cfg.campaign.reference})" if cfg.campaign.reference else ""
    return f"{deadline:%H} giờ {deadline:%M} ngày {deadline:%d/%m/%Y}{reference}"


def reminder(unit: Unit, dossier: UnitDossier, cfg: Config, now: datetime, slot_id: str) -> EmailMessage:
    """A reminder to a unit that still owes something: exactly what is missing or over quota."""
    deadline = cfg.campaign.deadline.astimezone(cfg.campaign.tz)
    subject = f"Nhắc gửi hồ sơ đề nghị khen thưởng – hạn {deadline:%d/%m/%Y}"
    message = _envelope(cfg, ReplyKey.reminder(unit.id, slot_id), subject, list(unit.emails), now)
    message.set_content(texts.render(cfg.paths.templates, texts.REMINDER, **_common(unit, dossier, cfg)))
    return message


def summary(picture: Picture, now: datetime, workbook: bytes, workbook_name: str) -> EmailMessage:
    """The one mail to the staff after the deadline: where every unit stands (the picture's counts and
    words, bot/core/picture.py), the tally attached."""
    cfg, counts = picture.cfg, picture.counts
    deadline = cfg.campaign.deadline.astimezone(cfg.campaign.tz)
    subject = f"Tổng hợp hồ sơ đề nghị khen thưởng sau hạn {deadline:%d/%m/%Y}"
    message = _envelope(cfg, summary_key(cfg), subject, list(cfg.campaign.staff_emails), now)
    units = [{"name": unit.name, "count": count_text(unit.dossier), "quota": quota_text(unit.dossier),
              "missing": _labels(unit.dossier.missing, cfg), "over_quota": unit.dossier.over_quota,
              "late": unit.dossier.late, "messages": len(unit.records), "words": unit.words}
             for unit in picture.units]
    dossiers = picture.dossiers
    local = now.astimezone(cfg.campaign.tz)
    message.set_content(texts.render(
        cfg.paths.templates, texts.SUMMARY, units=units, counts=counts, complete_count=counts.complete,
        collectives=sum(d.collectives for d in dossiers), individuals=sum(d.individuals for d in dossiers),
        review_count=counts.open_review, campaign_name=cfg.campaign.name, deadline=deadline_phrase(cfg),
        generated=f"{local:%H:%M} ngày {local:%d/%m/%Y}", organization=cfg.campaign.organization,
        contact=cfg.campaign.contact, workbook_name=workbook_name))
    attach_workbook(message, workbook, workbook_name)
    return message


def attach_workbook(message: EmailMessage, workbook: bytes, name: str) -> None:
    message.add_attachment(workbook, maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)


def reply_recipients(record: MessageRecord, unit: Unit, mail: IncomingMail) -> tuple[list[str], list[str]]:
    """To the sender; when the sender is not the unit's registered address, to that address instead
    (the sender gets :func:`receipt`, which says nothing of the dossier).

    A unit's dossier forwarded by staff is answered to the unit's address it came from, the
    forwarding staff member in copy.
    """
    if Finding.FORWARDED_BY_STAFF in record.findings:
        original = forwarded_unit_address(mail, unit)
        if original is not None:
            return [original], [mail.from_addr]
    if Finding.UNVERIFIED_SENDER in record.findings and unit.emails:
        return list(unit.emails), []
    return [mail.from_addr], []


def summary_key(cfg: Config) -> ReplyKey:
    """The idempotency key of the one staff summary of a campaign."""
    return ReplyKey.summary(cfg.campaign.reference or cfg.campaign.name, cfg.campaign.deadline)


def preview(cfg: Config, now: datetime) -> list[EmailMessage]:
    """One acknowledgement, reminder, summary and receipt built from made-up data, so that every template
    (and every branch a typo could hide in) is rendered once: ``mailbot check`` and the start of ``run``."""
    unit = cfg.units[0]
    address = unit.emails[0] if unit.emails else "unit@example.org"
    people = (Nominee(COLLECTIVE, "Công đoàn cơ sở A", "", "to_trinh.docx"),
              Nominee(INDIVIDUAL, "Nguyễn Văn A", "Chủ tịch", "to_trinh.docx"))
    documents = (DocumentRecord("to_trinh.docx", ItemKind.TO_TRINH, "docx", DocStatus.OK, 1, "0", people),
                 DocumentRecord("bien_ban.pdf", ItemKind.BIEN_BAN, "pdf", Finding.UNREADABLE_ATTACHMENT, 1, "1"),
                 DocumentRecord("ghi_chu.txt", ItemKind.OTHER, "txt", DocStatus.OK, 1, "2"))
    record = MessageRecord(MessageKey("preview", 0, "1"), "<preview@mailbot>", "preview", now, address,
                           unit.name, "Hồ sơ", unit.id, True, Outcome.ACCEPTED,
                           (Finding.UNVERIFIED_SENDER,), documents)
    mail = IncomingMail("<preview@mailbot>", address, unit.name, "Hồ sơ", now, (), "", (), {}, "text/plain", ())
    owing = UnitDossier(unit.id, ("to_trinh",), ("bien_ban",), people, 1, 9, 1, 4, True, True, now, 1,
                        (), ("bien_ban.pdf: không có Nguyễn Văn A",))
    silent = replace(owing, received=(), nominees=(), collectives=0, individuals=0, over_quota=False,
                     late=False, messages=0, disagreements=())
    linked = replace(mail, body="https://drive.google.com/drive/folders/preview")
    shapes = (Finding.CLOUD_LINKS, Finding.FORWARDED_BY_STAFF)
    return [acknowledgement(mail, record, unit, owing, cfg, now),
            acknowledgement(linked, replace(record, findings=shapes, documents=()), unit, silent, cfg, now),
            reminder(unit, owing, cfg, now, "T-0"), reminder(unit, silent, cfg, now, "T-0"),
            summary(build(cfg, [record], []), now, b"", "tally.xlsx"), receipt(mail, record, cfg, now)]
