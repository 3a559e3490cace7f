"""Generators of hostile input (bytes only): broken MIME, bombs, corrupt and encrypted files.

Each case is a complete message a stranger or a careless mailer could send. Nothing is read
from outside the project; big inputs are built once per process and cached.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Callable
from functools import cache

from fpdf import FPDF

from parsers import DEFAULT_LIMITS, Limits
from tests.samples import SAMPLE_DOSSIERS, eml, to_trinh_docx, to_trinh_pdf, zip_of

UNIT = "ldld.tamduong@example.vn"
STRANGER = "someone@elsewhere.example"
_CRLF = b"\r\n"


def _head(*lines: str) -> bytes:
    return _CRLF.join(line.encode("utf-8") for line in lines) + _CRLF


def broken_boundary() -> bytes:
    """Declared boundary never used, a part opened with another one, no final boundary."""
    return _head("From: " + UNIT, "To: inbox@example.org", "Subject: ho so", "Message-ID: <bb@x>",
                 "MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="AAA"', "") + (
        b"--BBB\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"JVBERi0xLjQK%%%not base64\r\n--AAA\r\nContent-Type: text/plain\r\n\r\nbody without end")


def wrong_charsets() -> bytes:
    """Headers and body that lie about their charset (cp1258 bytes labelled utf-8, unknown charsets)."""
    return _head("From: =?x-unknown?q?T=E2m?= <" + UNIT + ">", "To: inbox@example.org",
                 "Subject: =?utf-8?b?" + "xyz=?=", "Message-ID: <cs@x>", "MIME-Version: 1.0",
                 'Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: 8bit", "") + (
        "Hồ sơ".encode("cp1258", "replace") + b"\xff\xfe\xc3(")


def eight_bit_headers() -> bytes:
    """Raw 8-bit (UTF-8 and Latin-1) bytes in headers, including a file name."""
    return (b"From: \xc4\x90\xe1\xbb\x93ng ch\xc3\xad <" + UNIT.encode() + b">\r\nTo: inbox@example.org\r\n"
            b"Subject: H\xe1\xbb\x93 s\xc6\xa1 \xe9\xe8\r\nMessage-ID: <8bit@x>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n'
            b'--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; '
            b'filename="T\xe1\xbb\x9d tr\xc3\xacnh\x00.docx"\r\n\r\nnot a docx\r\n--b--\r\n')


def huge_headers() -> bytes:
    """A 2 MB Subject, 5,000 Received lines and one unfolded 200 kB header."""
    lines = [f"Received: from h{i}.example by mx.example; Mon, 7 Dec 2020 09:00:00 +0700" for i in range(5000)]
    return _head(*lines, "From: " + UNIT, "To: inbox@example.org", "Subject: " + "Hồ sơ " * 350_000,
                 "X-Long: " + "a" * 200_000, "Message-ID: <huge@x>", "", "body")


def deep_nesting(depth: int = 400) -> bytes:
    """Multiparts nested ``depth`` levels deep, a docx at the bottom."""
    head = b"".join(f'Content-Type: multipart/mixed; boundary="n{i}"\r\n\r\n--n{i}\r\n'.encode()
                    for i in range(depth))
    tail = b"".join(f"\r\n--n{i}--\r\n".encode() for i in reversed(range(depth)))
    leaf = b"Content-Type: application/octet-stream; name=x.docx\r\n\r\nPK\x03\x04junk"
    return _head("From: " + UNIT, "To: inbox@example.org", "Subject: nested", f"Message-ID: <deep{depth}@x>",
                 "MIME-Version: 1.0") + head + leaf + tail


def deep_forwards(depth: int = 30) -> bytes:
    """A forward of a forward of ... (message/rfc822 inside message/rfc822)."""
    raw = eml(sender=UNIT, subject="gốc", attachments=[("a.docx", b"PK\x03\x04")])
    for level in range(depth):
        raw = eml(sender=f"f{level}@elsewhere.example", subject=f"Fwd {level}", forward_of=raw)
    return raw


@cache
def zip_bomb(total_mb: int = 400) -> bytes:
    """A zip whose one member inflates to ``total_mb`` MB of zeros (about 0.1 % of that on the wire)."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open("Tờ trình.docx", "w", force_zip64=True) as member:
        for _ in range(total_mb):
            member.write(chunk)
    return buffer.getvalue()


