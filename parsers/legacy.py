"""Vietnamese legacy 8-bit encodings (TCVN3/ABC and VNI Windows) to Unicode NFC. Pure.

Old office files typed with the ``.VnTime`` (TCVN3) or ``VNI-Times`` (VNI) fonts store their text as
ordinary Latin-1/cp1252 code points that only the font draws as Vietnamese (``B¸o c¸o`` is ``Báo cáo``).
Conversion is by the run's font when the reader knows it (docx runs, xlsx cells) and otherwise by
character statistics (:func:`detect`), with a threshold that leaves real Unicode Vietnamese and plain
English, French or German text alone.

Tables, checked against two independent sources that agree on every letter:
* TCVN3 (TCVN 5712:1993 VN3): the 0xA0-0xFF half of X.Org ``lcUniConv/tcvn.h`` (X11 licence, MIT-style;
  copy read in fcitx/xcb-imdkit ``src/xlibi18n/lcUniConv/tcvn.h``). Only that half is used: VN3 (the
  ``.Vn*`` fonts) has no upper-case toned letters, whose VN1 slots at 0x01-0x17 and 0x80-0x9F hold
  cp1252 punctuation (quotes, dashes) in real documents. Cross-checked with khiemdoan/VBKey
  ``Modules/mdlCodeTable.bas`` ``TCVN3_TABLE`` (no licence file; used only as a check).
* VNI Windows: written from the scheme (base letter + one mark byte; a few precomposed bytes) and
  cross-checked letter by letter with VBKey's ``VNI_WINDOWS_TABLE``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

TCVN3 = "tcvn3"
VNI = "vni"

# TCVN3 byte (as the Latin-1 code point a docx/xlsx/PDF stores) -> Unicode, 0xA0..0xFF.
_TCVN3_HIGH = (
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0-0xAF
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0-0xBF
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0-0xCF
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0-0xDF
    "ỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"  # 0xE0-0xFF
)
TCVN3_TABLE: dict[str, str] = {chr(0xA0 + index): char for index, char in enumerate(_TCVN3_HIGH)}
# How PDF text layers and converters spell some TCVN3 bytes (pdfminer glyph names, Word soft hyphen).
TCVN3_TABLE |= {"\u2212": "ư", "\u2219": "ã"}

_VNI_MARKS = {
    "ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
    "â": "\u0302", "à": "\u0302\u0300", "á": "\u0302\u0301", "å": "\u0302\u0309", "ã": "\u0302\u0303",
    "ä": "\u0302\u0323", "ê": "\u0306", "è": "\u0306\u0300", "é": "\u0306\u0301", "ú": "\u0306\u0309",
    "ü": "\u0306\u0303", "ë": "\u0306\u0323",
}
VNI_MARKS: dict[str, str] = _VNI_MARKS | {key.upper(): value for key, value in _VNI_MARKS.items()}
_VNI_LETTERS = {"ñ": "đ", "ô": "ơ", "ö": "ư", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
VNI_LETTERS: dict[str, str] = _VNI_LETTERS | {key.upper(): value.upper() for key, value in _VNI_LETTERS.items()}
_VNI_BASES = frozenset("aeiouyAEIOUY") | frozenset("ôöÔÖ")

_UNICODE_VIETNAMESE = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
_TCVN3_SIGNS = frozenset("¡¢£¤¥¦§¨©ª«¬\u00ad®µ¶·¸¹»¼½¾×Þ÷þ\u2212\u2219")
_WORD = re.compile(r"\S+")
MIN_HITS = 3
MIN_SHARE = 0.08


def font_encoding(font: str | None) -> str | None:
    """``.VnTime``/``.VnArialH`` -> tcvn3, ``VNI-Times`` -> vni, anything else -> None."""
    name = (font or "").strip()
    lowered = name.lower()
    if lowered.startswith(("vni-", "vni ")):
        return VNI
    if lowered.startswith((".vn", "vntime", "vnarial")):
        return TCVN3
    return None


def font_is_upper(font: str | None) -> bool:
    """The ``.Vn…H`` fonts draw capitals on the lower-case code points (``.VnTimeH``)."""
    name = (font or "").strip()
    return font_encoding(name) == TCVN3 and name.endswith("H")


def decode_tcvn3(text: str, upper: bool = False) -> str:
    """TCVN3 code points to Unicode NFC; ``upper`` for text set in a ``.Vn…H`` font."""
    converted = "".join(TCVN3_TABLE.get(ch, ch) for ch in text)
    return unicodedata.normalize("NFC", converted.upper() if upper else converted)


def decode_vni(text: str) -> str:
    """VNI Windows to Unicode NFC: a mark byte after a vowel becomes a combining mark."""
    out: list[str] = []
    previous = ""
    for ch in text:
        if ch in VNI_MARKS and previous in _VNI_BASES:
            out.append(VNI_MARKS[ch])
            previous = ""
            continue
        out.append(VNI_LETTERS.get(ch, ch))
        previous = ch
    return unicodedata.normalize("NFC", "".join(out))


def decode(text: str, encoding: str | None, upper: bool = False) -> str:
    """Convert ``text`` from ``encoding`` (:data:`TCVN3`, :data:`VNI` or None for Unicode)."""
    if encoding == TCVN3:
        return decode_tcvn3(text, upper)
    if encoding == VNI:
        return decode_vni(text)
    return text


def decode_font_text(text: str, font: str | None) -> str:
    """A run of text in a known font: converted when the font is a legacy one, else unchanged."""
    return decode(text, font_encoding(font), font_is_upper(font))


def has_unicode_vietnamese(text: str) -> bool:
    """True when ``text`` holds letters only Unicode has (ă ơ ư đ, ạ…ỹ): it is not legacy-encoded."""
    return _UNICODE_VIETNAMESE.search(text) is not None


def detect(text: str) -> str | None:
    """Which legacy encoding ``text`` is in, by statistics; None for Unicode or unrelated text.

    Counts the words that only a legacy encoding explains: for TCVN3 a non-letter Latin-1 sign
    (``¸ µ ¶ ©``…) inside a word, for VNI a mark byte right after a vowel or a word-initial ``ñ``/``Ñ``.
    Needs at least :data:`MIN_HITS` such words and :data:`MIN_SHARE` of the words with letters, so
    a French ``où`` or a German ``Müller`` never qualifies; any real Unicode Vietnamese vetoes.
    """
    words = [word for word in _WORD.findall(text) if any(ch.isalpha() for ch in word)]
    if not words or len(_UNICODE_VIETNAMESE.findall(text)) * 20 > len(words):
        return None
    tcvn3 = sum(1 for word in words if _tcvn3_word(word))
    vni = sum(1 for word in words if _vni_word(word))
    best, hits = (TCVN3, tcvn3) if tcvn3 >= vni else (VNI, vni)
    if hits >= MIN_HITS and hits >= MIN_SHARE * len(words):
        return best
    return None


class Policy:
    """One document's conversion rule, from all its (text, font encoding) pieces.

    Fonts are trusted unless over a quarter of the legacy-font pieces with non-ASCII text hold Unicode
    Vietnamese (a Unicode document whose template still names ``.VnTime``); pieces with no legacy font
    are converted only when their text, taken together, is recognised by :func:`detect`.
    """

    def __init__(self, pieces: Iterable[tuple[str, str | None]]) -> None:
        legacy_texts: list[str] = []
        plain: list[str] = []
        for text, encoding in pieces:
            if encoding:
                if not text.isascii():
                    legacy_texts.append(text)
            else:
                plain.append(text)
        unicode_texts = sum(1 for text in legacy_texts if has_unicode_vietnamese(text))
        self.trust_fonts = unicode_texts * 4 <= len(legacy_texts)
        self.fallback = detect("\n".join(plain))

    def convert(self, text: str, encoding: str | None, upper: bool = False) -> str:
        """One piece in the document's rule; text with Unicode Vietnamese letters is never touched."""
        if has_unicode_vietnamese(text):
            return text
        if encoding and self.trust_fonts:
            return decode(text, encoding, upper)
        if not encoding and self.fallback:
            return decode(text, self.fallback)
        return text


def fix_text(text: str) -> str:
    """``text`` converted when :func:`detect` recognises a legacy encoding (lines that already hold Unicode
    Vietnamese excepted), else returned unchanged."""
    encoding = detect(text)
    if encoding is None:
        return text
    return "\n".join(line if has_unicode_vietnamese(line) else decode(line, encoding) for line in text.split("\n"))


def _tcvn3_word(word: str) -> bool:
    return any(
        ch in _TCVN3_SIGNS and any(near.isalpha() and near not in _TCVN3_SIGNS for near in word[max(i - 1, 0):i + 2])
        for i, ch in enumerate(word)
    )


def _vni_word(word: str) -> bool:
    if word[0] in "ñÑ" and len(word) > 1 and word[1].isalpha():
        return True
    pairs = (a + b for a, b in itertools.pairwise(word) if a in _VNI_BASES and b in VNI_MARKS)
    return any(pair.lower() not in _FOREIGN_PAIRS for pair in pairs)


# Vowel + accented-vowel pairs that French and German words have (où, goût, naïf, Noël, coûte).
_FOREIGN_PAIRS = frozenset({"où", "oû", "aï", "eë", "oë", "uë", "aü", "eü", "oï", "uï", "aî", "oî", "eû", "aû"})
