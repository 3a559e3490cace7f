"""Big base64 bodies are decoded from the raw bytes, with exactly the result of a whole parse."""

from __future__ import annotations

import base64
import email
import email.policy
import mmap
import random
from pathlib import Path

import pytest

from bot.message import bigparts, mime
from tests.samples import eml, zip_of

RNG = random.Random(6)
BIG_A = bytes(RNG.getrandbits(8) for _ in range(900_000)) * 3
BIG_B = b"%PDF-1.4\n" + bytes(RNG.getrandbits(8) for _ in range(700_000)) * 2


def _whole(raw: bytes) -> list[bytes]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return [part.get_payload(decode=True) for part in message.iter_attachments()]


def test_small_messages_are_left_alone() -> None:
    raw = eml(sender="a@example.vn", subject="x", attachments=[("a.pdf", b"%PDF-1.4 small")])
    assert bigparts.lift(raw) == (raw, {})


def test_big_attachments_come_out_identical() -> None:
    raw = eml(sender="ldld.tamduong@example.vn", subject="Hồ sơ", attachments=[("a.bin", BIG_A), ("b.pdf", BIG_B)])
    skeleton, blobs = bigparts.lift(raw)
    assert len(blobs) == 2 and len(skeleton) < 10_000
    mail = mime.parse(raw)
    assert [a.data for a in mail.attachments] == _whole(raw) == [BIG_A, BIG_B]


@pytest.mark.parametrize("attachments", [[("a.pdf", b"%PDF-1.4 small")], [("a.bin", BIG_A), ("b.pdf", BIG_B)]],
                         ids=["small", "big"])
def test_a_memory_mapped_message_parses_like_its_bytes(tmp_path: Path, attachments: list[tuple[str, bytes]]) -> None:
    """A message fetched in parts comes memory-mapped from its spool file (bot/transport/spool.py)."""
    raw = eml(sender="ldld.tamduong@example.vn", subject="Hồ sơ", attachments=attachments)
    (tmp_path / "m.eml").write_bytes(raw)
    with (tmp_path / "m.eml").open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        mapped = mime.parse(view)
        assert [a.data for a in mapped.attachments] == [data for _, data in attachments]
        assert mapped == mime.parse(raw)


def test_zip_members_of_a_big_zip_are_read() -> None:
    data = zip_of({"Tờ trình.pdf": BIG_B})
    mail = mime.parse(eml(sender="a@example.vn", subject="zip", attachments=[("hs.zip", data)]))
    assert [(a.filename, a.data) for a in mail.attachments] == [("Tờ trình.pdf", BIG_B)]


@pytest.mark.parametrize("header", ["Content-Type: text/plain", "Content-Type: application/octet-stream\r\n"
                                    "Content-Transfer-Encoding: 7bit"])
def test_base64_looking_text_that_is_not_base64_gets_its_text_back(header: str) -> None:
    text = base64.encodebytes(BIG_A).replace(b"\n", b"\r\n")
    raw = (b"From: a@example.vn\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
           b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n' + header.encode() +
           b'\r\nContent-Disposition: attachment; filename="x.txt"\r\n\r\n' + text + b"--b--\r\n")
    assert bigparts.lift(raw)[1], "the run must be lifted for this test to mean anything"
    assert [a.data for a in mime.parse(raw).attachments] == _whole(raw)
