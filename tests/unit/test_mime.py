"""bot.mime.parse: raw bytes to IncomingMail; attachments found wherever units put them; never raises."""

from __future__ import annotations

import base64
import sys
import unicodedata
import zlib
from collections.abc import Callable, Mapping

import pytest

from bot.config.limits import Limits
from bot.message import archives, mime
from tests import samples
from tests.samples import SAMPLE_DOSSIERS

SENDER = "ldld.tamduong@example.vn"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILES = [("Tờ trình đề nghị khen thưởng.docx", b"PK\x03\x04to trinh"), ("Biên bản họp xét.docx", b"PK\x03\x04bb"),
         ("Danh sách.xlsx", b"PK\x03\x04ds")]


def _raw(body: str) -> bytes:
    return body.replace("\n", "\r\n").encode("utf-8")


def test_plain_unit_mail_fields() -> None:
    raw = samples.eml(sender=SENDER, sender_name="LĐLĐ huyện Tam Đường", subject="Hồ sơ thi đua VHCS 2020",
                      attachments=FILES, message_id="<abc.1@example.vn>",
                      headers={"References": "<r1@example.org> <r2@example.org>"})
    mail = mime.parse(raw)
    assert mail.from_addr == SENDER
    assert mail.from_name == "LĐLĐ huyện Tam Đường"
    assert mail.subject == "Hồ sơ thi đua VHCS 2020"
    assert mail.message_id == "<abc.1@example.vn>"
    assert mail.references == ("<r1@example.org>", "<r2@example.org>")
    assert mail.date == samples.DEFAULT_DATE
    assert "đơn vị gửi hồ sơ đề nghị khen thưởng" in mail.body
    assert [(a.filename, a.data, a.origin) for a in mail.attachments] == [(n, d, "") for n, d in FILES]
    assert mail.defects == ()


def test_sender_address_is_casefolded() -> None:
    mail = mime.parse(samples.eml(sender="LDLD.TamDuong@Example.VN", subject="x"))
    assert mail.from_addr == SENDER


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_rfc2231_vietnamese_file_names_come_back_nfc(form: str) -> None:
    """GIVEN RFC 2231 (continued, percent-encoded UTF-8) file names, even NFD from a Mac WHEN parsed THEN NFC."""
    files = [(unicodedata.normalize(form, name), data) for name, data in FILES]
    raw = samples.eml(sender=SENDER, subject="x", attachments=files)
    assert b"filename*0*=utf-8''" in raw  # the generator really uses RFC 2231 continuations
    names = [a.filename for a in mime.parse(raw).attachments]
    assert names == [name for name, _ in FILES]


@pytest.mark.parametrize(
    "disposition",
    [
        'attachment; filename="=?UTF-8?B?{b64}?="',                         # Gmail / Outlook RFC 2047 style
        "attachment; filename*=utf-8''T%E1%BB%9D%20tr%C3%ACnh.docx",
        'attachment; filename="Tờ trình.docx"',                              # raw 8-bit UTF-8
    ],
)
def test_other_file_name_encodings(disposition: str) -> None:
    b64 = base64.b64encode("Tờ trình.docx".encode()).decode()
    raw = _raw(
        "From: a@example.vn\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n"
        "--B\nContent-Type: text/plain\n\nhi\n"
        f"--B\nContent-Type: {DOCX_TYPE}\nContent-Disposition: {disposition.format(b64=b64)}\n"
        "Content-Transfer-Encoding: base64\n\nUEsDBA==\n--B--\n"
    )
    [attachment] = mime.parse(raw).attachments
    assert attachment.filename == "Tờ trình.docx"
    assert attachment.data == b"PK\x03\x04"


