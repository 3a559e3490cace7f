"""bot.core.automated: every real automated message of the corpus is a machine's, even with a unit's
own From and Return-Path; every unit message is a person's.

tests/corpus/automated holds real bounces, delay notices, auto-replies, ARF reports and
challenge-response mail of many mail systems (tests/corpus/automated/SOURCES.md); tests/corpus/human
holds real non-automated messages and real-looking unit mail (tests/corpus/make_human.py).
"""

from __future__ import annotations

import re
from collections import Counter
from email.header import Header
from pathlib import Path

import pytest

from bot.core import automated
from bot.core.model import IncomingMail, Outcome, Sign
from bot.message import mime
from tests import samples

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
AUTOMATED = sorted((CORPUS / "automated").glob("*.eml"))
HUMAN = sorted((CORPUS / "human").glob("*.eml"))
UNIT_ADDRESS = "ldld.tamduong@example.vn"
_FIELD_START = re.compile(rb"\r?\n(?![ \t])")
_ENVELOPE = re.compile(rb"(?i)(?:from|return-path|sender|reply-to)\s*:")


def as_from_unit(raw: bytes, address: str = UNIT_ADDRESS) -> bytes:
    """The message as the held-out set delivers it: From, Return-Path, Sender and Reply-To a unit's."""
    match = re.search(rb"\r?\n\r?\n", raw)
    head, rest = (raw[: match.start()], raw[match.start():]) if match else (raw, b"")
    fields = [f for f in _FIELD_START.split(head) if f and not _ENVELOPE.match(f)]
    own = [b"Return-Path: <%s>" % address.encode(), b"From: %s" % address.encode()]
    return b"\n".join(own + fields) + rest


def _verdict(raw: bytes) -> automated.Verdict | None:
    return automated.judge(mime.parse(raw))


def test_the_corpus_is_big_and_varied() -> None:
    assert len(AUTOMATED) >= 150
    assert len({path.name.split("_", 1)[0] for path in AUTOMATED}) >= 4     # sources
    assert sum(path.stat().st_size for path in [*AUTOMATED, *HUMAN]) < 5 * 1024 * 1024


@pytest.mark.parametrize("path", AUTOMATED, ids=[p.name for p in AUTOMATED])
def test_every_real_automated_message_is_judged_automated(path: Path) -> None:
    """GIVEN a real automated message WHEN judged as it came, and with a unit's From/Return-Path THEN a machine's."""
    raw = path.read_bytes()
    assert _verdict(raw) is not None
    verdict = _verdict(as_from_unit(raw))
    assert verdict is not None and verdict.outcome != Outcome.OWN_REPLY


@pytest.mark.parametrize("path", HUMAN, ids=[p.name for p in HUMAN])
def test_no_human_message_is_judged_automated(path: Path) -> None:
    """GIVEN a person's message (a unit's thanks, dossier, forward, a quoted bounce) WHEN judged THEN no verdict."""
    raw = path.read_bytes()
    assert _verdict(raw) is None
    assert _verdict(as_from_unit(raw)) is None


def test_corpus_outcomes() -> None:
    """Bounces are bounces; the ARF report, the challenge and the auto-replies are told apart."""
    outcomes = Counter(v.outcome for v in map(_verdict, (p.read_bytes() for p in AUTOMATED)) if v)
    assert outcomes[Outcome.BOUNCE] >= 250
    for kind in (Outcome.AUTO_REPLY, Outcome.FEEDBACK_REPORT, Outcome.CHALLENGE, Outcome.READ_RECEIPT):
        assert outcomes[kind] >= 1, kind
    named = {path.name: _verdict(as_from_unit(path.read_bytes())) for path in AUTOMATED}
    expected = {"sisimai_arf-03.eml": Outcome.FEEDBACK_REPORT, "bp_bluebottle.eml": Outcome.CHALLENGE,
                "sisimai_rfc3834-01.eml": Outcome.AUTO_REPLY, "sisimai_kddi-01.eml": Outcome.BOUNCE,
                "sisimai_apachejames-01.eml": Outcome.BOUNCE, "bp_polish-autoreply.eml": Outcome.AUTO_REPLY}
    assert {name: named[name].outcome for name in expected} == expected  # type: ignore[union-attr]


def _mail(subject: str, body: str = "Nội dung.", headers: dict[str, str] | None = None) -> IncomingMail:
    return mime.parse(samples.eml(sender=UNIT_ADDRESS, subject=subject, body=body, headers=headers))


