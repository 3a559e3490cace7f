"""The dossier item kinds of the contract, with the words that recognise them.

Each is overridable per campaign in ``[documents.<id>]``; titles and file-name words are
matched in folded form (no accents, any case), so ``to trinh`` finds ``TỜ TRÌNH``.
"""

from __future__ import annotations

from dataclasses import dataclass

TO_TRINH = "to_trinh"
BIEN_BAN = "bien_ban"
TOM_TAT = "tom_tat"
BAO_CAO = "bao_cao"
DANH_SACH = "danh_sach"
OTHER = "other"
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True, slots=True)
class DocKindSpec:
    id: str
    label: str
    titles: tuple[str, ...]
    filenames: tuple[str, ...]
    symbols: tuple[str, ...] = ()
    lists_nominees: bool = False


DEFAULT_DOC_KINDS: tuple[DocKindSpec, ...] = (
    DocKindSpec(TO_TRINH, "Tờ trình đề nghị khen thưởng", ("tờ trình",),
                ("to trinh", "totrinh", "ttr"), ("TTr",), lists_nominees=True),
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

# Titles of documents that are no dossier item at all (a Quyết định, Công văn, Thông tư ...).
NON_DOSSIER_TITLES: tuple[str, ...] = (
    "quyết định", "thông tư", "nghị định", "công văn", "hướng dẫn", "kế hoạch", "thông báo",
    "chỉ thị", "nghị quyết", "giấy mời", "công điện", "luật", "quy chế", "quy định",
)
NON_DOSSIER_SYMBOLS: tuple[str, ...] = ("QĐ", "QD", "TT", "NĐ", "CV", "HD", "KH", "TB", "CT", "NQ")
