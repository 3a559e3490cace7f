"""Files that hold several dossier items one after another, as units send them (generated, no fixtures).

:func:`combined_docx` copies the bodies of several generated .docx into one, with a hard page break
between them (or none: the items then follow each other, told apart only by their heads).
:func:`combined_pdf` prints several documents into one PDF (fpdf2 + DejaVu), each from a new page:
two-column blocks (the issuer/motto head, the signature) side by side as Word prints them, lists
as ruled tables, so pdfplumber reads them back the way it reads a real printed dossier.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from fpdf import FPDF
from fpdf.enums import XPos, YPos

import parsers
from parsers.model import Table

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def combined_docx(parts: Sequence[bytes], *, page_breaks: bool = True) -> bytes:
    """The bodies of ``parts`` in one .docx, each after a page break (or directly after the last)."""
    base = docx.Document(io.BytesIO(parts[0]))
    body = base.element.body
    end = body.find(qn("w:sectPr"))
    for data in parts[1:]:
        if page_breaks:
            end.addprevious(_page_break())
        for child in docx.Document(io.BytesIO(data)).element.body:
            if child.tag != qn("w:sectPr"):
                end.addprevious(copy.deepcopy(child))
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()


def _page_break() -> object:
    paragraph, run, brk = OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:br")
    brk.set(qn("w:type"), "page")
    run.append(brk)
    paragraph.append(run)
    return paragraph


def combined_pdf(parts: Sequence[bytes]) -> bytes:
    """Each .docx of ``parts`` printed into one PDF, every one from a new page."""
    pdf = FPDF(format="A4")
    pdf.set_margins(left=20, top=15, right=15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(_FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_creation_date(parsers_stamp())
    for data in parts:
        pdf.add_page()
        for block in parsers.extract("part.docx", data).blocks:
            if isinstance(block, str):
                _text(pdf, block)
            elif max(len(row) for row in block.rows) <= 2:
                _columns(pdf, block)
            else:
                _ruled(pdf, block)
    return bytes(pdf.output())


def parsers_stamp() -> object:
    from tests.samples import DEFAULT_DATE

    return DEFAULT_DATE


def _text(pdf: FPDF, text: str, width: float = 0) -> None:
    pdf.set_font("DejaVu", "B" if text.isupper() else "", 10)
    pdf.multi_cell(width, 5.5, text, new_x=XPos.LEFT, new_y=YPos.NEXT)


def _columns(pdf: FPDF, table: Table) -> None:
    """A borderless two-column block: both cells side by side from the same height."""
    for row in table.rows:
        top = bottom = pdf.get_y()
        for column, cell in enumerate(row):
            pdf.set_xy(20 + column * 90, top)
            for line in cell.splitlines() or [""]:
                _text(pdf, line or " ", width=85)
            bottom = max(bottom, pdf.get_y())
        pdf.set_xy(pdf.l_margin, bottom + 3)


def _ruled(pdf: FPDF, table: Table) -> None:
    """A list as a ruled table; the name column wide enough that no name wraps."""
    width = max(len(row) for row in table.rows)
    pdf.set_font("DejaVu", "", 8)
    rows = [(*row, *("",) * (width - len(row))) for row in table.rows]
    longest = [max(len(row[col]) for row in rows[1:] or rows) for col in range(width)]
    named = [col for col in range(width) if "tên" in rows[0][col].lower()]
    widths = tuple(max(n, 10) if col in named else min(max(n, 4), 30) for col, n in enumerate(longest))
    with pdf.table(line_height=4.5, col_widths=widths) as grid:
        for row in rows:
            cells = grid.row()
            for cell in row:
                cells.cell(cell)
    pdf.ln(3)
