"""Every limit mailbot keeps, in one frozen value read from config ``[limits]``.

Each field is a key of ``[limits]`` with the same name (docs/operations.md: config table); a config without the
section gets the defaults below. The document limits go to the parsers as :class:`parsers.Limits`
(bot.core.intake.document_limits), the message limits to bot.message.mime, the worker's to
bot.app.guard, the reply brake and the download ceiling to bot.app.pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from bot.config.reader import Reader


@dataclass(frozen=True, slots=True)
class Limits:
    # the mail
    max_message_mb: float = 60                 # larger mail is not downloaded (listed for review)
    replies_per_sender_per_hour: int = 10      # reply-loop brake
    receipts_per_unit_per_day: int = 3         # replies about mail from addresses not the unit's, per unit
    max_attachments: int = 60                  # attachments read from one message
    max_forward_depth: int = 3                 # forwarded messages unpacked inside each other
    max_zip_members: int = 60                  # files taken from an attached .zip
    max_zip_mb: float = 150                    # an attached .zip, unpacked
    message_attempts: int = 3                  # tries of a message whose handling fails, then left for staff
    # the document worker (bot.app.guard)
    document_seconds: float = 60               # the poll waits this long for one document
    worker_memory_mb: int = 1536               # address space of the worker process
    document_workers: int = 0                  # document reader processes; 0: one per core available
    # one document (parsers.Limits)
    max_document_mb: float = 60
    max_unzipped_document_mb: float = 300      # a docx/xlsx/odt/ods container, decompressed
    max_document_members: int = 5000           # files inside such a container
    max_pages: int = 200                       # PDF pages
    max_sheet_rows: int = 5000                 # rows read per worksheet
    max_table_rows: int = 2000                 # rows read from a .docx's tables, all together
    max_sheet_columns: int = 60                # cells read per row
    ocr_pages: int = 20                        # scanned pages read by OCR per document
    ocr_page_seconds: float = 60               # one Tesseract call
    ocr_seconds: float = 300                   # all OCR of one document
    office_seconds: float = 120                # one LibreOffice conversion


KEYS = tuple(f.name for f in fields(Limits))
_MAY_BE_ZERO = {"max_forward_depth", "ocr_pages", "document_workers"}  # 0: none unpacked, no OCR, one worker per core


def read_limits(sec: Reader) -> Limits:
    """``[limits]``: every key optional, numbers at least 1 (0 allowed where it means "none")."""
    sec.no_unknown(set(KEYS))
    values: dict[str, Any] = {}
    for spec in fields(Limits):
        default = getattr(Limits(), spec.name)
        minimum = 0 if spec.name in _MAY_BE_ZERO else 1
        if spec.type == "int":
            values[spec.name] = sec.int(spec.name, default, minimum=minimum)
        else:
            values[spec.name] = sec.number(spec.name, default, minimum=minimum)
    return Limits(**values)
