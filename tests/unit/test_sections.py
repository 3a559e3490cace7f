"""bot.core.sections: one file holding several dossier items is read as each of them; one document stays one."""

from __future__ import annotations

import functools

import pytest

import parsers
from bot.config.doc_kinds import DEFAULT_DOC_KINDS
from bot.config.schema import Config
from bot.core import intake, sections
from bot.core.model import Attachment
from tests import samples
from tests.combined_samples import combined_docx, combined_pdf
from tests.dossier_templates import NATION, TEMPLATES, docx_of, header, signature
from tests.samples import SAMPLE_DOSSIERS

ORDER = ["to_trinh", "bien_ban", "tom_tat", "bao_cao"]


@functools.cache
def _items(unit: str = "tam_duong") -> tuple[bytes, ...]:
    d = SAMPLE_DOSSIERS[unit]
    return (samples.to_trinh_docx(d), samples.bien_ban_docx(d), samples.tom_tat_docx(d, kind_column=True),
            samples.bao_cao_docx(d))


def _parts(data: bytes, name: str = "hoso.docx") -> list[sections.Part]:
    return sections.split(parsers.extract(name, data), DEFAULT_DOC_KINDS)


def _names(document: parsers.Document) -> set[str]:
    return {n.name for n in parsers.extract_nominees(document)}


@pytest.mark.parametrize("page_breaks", [True, False], ids=["page-breaks", "titles-only"])
def test_a_combined_docx_gives_every_item_with_its_own_nominees(page_breaks: bool) -> None:
    parts = _parts(combined_docx(_items(), page_breaks=page_breaks))
    assert [p.kind for p in parts] == ORDER
    people = {p.name for p in SAMPLE_DOSSIERS["tam_duong"].individuals}
    assert people <= _names(parts[0].document)            # the tờ trình's prose list
    assert people <= _names(parts[2].document)            # the tóm tắt's table
    votes = [i for i, part in enumerate(parts) for b in part.document.tables if "Số phiếu" in str(b.rows)]
    assert votes == [1]                                    # the biên bản's vote table stays in its part


def test_a_combined_pdf_gives_every_item_with_its_own_nominees() -> None:
    parts = _parts(combined_pdf(_items("cdvc")), "hoso.pdf")
    assert [p.kind for p in parts] == ORDER
    people = {p.name for p in SAMPLE_DOSSIERS["cdvc"].individuals}
    assert people <= _names(parts[0].document)
    assert people <= _names(parts[2].document)


def test_page_breaks_are_kept_by_the_parsers() -> None:
    docx = parsers.extract("x.docx", combined_docx(_items()[:2]))
    assert len(docx.breaks) == 1 and "CỘNG HÒA" in str(docx.blocks[docx.breaks[0]])
    pdf = parsers.extract("x.pdf", combined_pdf(_items()[:2]))
    assert pdf.breaks and pdf.breaks == tuple(sorted(pdf.breaks))


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_a_single_document_is_never_split(template: object) -> None:
    assert len(_parts(template.docx())) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("make", [samples.to_trinh_docx, samples.bien_ban_docx, samples.tom_tat_docx,
                                  samples.bao_cao_docx, samples.to_trinh_pdf])
def test_the_sample_items_each_stay_whole(make: object) -> None:
    assert len(_parts(make(SAMPLE_DOSSIERS["tam_duong"]))) == 1  # type: ignore[operator]


