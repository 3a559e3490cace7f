"""Applies the relevance judgement (bot/core/relevance.py) to one message's documents and decision. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import parsers
from bot.config.doc_kinds import BAO_CAO, OTHER, UNCLASSIFIED
from bot.config.schema import Config
from bot.core import followups, links, quotes, relevance
from bot.core.model import DocumentRecord, IncomingMail
from bot.core.relevance import NAMES_CAMPAIGN, Relevance, Verdict

_ELSEWHERE = {Relevance.OTHER_CAMPAIGN: relevance.OTHER_CAMPAIGN_KIND,
              Relevance.OTHER_BUSINESS: relevance.OTHER_BUSINESS_KIND}


def mark_document(record: DocumentRecord, document: parsers.Document | None, cfg: Config) -> DocumentRecord:
    """A document of another campaign or business becomes no item (no nominees); one naming us says so."""
    if document is None:
        return record
    signal = relevance.judge_document(document.lines(), cfg.campaign.markers)
    if signal.relevance == Relevance.NEUTRAL and record.kind == BAO_CAO:
        signal = relevance.judge_report(document.lines(), cfg.campaign.markers)
    if signal.relevance == Relevance.CAMPAIGN:
        return replace(record, warnings=(*record.warnings, NAMES_CAMPAIGN))
    kind = _ELSEWHERE.get(signal.relevance)
    if kind is None:
        return record
    was = f" (đã đọc là {record.kind})" if record.kind not in (OTHER, UNCLASSIFIED) else ""
    return replace(record, kind=kind, nominees=(), reason=f"{signal.reason}{was}", confidence=0.7)


def judge(mail: IncomingMail, documents: Sequence[DocumentRecord], cfg: Config, *, in_thread: bool) -> Verdict:
    """The message's verdict from its subject, its own words (quotes cut), its documents and its thread.

    A reply that brings no document is a follow-up even when the mail it answers is unknown to mailbot
    (sent before it ran, or a clerk's own answer), unless its words name other business or another campaign."""
    markers = cfg.campaign.markers
    text = relevance.read_text(f"{mail.subject}\n{quotes.new_words(mail.body)}", markers)
    elsewhere = text.other_business or text.other_campaign
    brings_nothing = not documents and not links.cloud_links(mail.body)   # links are answered: not counted
    if not in_thread and brings_nothing and not elsewhere and followups.is_reply(mail):
        return Verdict(Relevance.CAMPAIGN, "trả lời một thư trước đó, không kèm tài liệu mới", in_thread=True)
    signals = [(doc.filename, _signal(doc)) for doc in documents]
    items = {kind.id for kind in cfg.documents}
    dossier_like = any(doc.kind in items or doc.kind == UNCLASSIFIED for doc in documents)
    return relevance.judge_message(text, signals, dossier_documents=dossier_like, in_thread=in_thread)


def _signal(doc: DocumentRecord) -> relevance.DocumentSignal:
    if doc.kind == relevance.OTHER_CAMPAIGN_KIND:
        return relevance.DocumentSignal(Relevance.OTHER_CAMPAIGN, doc.reason)
    if doc.kind == relevance.OTHER_BUSINESS_KIND:
        return relevance.DocumentSignal(Relevance.OTHER_BUSINESS, doc.reason)
    if NAMES_CAMPAIGN in doc.warnings:
        return relevance.DocumentSignal(Relevance.CAMPAIGN, "nêu đợt này")
    return relevance.DocumentSignal(Relevance.NEUTRAL)
