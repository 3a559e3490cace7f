"""parsers.text: NFC storage form, folded matching form, honorifics, nominee keys."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.text import drop_marks, fold, is_upper_title, name_key, nfc, strip_honorific


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# ------------------------------------------------------------------------------------ nfc


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (nfd("Lò Văn Pâng"), "Lò Văn Pâng"),                 # macOS file names and pasted text
        ("  Lò   Văn\tPâng \n", "Lò Văn Pâng"),              # runs of white space collapse, ends trimmed
        ("Lò\u00a0Văn Pâng", "Lò Văn Pâng"),                 # no-break space from Word
        (nfd("TỜ TRÌNH\r\nSố 19"), "TỜ TRÌNH Số 19"),
        ("", ""),
    ],
)
def test_nfc_normalises_and_collapses_spaces(raw: str, expected: str) -> None:
    result = nfc(raw)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


def test_nfc_keeps_the_spelling_of_old_and_new_tone_placement() -> None:
    """GIVEN HOÀ and HÒA WHEN stored THEN each keeps its own spelling (only matching folds them)."""
    assert nfc(nfd("Hoà")) == "Hoà"
    assert nfc(nfd("Hòa")) == "Hòa"


# ------------------------------------------------------------------------------------ fold


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tờ Trình", "to trinh"),
        ("TỜ TRÌNH", "to trinh"),
        (nfd("Tờ trình"), "to trinh"),
        ("to trinh", "to trinh"),
        ("Đường", "duong"),                        # Đ has no decomposition: mapped by hand
        ("đoàn", "doan"),
        ("LĐLĐ", "ldld"),
        ("Số: 19/TTr-LĐLĐ", "so 19 ttr ldld"),     # punctuation becomes single spaces
        ("Báo cáo  tóm\ttắt", "bao cao tom tat"),
        ("  ", ""),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@pytest.mark.parametrize(
    "spellings",
    [
        ("HOÀ", "HÒA", "hoà", "Hòa", nfd("HOÀ"), "hoa"),          # old vs new tone placement
        ("THUỶ", "THỦY", "Thuỷ", "thủy", nfd("Thủy"), "thuy"),
        ("KHOẺ", "KHỎE", "khoe"),
        ("Đ", "đ", "D", "d", "Ð", "ð", "Ɖ"),                   # Ð (U+00D0, Icelandic eth) typed for Đ
        ("ĐOÀN", "ÐOÀN", "Ðoàn", "DOAN", "doan"),
        ("LĐLĐ", "LÐLÐ", "ldld"),
        ("trưởng", "trư\u00adởng", "TRƯ\u00adỞNG", "truong"),        # soft hyphen from Word inside a word
        ("TỜ TRÌNH", "ＴỜ ＴＲÌＮＨ", "Tờ\u200btrình", "\ufeffTờ trình", "to trinh"),  # full-width, zero-width
    ],
)
def test_fold_unifies_equivalent_spellings(spellings: tuple[str, ...]) -> None:
    assert len({fold(s) for s in spellings}) == 1


# ------------------------------------------------------------------------------------ honorifics


@pytest.mark.parametrize(
    "written",
    [
        "Đồng chí Lò Văn Pâng",
        "đồng chí Lò Văn Pâng",
        "ĐỒNG CHÍ Lò Văn Pâng",
        "Đồng  chí   Lò Văn Pâng",
        nfd("Đồng chí Lò Văn Pâng"),
        "Đ/c Lò Văn Pâng",
        "đ/c Lò Văn Pâng",
        "Đc Lò Văn Pâng",
        "Ông Lò Văn Pâng",
        "Bà Lò Văn Pâng",
        "Ông Bà Lò Văn Pâng",                  # repeats are stripped too
        "Lò Văn Pâng",
    ],
)
def test_strip_honorific(written: str) -> None:
    assert strip_honorific(written) == "Lò Văn Pâng"


@pytest.mark.parametrize(
    "name",
    [
        "Bàn Thị Hiền",          # starts with «Bà» but is the surname Bàn
        "Đồng Văn Minh",         # Đồng is a surname; only «Đồng chí» is an honorific
        "Đoàn Văn Bình",         # starts with Đ, not Đ/c
        "Ông",                   # a lone word is not stripped to nothing
        "Công đoàn cơ sở Trường Mầm non xã Bản Bo",
    ],
)
def test_strip_honorific_leaves_names_that_only_look_like_one(name: str) -> None:
    assert strip_honorific(name) == name


def test_strip_honorific_slash_form() -> None:
    """GIVEN the «Ông/Bà» form that tests.samples.to_trinh_docx(honorific=...) offers WHEN stripped THEN gone."""
    assert strip_honorific("Ông/Bà Giàng A Chứ") == "Giàng A Chứ"


# ------------------------------------------------------------------------------------ name_key


@pytest.mark.parametrize(
    "spellings",
    [
        ("Nguyễn Văn Hoà", "NGUYỄN VĂN HÒA", "Đồng chí Nguyễn Văn Hòa", nfd("Nguyễn Văn Hòa"),
         "Nguyễn  Văn Hòa "),
        ("Nông Thúy Thủy", "Nông Thuý Thuỷ", "Bà Nông Thúy Thủy", "NÔNG THÚY THỦY"),
        ("Lò Văn Pâng", "Đ/c Lò Văn Pâng", "đ/c LÒ VĂN PÂNG"),
    ],
)
def test_name_key_same_person(spellings: tuple[str, ...]) -> None:
    keys = {name_key(s) for s in spellings}
    assert len(keys) == 1
    assert keys.pop()  # never the empty key


@pytest.mark.parametrize(
    ("first", "second"),
    [("Lò Văn Pâng", "Lù Văn Phóng"), ("Lù Thị Ngoan", "Lù Văn Ngoan"), ("Cứ A Dìa", "Cứ A Sềnh")],
)
def test_name_key_different_people(first: str, second: str) -> None:
    assert name_key(first) != name_key(second)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("TỜ TRÌNH", True), ("BIÊN BẢN", True), ("I. TẬP THỂ", True), ("Tờ trình", False), ("TTR", False),
     ("Số: 19/TTR", False), ("LĐLĐ", True)],
)
def test_is_upper_title(text: str, expected: bool) -> None:
    assert is_upper_title(text) is expected


# ------------------------------------------------------------------------------------ the fast forms

@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_nfc_collapses_exactly_the_white_space_a_regex_would(text: str) -> None:
    assert nfc(text) == re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_drop_marks_drops_exactly_the_combining_characters(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)
    assert drop_marks(decomposed) == "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_drop_marks_takes_the_accents_off_vietnamese_letters() -> None:
    assert drop_marks(unicodedata.normalize("NFD", "Biên bản họp xét thi đua")) == "Bien ban hop xet thi đua"


def test_drop_marks_stays_right_past_the_code_points_it_remembers() -> None:
    many = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 9000)) + unicodedata.normalize("NFD", "Tờ")
    assert drop_marks(many).endswith("To")
