"""Legacy and open office formats (.doc, .xls, .rtf, .odt, .ods) read through LibreOffice headless.

The file is converted to .docx/.xlsx by ``soffice --headless --convert-to`` and then read by
:mod:`parsers.word` / :mod:`parsers.sheet`, so every format ends in the same :class:`Document`.

Exception to the rule that ``parsers`` never touches the filesystem: LibreOffice only converts
files, so each conversion gets its own temporary directory holding the input, the output and a
throwaway LibreOffice profile (``-env:UserInstallation``), which keeps concurrent conversions from
colliding on a shared profile lock. The directory is removed whatever happens; the process group
is killed on timeout (:mod:`parsers.proc`). Without LibreOffice these formats stay
``UnsupportedFormat``, as do files it cannot convert.
"""

from __future__ import annotations

import dataclasses
import functools
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from parsers import proc
from parsers.model import DEFAULT_LIMITS, Document, Limits, ReadWarning

# source format -> LibreOffice target extension
TARGETS = {"doc": "docx", "rtf": "docx", "odt": "docx", "xls": "xlsx", "ods": "xlsx"}
# Import filters named explicitly: left to guess, LibreOffice imports a damaged file as plain text.
FILTERS = {"doc": ("MS Word 97", "MS Word 95", "MS WinWord 6.0"), "xls": ("MS Excel 97", "MS Excel 95"),
           "rtf": ("Rich Text Format",), "odt": ("writer8",), "ods": ("calc8",), "docx": ("MS Word 2007 XML",),
           "xlsx": ("Calc MS Excel 2007 XML",)}


@functools.cache
def soffice() -> str | None:
    """The LibreOffice binary on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(fmt: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Convert ``data`` (format ``fmt``, a key of :data:`TARGETS`) and read the result."""
    from parsers import UnsupportedFormat, check_zip_limits

    binary = soffice()
    if binary is None:
        raise UnsupportedFormat(f"{_LABELS[fmt]}: LibreOffice is not installed to convert it")
    converted = convert(binary, data, fmt, TARGETS[fmt], timeout=limits.office_seconds)
    check_zip_limits(converted, limits)
    document = _reader(TARGETS[fmt])(converted, limits)
    warnings = (*document.warnings, ReadWarning.CONVERTED_BY_LIBREOFFICE)
    return dataclasses.replace(document, format=fmt, warnings=warnings)


def convert(binary: str, data: bytes, source: str, target: str,
            timeout: float = DEFAULT_LIMITS.office_seconds) -> bytes:
    """``data`` as a ``source`` file converted to ``target`` by LibreOffice; UnsupportedFormat when it cannot.

    Each import filter of the source format is tried in turn (Word 97, then 95, ...).
    """
    from parsers import UnsupportedFormat

    label = _LABELS.get(source, source)
    with tempfile.TemporaryDirectory(prefix="mailbot-office-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        (root / f"in.{source}").write_bytes(data)
        output, why = root / "out" / f"in.{target}", "no import filter"
        for infilter in FILTERS.get(source, ("",)):
            try:
                result = proc.run(_command(binary, root, source, target, infilter), timeout=timeout)
            except proc.ToolTimeout as exc:
                raise UnsupportedFormat(f"{label}: LibreOffice conversion timed out") from exc
            if output.is_file() and output.stat().st_size > 0:
                return output.read_bytes()
            lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
            why = lines[-1] if lines else f"exit {result.returncode}"
        raise UnsupportedFormat(f"{label}: LibreOffice could not convert it ({why})")


def _command(binary: str, root: Path, source: str, target: str, infilter: str) -> list[str]:
    return [binary, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless", "--invisible",
            "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to", target, "--outdir", str(root / "out"), str(root / f"in.{source}")]


def _reader(target: str) -> Callable[[bytes, Limits], Document]:
    from parsers import sheet

    return _read_word if target == "docx" else sheet.read


def _read_word(data: bytes, limits: Limits) -> Document:
    from parsers import word

    return word.read(data, limits)


_LABELS = {"doc": "legacy Word 97-2003 file (.doc)", "xls": "legacy Excel 97-2003 file (.xls)",
           "rtf": "RTF file", "odt": "OpenDocument text (.odt)", "ods": "OpenDocument sheet (.ods)"}
