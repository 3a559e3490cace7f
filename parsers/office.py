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
from parsers.model import Document

# source format -> LibreOffice target extension
TARGETS = {"doc": "docx", "rtf": "docx", "odt": "docx", "xls": "xlsx", "ods": "xlsx"}
TIMEOUT_SECONDS = 120.0


@functools.cache
def soffice() -> str | None:
    """The LibreOffice binary on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(fmt: str, data: bytes) -> Document:
    """Convert ``data`` (format ``fmt``, a key of :data:`TARGETS`) and read the result."""
    from parsers import UnsupportedFormat, check_zip_limits

    binary = soffice()
    if binary is None:
        raise UnsupportedFormat(f"{_LABELS[fmt]}: LibreOffice is not installed to convert it")
    converted = convert(binary, data, fmt, TARGETS[fmt])
    check_zip_limits(converted)
    document = _reader(TARGETS[fmt])(converted)
    return dataclasses.replace(document, format=fmt, warnings=(*document.warnings, "converted_by_libreoffice"))


def convert(binary: str, data: bytes, source: str, target: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """``data`` as a ``source`` file converted to ``target`` by LibreOffice; UnsupportedFormat when it cannot."""
    from parsers import UnsupportedFormat

    with tempfile.TemporaryDirectory(prefix="mailbot-office-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        (root / f"in.{source}").write_bytes(data)
        args = [binary, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless", "--invisible",
                "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                "--convert-to", target, "--outdir", str(root / "out"), str(root / f"in.{source}")]
        try:
            result = proc.run(args, timeout=timeout)
        except proc.ToolTimeout as exc:
            raise UnsupportedFormat(f"{_LABELS.get(source, source)}: LibreOffice conversion timed out") from exc
        output = root / "out" / f"in.{target}"
        if not output.is_file() or output.stat().st_size == 0:
            why = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {result.returncode}"]
            raise UnsupportedFormat(f"{_LABELS.get(source, source)}: LibreOffice could not convert it ({why[0]})")
        return output.read_bytes()


def _reader(target: str) -> Callable[[bytes], Document]:
    from parsers import sheet, word

    return word.read if target == "docx" else sheet.read


_LABELS = {"doc": "legacy Word 97-2003 file (.doc)", "xls": "legacy Excel 97-2003 file (.xls)",
           "rtf": "RTF file", "odt": "OpenDocument text (.odt)", "ods": "OpenDocument sheet (.ods)"}
