"""One file that holds several dossier items, one after another: where each item begins.

Units often put the tờ trình, the biên bản, the tóm tắt and the báo cáo sơ kết into one .docx or
one scanned-and-printed .pdf. Each item keeps its own head: the national motto block (issuer on
the left, «CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM» on the right) and a title in capitals, often on a
new page. A new item begins at block ``i`` when

- the motto starts there and a title follows within the head (before «Kính gửi», «Căn cứ»…); or
- a title in capitals of a dossier item starts there, and either a page begins there or the
  text before it ended like a document (a signature mark «TM.», «Nơi nhận:», «(Đã ký)»…);

and that title names another kind than the item being read. A file is cut only when at least two
of its parts are titled as *different dossier items* and every part is long enough to be a
document; anything else (a tờ trình citing «biên bản họp xét ngày…», a title repeated in a page
header, an appendix of the same item) stays one document. Tables stay in the part they sit in.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace

from bot.config.doc_kinds import OTHER, DocKindSpec, ItemKind
from bot.core import doc_kinds as dk
from parsers.model import Block, Document, Table
from parsers.text import fold, is_upper_title

_MOTTO = "cong hoa xa hoi chu nghia viet nam"
_ISSUING = re.compile(r"\b(?:lien doan|ldld|cong doan|cdcs|uy ban|ubnd|dang uy|ban chap hanh|bch)\b")
_SIGN_MARK = re.compile(r"(?:^|\s)(?:T/?M|K/?T|T/?L|Q\.)\s*\.?\s*\S")
_ENDINGS = ("noi nhan", "da ky", "chu toa", "thu ky", "nguoi lap", "chu tich", "xac nhan cua")
HEAD_BLOCKS = 12          # blocks after a motto in which the title must appear
HEAD_LINES = 16
ENDING_LINES = 12         # lines before a bare title searched for the end of the previous document
MIN_LINES = 6             # a part shorter than this is no document of its own (a page header, a stray title)
MAX_PARTS = 40            # more "items" than this in one file is no dossier: the file stays whole

Lines = tuple[str, ...]
Texts = tuple[Lines, ...]  # the lines of each block (parsers.Document.block_lines)


@dataclass(frozen=True, slots=True)
class Part:
    """One item of a file: its blocks as a document of their own, and the title that opens it."""

    document: Document
    kind: ItemKind | None  # the dossier item (or OTHER) its title names; None when untitled
    title: str


def split(document: Document, kinds: tuple[DocKindSpec, ...]) -> list[Part]:
    """The items the file holds, in order; a single document comes back whole, as one part."""
    texts = document.block_lines()
    starts = _starts(document, texts, kinds)
    parts = _parts(document, texts, starts, kinds) if 1 < len(starts) <= MAX_PARTS else []
    titled = {part.kind for part in parts if part.kind not in (None, OTHER)}
    if len(parts) < 2 or len(titled) < 2:
        return [Part(document, *_first_title(texts, 0, kinds))]
    return parts


def _starts(document: Document, texts: Texts, kinds: tuple[DocKindSpec, ...]) -> list[int]:
    starts = [0]
    current = _first_title(texts, 0, kinds)[0]
    index = 1
    while index < len(texts):
        head = _head_at(document, texts, index, starts[-1], kinds)
        if head is not None and head[0] != current and head[1] > starts[-1]:
            current = head[0]
            starts.append(head[1])
            index = max(index, head[1]) + 1
            continue
        index += 1
    return starts


def _head_at(document: Document, texts: Texts, index: int, floor: int,
             kinds: tuple[DocKindSpec, ...]) -> tuple[ItemKind, int] | None:
    """(kind, first block) of a document head at ``index``, or None."""
    lines = texts[index]
    if not lines:
        return None
    if _has_motto(lines):
        kind, title = _first_title(texts, index, kinds, HEAD_BLOCKS, HEAD_LINES)
        if kind is None or not is_upper_title(title):
            return None
        return kind, _head_start(document, texts, index, floor)
    if isinstance(document.blocks[index], Table) or not _could_be_title(lines[0], kinds):
        return None
    evidence = dk.title_evidence([*lines[:1], *(texts[index + 1][:1] if index + 1 < len(texts) else ())], kinds)
    if evidence is None or evidence.kind == OTHER or evidence.text != lines[0]:
        return None
    if _page_start(document.breaks, index) or _ended(texts, index, floor):
        return evidence.kind, index
    return None


def _has_motto(lines: Lines) -> bool:
    """A line in capitals holding the nation's name (a body sentence naming it is no head)."""
    return any("NG H" in line and "NAM" in line and is_upper_title(line) and _MOTTO in fold(line)
               for line in lines)   # folding costs: the cheap tests first


