"""Outlook's winmail.dat (application/ms-tnef): its files are attachments like any other, within the
archive limits; a stream with only the body, or one that cannot be read, is said so in plain words."""

from __future__ import annotations

from bot.config.limits import Limits
from bot.core import intake
from bot.core.findings import reply_text
from bot.core.model import TNEF_BODY_ONLY, TNEF_BROKEN, Finding
from bot.message import archives, mime, tnef
from tests.tnef_samples import outlook_rich_text_eml, tnef_of

FILES = [("Tờ trình đề nghị khen thưởng.docx", b"PK\x03\x04to trinh"), ("Biên bản họp xét.pdf", b"%PDF-1.4 bb"),
         ("Danh sách.xlsx", b"PK\x03\x04ds")]


def _outlook(**kwargs: object) -> bytes:
    return outlook_rich_text_eml(sender="ldld.tamduong@example.vn", sender_name="LĐLĐ huyện Tam Đường",
                                 subject="Hồ sơ thi đua VHCS 2020", body="Kính gửi Văn phòng LĐLĐ tỉnh.",
                                 **kwargs)  # type: ignore[arg-type]


def test_winmail_dat_files_become_attachments_with_their_unicode_names() -> None:
    mail = mime.parse(_outlook(files=FILES))
    assert [(a.filename, a.data, a.origin) for a in mail.attachments] == [
        (name, data, "winmail.dat") for name, data in FILES]
    assert not mail.defects


def test_body_only_winmail_dat_is_one_marker_the_reply_explains() -> None:
    mail = mime.parse(_outlook(files=[]))
    (marker,) = mail.attachments
    assert (marker.filename, marker.origin, marker.data) == ("winmail.dat", TNEF_BODY_ONLY, b"")
    assert not intake.parsed(marker)
    assert "chỉ chứa nội dung thư" in reply_text(Finding.TNEF_BODY_ONLY)


def test_damaged_winmail_dat_is_kept_whole_and_names_outlooks_rich_text() -> None:
    stream = tnef_of(FILES)
    for broken in (stream[: len(stream) // 2], b"not a tnef stream at all", b""):
        mail = mime.parse(_outlook(winmail=broken))
        (kept,) = mail.attachments
        assert (kept.filename, kept.origin) == ("winmail.dat", TNEF_BROKEN)
        assert "BadTnef" in mail.defects
    sentence = reply_text(Finding.TNEF_UNREADABLE)
    assert "Rich Text" in sentence and "HTML hoặc văn bản thường" in sentence
    assert "cán bộ sẽ kiểm tra" not in sentence


def test_limits_of_archives_hold_for_winmail_dat() -> None:
    """More files than max_zip_members, or more bytes than max_zip_mb: one refused attachment, counted from
    the stream's headers before anything is copied."""
    many = [(f"tệp {n}.docx", b"PK\x03\x04x") for n in range(5)]
    assert tnef.unpack(tnef_of(many), 4, 1e9)[0].problem == archives.Problem.TOO_LARGE
    big = [("lớn.pdf", b"%PDF" + b"0" * 4000)]
    assert tnef.unpack(tnef_of(big), 60, 1000)[0].problem == archives.Problem.TOO_LARGE
    mail = mime.parse(_outlook(files=many), Limits(max_zip_members=4))
    assert [(a.filename, a.origin) for a in mail.attachments] == [("winmail.dat", "zip-refused")]
    assert "ZipTooLarge" in mail.defects


def test_a_length_that_lies_is_unreadable_not_a_crash() -> None:
    stream = bytearray(tnef_of(FILES))
    stream[6 + 5: 6 + 9] = (2**31).to_bytes(4, "little")   # the first attribute claims 2 GB
    unpacked, body_only = tnef.unpack(bytes(stream), 60, 1e9)
    assert unpacked.problem == archives.Problem.UNREADABLE and not body_only
