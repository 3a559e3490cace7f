"""Property-based tests (hypothesis): arbitrary and mutated bytes never break the MIME or document parsers.

bot.mime.parse must never raise at all; parsers.extract may only raise DocumentError. Mutations start
from real generated documents and messages, so the parsers get past their magic-byte checks and into
the containers (zip directories, XML, PDF objects, MIME trees).
"""

from __future__ import annotations

import io
import zipfile
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parsers
from bot.message import mime
from tests.samples import SAMPLE_DOSSIERS, danh_sach_xlsx, eml, to_trinh_docx, to_trinh_pdf

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
D = SAMPLE_DOSSIERS["tam_duong"]


@cache
def seeds() -> dict[str, bytes]:
    return {"t.docx": to_trinh_docx(D), "t.pdf": to_trinh_pdf(D), "d.xlsx": danh_sach_xlsx(D),
            "n.html": b"<html><body><p>T\xe1\xbb\x9c TR\xc3\x8cNH</p><table><tr><td>1</td></tr></table>"}


@cache
def mail_seed() -> bytes:
    return eml(sender="ldld.tamduong@example.vn", subject="Hồ sơ", attachments=[("t.docx", seeds()["t.docx"])])


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few byte ranges overwritten, deleted or duplicated."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, max(len(out) - 1, 0)))
        width = draw(st.integers(1, 64))
        action = draw(st.sampled_from(["overwrite", "delete", "duplicate", "truncate"]))
        if action == "overwrite":
            out[start:start + width] = draw(st.binary(min_size=width, max_size=width))
        elif action == "delete":
            del out[start:start + width]
        elif action == "duplicate":
            out[start:start] = out[start:start + width]
        else:
            del out[start:]
    return bytes(out)


def _extract_or_document_error(name: str, data: bytes) -> None:
    try:
        document = parsers.extract(name, data)
    except parsers.DocumentError:
        return
    assert isinstance(document, parsers.Document)
    parsers.extract_nominees(document)  # what intake does next must hold too


@SETTINGS
@given(st.sampled_from(["t.docx", "t.pdf", "d.xlsx", "n.html"]), st.data())
def test_mutated_documents_raise_only_document_error(name: str, data: st.DataObject) -> None:
    _extract_or_document_error(name, data.draw(mutated(seeds()[name])))


@SETTINGS
@given(st.binary(max_size=4096), st.sampled_from(["a.docx", "b.pdf", "c.xlsx", "d.txt", "e", "f.zip"]))
def test_arbitrary_bytes_raise_only_document_error(data: bytes, name: str) -> None:
    _extract_or_document_error(name, data)


@SETTINGS
@given(st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html>"]),
       st.binary(max_size=2048))
def test_magic_bytes_followed_by_junk(magic: bytes, tail: bytes) -> None:
    _extract_or_document_error("x.bin", magic + tail)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["word/document.xml", "[Content_Types].xml", "xl/workbook.xml",
                                        "word/_rels/document.xml.rels", "other.bin"]),
                       st.binary(max_size=512), min_size=1))
def test_office_zips_with_junk_members(members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    _extract_or_document_error("x.docx", buffer.getvalue())


@SETTINGS
@given(st.binary(max_size=4096))
def test_mime_parse_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    mail = mime.parse(raw)
    assert isinstance(mail.attachments, tuple)


@SETTINGS
@given(st.data())
def test_mime_parse_never_raises_on_a_mutated_message(data: st.DataObject) -> None:
    mail = mime.parse(data.draw(mutated(mail_seed())))
    assert all(isinstance(a.data, bytes) for a in mail.attachments)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["From", "Subject", "Content-Type", "Content-Disposition",
                                           "Authentication-Results", "Message-ID", "Date", "To"]),
                          st.text(max_size=200)), max_size=12),
       st.binary(max_size=512))
def test_mime_parse_never_raises_on_arbitrary_header_values(headers: list[tuple[str, str]], body: bytes) -> None:
    raw = b"".join(f"{name}: {value}".encode("utf-8", "surrogateescape") + b"\r\n" for name, value in headers)
    mail = mime.parse(raw + b"\r\n" + body)
    assert isinstance(mail.from_addr, str) and isinstance(mail.subject, str)
