"""docx: headers, body paragraphs, tables (merged cells once, nested ones after their parent) and text
boxes, in reading order; TCVN3/VNI runs converted to Unicode by their font (:mod:`parsers.legacy`).

The XML is walked directly (python-docx opens the package, resolves styles and merged cells) because
python-docx's ``text`` skips text boxes and soft hyphens, which TCVN3 uses for ``ư``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable

from parsers import docx_trim, legacy
from parsers.docx_fonts import FontResolver, w
from parsers.model import DEFAULT_LIMITS, TABLE_CUT, Block, Document, Limits, Table

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CHOICE, _FALLBACK = f"{{{MC_NS}}}Choice", f"{{{MC_NS}}}Fallback"
_ALTERNATE = f"{{{MC_NS}}}AlternateContent"
_CHARS = {w("tab"): "\t", w("ptab"): "\t", w("br"): "\n", w("cr"): "\n",
          w("softHyphen"): "\u00ad", w("noBreakHyphen"): "-"}
_SKIPPED = {w("pPr"), w("rPr"), w("del"), w("moveFrom"), w("proofErr"), w("bookmarkStart"), w("bookmarkEnd")}
MAX_TABLE_DEPTH = 3

Segment = tuple[str, str | None, bool]  # text, font's legacy encoding (or None), drawn in capitals


@dataclass(frozen=True, slots=True)
class _Paragraph:
    segments: list[Segment]


@dataclass(frozen=True, slots=True)
class _Table:
    rows: list[tuple[list[list[Segment]], ...]]  # rows of cells of paragraphs (run segments)


@dataclass
class _Raw:
    """Blocks before conversion: paragraphs as run segments, tables as rows of cells of paragraphs."""

    blocks: list[_Paragraph | _Table] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)   # indices of blocks that begin a new page

    def keep_header(self, start: int, seen: set[str]) -> None:
        """Blocks from ``start`` are one header: drop its letterless paragraphs (page numbers), and the
        whole header when an earlier one had the same text (sections repeat their headers)."""
        kept = [block for block in self.blocks[start:]
                if isinstance(block, _Table) or any(ch.isalpha() for text, _, _ in block.segments for ch in text)]
        del self.blocks[start:]
        key = repr(kept)
        if kept and key not in seen:
            seen.add(key)
            self.blocks.extend(kept)


def read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Headers of every section first (each text once), then the body, with text boxes after their paragraph.

    The tables give at most ``limits.max_table_rows`` rows in all: rows past it are dropped as the main
    part is streamed (:mod:`parsers.docx_trim`) and skipped while the tables are walked, never read and
    then dropped; the document carries the ``table_cut`` warning."""
    from parsers import CorruptDocument

    data, trimmed = docx_trim.trim_rows(data, limits.max_table_rows)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocument(f"docx cannot be opened: {exc}") from exc
    except Exception as exc:
        raise CorruptDocument(f"docx cannot be parsed: {type(exc).__name__}: {exc}") from exc
    try:
        walker = _Walker(FontResolver(document.styles.element), document, limits.max_table_rows)
        seen: set[str] = set()
        for header in _headers(document):
            start = len(walker.raw.blocks)
            walker.container(header)
            walker.raw.keep_header(start, seen)
        walker.body = True
        walker.container(document.element.body)
        blocks = _render(walker.raw)
    except (AttributeError, KeyError, ValueError, TypeError, IndexError) as exc:
        raise CorruptDocument(f"docx content cannot be read: {type(exc).__name__}: {exc}") from exc
    breaks = tuple(sorted({b for b in walker.raw.breaks if 0 < b < len(blocks)}))
    warnings = (TABLE_CUT,) if walker.cut or trimmed else ()
    return Document(format="docx", blocks=tuple(blocks), pages=1, breaks=breaks, warnings=warnings)