def _could_be_title(line: str, kinds: tuple[DocKindSpec, ...]) -> bool:
    """Capitals starting with an item's title: the cheap test before :func:`dk.title_evidence`."""
    return is_upper_title(line) and fold(line).replace(" ", "").startswith(_glued_titles(kinds))


@functools.lru_cache(maxsize=8)
def _glued_titles(kinds: tuple[DocKindSpec, ...]) -> tuple[str, ...]:
    return tuple(fold(title).replace(" ", "") for spec in kinds for title in spec.titles)


def _head_start(document: Document, texts: Texts, index: int, floor: int) -> int:
    """Back from the motto to a page start just before it, or over the issuer's lines above it."""
    near = [b for b in range(max(floor + 1, index - 3), index + 1) if _page_start(document.breaks, b)]
    if near:
        return near[-1]
    start = index
    while start - 1 > floor and index - start < 3 and _issuer_line(document.blocks[start - 1], texts[start - 1]):
        start -= 1
    return start


def _page_start(breaks: tuple[int, ...], index: int) -> bool:
    """Whether a page begins at block ``index`` (``breaks`` is sorted: a binary search)."""
    at = bisect.bisect_left(breaks, index)
    return at < len(breaks) and breaks[at] == index


def _issuer_line(block: Block, lines: Lines) -> bool:
    if not isinstance(block, str) or len(lines) != 1 or not is_upper_title(lines[0]):
        return False
    return bool(_ISSUING.search(fold(lines[0]))) and not _SIGN_MARK.search(lines[0])


def _ended(texts: Texts, index: int, floor: int) -> bool:
    """The lines just before ``index`` close a document: a signature mark, «Nơi nhận:», «(Đã ký)»."""
    before: list[str] = []
    for block in range(index - 1, floor - 1, -1):
        before[:0] = texts[block]
        if len(before) >= ENDING_LINES:
            break
    before = before[-ENDING_LINES:]
    return any(_SIGN_MARK.search(line) or fold(line).lstrip("(- ").startswith(_ENDINGS) for line in before)


def _first_title(texts: Texts, index: int, kinds: tuple[DocKindSpec, ...],
                 blocks: int | None = None, lines: int = dk.HEAD_LINES) -> tuple[ItemKind | None, str]:
    """The kind and text of the first title in ``lines`` lines of ``blocks`` blocks from ``index``."""
    end = len(texts) if blocks is None else index + blocks
    head = [line for block in texts[index:end] for line in block][:lines]
    evidence = dk.title_evidence(head, kinds)
    return (evidence.kind, evidence.text) if evidence is not None else (None, "")


def _parts(document: Document, texts: Texts, starts: list[int],
           kinds: tuple[DocKindSpec, ...]) -> list[Part]:
    parts = []
    for begin, title_at, end in _ranges(texts, starts):
        breaks = tuple(b - begin for b in document.breaks if begin < b < end)
        kind, title = _first_title(texts, title_at, kinds, end - title_at)
        sub = replace(document, blocks=document.blocks[begin:end], breaks=breaks, pages=len(breaks) + 1)
        sub.block_lines_known(texts[begin:end])
        parts.append(Part(sub, kind, title))
    return parts


def _ranges(texts: Texts, starts: list[int]) -> list[tuple[int, int, int]]:
    """(begin, where its title is read, end) per part; a part too short to be a document (a page
    header, a stray title) joins the part after it, the last one the part before it."""
    out: list[list[int]] = []
    carried: tuple[int, int] | None = None        # (begin, lines) of a short part waiting for the next
    for begin, end in zip(starts, [*starts[1:], len(texts)], strict=True):
        lines = sum(len(texts[block]) for block in range(begin, end))
        first = begin
        if carried is not None:
            first, lines = carried[0], lines + carried[1]
            carried = None
        if lines < MIN_LINES:
            carried = (first, lines)
            continue
        out.append([first, begin, end])
    if carried is not None:
        if out:
            out[-1][2] = len(texts)
        else:
            out.append([carried[0], carried[0], len(texts)])
    return [(begin, title_at, end) for begin, title_at, end in out]