@cache
def docx_bomb(total_mb: int = 320) -> bytes:
    """A docx whose word/document.xml inflates to ``total_mb`` MB (over the parsers' unzip limit)."""
    real = zipfile.ZipFile(io.BytesIO(to_trinh_docx(SAMPLE_DOSSIERS["tam_duong"])))
    buffer = io.BytesIO()
    paragraph = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in real.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info, real.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body>')
            block = paragraph * 1024
            for _ in range(total_mb * 1024 * 1024 // len(block)):
                member.write(block)
            member.write(b"</w:body></w:document>")
    return buffer.getvalue()


def lying_zip() -> bytes:
    """A zip whose central directory under-states the member size (a classic bomb trick)."""
    data = bytearray(zip_of({"Biên bản.docx": b"B" * 200_000}))
    offset = data.rfind(b"PK\x01\x02")
    data[offset + 24:offset + 28] = (10).to_bytes(4, "little")  # uncompressed size in the central directory
    return bytes(data)


def encrypted_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="TO TRINH de nghi khen thuong")
    pdf.set_encryption(owner_password="owner", user_password="user")
    return bytes(pdf.output())


def corrupt_pdf() -> bytes:
    """A real PDF cut in the middle, with its xref table gone and garbage appended."""
    whole = to_trinh_pdf(SAMPLE_DOSSIERS["tam_duong"])
    return whole[: len(whole) // 2] + b"\x00\xff" * 500


@cache
def big_attachment(megabytes: int = 50) -> bytes:
    """``megabytes`` MB of incompressible bytes behind a PDF header (parsed, found broken)."""
    return b"%PDF-1.4\n" + os.urandom(megabytes * 1024 * 1024 - 9)


def hostile_attachments() -> dict[str, bytes]:
    """Each hostile attachment by its (hostile) file name."""
    return {
        "../../../etc/passwd.docx": to_trinh_docx(SAMPLE_DOSSIERS["tam_duong"]),
        "..\\..\\boot.ini.pdf": corrupt_pdf(),
        "nul\x00byte.docx": b"PK\x03\x04\x00\x00",
        "ctrl\x01\x1b[31m\x7fname.pdf": encrypted_pdf(),
        ".hidden": b"",
        "..": b"x",
        "bomb.zip": zip_bomb(),
        "Tờ trình.docx": docx_bomb(),
        "lying.zip": lying_zip(),
        "trống.pdf": b"",
    }


def with_attachment(name: str, data: bytes, sender: str = UNIT) -> bytes:
    """A plain unit mail carrying one (possibly hostile) attachment, name written raw in RFC 2231."""
    return eml(sender=sender, subject=f"Hồ sơ {name!r}", attachments=[("placeholder.bin", data)]).replace(
        b"placeholder.bin", name.encode("utf-8", "replace"))


def hostile_messages() -> dict[str, bytes]:
    """Every generated hostile case, by a readable label."""
    cases: dict[str, Callable[[], bytes]] = {
        "broken_boundary": broken_boundary, "wrong_charsets": wrong_charsets,
        "eight_bit_headers": eight_bit_headers, "huge_headers": huge_headers, "deep_nesting": deep_nesting,
        "deeper_nesting": lambda: deep_nesting(1000), "deep_forwards": deep_forwards,
    }
    out = {label: make() for label, make in cases.items()}
    for index, (name, data) in enumerate(hostile_attachments().items()):
        out[f"attachment_{index}"] = with_attachment(name, data)
    out["all_at_once"] = eml(sender=UNIT, subject="mọi thứ", attachments=[
        (f"f{i}.bin", data) for i, data in enumerate(hostile_attachments().values())])
    return out


# --- parser stand-ins for the guard's tests (run inside the worker process) ---------------------------


def sleepy_extract(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> object:
    """Hangs like a parser stuck in a loop when the data says so."""
    if data.startswith(b"hang"):
        time.sleep(3600)
    from parsers import extract

    return extract(filename, data, limits)


def greedy_extract(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> object:
    """Grabs memory until the limit stops it when the data says so."""
    if data.startswith(b"greedy"):
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]
        return len(hoard)
    from parsers import extract

    return extract(filename, data, limits)


def crashing_extract(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> object:
    """Dies like a segfaulting C extension when the data says so."""
    if data.startswith(b"crash"):
        os._exit(139)
    from parsers import extract

    return extract(filename, data)


def misbehaving_extract(filename: str, data: bytes) -> object:
    """Hangs on ``hang…`` data, dies on ``crash…`` data, parses anything else."""
    if data.startswith(b"crash"):
        os._exit(139)
    return sleepy_extract(filename, data)


def slow_extract(filename: str, data: bytes) -> object:
    """Takes a second on ``slow…`` data, like a scanned page; answers the data's length."""
    if data.startswith(b"slow"):
        time.sleep(1)
        return len(data)
    return sleepy_extract(filename, data)
