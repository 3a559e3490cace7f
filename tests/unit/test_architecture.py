"""Layering, checked on the source (ast): the pure core does no I/O through network, SQL or workbook
libraries and reads no environment; the parsers never depend on the bot."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IO_LIBRARIES = {"imapclient", "smtplib", "sqlite3", "openpyxl", "apscheduler", "socket"}
# Each folder of bot/, what it is, which bot packages it may import and which I/O libraries.
# Pure folders take no I/O library at all; the application wires everything. "state.files" is one
# module of a folder: mail in and out and the workbook write files whole through it, but never see the ledger.
FOLDERS: dict[str, tuple[set[str], set[str]]] = {
    "core": ({"errors", "core", "config"}, set()),
    "config": ({"errors", "config"}, set()),
    "message": ({"errors", "core", "config", "message"}, set()),
    "transport": ({"errors", "core", "config", "state.files", "transport"}, {"imapclient", "smtplib", "socket"}),
    "state": ({"errors", "core", "config", "state"}, {"sqlite3"}),
    "workbook": ({"errors", "core", "config", "state.files", "workbook"}, {"openpyxl"}),
    "app": ({"errors", "core", "config", "message", "transport", "state", "workbook", "app", "web.serve"},
            IO_LIBRARIES),
    # The staff console sits above the application (it calls the same use cases); the application imports
    # back only its serving entry (bot/web/serve.py) for the `web` and `web-link` commands and `run`.
    "web": ({"errors", "core", "config", "message", "transport", "state", "workbook", "app", "web"},
            IO_LIBRARIES),
}
PURE_FOLDERS = [name for name, (_, libraries) in FOLDERS.items() if not libraries]
TOP_LEVEL = {"bot/__init__.py", "bot/__main__.py", "bot/errors.py"}
BOT_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "bot").rglob("*.py"))
PARSERS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "parsers").glob("*.py"))
PURE = [f for f in BOT_FILES if f.split("/")[1] in PURE_FOLDERS] + PARSERS
FORBIDDEN = IO_LIBRARIES
# The xlsx reader needs openpyxl to read a danh sách from bytes; writing workbooks stays in bot/workbook
# (checked below: the reader never creates or saves a workbook).
ALLOWED = {"parsers/sheet.py": {"openpyxl"}}


def _folder(relative: str) -> str:
    return relative.split("/")[1]


def _tree(relative: str) -> ast.Module:
    path = ROOT / relative
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(tree: ast.Module) -> set[str]:
    """Every module named by an import statement anywhere in the file (also inside functions)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def test_the_scan_sees_the_files() -> None:
    assert len(PARSERS) >= 7
    assert all(folder in {_folder(f) for f in BOT_FILES} for folder in FOLDERS)
    assert len([f for f in PURE if f.startswith("bot/")]) >= 15


@pytest.mark.parametrize("relative", BOT_FILES)
def test_every_module_sits_in_a_folder_of_the_design(relative: str) -> None:
    """A new module goes into the folder of its role; bot/ itself holds only the entry points."""
    parts = relative.split("/")
    assert relative in TOP_LEVEL or (len(parts) == 3 and parts[1] in FOLDERS), f"{relative} is outside the folders"


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_folder_says_what_it_may_import(folder: str) -> None:
    docstring = ast.get_docstring(_tree(f"bot/{folder}/__init__.py")) or ""
    assert "May import" in docstring, f"bot/{folder}/__init__.py does not say what it may import"


def test_the_scanner_catches_what_it_must() -> None:
    """The checks below would fail on code like this (so a pass means something)."""
    tree = ast.parse("import os\nfrom socket import create_connection\n"
                     "def f():\n    import sqlite3\n    return os.environ['X'], os.getenv('Y')\n")
    assert {_top(n) for n in _imports(tree)} & FORBIDDEN == {"socket", "sqlite3"}
    assert _environment_uses(tree) == ["environ", "getenv"]


@pytest.mark.parametrize("relative", PURE)
def test_pure_modules_import_no_io_library(relative: str) -> None:
    found = {_top(name) for name in _imports(_tree(relative))} & FORBIDDEN - ALLOWED.get(relative, set())
    assert not found, f"{relative} imports {sorted(found)}"


@pytest.mark.parametrize("relative", [f for f in BOT_FILES if f not in TOP_LEVEL])
def test_modules_import_only_what_their_folder_may(relative: str) -> None:
    """bot.core.rules importing bot.workbook would pull openpyxl into the core through the back door."""
    may_import, libraries = FOLDERS[_folder(relative)]
    names = _imports(_tree(relative))
    outside = {name for name in names if _top(name) == "bot" and not _allowed(name, may_import)}
    assert not outside, f"{relative} imports {sorted(outside)}"
    io_found = {_top(name) for name in names} & IO_LIBRARIES - libraries
    assert not io_found, f"{relative} imports {sorted(io_found)}"


def _allowed(name: str, may_import: set[str]) -> bool:
    """``bot.<package>...`` with the package allowed, or ``bot.<package>.<module>...`` with that module allowed."""
    parts = name.split(".")
    return len(parts) < 2 or parts[1] in may_import or ".".join(parts[1:3]) in may_import


def test_the_folder_rule_catches_what_it_must() -> None:
    tree = ast.parse("from bot.workbook import tally\nimport openpyxl\n")
    assert {n for n in _imports(tree) if _top(n) == "bot" and not _allowed(n, FOLDERS["core"][0])} == {
        "bot.workbook", "bot.workbook.tally"}
    ledger = ast.parse("from bot.state.ledger import Ledger\nfrom bot.state.files import write_atomic\n")
    assert {n for n in _imports(ledger) if not _allowed(n, FOLDERS["transport"][0])} == {
        "bot.state.ledger", "bot.state.ledger.Ledger"}
    assert {_top(name) for name in _imports(tree)} & IO_LIBRARIES - FOLDERS["core"][1] == {"openpyxl"}


