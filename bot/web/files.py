"""Which stored file a download URL may serve: a document of that message, inside the archive folder,
never an executable or script, never anything a ``../`` reaches."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from bot.config.schema import Config
from bot.core.model import DocumentRecord, MessageRecord

# Programs and scripts a Windows or Linux desktop runs when opened: never handed to a clerk's browser.
EXECUTABLE_SUFFIXES = frozenset({
    ".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".msp", ".msc", ".vbs", ".vbe", ".js", ".jse",
    ".wsf", ".wsh", ".ps1", ".psm1", ".hta", ".cpl", ".jar", ".lnk", ".reg", ".sh", ".dll", ".apk", ".app",
    ".inf", ".scf", ".url", ".application", ".gadget", ".appref-ms",
})


def is_executable(doc: DocumentRecord) -> bool:
    """A program or script: by its name here, or by the record's own flag where the reader sets one."""
    flagged = bool(getattr(doc, "executable", False))
    return flagged or any(PurePosixPath(name.casefold()).suffix in EXECUTABLE_SUFFIXES
                          for name in (doc.filename, doc.archive_path))


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
