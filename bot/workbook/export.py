"""``mailbot export``: the consolidated nominee list as a .docx laid out as a Vietnamese decision annex.

Grouped by unit in config order (I, II, … with the unit's name), collectives before individuals,
continuous STT numbering, Times New Roman, A4 portrait; the table header repeats on each page.
All campaign wording comes from ``[export]`` in config.toml. The file is written whole (bot.state.files).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row

from bot.config.schema import Config
from bot.core.model import Nominee, UnitDossier
from bot.core.picture import Picture
from bot.state.files import write_atomic
from bot.workbook.content import clean_text
from bot.workbook.wording import KIND_WORDS

FONT = "Times New Roman"
HEADER = ("STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị công tác")
WIDTHS = (Cm(1.3), Cm(6.7), Cm(8.5))
_ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50), ("XL", 40),
          ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    units: int
    collectives: int
    individuals: int


def roman(number: int) -> str:
    out = ""
    for letters, value in _ROMAN:
        count, number = divmod(number, value)
        out += letters * count
    return out


def export_annex(picture: Picture, output: Path | None = None) -> ExportSummary:
    """Write the annex of the picture's nominees to ``output`` (default ``export.output``); OSError when it
    cannot be written."""
    cfg = picture.cfg
    assert cfg.export is not None  # noqa: S101 - config.parse always sets it
    target = output or cfg.export.output
    dossiers = [d for d in picture.dossiers if d.nominees]
    document = _document(cfg, dossiers)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, document.save)
    return ExportSummary(target, len(dossiers), sum(d.collectives for d in dossiers),
                         sum(d.individuals for d in dossiers))


def _document(cfg: Config, dossiers: Sequence[UnitDossier]) -> DocxDocument:
    assert cfg.export is not None  # noqa: S101
    document = Document()
    _page_and_font(document)
    _paragraph(document, cfg.export.issuer.upper(), bold=True, size=13, align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph(document, cfg.export.title, bold=True, size=14, space_before=12)
    if cfg.export.subtitle:
        _paragraph(document, cfg.export.subtitle, bold=True, size=13)
    _paragraph(document, cfg.export.decision, italic=True, size=13, space_after=12)
    if not dossiers:
        _paragraph(document, "Chưa có tập thể, cá nhân nào được đề nghị.", italic=True, size=13)
        return document
    table = _table(document)
    number = 0
    for index, dossier in enumerate(dossiers, 1):
        unit = cfg.unit(dossier.unit_id)
        _group_row(table, f"{roman(index)}. {unit.name if unit else dossier.unit_id}", bold=True)
        for kind, label in KIND_WORDS.items():
            people = [n for n in dossier.nominees if n.kind == kind]
            if people:
                _group_row(table, f"{label} ({len(people):02d})", italic=True)
            for nominee in people:
                number += 1
                _nominee_row(table, number, nominee)
    total = (f"Tổng cộng: {sum(d.collectives for d in dossiers):02d} tập thể, "
             f"{sum(d.individuals for d in dossiers):02d} cá nhân ({len(dossiers)} đơn vị).")
    _paragraph(document, total, bold=True, size=13, space_before=8, align=WD_ALIGN_PARAGRAPH.LEFT)
    return document


def _page_and_font(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    style.paragraph_format.space_after = Pt(0)


def _paragraph(document: DocxDocument, text: str, *, bold: bool = False, italic: bool = False, size: int = 13,
               align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER, space_before: int = 0,
               space_after: int = 0) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(space_after)
    run = paragraph.add_run(clean_text(text))
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def _table(document: DocxDocument) -> Table:
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS, strict=True):
        column.width = width      # the grid LibreOffice and Word lay out from
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, title, width in zip(header.cells, HEADER, WIDTHS, strict=True):
        _cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.width = width
    return table


def _repeat_as_header(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _group_row(table: Table, text: str, *, bold: bool = False, italic: bool = False) -> None:
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    _cell_text(merged, text, bold=bold, italic=italic)


def _nominee_row(table: Table, number: int, nominee: Nominee) -> None:
    row = table.add_row()
    values = (str(number), nominee.name, nominee.role)
    for index, (cell, value, width) in enumerate(zip(row.cells, values, WIDTHS, strict=True)):
        _cell_text(cell, value, align=WD_ALIGN_PARAGRAPH.CENTER if index == 0 else WD_ALIGN_PARAGRAPH.LEFT)
        cell.width = width


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, italic: bool = False,
               align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(clean_text(text))
    run.bold, run.italic = bold, italic