def _headers(document: Any) -> list[Any]:
    """Header parts of all sections (default, first-page, even), each part once."""
    seen: set[int] = set()
    out: list[Any] = []
    for section in document.sections:
        for header in (section.first_page_header, section.header, section.even_page_header):
            if header.is_linked_to_previous:
                continue
            element = header._element
            if id(element) not in seen:
                seen.add(id(element))
                out.append(element)
    return out


class _Walker:
    def __init__(self, fonts: FontResolver, parent: Any, max_rows: int = DEFAULT_LIMITS.max_table_rows) -> None:
        self.fonts = fonts
        self.parent = parent
        self.rows_left = max_rows  # table rows still to read in this document
        self.cut = False
        self.raw = _Raw()
        self.body = False          # page breaks are noted in the body only, not in page headers

    def container(self, element: Any, depth: int = 0) -> None:
        """Block-level content: paragraphs, tables, content controls, tracked insertions."""
        for child in element:
            if child.tag == w("p"):
                self.paragraph(child, depth)
            elif child.tag == w("tbl"):
                self.table(child, depth)
            elif child.tag in (w("sdt"), w("sdtContent"), w("customXml"), w("ins"), _ALTERNATE, _CHOICE):
                self.container(_choice(child), depth)

    def paragraph(self, p: Any, depth: int) -> None:
        segments, boxes = self.inline(p)
        where = _page_break(p) if self.body and depth == 0 else None
        if where == "before":
            self.raw.breaks.append(len(self.raw.blocks))
        if "".join(text for text, _, _ in segments).strip():
            self.raw.blocks.append(_Paragraph(segments))
        if where == "after":
            self.raw.breaks.append(len(self.raw.blocks))
        for box in boxes:
            self.container(box, depth)

    def inline(self, p: Any) -> tuple[list[Segment], list[Any]]:
        style_node = p.find(f"{w('pPr')}/{w('pStyle')}")
        style = style_node.get(w("val")) if style_node is not None else None
        segments: list[Segment] = []
        boxes: list[Any] = []
        self._inline(p, style, segments, boxes)
        return segments, boxes

    def _inline(self, element: Any, style: str | None, segments: list[Segment], boxes: list[Any]) -> None:
        for child in _choice(element) if element.tag == _ALTERNATE else element:
            if child.tag == w("r"):
                font = self.fonts.run_font(child, style)
                text = _run_text(child, boxes)
                if text:
                    segments.append((text, legacy.font_encoding(font), legacy.font_is_upper(font)))
            elif child.tag not in _SKIPPED and child.tag != _FALLBACK:
                self._inline(child, style, segments, boxes)

    def table(self, tbl: Any, depth: int) -> None:
        rows: list[tuple[list[list[Segment]], ...]] = []
        nested: list[Any] = []
        for row in DocxTable(tbl, self.parent).rows:
            if self.rows_left <= 0:
                self.cut = True
                break
            self.rows_left -= 1
            seen: set[int] = set()
            cells: list[list[list[Segment]]] = []
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                cells.append(self._cell(cell._tc, nested))
            rows.append(tuple(cells))
        self.raw.blocks.append(_Table(rows))
        if depth < MAX_TABLE_DEPTH:
            for inner in nested:
                if inner.tag == w("tbl"):
                    self.table(inner, depth + 1)
                else:
                    self.container(inner, depth + 1)

    def _cell(self, tc: Any, nested: list[Any]) -> list[list[Segment]]:
        """A cell's paragraphs; its nested tables and text boxes are read after the table."""
        paragraphs: list[list[Segment]] = []
        for child in tc:
            if child.tag == w("p"):
                segments, boxes = self.inline(child)
                paragraphs.append(segments)
                nested.extend(boxes)
            elif child.tag == w("tbl"):
                nested.append(child)
            elif child.tag in (w("sdt"), w("sdtContent")):
                paragraphs.extend(self._cell(child.find(w("sdtContent")) if child.tag == w("sdt") else child, nested))
        return paragraphs