def test_zip_attachment_is_unpacked_into_its_members() -> None:
    """GIVEN a zip with a folder, Mac junk and an Office lock file WHEN parsed THEN the documents, named bare."""
    archive = samples.zip_of({
        "Hồ sơ Tam Đường/Tờ trình.docx": b"PK\x03\x04a",
        "Hồ sơ Tam Đường/Biên bản.docx": b"PK\x03\x04b",
        "__MACOSX/Hồ sơ Tam Đường/._Tờ trình.docx": b"junk",
        "Hồ sơ Tam Đường/.DS_Store": b"junk",
        "Hồ sơ Tam Đường/~$ trình.docx": b"lock",
    })
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("Hồ sơ.zip", archive)]))
    assert [(a.filename, a.data, a.origin) for a in mail.attachments] == [
        ("Tờ trình.docx", b"PK\x03\x04a", "Hồ sơ.zip"),
        ("Biên bản.docx", b"PK\x03\x04b", "Hồ sơ.zip"),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1258"])
def test_zip_names_without_the_utf8_flag_are_read_in_utf8_or_the_vietnamese_code_page(encoding: str) -> None:
    """GIVEN a zip made by an old Windows archiver: names in UTF-8 or cp1258 bytes, no UTF-8 flag (Python
    shows them as cp437) WHEN parsed THEN the names read as the unit typed them."""
    name = unicodedata.normalize("NFC", "Tờ trình.docx") if encoding == "utf-8" else "Tê trinh.docx"
    raw = name.encode(encoding)
    archive = bytearray(samples.zip_of({"x" * len(raw): b"PK\x03\x04a"}))
    for at in [i for i in range(len(archive)) if archive.startswith(b"x" * len(raw), i)]:
        archive[at:at + len(raw)] = raw                  # the stored name bytes, flag bit 11 left clear
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.zip", bytes(archive))]))
    assert [a.filename for a in mail.attachments] == [name]


def test_decode_name_tries_utf8_then_cp1258() -> None:
    assert archives.decode_name("Biên bản".encode()) == "Biên bản"
    assert archives.decode_name("Biên".encode("cp1258")) == "Biên"   # ê is one byte there: no UTF-8
    assert archives.decode_name(b"\x81\x8a") is None       # no character in either


def test_oversized_zip_is_refused_not_unpacked() -> None:
    archive = samples.zip_of({"a.docx": b"1", "b.docx": b"2"})
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.zip", archive)]),
                      Limits(max_zip_members=1))
    assert [(a.filename, a.origin, a.data) for a in mail.attachments] == [("ho so.zip", "zip-refused", b"")]
    assert "ZipTooLarge" in mail.defects


def test_broken_zip_is_kept_as_one_attachment() -> None:
    broken = samples.zip_of({"a.docx": b"x" * 100})[:60]
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.zip", broken)]))
    [attachment] = mail.attachments
    assert (attachment.filename, attachment.origin, attachment.data) == ("ho so.zip", "zip-broken", broken)
    assert any(d.startswith("BadZip") for d in mail.defects)


_PACKED = {
    "Hồ sơ Tam Đường/Tờ trình.docx": b"PK\x03\x04a",
    "Hồ sơ Tam Đường/Biên bản.docx": b"PK\x03\x04b" * 100,
    "__MACOSX/Hồ sơ Tam Đường/._Tờ trình.docx": b"junk",
    "Hồ sơ Tam Đường/~$ trình.docx": b"lock",
}


@pytest.mark.parametrize("pack", [samples.rar_of, samples.seven_zip_of], ids=["rar", "7z"])
def test_rar_and_7z_archives_are_unpacked_like_a_zip(pack: Callable[[Mapping[str, bytes]], bytes]) -> None:
    """GIVEN a unit's dossier compressed with WinRAR or 7-Zip (named .rar, .7z or nothing useful) WHEN parsed
    THEN its files, by their own names, with the archive as their origin; junk members dropped."""
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("Hồ sơ khen thưởng", pack(_PACKED))]))
    assert [(a.filename, a.data, a.origin) for a in mail.attachments] == [
        ("Tờ trình.docx", b"PK\x03\x04a", "Hồ sơ khen thưởng"),
        ("Biên bản.docx", b"PK\x03\x04b" * 100, "Hồ sơ khen thưởng"),
    ]
    assert not mail.defects


@pytest.mark.parametrize("pack", [samples.rar_of, samples.seven_zip_of], ids=["rar", "7z"])
def test_a_docx_inside_a_rar_or_7z_stays_one_file(pack: Callable[[Mapping[str, bytes]], bytes]) -> None:
    """A .docx is itself a zip: the archive's own reader reads it, never a zip reader that would list the
    parts of the .docx instead."""
    docx = samples.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so", pack({"Tờ trình.docx": docx}))]))
    assert [(a.filename, a.data) for a in mail.attachments] == [("Tờ trình.docx", docx)]


@pytest.mark.parametrize(("limits", "pack"), [
    (Limits(max_zip_members=1), samples.rar_of),
    (Limits(max_zip_members=1), samples.seven_zip_of),
    (Limits(max_zip_mb=200 / 1024 / 1024), samples.rar_of),        # 200 bytes: the second file is 400
    (Limits(max_zip_mb=200 / 1024 / 1024), samples.seven_zip_of),
])
def test_rar_and_7z_over_the_limits_are_refused_not_unpacked(
        limits: Limits, pack: Callable[[Mapping[str, bytes]], bytes]) -> None:
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.rar", pack(_PACKED))]), limits)
    assert [(a.filename, a.origin, a.data) for a in mail.attachments] == [("ho so.rar", "zip-refused", b"")]
    assert "ZipTooLarge" in mail.defects


