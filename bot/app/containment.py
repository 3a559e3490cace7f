"""Containment: whatever fails while one message is handled stays with that message.

Each stage of handling a message (bot.core.model.Stage: reading it, the reader process, the copies,
deciding, the reply, its ledger rows) runs under :func:`stage`, which turns any exception into
:class:`MessageFailed` carrying the stage. The pipeline records such a message as an ``error`` row
with its sender and subject (read from the top headers when the body could not be), the stage and a
plain Vietnamese reason (:func:`reason`, :func:`note`); the row is listed for staff (Cần xem xét,
``needs_review``), the message is tried again at the next polls until it has failed
``limits.message_attempts`` times, then left for staff. The poll goes on with the other messages.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import parsers
from bot.app.guard import WorkerDied, WorkerTimedOut
from bot.core.model import Stage
from bot.errors import MessageFailed, TextError

__all__ = ["MessageFailed", "failed", "note", "reason", "stage"]


@contextmanager
def stage(name: Stage) -> Iterator[None]:
    """Run a stage of one message: an exception leaves as :class:`MessageFailed` naming it (a failure
    already named keeps its stage)."""
    try:
        yield
    except MessageFailed:
        raise
    except Exception as exc:
        raise MessageFailed(name, exc) from exc


def failed(exc: Exception, default: Stage) -> MessageFailed:
    """``exc`` as a :class:`MessageFailed`: its own stage when it names one, the reader process for a
    worker that died or ran out of time, else ``default``."""
    if isinstance(exc, MessageFailed):
        return exc
    if isinstance(exc, WorkerDied | WorkerTimedOut):
        return MessageFailed(Stage.WORKER, exc)
    return MessageFailed(default, exc)


_OS_REASONS = {
    errno.ENAMETOOLONG: "tên tệp quá dài để lưu trên ổ đĩa",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết dung lượng được phép trên ổ đĩa",
    errno.EACCES: "không có quyền ghi vào thư mục lưu trữ",
    errno.EPERM: "không có quyền ghi vào thư mục lưu trữ",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.EIO: "ổ đĩa báo lỗi đọc/ghi",
}


def reason(exc: BaseException) -> str:
    """What went wrong, in plain Vietnamese for staff (the technical text goes to the log)."""
    cause = exc.cause if isinstance(exc, MessageFailed) else exc
    if isinstance(cause, WorkerTimedOut):
        return "đọc thư quá thời gian cho phép, tiến trình đọc đã bị dừng"
    if isinstance(cause, WorkerDied):
        return "tiến trình đọc thư bị dừng đột ngột"
    if isinstance(cause, parsers.DocumentError):
        return "nội dung thư không đọc được"
    if isinstance(cause, OSError):
        return _OS_REASONS.get(cause.errno or 0, "lỗi khi đọc/ghi tệp trên ổ đĩa")
    if isinstance(cause, sqlite3.Error):
        return "không ghi được vào sổ theo dõi (tệp trạng thái)"
    if isinstance(cause, MemoryError):
        return "thư cần nhiều bộ nhớ hơn mức cho phép"
    if isinstance(cause, RecursionError):
        return "thư có cấu trúc lồng quá sâu"
    if isinstance(cause, TextError):
        return "mẫu thư trả lời bị lỗi"
    if isinstance(cause, UnicodeError):
        return "thư chứa ký tự không mã hoá được"
    return "lỗi chương trình chưa lường trước (chi tiết kỹ thuật trong nhật ký)"


def note(exc: BaseException, attempts: int, max_attempts: int) -> str:
    """The reason and what happens next: tried again at the next poll, or left for staff."""
    if attempts < max_attempts:
        return (f"{reason(exc)}. Đã thử {attempts}/{max_attempts} lần; "
                "hệ thống sẽ thử lại ở lần kiểm tra thư sau.")
    return (f"{reason(exc)}. Đã thử {attempts} lần, không thử lại nữa: "
            "cán bộ mở thư gốc trong hộp thư để xử lý.")
