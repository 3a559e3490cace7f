"""scripts/system_packages.sh: what scripts/test.sh installs is decided package by package (dpkg-query),
so a LibreOffice with Calc and no Writer gets Writer, however many programs it already has."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system_packages.sh"
EVERY_READER = ("tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-osd", "libreoffice-writer-nogui",
                "libreoffice-calc-nogui", "fonts-crosextra-carlito", "libarchive13")


def _missing(tmp_path: Path, group: str, installed: tuple[str, ...]) -> list[str]:
    """Run the script against a stand-in dpkg-query that knows only ``installed``."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    stub = folder / "dpkg-query"
    known = " ".join(installed)
    stub.write_text('#!/bin/sh\nfor a; do asked=$a; done\n'   # the package is the last argument
                    f'for p in {known}; do [ "$asked" = "$p" ] && printf "install ok installed" && exit 0; done\n'
                    'printf "unknown ok not-installed"\n')
    stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", str(SCRIPT), group], capture_output=True, text=True, env=env, check=True)
    return done.stdout.split()


def test_calc_without_writer_gets_writer(tmp_path: Path) -> None:
    calc_only = tuple(p for p in EVERY_READER if p != "libreoffice-writer-nogui")
    assert _missing(tmp_path, "readers", calc_only) == ["libreoffice-writer-nogui"]


def test_every_reader_installed_asks_for_nothing(tmp_path: Path) -> None:
    assert _missing(tmp_path, "readers", EVERY_READER) == []


def test_the_desktop_libreoffice_and_the_newer_libarchive_name_count(tmp_path: Path) -> None:
    desktop = ("tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-osd", "libreoffice-writer", "libreoffice-calc",
               "fonts-crosextra-carlito", "libarchive13t64")
    assert _missing(tmp_path, "readers", desktop) == []


def test_nothing_installed_asks_for_every_package(tmp_path: Path) -> None:
    assert _missing(tmp_path, "readers", ()) == list(EVERY_READER)
    assert _missing(tmp_path, "servers", ("openssl",)) == ["dovecot-core", "dovecot-imapd", "fonts-dejavu-core",
                                                         "chromium", "chromium-driver"]


def test_a_wrong_group_is_refused(tmp_path: Path) -> None:
    with pytest.raises(subprocess.CalledProcessError):
        _missing(tmp_path, "everything", ())