def _page_break(p: Any) -> str | None:
    """Where a paragraph puts a page break: ``before`` its text, ``after`` it, or None.

    A hard page break (``w:br w:type="page"``) counts after the paragraph unless text follows it;
    ``pageBreakBefore`` counts before; a section break (``w:sectPr`` in the paragraph's
    properties, other than a continuous one) ends the page after the paragraph.
    """
    ppr = p.find(w("pPr"))
    if ppr is not None:
        before = ppr.find(w("pageBreakBefore"))
        if before is not None and before.get(w("val")) not in ("0", "false", "off"):
            return "before"
    seen_break, text_after = False, False
    for node in p.iter(w("br"), w("t")):
        if node.tag == w("br") and node.get(w("type")) == "page":
            seen_break, text_after = True, False
        elif node.tag == w("t") and seen_break and (node.text or "").strip():
            text_after = True
    if seen_break:
        return "before" if text_after else "after"
    section = ppr.find(w("sectPr")) if ppr is not None else None
    kind = section.find(w("type")) if section is not None else None
    if section is not None and (kind is None or kind.get(w("val")) != "continuous"):
        return "after"
    return None


def _choice(element: Any) -> Any:
    """For ``mc:AlternateContent`` its first ``mc:Choice`` (the fallback repeats it); else the element."""
    if element.tag == _ALTERNATE:
        choice = element.find(_CHOICE)
        return choice if choice is not None else []
    if element.tag == w("sdt"):
        content = element.find(w("sdtContent"))
        return content if content is not None else []
    return element


def _run_text(run: Any, boxes: list[Any]) -> str:
    """A run's characters; text boxes met inside it (drawings, VML) are collected into ``boxes``."""
    parts: list[str] = []
    for child in run:
        if child.tag == w("t"):
            parts.append(child.text or "")
        elif child.tag in _CHARS:
            parts.append(_CHARS[child.tag])
        elif child.tag == w("sym"):
            parts.append(_symbol(child))
        elif child.tag != w("rPr"):
            boxes.extend(_text_boxes(child))
    return "".join(parts)


def _symbol(sym: Any) -> str:
    """``w:sym`` (Insert > Symbol): the code is in the font's private range F000-F0FF."""
    try:
        code = int(sym.get(w("char")) or "", 16)
    except ValueError:
        return ""
    return chr(code - 0xF000 if 0xF000 <= code <= 0xF0FF else code)


def _text_boxes(element: Any) -> list[Any]:
    """``w:txbxContent`` under ``element``, skipping ``mc:Fallback`` copies and boxes inside boxes."""
    if element.tag == _FALLBACK:
        return []
    if element.tag == w("txbxContent"):
        return [element]
    found: list[Any] = []
    for child in _choice(element) if element.tag == _ALTERNATE else element:
        found.extend(_text_boxes(child))
    return found


def _render(raw: _Raw) -> list[Block]:
    """Segments to text: legacy runs converted unless the document turns out to be Unicode throughout."""
    policy = legacy.Policy((text, encoding) for text, encoding, _ in _all_segments(raw))

    def paragraph(segments: list[Segment]) -> str:
        return "".join(policy.convert(*segment) for segment in segments).replace("\u00ad", "")

    blocks: list[Block] = []
    for block in raw.blocks:
        if isinstance(block, _Paragraph):
            blocks.append(paragraph(block.segments))
        else:
            rows = tuple(tuple("\n".join(paragraph(p) for p in cell).rstrip("\n") for cell in row)
                         for row in block.rows)
            blocks.append(Table(rows=rows))
    return blocks


def _all_segments(raw: _Raw) -> Iterator[Segment]:
    for block in raw.blocks:
        if isinstance(block, _Paragraph):
            yield from block.segments
        else:
            for row in block.rows:
                for cell in row:
                    for paragraph in cell:
                        yield from paragraph
