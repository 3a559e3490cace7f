"""bot.core.findings: one registry says what every outcome and finding means and sets off."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from bot.config.schema import Config
from bot.core import findings
from bot.core.findings import REGISTRY, Scope
from bot.core.model import Finding, Outcome, Reply, Stage
from bot.core.rules import assess
from bot.core.views import review_items
from bot.message.replies import _document_line
from bot.workbook.wording import detail_text, outcome_words, reason_text, reply_words
from parsers.model import ReadWarning
from tests.unit.builders import at, doc, message


@pytest.mark.parametrize("code", [*Outcome, *Finding])
def test_every_code_has_one_entry_with_vietnamese_words(code: str) -> None:
    entry = REGISTRY[str(code)]
    assert entry.words and entry.words != str(code)
    assert (entry.scope == Scope.OUTCOME) == (code in Outcome.__members__.values())


@pytest.mark.parametrize("warning", list(ReadWarning))
def test_every_warning_the_parsers_give_is_registered_with_vietnamese_words(warning: ReadWarning) -> None:
    """parsers/ never imports the bot, and Document.warnings holds only ReadWarning members (mypy strict on
    parsers): so each member here is every code a reader can give, and each has an entry."""
    entry = REGISTRY[str(warning)]
    assert entry.scope == Scope.DOCUMENT and entry.words != str(warning)
    assert findings.words(warning) == entry.words


def test_derived_lists_follow_the_entries() -> None:
    assert set(findings.REVIEW_OUTCOMES) == {Outcome.UNKNOWN_SENDER, Outcome.DMARC_FAIL, Outcome.TOO_LARGE,
                                             Outcome.ERROR, Outcome.THREAD_FOLLOWUP, Outcome.IN_SPAM}
    assert Finding.UNVERIFIED_SENDER in findings.UNIT_FLAGS_FROM_RECORDS
    assert Finding.MIME_DEFECTS not in findings.UNIT_FLAGS_FROM_RECORDS
    assert Finding.UNCLASSIFIED in findings.REVIEW_DOCUMENT_STATUSES
    assert all(REGISTRY[c].reply_text for c in (Finding.ENCRYPTED_ATTACHMENT, Finding.NEEDS_OCR))


def test_a_document_problem_reaches_flags_review_reply_and_workbook_from_one_entry(cfg: Config) -> None:
    """GIVEN a counted message with an encrypted file THEN the unit is flagged, staff review it, the reply
    says why, and the workbook names it: all from the registry entry."""
    broken = doc("bien_ban", status=str(Finding.ENCRYPTED_ATTACHMENT))
    record = message("tam_duong", at(1), doc("to_trinh"), broken)
    unit = cfg.unit("tam_duong")
    assert unit is not None
    assert Finding.ENCRYPTED_ATTACHMENT in assess(unit, [record], cfg).flags
    assert [i.reason for i in review_items([record])] == [Finding.ENCRYPTED_ATTACHMENT]
    assert _document_line(broken, cfg)["problem"] == REGISTRY[Finding.ENCRYPTED_ATTACHMENT].reply_text
    assert reason_text(Finding.ENCRYPTED_ATTACHMENT) == "Tệp có mật khẩu"     # words only, no code


def test_a_readers_refusal_reaches_staff_in_words() -> None:
    """The parsers' English refusals become Vietnamese; English nobody translated is left out, not shown."""
    assert detail_text(Finding.UNREADABLE_ATTACHMENT, "To trinh.docx: broken zip/Office container") \
        == "To trinh.docx: tệp nén hoặc tệp Office bị hỏng"
    assert detail_text(Finding.UNSUPPORTED_FORMAT, "a.bin: format not read: unknown") \
        == "a.bin: định dạng hệ thống chưa đọc được"
    assert detail_text(Finding.UNREADABLE_ATTACHMENT, "x.docx: new trouble") == "x.docx: Tệp không đọc được"
    assert detail_text(Finding.UNCLASSIFIED, "a.pdf: không nhận ra loại") == "a.pdf: không nhận ra loại"
    assert detail_text("error", "error: ValueError: boom").isascii() is False


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert findings.words("from_a_newer_version") == "from_a_newer_version"
    assert reason_text("from_a_newer_version") == "from_a_newer_version"


def test_replies_and_errors_are_fields_not_strings() -> None:
    assert reply_words(Reply.queued_as("ack-1.eml")) == "Chờ gửi"          # queued, not accepted by SMTP yet
    assert reply_words(Reply.queued_as("ack-1.eml"), datetime(2020, 12, 1, 9, 5)) == "Đã gửi 01/12/2020 09:05"
    assert reply_words(Reply.none(Outcome.BOUNCE)) == "Không trả lời: Thư báo lỗi gửi"
    failed = message("tam_duong", at(1), outcome=Outcome.ERROR, counted=False)
    failed = replace(failed, error="OSError: [Errno 36] File name too long", stage=Stage.ARCHIVING,
                     note="tên tệp quá dài để lưu trên ổ đĩa. Đã thử 1/3 lần")
    detail = "Lỗi ở bước «lưu bản sao thư và tệp đính kèm»: tên tệp quá dài để lưu trên ổ đĩa. Đã thử 1/3 lần"
    assert outcome_words(failed) == f"Lỗi khi xử lý; {detail}"
    assert [(i.reason, i.detail) for i in review_items([failed])] == [("error", detail)]
    assert "Errno" not in outcome_words(failed), "the technical text stays in the ledger and the log"
    older = replace(failed, stage=None, note="")  # a row stored before stages were kept
    assert outcome_words(older) == "Lỗi khi xử lý; chưa rõ lý do (chi tiết kỹ thuật trong nhật ký)"


@pytest.mark.parametrize("stage", list(Stage))
def test_every_failure_stage_has_vietnamese_words(stage: Stage) -> None:
    assert REGISTRY[str(stage)].scope == Scope.STAGE and findings.words(stage) != str(stage)
