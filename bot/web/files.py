"""Which stored file a download URL may serve: a document of that message, inside the archive folder,
never an executable or script, never anything a ``../`` reaches."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from bot.config.schema import Config
from bot.core import runnable
from bot.core.model import DocumentRecord, MessageRecord


def is_executable(doc: DocumentRecord) -> bool:
    """A program or script: as the reader found it (by signature too), or by its name, or its archive copy
    kept under the neutral name (bot/core/runnable.py)."""
    return (doc.runnable or runnable.extension(doc.filename) in runnable.EXTENSIONS
            or doc.archive_path.endswith(runnable.NEUTRAL_SUFFIX))


def downloadable(record: MessageRecord, filename: str, cfg: Config) -> tuple[DocumentRecord, Path] | None:
    """The document named ``filename`` of ``record`` and its archived copy, when it may be served."""
    if not filename or "\0" in filename or ".." in PurePosixPath(filename.replace("\\", "/")).parts:
        return None
    doc = next((d for d in record.documents if d.filename == filename and d.archive_path), None)
    if doc is None or is_executable(doc):
        return None
    archive = cfg.paths.archive.resolve()
    path = (archive.parent / doc.archive_path).resolve()
    if not path.is_relative_to(archive) or not path.is_file():
        return None
    return doc, path
