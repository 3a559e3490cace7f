"""A labelled corpus for bench/accuracy.py, written by the test generators (tests/samples.py).

Every sample dossier yields each dossier item in several templates (tờ trình as prose with
"Đồng chí" or "Ông/Bà", as a table, as a PDF; tóm tắt with sections or a kind column; biên bản;
báo cáo; danh sách xlsx), plus, when the tools are installed, legacy .doc/.xls made by
LibreOffice and scans (some turned sideways or upside down) read by Tesseract. Each item knows
its unit, its dossier item type and the nominees it names. File names are neutral
(``tai-lieu.docx``, ``scan0001.pdf``), so the type must be read from the content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from parsers import ocr, office
from tests import samples, scan_samples
from tests.samples import SAMPLE_DOSSIERS, Dossier


@dataclass(frozen=True)
class Item:
    group: str                     # "text", "legacy" or "scan"
    dossier: str                   # key of SAMPLE_DOSSIERS
    template: str
    filename: str
    kind: str                      # expected dossier item id
    names: tuple[str, ...]         # expected nominee names (empty when the item lists nobody)
    make: Callable[[], bytes]


def _names(d: Dossier) -> tuple[str, ...]:
    return (*d.collectives, *(p.name for p in d.individuals))


_TEXT: tuple[tuple[str, str, str, bool, Callable[[Dossier], bytes]], ...] = (
    ("to_trinh prose", "tai-lieu.docx", "to_trinh", True, samples.to_trinh_docx),
    ("to_trinh Ông/Bà", "tai-lieu.docx", "to_trinh", True,
     lambda d: samples.to_trinh_docx(d, honorific="Ông/Bà")),
    ("to_trinh table", "tai-lieu.docx", "to_trinh", True, lambda d: samples.to_trinh_docx(d, style="table")),
    ("to_trinh pdf", "tai-lieu.pdf", "to_trinh", True, samples.to_trinh_pdf),
    ("bien_ban", "tai-lieu.docx", "bien_ban", False, samples.bien_ban_docx),
    ("tom_tat sections", "tai-lieu.docx", "tom_tat", True, samples.tom_tat_docx),
    ("tom_tat kind column", "tai-lieu.docx", "tom_tat", True, lambda d: samples.tom_tat_docx(d, kind_column=True)),
    ("bao_cao", "tai-lieu.docx", "bao_cao", False, samples.bao_cao_docx),
    ("danh_sach xlsx", "tai-lieu.xlsx", "danh_sach", True, samples.danh_sach_xlsx),
)


def text_items() -> Iterator[Item]:
    for key, d in SAMPLE_DOSSIERS.items():
        for template, filename, kind, lists, make in _TEXT:
            yield Item("text", key, template, filename, kind, _names(d) if lists else (), _bound(make, d))


def legacy_items(dossiers: int) -> Iterator[Item]:
    """.doc and .xls saved by LibreOffice from the docx/xlsx of the first ``dossiers`` dossiers."""
    binary = office.soffice()
    if binary is None:
        return
    for key, d in list(SAMPLE_DOSSIERS.items())[:dossiers]:
        yield Item("legacy", key, "to_trinh .doc", "tai-lieu.doc", "to_trinh", _names(d),
                   lambda d=d: scan_samples.legacy_doc(samples.to_trinh_docx(d)))
        yield Item("legacy", key, "bien_ban .doc", "tai-lieu.doc", "bien_ban", (),
                   lambda d=d: scan_samples.legacy_doc(samples.bien_ban_docx(d)))
        yield Item("legacy", key, "danh_sach .xls", "tai-lieu.xls", "danh_sach", _names(d),
                   lambda d=d: office.convert(binary, samples.danh_sach_xlsx(d), "xlsx", "xls"))


_ROTATIONS = (0, 90, 180, 270)


def scan_items(dossiers: int) -> Iterator[Item]:
    """Scanned tờ trình (turned 0/90/180/270°) and biên bản of the first ``dossiers`` dossiers."""
    if not ocr.available():
        return
    for index, (key, d) in enumerate(list(SAMPLE_DOSSIERS.items())[:dossiers]):
        rotate = _ROTATIONS[index % len(_ROTATIONS)]
        yield Item("scan", key, f"to_trinh scan {rotate}°", "scan0001.pdf", "to_trinh", _names(d),
                   lambda d=d, rotate=rotate: scan_samples.scanned_pdf_of(samples.to_trinh_docx(d), rotate=rotate))
        if index % 2 == 0:
            yield Item("scan", key, "bien_ban scan", "scan0002.pdf", "bien_ban", (),
                       lambda d=d: scan_samples.scanned_pdf_of(samples.bien_ban_docx(d)))


def _bound(make: Callable[[Dossier], bytes], d: Dossier) -> Callable[[], bytes]:
    return lambda: make(d)