def test_a_body_citing_other_items_and_an_appendix_title_stay_one_document() -> None:
    data = docx_of((
        header("LĐLĐ HUYỆN TAM ĐƯỜNG", "Số: 19/TTr-LĐLĐ"), "TỜ TRÌNH", "Về việc đề nghị tặng Bằng khen",
        "Kính gửi: Ban Thường vụ LĐLĐ tỉnh Lai Châu.",
        "Căn cứ Biên bản họp xét thi đua ngày 26/11/2020 của Ban Thường vụ;",
        "Biên bản họp xét ngày 26/11/2020 đã thống nhất đề nghị:",
        "BÁO CÁO TÓM TẮT THÀNH TÍCH", "(kèm theo, xem dưới đây)",
        [["STT", "Họ và tên", "Chức vụ"], ["1", "Lò Văn Pâng", "Chủ tịch"], ["2", "Lù Thị Ngoan", "Kế toán"]],
        "Kính trình Ban Thường vụ xem xét./.", signature("LĐLĐ HUYỆN TAM ĐƯỜNG")))
    assert [p.kind for p in _parts(data)] == ["to_trinh"]


def test_the_motto_repeated_on_a_same_kind_page_is_one_document() -> None:
    page = (header("LĐLĐ HUYỆN TAM ĐƯỜNG", "Số: 19/TTr-LĐLĐ"), "TỜ TRÌNH", "Về việc đề nghị tặng Bằng khen",
            "Kính gửi: Ban Thường vụ LĐLĐ tỉnh Lai Châu.", "1. Đồng chí Lò Văn Pâng - Chủ tịch;",
            "2. Đồng chí Lù Thị Ngoan - Kế toán;", "Kính trình./.")
    assert len(_parts(docx_of(page + page))) == 1
    assert NATION.split("\n")[0] in parsers.extract("x.docx", docx_of(page)).text


def test_read_items_names_each_part_and_its_nominees(cfg: Config) -> None:
    data = combined_docx(_items())
    records = intake.read_items(Attachment("hoso.docx", "application/octet-stream", data), cfg)
    assert [r.filename for r in records] == [f"hoso.docx ({n}/4)" for n in range(1, 5)]
    assert [r.kind for r in records] == ORDER
    assert all(r.status == "ok" and r.unit_hint == "tam_duong" for r in records)
    assert records[1].meeting is not None                       # the biên bản's meeting facts
    assert {n.source for n in records[0].nominees} == {"hoso.docx (1/4)"}
    assert len(records[2].nominees) == 5 and not records[3].nominees


def test_read_items_of_a_plain_file_is_read_document(cfg: Config) -> None:
    attachment = Attachment("To trinh.docx", "application/octet-stream", _items()[0])
    assert intake.read_items(attachment, cfg) == [intake.read_document(attachment, cfg)]


def test_a_file_with_more_items_than_any_dossier_stays_whole() -> None:
    blocks: list[str] = []
    for i in range(sections.MAX_PARTS + 5):
        blocks += ["TM. BAN THƯỜNG VỤ", "BIÊN BẢN" if i % 2 else "TỜ TRÌNH", *(f"dòng {j}" for j in range(6))]
    document = parsers.Document("pdf", tuple(blocks))
    assert len(sections.split(document, DEFAULT_DOC_KINDS)) == 1
    few = parsers.Document("pdf", tuple(blocks[: 8 * 4]))
    assert [p.kind for p in sections.split(few, DEFAULT_DOC_KINDS)] == ["to_trinh", "bien_ban"] * 2


def test_the_nation_named_in_a_sentence_is_no_new_document() -> None:
    data = docx_of((
        header("LĐLĐ HUYỆN TAM ĐƯỜNG", "Số: 19/TTr-LĐLĐ"), "TỜ TRÌNH", "Về việc đề nghị khen thưởng",
        "Kính gửi: Ban Thường vụ LĐLĐ tỉnh Lai Châu.",
        "Đề nghị Chủ tịch nước Cộng hòa xã hội chủ nghĩa Việt Nam tặng Huân chương Lao động cho:",
        "Danh sách kèm theo", "1. Đồng chí Lò Văn Pâng - Chủ tịch;", "2. Đồng chí Lù Thị Ngoan - Kế toán;",
        "Kính trình./.", signature("LĐLĐ HUYỆN TAM ĐƯỜNG")))
    assert [p.kind for p in _parts(data)] == ["to_trinh"]