def test_an_archive_lying_about_its_sizes_is_stopped_while_it_inflates() -> None:
    """GIVEN a RAR whose header says 4 bytes for a 400-byte file WHEN parsed with a 200-byte limit THEN refused."""
    packed = bytearray(samples.rar_of({"a.docx": b"x" * 400}))
    start = packed.index(b"a.docx") - 32         # the file block: CRC, type, flags, size, then 25 bytes to the name
    packed[start + 11:start + 15] = (4).to_bytes(4, "little")                  # its unpacked size
    size = int.from_bytes(packed[start + 5:start + 7], "little")
    packed[start:start + 2] = (zlib.crc32(bytes(packed[start + 2:start + size])) & 0xFFFF).to_bytes(2, "little")
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.rar", bytes(packed))]),
                      Limits(max_zip_mb=200 / 1024 / 1024))
    assert [a.origin for a in mail.attachments] == ["zip-refused"]


@pytest.mark.parametrize("pack", [samples.rar_of, samples.seven_zip_of], ids=["rar", "7z"])
def test_a_broken_rar_or_7z_is_kept_whole_for_staff(pack: Callable[[Mapping[str, bytes]], bytes]) -> None:
    broken = pack({"a.docx": bytes(range(256)) * 40})[:60]
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.rar", broken)]))
    [attachment] = mail.attachments
    assert (attachment.filename, attachment.origin, attachment.data) == ("ho so.rar", "zip-broken", broken)
    assert "BadArchive" in mail.defects


def test_a_7z_with_damaged_data_is_kept_whole_not_read_with_junk_bytes() -> None:
    """GIVEN a 7z whose compressed data has one bit flipped (its CRC no longer matches) WHEN parsed THEN
    no member comes out of it (libarchive only warns; the stale buffer must not become a document)."""
    packed = bytearray(samples.seven_zip_of({"a.txt": "Nội dung tờ trình ".encode() * 200, "b.txt": b"hello" * 50}))
    packed[33] ^= 0x01
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.7z", bytes(packed))]))
    assert [(a.filename, a.origin) for a in mail.attachments] == [("ho so.7z", "zip-broken")]


def test_skipped_members_count_against_the_limits() -> None:
    """A 1 MB .DS_Store of zeros (inflated anyway in a solid archive) is no way around 0.5 MB; nor are
    more entries than ten per allowed file."""
    packed = samples.seven_zip_of({".DS_Store": bytes(1024 * 1024), "a.docx": b"PK\x03\x04a"})
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.7z", packed)]),
                      Limits(max_zip_mb=0.5))
    assert [a.origin for a in mail.attachments] == ["zip-refused"]
    crowded = samples.seven_zip_of({**{f".junk{n}": b"x" for n in range(12)}, "a.docx": b"PK\x03\x04a"})
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.7z", crowded)]),
                      Limits(max_zip_members=1))
    assert [a.origin for a in mail.attachments] == ["zip-refused"]


def test_a_skipped_member_of_64_kib_does_not_break_the_7z_after_it() -> None:
    packed = samples.seven_zip_of({".DS_Store": bytes(65536), "Tờ trình.docx": b"PK\x03\x04a"})
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.7z", packed)]))
    assert [(a.filename, a.data) for a in mail.attachments] == [("Tờ trình.docx", b"PK\x03\x04a")]


def test_without_libarchive_a_rar_is_kept_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a machine without libarchive WHEN a .rar arrives THEN it is one attachment for staff, and
    `mailbot check` can say why."""
    monkeypatch.setitem(sys.modules, "libarchive", None)   # import libarchive -> ImportError
    packed = samples.rar_of(_PACKED)
    mail = mime.parse(samples.eml(sender=SENDER, subject="x", attachments=[("ho so.rar", packed)]))
    assert [(a.filename, a.origin, a.data) for a in mail.attachments] == [("ho so.rar", "zip-broken", packed)]
    assert archives.unpacker() is not None


def test_forwarded_message_attachments_are_collected_with_the_original_sender() -> None:
    """GIVEN a staff member forwarding a unit's mail as message/rfc822 WHEN parsed THEN its files, and who sent it."""
    original = samples.eml(sender=SENDER, subject="Hồ sơ", attachments=FILES)
    mail = mime.parse(samples.eml(sender="nguoi.khac@gmail.com", subject="Fwd: Hồ sơ", forward_of=original))
    assert mail.forwarded_from == (SENDER,)
    assert [(a.filename, a.data, a.origin) for a in mail.attachments] == [(n, d, "forwarded") for n, d in FILES]


