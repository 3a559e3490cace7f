"""The real TCVN3/VNI files of shared/realdocs read against their ground truth (skipped without them).

The ground truth leaves text set in the capital ``.Vn…H`` fonts in lower case, which mailbot upper-cases
as Word shows it, so letter case is ignored here; ``bench/legacy_accuracy.py`` prints both figures.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench import legacy_accuracy

SHARED = Path(os.environ.get("MAILBOT_SHARED", Path(__file__).resolve().parents[3] / "shared"))
DOCS = SHARED / "realdocs" / "docs"

pytestmark = pytest.mark.skipif(
    not (DOCS / "ground-truth").is_dir(), reason=f"no real legacy documents at {DOCS} (set MAILBOT_SHARED)"
)


def _accuracy(name: str, tmp_path: Path) -> float:
    truth = (DOCS / "ground-truth" / f"{Path(name).stem}.txt").read_text(encoding="utf-8")
    text = legacy_accuracy.read_text(DOCS / name, tmp_path)
    return legacy_accuracy.char_accuracy(text.lower(), truth.lower())


def test_tcvn3_pdf_text_layer(tmp_path: Path) -> None:
    assert _accuracy("tcvn3_2006-16EZE_TT01.06GopvonDNNVV.pdf", tmp_path) >= 0.99


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("name", ["vni_2008-23.QD-991-UBND.doc", "tcvn3_2005-2005_04_14_084750.xls"])
def test_legacy_office_files_through_libreoffice(name: str, tmp_path: Path) -> None:
    assert _accuracy(name, tmp_path) >= 0.99
