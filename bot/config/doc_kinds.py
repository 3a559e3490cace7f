"""The dossier item kinds of the contract: their ids and the words that name each by default.

Each kind is overridable per campaign in ``[documents.<id>]`` (bot/config/schema.py). These are plain
values, so the config can build on them; reading a document's evidence is bot/core/doc_kinds.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class ItemKind(StrEnum):
    """What a document is: one of the contract's dossier items, or which kind of none it is."""

    TO_TRINH = "to_trinh"
    BIEN_BAN = "bien_ban"
    TOM_TAT = "tom_tat"
    BAO_CAO = "bao_cao"
    DANH_SACH = "danh_sach"
    OTHER = "other"                    # no dossier item (a Quyết định, a cover letter, a note)
    UNCLASSIFIED = "unclassified"      # could not tell which: staff decide
    OTHER_CAMPAIGN = "other_campaign"  # a document of another campaign (bot/core/relevance.py)
    OTHER_BUSINESS = "other_business"  # a document of other business
    GRASSROOTS = "grassroots_document"  # a body's under the unit, sent along (bot/core/issuer.py)


TO_TRINH: Final = ItemKind.TO_TRINH
BIEN_BAN: Final = ItemKind.BIEN_BAN
TOM_TAT: Final = ItemKind.TOM_TAT
BAO_CAO: Final = ItemKind.BAO_CAO
DANH_SACH: Final = ItemKind.DANH_SACH
OTHER: Final = ItemKind.OTHER
UNCLASSIFIED: Final = ItemKind.UNCLASSIFIED


@dataclass(frozen=True, slots=True)
class DocKindSpec:
    id: ItemKind
    label: str
    titles: tuple[str, ...]
    filenames: tuple[str, ...]
    symbols: tuple[str, ...] = ()
    lists_nominees: bool = False
    subjects: tuple[str, ...] = ()      # words of the «V/v …» line that name this item


DEFAULT_DOC_KINDS: tuple[DocKindSpec, ...] = (
    DocKindSpec(TO_TRINH, "Tờ trình đề nghị khen thưởng", ("tờ trình",),
                ("to trinh", "totrinh", "ttr"), ("TTr",), lists_nominees=True,
                subjects=("đề nghị khen thưởng", "đề nghị tặng", "đề nghị xét khen thưởng", "đề nghị xét tặng")),
    DocKindSpec(BIEN_BAN, "Biên bản họp xét", ("biên bản",), ("bien ban", "bienban", "bb"), ("BB",)),
    DocKindSpec(TOM_TAT, "Báo cáo tóm tắt trích ngang thành tích",
                ("báo cáo tóm tắt", "tóm tắt thành tích", "trích ngang", "báo cáo thành tích", "tóm tắt"),
                ("tom tat", "tomtat", "trich ngang", "trichngang", "thanh tich", "thanhtich"), (),
                lists_nominees=True),
    DocKindSpec(BAO_CAO, "Báo cáo sơ kết phong trào", ("báo cáo",),
                ("bao cao", "baocao", "so ket", "soket", "bc"), ("BC",)),
    DocKindSpec(DANH_SACH, "Danh sách đề nghị khen thưởng", ("danh sách",),
                ("danh sach", "danhsach", "ds"), (), lists_nominees=True),
)
