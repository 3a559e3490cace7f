"""Character accuracy of the TCVN3/VNI conversion on the real legacy files of ``realdocs/docs``.

Each file goes the way the bot reads it: ``.doc``/``.xls`` through LibreOffice headless to docx/xlsx
(fonts survive), then ``parsers.extract``; the PDF straight into ``parsers.extract``. The text is
compared with ``ground-truth/<name>.txt`` after NFC and white-space collapsing (the viparse-corpus
METRIC.md rules): accuracy = characters matched by ``difflib.SequenceMatcher`` / ground-truth length.

The ground truth keeps text set in the capital ``.Vn…H`` fonts in lower case (its converter ignored the
font), while mailbot upper-cases it as Word shows it; so the case-insensitive figure is printed too.

    python3 bench/legacy_accuracy.py [path/to/shared]     # needs soffice on PATH for .doc/.xls
"""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import parsers

LEGACY_FILES = (
    "tcvn3_2003-02144qd.doc",
    "tcvn3_2005-QDSUA522.doc",
    "tcvn3_2005-2005_04_14_084750.xls",
    "tcvn3_2006-16EZE_TT01.06GopvonDNNVV.pdf",
    "vni_2008-23.QD-991-UBND.doc",
)
_TARGET = {".doc": "docx", ".xls": "xlsx"}
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, white space collapsed, ends trimmed: what both sides are compared in."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def char_accuracy(predicted: str, truth: str) -> float:
    """Matched characters (difflib alignment, no junk heuristic) over the ground truth's length."""
    predicted, truth = normalise(predicted), normalise(truth)
    if not truth:
        return 1.0 if not predicted else 0.0
    matcher = difflib.SequenceMatcher(None, predicted, truth, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(truth)


def convert_office(path: Path, workdir: Path) -> Path:
    """``soffice --headless --convert-to docx|xlsx`` with its own profile (other soffice runs may be live)."""
    target = _TARGET[path.suffix.lower()]
    profile = (workdir / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
         "--outdir", str(workdir), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    return workdir / f"{path.stem}.{target}"


def read_text(path: Path, workdir: Path) -> str:
    """The text the bot reads from one legacy file."""
    source = convert_office(path, workdir) if path.suffix.lower() in _TARGET else path
    return parsers.extract(source.name, source.read_bytes()).text


def measure(shared_dir: Path) -> list[tuple[str, float]]:
    """(file name, character accuracy) for each legacy file; case-sensitive, as the metric defines."""
    return [(name, exact) for name, exact, _ in measure_both(shared_dir)]


def measure_both(shared_dir: Path) -> list[tuple[str, float, float]]:
    """(file name, case-sensitive accuracy, case-insensitive accuracy) for each legacy file."""
    docs = Path(shared_dir) / "realdocs" / "docs"
    if shutil.which("soffice") is None:
        raise RuntimeError("soffice (LibreOffice) is needed to read the .doc/.xls files")
    results: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="legacy-accuracy-") as tmp:
        for name in LEGACY_FILES:
            truth = (docs / "ground-truth" / f"{Path(name).stem}.txt").read_text(encoding="utf-8")
            text = read_text(docs / name, Path(tmp))
            results.append((name, char_accuracy(text, truth), char_accuracy(text.lower(), truth.lower())))
    return results


def print_table(results: list[tuple[str, float, float]]) -> None:
    """Per file: characters right as read, and ignoring case. The ground truth keeps the text of the
    capital fonts (.VnTimeH…) in lower case, while Word (and mailbot) show it in capitals."""
    print(f"{'file':45} {'chars':>8} {'ignoring case':>14}")
    for name, exact, folded in results:
        print(f"{name:45} {exact:8.2%} {folded:14.2%}")
    mean_exact = sum(r[1] for r in results) / len(results)
    mean_folded = sum(r[2] for r in results) / len(results)
    print(f"{'mean':45} {mean_exact:8.2%} {mean_folded:14.2%}")


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[2] / "shared"
    if not (shared / "realdocs" / "docs" / "ground-truth").is_dir():
        print(f"no realdocs ground truth under {shared}; nothing to measure")
        return 0
    print_table(measure_both(shared))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
