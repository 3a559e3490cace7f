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
from collections.abc import Callable

_SPACES = re.compile(r"\s+")
_D_LIKE = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "ð": "d", "Ɖ": "D", "ɖ": "d", "\u200b": " "})
_NON_WORD = re.compile(r"[\W_]+")
_HONORIFIC = re.compile(
    r"^(?:đồng\s*chí|đ/c|đc|ông\s*/\s*bà|bà\s*/\s*ông|ông|bà|anh|chị|cô|thầy|mr\.?|mrs\.?|ms\.?)\s+",
    re.IGNORECASE,
)


def nfc(text: str) -> str:
    """NFC-normalise and collapse runs of white space; trims both ends."""
    return " ".join(unicodedata.normalize("NFC", text).split())  # str.split() splits where the regex \s matches


_KEPT = 8192


class _Dropper(dict[int, int | None]):
    """A :meth:`str.translate` table dropping the characters ``drop`` names, filled one code point at a
    time (up to :data:`_KEPT` of them: hostile text cannot grow it without end); per-character Python
    tests ran over every line of every document."""

    def __init__(self, drop: Callable[[str], bool]) -> None:
        super().__init__()
        self.drop = drop

    def __missing__(self, code: int) -> int | None:
        value = None if self.drop(chr(code)) else code
        if len(self) < _KEPT:
            self[code] = value
        return value


_DROP_MARKS = _Dropper(lambda ch: bool(unicodedata.combining(ch)))
_DROP_MARKS_AND_FORMAT = _Dropper(lambda ch: bool(unicodedata.combining(ch)) or unicodedata.category(ch) == "Cf")


def drop_marks(decomposed: str) -> str:
    """``decomposed`` (NFD or NFKD) without its combining marks: the accents of Vietnamese letters."""
    return decomposed.translate(_DROP_MARKS)


@functools.lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive key: ``Tờ Trình`` -> ``to trinh``.

    Cached: classification folds the same titles, aliases and symbols for every line it reads.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_D_LIKE))
    stripped = decomposed.translate(_DROP_MARKS_AND_FORMAT)
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


@functools.lru_cache(maxsize=4096)  # splitting, classification and relevance test the same lines
def is_upper_title(text: str) -> bool:
    """True for a heading typed in capitals (``TỜ TRÌNH``), ignoring digits and punctuation."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)