def _encoded(subject: str, charset: str) -> IncomingMail:
    """A subject RFC 2047-encoded in a legacy charset, as Japanese, Chinese and Russian servers send it."""
    raw = samples.eml(sender=UNIT_ADDRESS, subject="x").replace(b"Subject: x", b"Subject: " + Header(
        subject, charset).encode().encode())
    return mime.parse(raw)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("AUTO: Nguyen Van A is out of the office (returning 21/12/2020)", Outcome.AUTO_REPLY),
        ("Automatic reply: Hồ sơ khen thưởng", Outcome.AUTO_REPLY),
        ("Trả lời tự động: Hồ sơ khen thưởng", Outcome.AUTO_REPLY),
        ("Tra loi tu dong: Ho so", Outcome.AUTO_REPLY),
        ("Réponse automatique : Dossier", Outcome.AUTO_REPLY),
        ("Absence du bureau", Outcome.AUTO_REPLY),
        ("Abwesenheitsnotiz: Unterlagen", Outcome.AUTO_REPLY),
        ("Automatische Antwort: Unterlagen", Outcome.AUTO_REPLY),
        ("Respuesta automática: Expediente", Outcome.AUTO_REPLY),
        ("Fuera de la oficina", Outcome.AUTO_REPLY),
        ("Resposta automática: Processo", Outcome.AUTO_REPLY),
        ("Risposta automatica: Pratica", Outcome.AUTO_REPLY),
        ("Automatisch antwoord: Dossier", Outcome.AUTO_REPLY),
        ("Automatyczna odpowiedź: Wniosek", Outcome.AUTO_REPLY),
        ("Otomatik yanıt: Başvuru", Outcome.AUTO_REPLY),
        ("Автоответ: Документы", Outcome.AUTO_REPLY),
        ("자동 응답: 서류", Outcome.AUTO_REPLY),
        ("Re: Hồ sơ [Auto-Reply]", Outcome.AUTO_REPLY),
        ("Thư không gửi được: Hồ sơ", Outcome.BOUNCE),
        ("Undeliverable: Hồ sơ khen thưởng", Outcome.BOUNCE),
        ("Delivery Status Notification (Delay)", Outcome.BOUNCE),
        ("Mail delivery failed: returning message to sender", Outcome.BOUNCE),
        ("Unzustellbar: Unterlagen", Outcome.BOUNCE),
        ("Non remis : Dossier", Outcome.BOUNCE),
        ("Недоставленное сообщение", Outcome.BOUNCE),
        ("[SPAM] Returned mail: see transcript for details", Outcome.BOUNCE),
        ("Message status - undeliverable", Outcome.BOUNCE),
        ("Read: Hồ sơ", Outcome.READ_RECEIPT),
        ("Complaint about message from 192.0.2.1", Outcome.FEEDBACK_REPORT),
        ("Please confirm your message", Outcome.CHALLENGE),
        ("Your message to cong-doan awaits moderator approval", Outcome.MAILING_LIST),
        ("Virus Alert", Outcome.BOUNCE),
    ],
)
def test_subjects_in_many_languages(subject: str, expected: Outcome) -> None:
    verdict = automated.judge(_mail(subject))
    assert verdict is not None and verdict.outcome == expected


@pytest.mark.parametrize(
    ("subject", "charset", "expected"),
    [("配信エラー", "iso-2022-jp", Outcome.BOUNCE), ("自動応答: 書類", "iso-2022-jp", Outcome.AUTO_REPLY),
     ("系统退信", "gb2312", Outcome.BOUNCE), ("自动回复: 文件", "gb2312", Outcome.AUTO_REPLY),
     ("Недоставленное сообщение", "koi8-r", Outcome.BOUNCE), ("Автоответ: документы", "koi8-r", Outcome.AUTO_REPLY)],
)
def test_encoded_subjects(subject: str, charset: str, expected: Outcome) -> None:
    verdict = automated.judge(_encoded(subject, charset))
    assert verdict is not None and verdict.outcome == expected


@pytest.mark.parametrize(
    ("headers", "expected", "sign"),
    [
        ({"X-Failed-Recipients": "a@example.vn"}, Outcome.BOUNCE, Sign.FAILED_RECIPIENTS_HEADER),
        ({"X-Autogenerated": "Reply"}, Outcome.AUTO_REPLY, Sign.AUTOREPLY_HEADER),
        ({"X-MS-Exchange-Message-Is-Ndr": "yes"}, Outcome.BOUNCE, Sign.FAILED_RECIPIENTS_HEADER),
        ({"Auto-Submitted": "auto-generated"}, Outcome.AUTO_REPLY, Sign.AUTO_SUBMITTED),
        ({"Return-Path": "<MAILER-DAEMON@mx.example.vn>"}, Outcome.BOUNCE, Sign.BOUNCE_SENDER),
        ({"List-Post": "<mailto:list@example.vn>"}, Outcome.MAILING_LIST, Sign.LIST_HEADER),
    ],
)
def test_header_signs(headers: dict[str, str], expected: Outcome, sign: Sign) -> None:
    verdict = automated.judge(_mail("Hồ sơ", headers=headers))
    assert verdict is not None and (verdict.outcome, verdict.sign) == (expected, sign)


