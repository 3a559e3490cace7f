"""Documents to text and tables, and tables to nominees. A leaf library: never imports ``bot``.

Bytes in, :class:`Document` out; nothing here touches the filesystem or the network.

Exceptions::

    DocumentError                 the attachment cannot be read as a document
    ├── EmptyDocument             0 bytes
    ├── CorruptDocument           the container or its XML is broken
    ├── EncryptedDocument         password protected
    ├── UnsupportedFormat         a format we do not read (legacy .doc, images without OCR, ...)
    └── TooLarge                  over a size, page or decompression limit
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from parsers.model import Block, Document, Table
from parsers.nominees import ExtractedNominee, extract_nominees

__all__ = [
    "Block",
    "CorruptDocument",
    "Document",
    "DocumentError",
    "EmptyDocument",
    "EncryptedDocument",
    "ExtractedNominee",
    "Limits",
    "Table",
    "TooLarge",
    "UnsupportedFormat",
    "extract",
    "extract_nominees",
    "sniff_format",
]


class DocumentError(Exception):
    """An attachment that cannot be read; ``code`` is the stable finding word."""

    code = "unreadable_attachment"


class EmptyDocument(DocumentError):
    code = "empty_attachment"


class CorruptDocument(DocumentError):
    code = "unreadable_attachment"


class EncryptedDocument(DocumentError):
    code = "encrypted_attachment"


class UnsupportedFormat(DocumentError):
    code = "unsupported_format"


class TooLarge(DocumentError):
    code = "attachment_too_large"


class Limits:
    """Ceilings applied to every format before a library sees the bytes."""

    max_bytes = 60 * 1024 * 1024
    max_unzipped_bytes = 300 * 1024 * 1024
    max_zip_members = 5000
    max_pages = 200


def sniff_format(filename: str, data: bytes) -> str:
    """Tell the format from magic bytes first, the extension only as a last resort."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "encrypted_office" if "EncryptedPackage".encode("utf-16-le") in data else "ole"
    lowered = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if lowered[:1] == b"<" and (b"<html" in lowered or b"<p" in lowered[:300] or b"<div" in lowered[:300]):
        return "html"
    if head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff" or head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image"
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {"txt": "text", "csv": "text"}.get(extension, "unknown")


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "broken_zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "EncryptedPackage" in names:
        return "encrypted_office"
    return "zip"


def check_zip_limits(data: bytes) -> None:
    """Refuse zip bombs before any library inflates them (docx and xlsx are zips too)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptDocument(f"broken zip container: {exc}") from exc
    if len(infos) > Limits.max_zip_members:
        raise TooLarge(f"{len(infos)} members in the archive")
    total = sum(info.file_size for info in infos)
    if total > Limits.max_unzipped_bytes:
        raise TooLarge(f"{total} bytes once decompressed")


def extract(filename: str, data: bytes) -> Document:
    """Read one attachment into a :class:`Document`, or raise a :class:`DocumentError`."""
    if not data:
        raise EmptyDocument("0 bytes")
    if len(data) > Limits.max_bytes:
        raise TooLarge(f"{len(data)} bytes")
    fmt = sniff_format(filename, data)
    reader = _READERS.get(fmt)
    if reader is None:
        raise _refusal(fmt)
    if fmt in ("docx", "xlsx"):
        check_zip_limits(data)
    return reader(data)


def _refusal(fmt: str) -> DocumentError:
    if fmt == "encrypted_office":
        return EncryptedDocument("password-protected Office file")
    if fmt == "broken_zip":
        return CorruptDocument("broken zip/Office container")
    if fmt == "ole":
        return UnsupportedFormat("legacy Word/Excel 97-2003 file (.doc/.xls)")
    if fmt == "image":
        return UnsupportedFormat("image: needs OCR")
    return UnsupportedFormat(f"format not read: {fmt}")


def _read_docx(data: bytes) -> Document:
    from parsers import word

    return word.read(data)


def _read_pdf(data: bytes) -> Document:
    from parsers import pdf

    return pdf.read(data)


def _read_xlsx(data: bytes) -> Document:
    from parsers import sheet

    return sheet.read(data)


def _read_plain(data: bytes) -> Document:
    from parsers import html

    return html.read(data)


_READERS: dict[str, Callable[[bytes], Document]] = {
    "docx": _read_docx,
    "pdf": _read_pdf,
    "xlsx": _read_xlsx,
    "html": _read_plain,
    "text": _read_plain,
}
