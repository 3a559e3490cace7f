"""Generators of documents typed in the legacy TCVN3 (ABC) and VNI fonts, for the legacy-encoding tests.

The encoders here use their own tables, written from the VBKey code table order (khiemdoan/VBKey
``mdlCodeTable.bas``) as byte values, not from ``parsers.legacy``: a round trip through both is a check
of one table against the other, not of a table against itself.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
import openpyxl
from docx.oxml import parse_xml
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from openpyxl.styles import Font

LOWER = "àáảãạâầấẩẫậăằắẳẵặđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
# TCVN3 byte of each letter of LOWER, in order; the capitals Ă Â Ê Ô Ơ Ư Đ have their own bytes.
_TCVN3_BYTES = bytes.fromhex(
    "b5b8b6b7b9a9c7cac8c9cba8bbbebcbdc6aeccd0cecfd1aad2d5d3d4d6d7ddd8dcdedfe3e1e2e4abe5e8e6e7e9"
    "aceaedebeceeeff3f1f2f4adf5f8f6f7f9fafdfbfcfe"
)
_TCVN3_CAPITALS = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}
TCVN3_ENCODE = {letter: chr(code) for letter, code in zip(LOWER, _TCVN3_BYTES, strict=True)} | {
    letter: chr(code) for letter, code in _TCVN3_CAPITALS.items()
}
# Letters a .VnTime (not H) run can carry: every lower-case one, ASCII, and the seven capitals.
TCVN3_ALPHABET = LOWER + "".join(_TCVN3_CAPITALS) + "abcdeghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY"

_VNI_LOWER = (  # VNI code of each letter of LOWER, in order
    "aø", "aù", "aû", "aõ", "aï", "aâ", "aà", "aá", "aå", "aã", "aä", "aê", "aè", "aé", "aú", "aü", "aë",
    "ñ", "eø", "eù", "eû", "eõ", "eï", "eâ", "eà", "eá", "eå", "eã", "eä", "ì", "í", "æ", "ó", "ò",
    "oø", "où", "oû", "oõ", "oï", "oâ", "oà", "oá", "oå", "oã", "oä", "ô", "ôø", "ôù", "ôû", "ôõ", "ôï",
    "uø", "uù", "uû", "uõ", "uï", "ö", "öø", "öù", "öû", "öõ", "öï", "yø", "yù", "yû", "yõ", "î",
)
VNI_ENCODE = {letter: code for letter, code in zip(LOWER, _VNI_LOWER, strict=True)} | {
    letter.upper(): code.upper() for letter, code in zip(LOWER, _VNI_LOWER, strict=True)
}
VNI_ALPHABET = LOWER + LOWER.upper() + "abcdeghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY"


def to_tcvn3(text: str, font: str = ".VnTime") -> str:
    """Unicode as typed in ``font``: an ``H`` font takes the lower-case codes of the capitals."""
    if font.endswith("H"):
        text = text.lower()
    return "".join(TCVN3_ENCODE.get(ch, ch) for ch in text)


def to_vni(text: str) -> str:
    return "".join(VNI_ENCODE.get(ch, ch) for ch in text)


def encode_for(font: str, text: str) -> str:
    """``text`` the way a run in ``font`` stores it (Unicode fonts store it as is)."""
    if font.startswith(".Vn"):
        return to_tcvn3(text, font)
    if font.startswith("VNI"):
        return to_vni(text)
    return text


Run = tuple[str, str]  # Unicode text, font name


def _add_runs(paragraph: Paragraph, runs: Sequence[Run]) -> None:
    for text, font in runs:
        run = paragraph.add_run(encode_for(font, text))
        run.font.name = font


_TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml">'
    "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent>{body}"
    "</w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{body}</w:txbxContent></v:textbox>"
    "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def _text_box_run(text: str, font: str) -> object:
    """A run holding a text box the way Word 2010+ saves it: a DrawingML choice and its VML fallback."""
    body = (
        f'<w:p><w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>'
        f"<w:t>{encode_for(font, text)}</w:t></w:r></w:p>"
    )
    return parse_xml(_TEXT_BOX.format(body=body))


def legacy_docx(
    paragraphs: Sequence[Sequence[Run]],
    *,
    header: Sequence[Run] = (),
    second_headers: Sequence[Sequence[Run]] = (),
    first_page_header: Sequence[Run] = (),
    even_header: Sequence[Run] = (),
    text_box: Run | None = None,
    table: Sequence[Sequence[Run]] = (),
    nested: Sequence[Run] = (),
    normal_font: str | None = None,
) -> bytes:
    """A docx whose runs carry legacy-encoded text; optional headers (first-page, even-page, one more
    section per ``second_headers`` item), a text box, a one-row table (one cell per run) with a nested
    table in its first cell."""
    document = docx.Document()
    if normal_font:
        document.styles["Normal"].font.name = normal_font
    section = document.sections[0]
    _add_runs(section.header.paragraphs[0], header)
    if first_page_header:
        section.different_first_page_header_footer = True
        _add_runs(section.first_page_header.paragraphs[0], first_page_header)
    if even_header:
        document.settings.odd_and_even_pages_header_footer = True
        _add_runs(section.even_page_header.paragraphs[0], even_header)
    for runs in paragraphs:
        _add_runs(document.add_paragraph(), runs)
    if text_box:
        document.add_paragraph()._p.append(_text_box_run(*text_box))
    if table:
        _add_table(document, table, nested)
    for runs in second_headers:
        following = document.add_section()
        following.header.is_linked_to_previous = False
        _add_runs(following.header.paragraphs[0], runs)
        following.header.add_paragraph("- 2 -")  # a page number: no letters, not text to read
        document.add_paragraph("Trang sau")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_table(document: object, cells: Sequence[Sequence[Run]], nested: Sequence[Run]) -> None:
    grid = document.add_table(rows=1, cols=len(cells))  # type: ignore[attr-defined]
    for cell, runs in zip(grid.rows[0].cells, cells, strict=True):
        _add_runs(cell.paragraphs[0], runs)
    if nested:
        inner = grid.rows[0].cells[0].add_table(rows=1, cols=1)
        _add_runs(inner.rows[0].cells[0].paragraphs[0], nested)


def legacy_xlsx(rows: Sequence[Sequence[Run]]) -> bytes:
    """A workbook whose cells carry legacy-encoded text, each cell in its own font."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for r, row in enumerate(rows, start=1):
        for c, (text, font) in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=encode_for(font, text))
            cell.font = Font(name=font)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tcvn3_pdf(lines: Sequence[str]) -> bytes:
    """A PDF "printed" from a .VnTime document: its text layer holds the TCVN3 code points (Latin-1)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.cell(0, 8, to_tcvn3(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
