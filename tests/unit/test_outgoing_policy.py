"""bot.message.outgoing_policy: replies serialised with headers parsed and folded once, a non-ASCII
Subject as RFC 2047 words; what a mail client reads back must equal what was set."""

from __future__ import annotations

from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest

from bot.message.outgoing_policy import OUTGOING

SUBJECTS = [
    "Re: Hồ sơ",
    "Re: Hồ sơ đề nghị khen thưởng năm 2020 của Liên đoàn Lao động huyện Tam Đường gửi Liên đoàn Lao động "
    "tỉnh Lai Châu (bổ sung biên bản họp xét và báo cáo tóm tắt trích ngang)",
    "Re: " + "Đ" * 120,                                  # one long word of two-byte characters
    "Re: plain ASCII subject that is long enough to need folding at least once on the way out of here",
    "Nhắc gửi hồ sơ đề nghị khen thưởng – hạn 20/12/2020",
]


def _serialised(subject: str, display: str = "Liên đoàn Lao động tỉnh Lai Châu") -> bytes:
    message = EmailMessage(policy=OUTGOING)
    message["From"] = f"{display} <mailbot@ldld.laichau.vn>"
    message["To"] = "ldld.tamduong@example.vn, Văn phòng <vp@example.vn>"
    message["Subject"] = subject
    message["Message-ID"] = "<mailbot.0123456789abcdef01234567@ldld.laichau.vn>"
    message.set_content("Kính gửi: Liên đoàn Lao động huyện Tam Đường,\n")
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


@pytest.mark.parametrize("subject", SUBJECTS)
def test_what_a_client_reads_back_equals_what_was_set(subject: str) -> None:
    raw = _serialised(subject)
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert all(len(line) <= 78 for line in head.split(b"\r\n")), head
    parsed = message_from_bytes(raw, policy=default)
    assert parsed["Subject"] == subject
    assert parsed["From"].addresses[0].display_name == "Liên đoàn Lao động tỉnh Lai Châu"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["ldld.tamduong@example.vn", "vp@example.vn"]
    assert parsed.get_content().rstrip() == "Kính gửi: Liên đoàn Lao động huyện Tam Đường,"
    assert not parsed.defects and not any(parsed[name].defects for name in parsed)


def test_the_same_message_serialises_to_the_same_bytes_as_the_stdlib_reads_it() -> None:
    """GIVEN a reply serialised twice (the second from the caches) THEN byte-identical, and the headers
    the stdlib's own policy would write read back to the same values."""
    first, second = _serialised(SUBJECTS[1]), _serialised(SUBJECTS[1])
    assert first == second
    plain = EmailMessage(policy=default)
    for name, value in message_from_bytes(first, policy=default).items():
        plain[name] = value
    ours = message_from_bytes(first, policy=default)
    again = message_from_bytes(plain.as_bytes(policy=default.clone(linesep="\r\n")), policy=default)
    assert {n: str(v) for n, v in ours.items()} == {n: str(v) for n, v in again.items()}


@pytest.mark.parametrize("value", ["Re: x\r\nBcc: victim@example.vn", "Re: x\nX-Injected: 1"])
def test_header_injection_is_still_refused(value: str) -> None:
    message = EmailMessage(policy=OUTGOING)
    with pytest.raises(ValueError, match="linefeed or carriage return"):
        message["Subject"] = value