def test_attached_eml_file_is_treated_as_a_forward() -> None:
    original = samples.eml(sender="cdvc.tinh@example.vn", subject="Hồ sơ", attachments=FILES[:1])
    mail = mime.parse(samples.eml(sender="a@gmail.com", subject="Fwd", attachments=[("Thư gốc.eml", original)]))
    assert mail.forwarded_from == ("cdvc.tinh@example.vn",)
    assert [(a.filename, a.origin) for a in mail.attachments] == [(FILES[0][0], "forwarded")]


def test_forwards_nested_too_deep_stop() -> None:
    inner = samples.eml(sender=SENDER, subject="1", attachments=FILES[:1])
    middle = samples.eml(sender="b@example.vn", subject="2", forward_of=inner)
    mail = mime.parse(samples.eml(sender="c@example.vn", subject="3", forward_of=middle), Limits(max_forward_depth=1))
    assert mail.forwarded_from == ("b@example.vn",)
    assert mail.attachments == ()
    assert "NestingTooDeep" in mail.defects


HTML_WITH_LOGO = """From: a@example.vn
Subject: x
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=OUT

--OUT
Content-Type: multipart/related; boundary=REL

--REL
Content-Type: text/html; charset=utf-8

<p>Kính gửi <img src="cid:logo@x"></p>
--REL
Content-Type: image/png; name="logo.png"
Content-ID: <logo@x>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--REL
Content-Type: image/gif
Content-Disposition: inline
Content-Transfer-Encoding: base64

R0lGODlh
--REL--
--OUT
Content-Type: image/jpeg; name="to-trinh-scan.jpg"
Content-Disposition: attachment; filename="to-trinh-scan.jpg"
Content-Transfer-Encoding: base64

/9j/4AAQ
--OUT--
"""


def test_inline_images_are_skipped_attached_images_kept() -> None:
    """GIVEN a signature logo (Content-ID), an inline gif and an attached scan WHEN parsed THEN only the scan."""
    mail = mime.parse(_raw(HTML_WITH_LOGO))
    assert [(a.filename, a.content_type, a.data) for a in mail.attachments] == [
        ("to-trinh-scan.jpg", "image/jpeg", b"\xff\xd8\xff\xe0\x00\x10"),
    ]
    assert "Kính gửi" in mail.body


BROKEN = [
    pytest.param(
        b"From: LDLD <ldld.tamduong@example.vn>\r\nSubject: Ho so\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhi\r\n'
        b"--B\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''T%E1%BB%9D%20tr%C3%ACnh.docx\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n",
        id="no-final-boundary"),
    pytest.param(
        b"From: LDLD <ldld.tamduong@example.vn>\r\nSubject: Ho so\r\nX-Junk: ok\r\n\x01\x02 :: <<>> ;\r\n"
        b"Content-Type: text/plain\r\n\r\nbody\r\n",
        id="garbage-header-line"),
    pytest.param(
        b"From: L\xc4\x90L\xc4\x90 <ldld.tamduong@example.vn>\r\nSubject: H\xe1\xbb\x93 s\xc6\xa1 \xff\xfe\r\n"
        b"X-Weird: \xff\xfe\x00\r\nDate: not a date\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"xin ch\xc3\xa0o\r\n",
        id="8bit-headers"),
    pytest.param(
        b"From: =?utf-8?q?broken=ZZ?= <a@example.vn>\r\nSubject: =?x-unknown?b?!!!?=\r\n"
        b"Content-Type: multipart/mixed; boundary=\r\n\r\nbody\r\n",
        id="bad-encoded-words-no-boundary"),
    pytest.param(
        b"From: a@example.vn\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
        b"Content-Type: application/pdf; name*=utf-8''%ZZ%\r\nContent-Disposition: attachment; filename*=bogus\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n--B--\r\n",
        id="bad-rfc2231-and-base64"),
    pytest.param(b"", id="empty"),
    pytest.param(b"\xff\xfe\x00\x00garbage\x00" * 50, id="binary"),
]