def test_delivery_text_in_a_plain_body_with_an_ordinary_subject() -> None:
    """GIVEN a bounce whose subject says nothing (Apache James «Re: …») WHEN judged THEN its body tells."""
    body = "Error: Invalid user address\n\nError message below:\n550 - Requested action not taken: no such user here"
    verdict = automated.judge(_mail("Re: Hồ sơ", body=body))
    assert verdict is not None and (verdict.outcome, verdict.sign) == (Outcome.BOUNCE, Sign.DSN_TEXT)


def test_delivery_text_in_an_html_body() -> None:
    html = ("<html><body><p><b>Delivery has failed to these recipients or groups:</b></p>"
            "<p>a@example.vn</p></body></html>")
    raw = samples.eml(sender=UNIT_ADDRESS, subject="Hồ sơ", body="x").replace(b"Content-Type: text/plain",
                                                                              b"Content-Type: text/html")
    raw = raw.replace(b"\r\n\r\nx", b"\r\n\r\n" + html.encode())
    mail = mime.parse(raw)
    assert mail.body.startswith("<html>")
    verdict = automated.judge(mail)
    assert verdict is not None and verdict.outcome == Outcome.BOUNCE


@pytest.mark.parametrize(
    "body",
    [
        "Kính gửi LĐLĐ tỉnh, thư trước bị lỗi «Delivery has failed to these recipients», đơn vị gửi lại hồ sơ.",
        "Cảm ơn ạ.\n\n-----Original Message-----\nUndeliverable: 550 5.1.1 user unknown",
        "Dạ em cảm ơn.\n\nĐây là thư trả lời tự động của hệ thống tiếp nhận hồ sơ; đơn vị không cần trả lời.",
        "Đồng chí phụ trách đang đi công tác, đơn vị xin gửi hồ sơ sau.",
    ],
)
def test_a_units_letter_is_not_a_machine_even_when_it_quotes_one(body: str) -> None:
    assert automated.judge(_mail("Re: Hồ sơ khen thưởng", body=body)) is None


def test_a_forward_of_a_bounce_is_a_person_s() -> None:
    """GIVEN «Fwd: Undeliverable: …» with the bounce attached WHEN judged THEN a person's message."""
    bounce = (CORPUS / "automated" / "flufl_postfix_01.eml").read_bytes()
    raw = samples.eml(sender=UNIT_ADDRESS, subject="Fwd: Undeliverable: Hồ sơ", body="Gửi lại ạ.",
                      forward_of=bounce)
    assert automated.judge(mime.parse(raw)) is None


def test_a_machine_statement_before_any_letter_words_is_an_auto_reply() -> None:
    body = "Đây là thư trả lời tự động. Tôi đang nghỉ phép đến ngày 21/12. Trân trọng."
    verdict = automated.judge(_mail("Re: Hồ sơ", body=body))
    assert verdict is not None and (verdict.outcome, verdict.sign) == (Outcome.AUTO_REPLY, Sign.GENERATED_TEXT)


def test_every_sign_has_words_for_staff() -> None:
    """Each sign the corpus and the cases above produce is shown in Vietnamese in *Thư đến*."""
    from bot.core.findings import SIGN_WORDS, words

    signs = {v.sign for v in map(_verdict, (p.read_bytes() for p in AUTOMATED)) if v}
    signs |= {Sign.MAILBOT_HEADER, Sign.LIST_SENDER, Sign.NOREPLY_SENDER, Sign.PRECEDENCE, Sign.NULL_RETURN_PATH}
    assert signs <= set(SIGN_WORDS) == set(Sign)
    assert words(Sign.DSN_TEXT) == words("auto_sign:dsn_text") == "dấu hiệu: nội dung báo lỗi gửi thư"


@pytest.mark.parametrize(
    "subject",
    ["メッセージを配信できません。", "Re: 系统退信", "Address not found", "Không tìm thấy địa chỉ",
     "Thông báo về tình trạng phân phối (Không thành công)", "Notification d'état de remise (échec)",
     "Benachrichtigung über den Zustellstatus (Fehler)", "Notificación del estado de la entrega (Error)"],
)
def test_more_bounce_subjects(subject: str) -> None:
    verdict = automated.judge(_mail(subject))
    assert verdict is not None and verdict.outcome == Outcome.BOUNCE
