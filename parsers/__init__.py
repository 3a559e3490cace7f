"""Documents to text and tables, and tables to nominees. A leaf library: never imports ``bot``.

Bytes in, :class:`Document` out; nothing here touches the network. Two modules run helper
programs when they are installed: :mod:`parsers.office` (LibreOffice, for .doc/.xls/.rtf/.odt/.ods;
the only code that writes files, in a private temporary directory it always removes) and
:mod:`parsers.ocr` (Tesseract, for scans; image bytes through a pipe, no files).

Exceptions::

    DocumentError                 the attachment cannot be read as a document
    ├── EmptyDocument             0 bytes
    ├── CorruptDocument           the container or its XML is broken
    ├── EncryptedDocument         password protected
    ├── UnsupportedFormat         a format we do not read (legacy .doc without LibreOffice, images
    │                             without Tesseract, ...)
    └── TooLarge                  over a size, page or decompression limit
"""

from __future__ import annotations

import functools
import io
import zipfile
import zlib
from collections.abc import Callable

from parsers.model import DEFAULT_LIMITS, Block, Document, Limits, ReadWarning, Table
from parsers.nominees import ExtractedNominee, NomineeKind, extract_nominees

__all__ = [
    "DEFAULT_LIMITS",
    "RAR_SIGNATURES",
    "SEVEN_ZIP_SIGNATURE",
    "Block",
    "CorruptDocument",
    "Document",
    "DocumentError",
    "EmptyDocument",
    "EncryptedDocument",
    "ExtractedNominee",
    "Limits",
    "NomineeKind",
    "ReadWarning",
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


def sniff_format(filename: str, data: bytes) -> str:
    """Tell the format from magic bytes first, the extension only as a last resort."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(data)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(RAR_SIGNATURES):
        return "rar"      # unpacked in bot/message/archives.py; here only when it could not be
    if head.startswith(SEVEN_ZIP_SIGNATURE):
        return "7z"
    lowered = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if lowered[:1] == b"<" and (b"<html" in lowered or b"<p" in lowered[:300] or b"<div" in lowered[:300]):
        return "html"
    if head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff" or head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image"
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {"txt": "text", "csv": "text"}.get(extension, "unknown")


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RAR_SIGNATURES = (b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")   # RAR 1.5-4.x, RAR 5
SEVEN_ZIP_SIGNATURE = b"7z\xbc\xaf\x27\x1c"
_OPEN_DOCUMENT = {b"application/vnd.oasis.opendocument.text": "odt",
                  b"application/vnd.oasis.opendocument.spreadsheet": "ods"}


def _sniff_ole(data: bytes) -> str:
    """An OLE2 compound file by the stream names in its directory (UTF-16-LE): Word, Excel, encrypted."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted_office"
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book\0".encode("utf-16-le") in data:
        return "xls"
    return "ole"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            small = "mimetype" in names and archive.getinfo("mimetype").file_size < 200
            mimetype = archive.read("mimetype") if small else b""
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, zlib.error):
        return "broken_zip"
    if mimetype.strip() in _OPEN_DOCUMENT:
        return _OPEN_DOCUMENT[mimetype.strip()]
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "EncryptedPackage" in names:
        return "encrypted_office"
    return "zip"


def check_zip_limits(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse zip bombs before any library inflates them (docx and xlsx are zips too)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptDocument(f"broken zip container: {exc}") from exc
    if len(infos) > limits.max_zip_members:
        raise TooLarge(f"{len(infos)} members in the archive")
    total = sum(info.file_size for info in infos)
    if total > limits.max_unzipped_bytes:
        raise TooLarge(f"{total} bytes once decompressed")


def extract(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read one attachment into a :class:`Document` within ``limits``, or raise a :class:`DocumentError`."""
    if not data:
        raise EmptyDocument("0 bytes")
    if len(data) > limits.max_bytes:
        raise TooLarge(f"{len(data)} bytes")
    fmt = sniff_format(filename, data)
    reader = _READERS.get(fmt)
    if reader is None:
        raise _refusal(fmt)
    if fmt in ("docx", "xlsx", "odt", "ods"):
        check_zip_limits(data, limits)
    return reader(data, limits)


def _refusal(fmt: str) -> DocumentError:
    if fmt == "encrypted_office":
        return EncryptedDocument("password-protected Office file")
    if fmt == "broken_zip":
        return CorruptDocument("broken zip/Office container")
    if fmt in ("rar", "7z"):
        return UnsupportedFormat(f"{fmt} archive that could not be unpacked (broken or password-protected)")
    if fmt == "ole":
        return UnsupportedFormat("Office 97-2003 file that is neither Word nor Excel")
    return UnsupportedFormat(f"format not read: {fmt}")


def _read_docx(data: bytes, limits: Limits) -> Document:
    from parsers import word

    return word.read(data, limits)


def _read_pdf(data: bytes, limits: Limits) -> Document:
    from parsers import pdf

    return pdf.read(data, limits)


def _read_xlsx(data: bytes, limits: Limits) -> Document:
    from parsers import sheet

    return sheet.read(data, limits)


def _read_office(fmt: str, data: bytes, limits: Limits) -> Document:
    from parsers import office

    return office.read(fmt, data, limits)


def _read_image(data: bytes, limits: Limits) -> Document:
    from parsers import ocr

    return ocr.read_image(data, limits)


def _read_plain(data: bytes, limits: Limits) -> Document:
    from parsers import html

    return html.read(data)


_READERS: dict[str, Callable[[bytes, Limits], Document]] = {
    "docx": _read_docx,
    "pdf": _read_pdf,
    "xlsx": _read_xlsx,
    "html": _read_plain,
    "text": _read_plain,
    "image": _read_image,
    **{fmt: functools.partial(_read_office, fmt) for fmt in ("doc", "rtf", "odt", "xls", "ods")},
}
