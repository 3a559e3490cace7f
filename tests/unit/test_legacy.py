"""parsers.legacy: TCVN3 (ABC) and VNI Windows text to Unicode, by font name and by statistics."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import legacy
from tests import legacy_samples as ls

# ------------------------------------------------------------------------------------ tables


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("B¸o c¸o tãm t¾t", "Báo cáo tóm tắt"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("Li\u00aanđoµn", "Liênđoàn"),
        ("n\u00adíc", "nước"),                       # ư is 0xAD, the soft hyphen code point
        ("n\u2212íc", "nước"),                       # ... which PDF text layers spell as a minus sign
        ("x\u2219 héi", "xã hội"),                   # and ã (0xB7) as a bullet operator
        ("¡ ¢ £ ¤ ¥ ¦ §", "Ă Â Ê Ô Ơ Ư Đ"),          # the seven capitals VN3 has
    ],
)
def test_tcvn3_decodes_known_words(stored: str, expected: str) -> None:
    assert legacy.decode_tcvn3(stored) == expected


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("UÛY BAN NHAÂN DAÂN TÆNH BÌNH PHÖÔÙC", "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("Nguyeãn Thò Aùnh, Ñoàng Xoaøi", "Nguyễn Thị Ánh, Đồng Xoài"),
    ],
)
def test_vni_decodes_known_words(stored: str, expected: str) -> None:
    assert legacy.decode_vni(stored) == expected


def test_h_fonts_are_drawn_in_capitals() -> None:
    """GIVEN «tờ trình» typed in .VnTimeH (lower-case codes) WHEN decoded THEN the capitals Word shows."""
    stored = ls.to_tcvn3("tờ trình đề nghị", ".VnTimeH")
    assert legacy.decode_font_text(stored, ".VnTimeH") == "TỜ TRÌNH ĐỀ NGHỊ"
    assert legacy.decode_font_text(stored, ".VnTime") == "tờ trình đề nghị"


@pytest.mark.parametrize(
    ("font", "encoding", "upper"),
    [(".VnTime", "tcvn3", False), (".VnTimeH", "tcvn3", True), (".VnArial NarrowH", "tcvn3", True),
     (".VnArial", "tcvn3", False), ("VnTimeH", "tcvn3", True), ("VNI-Times", "vni", False),
     ("VNI-Helve", "vni", False), ("VNI Times", "vni", False),
     ("Times New Roman", None, False), ("Arial", None, False), (None, None, False), ("", None, False)],
)
def test_font_names(font: str | None, encoding: str | None, upper: bool) -> None:
    assert legacy.font_encoding(font) == encoding
    assert legacy.font_is_upper(font) is upper


# ------------------------------------------------------------------------------------ round trips

_TCVN3_TEXT = st.text(alphabet=ls.TCVN3_ALPHABET + " ,.:;-0123456789", max_size=80)
_VNI_TEXT = st.text(alphabet=ls.VNI_ALPHABET + " ,.:;-0123456789", max_size=80)


@given(_TCVN3_TEXT)
def test_unicode_to_tcvn3_and_back_is_identity(text: str) -> None:
    assert legacy.decode_tcvn3(ls.to_tcvn3(text)) == unicodedata.normalize("NFC", text)


@given(_TCVN3_TEXT)
def test_h_font_round_trip_gives_capitals(text: str) -> None:
    assert legacy.decode_font_text(ls.to_tcvn3(text, ".VnTimeH"), ".VnTimeH") == text.upper()


@given(_VNI_TEXT)
def test_unicode_to_vni_and_back_is_identity(text: str) -> None:
    assert legacy.decode_vni(ls.to_vni(text)) == text


@settings(max_examples=60)
@given(st.lists(st.text(alphabet=ls.VNI_ALPHABET, min_size=2, max_size=9), min_size=1, max_size=25))
def test_unicode_vietnamese_is_never_converted(words: list[str]) -> None:
    """Any text with a letter only Unicode has is left exactly as it is."""
    text = " ".join(words) + " Trưởng ban"
    assert legacy.detect(text) is None
    assert legacy.fix_text(text) == text


@given(st.text(max_size=200), st.sampled_from([None, ".VnTime", ".VnTimeH", "VNI-Times"]))
def test_any_text_in_any_font_converts_without_error_to_nfc(text: str, font: str | None) -> None:
    converted = legacy.decode_font_text(text, font)
    assert isinstance(legacy.fix_text(text), str)
    if font:
        assert unicodedata.is_normalized("NFC", converted)


# ------------------------------------------------------------------------------------ detection

_PARAGRAPH = (
    "Liên đoàn Lao động tỉnh Lai Châu đề nghị khen thưởng các tập thể và cá nhân đã có thành tích "
    "xuất sắc trong phong trào thi đua lao động giỏi năm 2020, kèm theo báo cáo tóm tắt thành tích."
)


def test_statistics_recognise_each_encoding() -> None:
    assert legacy.detect(ls.to_tcvn3(_PARAGRAPH)) == "tcvn3"
    assert legacy.detect(ls.to_vni(_PARAGRAPH)) == "vni"
    assert legacy.fix_text(ls.to_tcvn3(_PARAGRAPH)) == _PARAGRAPH
    assert legacy.fix_text(ls.to_vni(_PARAGRAPH)) == _PARAGRAPH


@pytest.mark.parametrize(
    "text",
    [
        _PARAGRAPH,
        "Báo cáo tóm tắt thành tích của đồng chí Lò Văn Pâng",
        "Où est la bibliothèque ? Le goût du café à côté de l'église, très naïf, Noël à Montréal.",
        "Élève, été, crème brûlée, déjà vu, À bientôt, garçon, façade, Cœur, où, coûte, maïs, haïr.",
        "Müller aus München, schöne Grüße, Übergröße, Äpfel und Öl, weiß, Fußgänger, Straße.",
        "Señor Muñoz, año nuevo, mañana; São Paulo, ação, coração.",
        "The federation sends its report © 2020 ® — price 12 ½ € · 3 × 4 ÷ 2 ± 1 § 5 ¶ 6 «quoted» ¡Hola!",
        "B¸o",                                        # one short word is not evidence
        "",
    ],
)
def test_statistics_leave_other_text_alone(text: str) -> None:
    assert legacy.detect(text) is None
    assert legacy.fix_text(text) == text


def test_policy_distrusts_a_legacy_font_over_unicode_text() -> None:
    """GIVEN a Unicode document whose template still names .VnTime WHEN converted THEN untouched."""
    pieces = [("Báo cáo tóm tắt", ".VnTime"), ("Lò Văn Pâng", ".VnTime"), ("đề nghị", ".VnTime"), ("Hà", ".VnTime")]
    policy = legacy.Policy((text, legacy.font_encoding(font)) for text, font in pieces)
    assert not policy.trust_fonts
    assert [policy.convert(text, "tcvn3") for text, _ in pieces] == [text for text, _ in pieces]
