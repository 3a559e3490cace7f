"""Vietnamese text normalisation: NFC for storage, folded forms for matching.

Matching must survive diacritics-less typing (``to trinh``), old/new tone placement
(``HOÀ``/``HÒA``, ``THUỶ``/``THỦY``), NFD input from macOS, ``đ`` (which has no decomposition) and its
look-alikes typed in its place (``Ð`` U+00D0, ``ð``, ``Ɖ``), soft hyphens and zero-width characters
inside words, and compatibility forms (full-width letters, ligatures).
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_D_LIKE = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "ð": "d", "Ɖ": "D", "ɖ": "d", "\u200b": " "})
_NON_WORD = re.compile(r"[\W_]+")
_HONORIFIC = re.compile(
    r"^(?:đồng\s*chí|đ/c|đc|ông\s*/\s*bà|bà\s*/\s*ông|ông|bà|anh|chị|cô|thầy|mr\.?|mrs\.?|ms\.?)\s+",
    re.IGNORECASE,
)


def nfc(text: str) -> str:
    """NFC-normalise and collapse runs of white space; trims both ends."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@functools.lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive key: ``Tờ Trình`` -> ``to trinh``.

    Cached: classification folds the same titles, aliases and symbols for every line it reads.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_D_LIKE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", stripped.casefold())).strip()


def strip_honorific(name: str) -> str:
    """``Đồng chí Lò Văn Pâng`` -> ``Lò Văn Pâng`` (repeats, e.g. ``Ông Bà``, are stripped too)."""
    previous = None
    name = nfc(name)
    while previous != name:
        previous = name
        name = _HONORIFIC.sub("", name).strip()
    return name


def name_key(name: str) -> str:
    """Key under which two spellings of one nominee compare equal."""
    return fold(strip_honorific(name))


def is_upper_title(text: str) -> bool:
    """True for a heading typed in capitals (``TỜ TRÌNH``), ignoring digits and punctuation."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)
