"""Every limit in one value from config [limits]: defaults as before, each key tunable, passed down."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import parsers
from bot.app.pipeline import Runner
from bot.app.reading import DocumentReader
from bot.config import schema as config_module
from bot.config.limits import KEYS, Limits
from bot.config.schema import ConfigError
from bot.core.intake import document_limits
from bot.message import mime
from bot.state.ledger import Ledger
from bot.transport.outbox import Outbox
from tests import samples
from tests.conftest import write_config

MAILDIR = '[mailbox]\nkind = "maildir"\npath = "inbox"\n'
MB = 1024 * 1024


def test_the_defaults_are_the_limits_mailbot_always_had() -> None:
    assert parsers.Limits() == parsers.Limits(
        max_bytes=60 * MB, max_unzipped_bytes=300 * MB, max_zip_members=5000, max_pages=200, max_sheet_rows=5000,
        max_sheet_columns=60, max_table_rows=2000, ocr_pages=20, ocr_page_seconds=60.0, ocr_seconds=300.0,
        office_seconds=120.0)
    assert document_limits(Limits()) == parsers.Limits()
    limits = Limits()
    assert (limits.max_message_mb, limits.replies_per_sender_per_hour, limits.document_seconds,
            limits.worker_memory_mb) == (60, 10, 60, 1536)
    assert (limits.max_attachments, limits.max_forward_depth, limits.max_zip_members, limits.max_zip_mb) == (
        60, 3, 60, 150)


def test_every_key_can_be_set_in_the_config(tmp_path: Path) -> None:
    values = {key: 2 for key in KEYS}
    text = "[limits]\n" + "".join(f"{key} = {value}\n" for key, value in values.items())
    cfg = config_module.load(write_config(tmp_path, MAILDIR + text))
    assert dataclasses.asdict(cfg.limits) == values
    assert document_limits(cfg.limits) == parsers.Limits(
        max_bytes=2 * MB, max_unzipped_bytes=2 * MB, max_zip_members=2, max_pages=2, max_sheet_rows=2,
        max_sheet_columns=2, max_table_rows=2, ocr_pages=2, ocr_page_seconds=2, ocr_seconds=2, office_seconds=2)


@pytest.mark.parametrize(("line", "problem"), [
    ("max_pages = 0", "limits.max_pages: must be at least 1"),
    ("document_seconds = -5", "limits.document_seconds: must be at least 1"),
    ("ocr_pages = -1", "limits.ocr_pages: must be at least 0"),
    ('worker_memory_mb = "lots"', "limits.worker_memory_mb: "),
    ("max_page = 3", "limits.max_page: unknown key"),
])
def test_bad_limits_are_named(tmp_path: Path, line: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_module.load(write_config(tmp_path, MAILDIR + f"[limits]\n{line}\n"))
    assert any(problem in text for text in caught.value.problems), caught.value.problems


def test_zero_ocr_pages_is_allowed(tmp_path: Path) -> None:
    cfg = config_module.load(write_config(tmp_path, MAILDIR + "[limits]\nocr_pages = 0\nmax_forward_depth = 0\n"))
    assert (cfg.limits.ocr_pages, cfg.limits.max_forward_depth) == (0, 0)


def test_the_poll_hands_the_limits_to_the_worker_and_the_mime_parse(tmp_path: Path) -> None:
    cfg = config_module.load(write_config(tmp_path, MAILDIR + "[limits]\ndocument_seconds = 7\n"
                                          "worker_memory_mb = 900\nmax_pages = 3\nmax_attachments = 1\n"))
    runner = Runner(cfg, Ledger(cfg.paths.state), Outbox(cfg.paths.outbox))
    assert (runner.pool.seconds, runner.pool.memory_mb) == (7, 900)
    reader = runner.pool.target
    assert isinstance(reader, DocumentReader) and document_limits(reader.cfg.limits).max_pages == 3
    files = [("a.docx", b"1"), ("b.docx", b"2")]
    mail = mime.parse(samples.eml(sender="a@example.vn", subject="x", attachments=files), cfg.limits)
    assert [a.filename for a in mail.attachments] == ["a.docx"]