@pytest.mark.parametrize("raw", BROKEN)
def test_broken_mime_parses_without_raising(raw: bytes) -> None:
    mail = mime.parse(raw)
    assert isinstance(mail.subject, str)
    assert isinstance(mail.body, str)
    assert all(isinstance(a.data, bytes) for a in mail.attachments)


def test_missing_final_boundary_still_yields_the_attachment() -> None:
    mail = mime.parse(BROKEN[0].values[0])
    assert [a.filename for a in mail.attachments] == ["Tờ trình.docx"]
    assert mail.from_addr == SENDER
    assert mail.defects  # noted for review


def test_8bit_utf8_headers_are_decoded() -> None:
    mail = mime.parse(BROKEN[2].values[0])
    assert mail.from_name == "LĐLĐ"
    assert mail.subject.startswith("Hồ sơ")
    assert mail.date is None


def test_every_authentication_results_is_kept_with_its_authserv_id() -> None:
    """GIVEN our server's verdict on top and a forged «pass» below WHEN parsed THEN both, in order, with ids."""
    raw = _raw(
        "Authentication-Results: mx.example.org; dmarc=fail (p=reject) header.from=example.vn; spf=softfail;"
        " dkim=none\n"
        "Authentication-Results: (comment) Forged.Example; dmarc=pass; spf=pass; dkim=pass\n"
        "From: a@example.vn\nSubject: x\n\nbody\n"
    )
    ours, forged = mime.parse(raw).auth
    assert (ours.authserv_id, ours.dmarc, ours.spf, ours.dkim) == ("mx.example.org", "fail", "softfail", "none")
    assert (forged.authserv_id, forged.dmarc, forged.spf, forged.dkim) == ("forged.example", "pass", "pass", "pass")


def test_no_authentication_results() -> None:
    assert mime.parse(samples.eml(sender=SENDER, subject="x")).auth == ()


def test_decision_headers_are_kept_lower_cased() -> None:
    raw = samples.eml(sender=SENDER, subject="x", headers={"Auto-Submitted": "auto-replied", "List-Id": "<l.x>"})
    headers = mime.parse(raw).headers
    assert headers["auto-submitted"] == "auto-replied"
    assert headers["list-id"] == "<l.x>"


def test_a_full_sample_dossier_round_trips() -> None:
    files = samples.full_dossier(SAMPLE_DOSSIERS["cdvc"])
    mail = mime.parse(samples.eml(sender="cdvc.tinh@example.vn", subject="Hồ sơ", attachments=files))
    assert [(a.filename, a.data) for a in mail.attachments] == files
    assert all(a.content_type == DOCX_TYPE for a in mail.attachments)


def test_a_named_image_without_content_disposition_is_kept() -> None:
    """GIVEN a phone mailer's scan: image/jpeg with name= in Content-Type and no Content-Disposition
    WHEN the message is parsed
    THEN the image is an attachment (a scanned page), not dropped as a decoration."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "ldld.tamduong@example.vn"
    message.set_content("Gửi bản chụp tờ trình.")
    message.add_attachment(b"\xff\xd8\xff\xe0scan", maintype="image", subtype="jpeg", filename="to-trinh.jpg")
    part = message.get_payload()[1]
    del part["Content-Disposition"]
    part.set_param("name", "to-trinh.jpg")
    assert [a.filename for a in mime.parse(bytes(message)).attachments] == ["to-trinh.jpg"]


def test_a_multipart_nested_1000_deep_keeps_its_top_headers() -> None:
    """GIVEN a multipart nested 1,000 deep (the stdlib parser recurses per level) WHEN parsed THEN no error:
    the sender, subject and Message-ID come from the top headers, with the defect saying why nothing else."""
    from tests.hostile_samples import UNIT, deep_nesting

    mail = mime.parse(deep_nesting(1000))
    assert (mail.from_addr, mail.subject, mail.message_id) == (UNIT, "nested", "<deep1000@x>")
    assert mime.MIME_TOO_DEEP in mail.defects and mail.attachments == ()
    assert mime.MIME_TOO_DEEP not in mime.parse(deep_nesting(400)).defects


def test_the_envelope_of_hostile_bytes_is_empty_not_an_error() -> None:
    assert mime.envelope(b"\xff\xfe\x00garbage").from_addr == ""
    head = mime.head_of(b"From: A <a@x.vn>\r\nSubject: =?utf-8?b?SOG7kyBzxqE=?=\r\n\r\nbody " * 3)
    assert head.endswith(b"\r\n\r\n") and b"body" not in head
    assert (mime.envelope(head).from_addr, mime.envelope(head).subject) == ("a@x.vn", "Hồ sơ")