def test_the_xlsx_reader_only_reads() -> None:
    source = (ROOT / "parsers" / "sheet.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    calls = {node.func.attr for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    assert "load_workbook" in calls
    assert not calls & {"save", "Workbook", "create_sheet"}
    assert "read_only=True" in source


def test_staff_notes_are_only_read_from_the_workbook() -> None:
    """Never load-modify-save the staff's workbook (field notes): bot/workbook/staff_notes.py reads, read-only."""
    source = (ROOT / "bot" / "workbook" / "staff_notes.py").read_text(encoding="utf-8")
    calls = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
             for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)}
    assert "load_workbook" in calls
    assert not calls & {"save", "Workbook", "create_sheet"}
    assert "read_only=True" in source


def _environment_uses(tree: ast.Module) -> list[str]:
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb", "putenv"):
            uses.append(node.attr)
        elif isinstance(node, ast.Name) and node.id in ("environ", "getenv", "environb"):
            uses.append(node.id)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            uses.extend(a.name for a in node.names if a.name in ("environ", "getenv", "environb", "putenv"))
    return uses


@pytest.mark.parametrize("relative", PURE)
def test_pure_modules_never_read_the_environment(relative: str) -> None:
    assert _environment_uses(_tree(relative)) == [], relative


@pytest.mark.parametrize("relative", PARSERS)
def test_parsers_never_import_bot(relative: str) -> None:
    tree = _tree(relative)
    found = sorted(name for name in _imports(tree) if _top(name) == "bot")
    assert not found, f"{relative} imports {found}"
    relative_imports = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 1]
    assert not relative_imports, f"{relative} reaches outside parsers/ with a relative import"


@pytest.mark.parametrize("relative", ["parsers/legacy.py", "parsers/text.py"])
def test_text_modules_use_only_the_standard_library(relative: str) -> None:
    """The encoding tables and text keys are plain functions on str: no document library, no I/O."""
    found = {_top(name) for name in _imports(_tree(relative))} - set(sys.stdlib_module_names) - {"parsers"}
    assert not found, f"{relative} imports {sorted(found)}"
# Helper programs and files: only parsers/proc.py starts processes, only parsers/office.py writes
# (a temporary folder for LibreOffice); every other parser works on bytes in memory.
_PROCESS_MODULES = {"subprocess", "os.system", "multiprocessing", "pty"}
_FILE_MODULES = {"tempfile", "shutil.rmtree", "shutil.copy"}


@pytest.mark.parametrize("relative", PARSERS)
def test_only_proc_starts_programs_and_only_office_writes_files(relative: str) -> None:
    names = _imports(_tree(relative))
    starts = {n for n in names if n in _PROCESS_MODULES or _top(n) in _PROCESS_MODULES}
    writes = {n for n in names if n in _FILE_MODULES or _top(n) == "tempfile"}
    assert not starts or relative == "parsers/proc.py", f"{relative} starts programs itself: {sorted(starts)}"
    assert not writes or relative == "parsers/office.py", f"{relative} writes files: {sorted(writes)}"


def test_the_process_rule_sees_what_it_must() -> None:
    tree = ast.parse("import subprocess\nfrom tempfile import TemporaryDirectory\n")
    assert {"subprocess", "tempfile.TemporaryDirectory"} <= _imports(tree)


# One picture (bot/core/picture.py): every staff surface reads the decided picture, never the ledger's raw
# records, the corrections or its own dossier/review derivation (that is how the digest drifted).
SURFACES = sorted({"bot/app/digest.py", "bot/app/summary.py", "bot/core/status_table.py", "bot/message/digest.py",
                   *(f for f in BOT_FILES if f.startswith(("bot/workbook/", "bot/web/")))})
RAW_READS = {"bot.core.corrections", "bot.app.decided.records", "bot.app.decided.unit_records",
             "bot.core.rules.assess", "bot.core.rules.assess_all", "bot.core.views.review_items",
             "bot.core.review.message_items", "bot.core.review.record_list_items"}
RAW_CALLS = {"records", "records_of", "assess_all", "review_items", "apply"}


def _raw_reads(tree: ast.Module) -> set[str]:
    """Imports of the raw records' readers, and calls such as ``ledger.records()`` or ``corrections.apply``."""
    found = {name for name in _imports(tree) if name in RAW_READS or name.startswith("bot.core.corrections")}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RAW_CALLS:
            owner = ast.unparse(node.func.value)
            if "ledger" in owner.lower() or owner in {"corrections", "rules", "views", "decided"}:
                found.add(ast.unparse(node.func))
    return found


@pytest.mark.parametrize("relative", SURFACES)
def test_staff_surfaces_read_only_the_picture(relative: str) -> None:
    assert not _raw_reads(_tree(relative)), f"{relative} reads raw records: {sorted(_raw_reads(_tree(relative)))}"


def test_the_picture_rule_catches_what_it_must() -> None:
    tree = ast.parse("from bot.core import corrections\nfrom bot.core.rules import assess_all\n"
                     "def f(runner):\n    runner.ledger.records()\n    decided.records(1, 2)\n")
    assert _raw_reads(tree) == {"bot.core.corrections", "bot.core.rules.assess_all", "runner.ledger.records",
                                "decided.records"}
    assert "bot/app/digest.py" in SURFACES and "bot/workbook/tally.py" in SURFACES
