"""A .docx whose tables hold more rows than will be read, trimmed before python-docx loads it.

python-docx builds the whole document tree: a 100,000-row table costs seconds and half a gigabyte
before the first row is read, however early :mod:`parsers.word` stops reading. Here the main part is
streamed once; past ``max_rows`` table rows (document order, nested tables included) each further row
is dropped as soon as it is parsed, so only what will be read is ever held (a 100,000-row table: 55 MB
instead of 526 MB). A document within twice the limit (nearly all of them) is only counted, never
rewritten: :mod:`parsers.word` skips the few rows past the limit itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO

from lxml import etree

from parsers.docx_fonts import w

MAIN_PART = "word/document.xml"
_ROW_TAG = re.compile(rb"<w:tr[\s>]")   # the usual prefix; a document using another one is not trimmed
_CHUNK = 1 << 20
# Trimming parses the part once more; below this many times the limit python-docx holds the rows for less
# than that costs, and parsers.word skips them anyway.
WORTH_IT = 2


def trim_rows(data: bytes, max_rows: int) -> tuple[bytes, bool]:
    """(the .docx with at most ``max_rows`` table rows in its main part, whether rows were dropped); a
    document with fewer than ``WORTH_IT`` times ``max_rows`` comes back as it is.
    Anything unexpected leaves the bytes as they are: python-docx then says what is wrong."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if MAIN_PART not in archive.namelist() or _count_rows(archive) <= max_rows * WORTH_IT:
                return data, False
            with archive.open(MAIN_PART) as stream:
                main = _trimmed(stream, max_rows)
            return _replaced(archive, main), True
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, etree.LxmlError):
        return data, False


def _count_rows(archive: zipfile.ZipFile) -> int:
    """Table rows in the main part, counted on the raw bytes as they inflate."""
    count, tail = 0, b""
    with archive.open(MAIN_PART) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk   # a tag cut at the edge is whole in the next window, never counted twice
            count += len(_ROW_TAG.findall(window))
            tail = window[-5:]
    return count


def _trimmed(stream: IO[bytes], max_rows: int) -> bytes:
    kept = 0
    root = None
    for event, element in etree.iterparse(stream, events=("start", "end"), tag=(w("document"), w("tr")),
                                          resolve_entities=False, no_network=True):
        if event == "start":
            root = element if root is None else root
            continue
        if element.tag != w("tr"):
            continue
        kept += 1
        if kept > max_rows:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    if root is None:
        raise ValueError("no w:document root")
    main: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return main


def _replaced(archive: zipfile.ZipFile, main: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            target.writestr(info, main if info.filename == MAIN_PART else archive.read(info))
    return out.getvalue()
