"""The workbook as printed: LibreOffice renders it to PDF, and the PDF is measured (pages, glyph sizes).

Excel is not here; LibreOffice reads the same page setup (A4 landscape, fit to page, print area, titles)
and is what `scripts/test.sh` installs. Carlito (Calibri's metrics) makes its widths match Excel's.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from bot.core.picture import build
from bot.workbook import tally
from tests.conftest import NOW
from tests.workbook_campaign import campaign_config, campaign_records

pytestmark = pytest.mark.integration

SMALLEST_BODY_PT = 8.0


def render_pdf(workbook: Path, folder: Path) -> Path:
    """``soffice --headless --convert-to pdf``, with a profile of its own (no clash with another soffice)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: scripts/test.sh installs it"
    profile = (folder / "lo-profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(workbook)], check=True, capture_output=True, timeout=180)
    return folder / f"{workbook.stem}.pdf"


def sheet_pages(pdf: pdfplumber.PDF, sheet: str) -> list[pdfplumber.page.Page]:
    """The pages of one sheet: their footer names the sheet (``&A`` on the left)."""
    return [page for page in pdf.pages if _footer(page).startswith(sheet)]


def _footer(page: pdfplumber.page.Page) -> str:
    lines = (page.extract_text() or "").strip().splitlines()
    return lines[-1] if lines else ""


def test_summary_of_twenty_units_prints_on_one_legible_a4_page(tmp_path: Path) -> None:
    """GIVEN a 20-unit campaign in every state WHEN its workbook is printed to PDF by LibreOffice THEN Tổng hợp
    is one landscape A4 page whose smallest glyph (as rendered, after the fit-to-page scale) is at least
    8 pt, with the campaign at the top and «Trang 1/N» at the bottom; every unit is on it by name."""
    cfg = campaign_config(tmp_path)
    assert tally.write_workbook(build(cfg, campaign_records(), []), NOW)
    with pdfplumber.open(render_pdf(cfg.paths.tally, tmp_path)) as pdf:
        pages = sheet_pages(pdf, "Tổng hợp")
        assert len(pages) == 1
        page = pages[0]
        assert page.width > page.height and round(page.width / 72 * 25.4) == 297    # A4 landscape
        smallest = min(char["size"] for char in page.chars if char["text"].strip())
        assert smallest >= SMALLEST_BODY_PT, smallest
        text = page.extract_text() or ""
        assert cfg.campaign.name.split("“")[0].strip() in text
        assert "Trang 1/" in _footer(page)
        flat = " ".join(text.split())
        assert all(unit.name.split()[-1] in flat for unit in cfg.units)
        assert "Đủ hồ sơ: " in flat and "Nhận bản giấy" not in flat          # working columns stay off paper
        assert sheet_pages(pdf, "Hướng dẫn")                                  # the legend prints too
