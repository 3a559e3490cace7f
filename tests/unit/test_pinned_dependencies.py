"""constraints.txt pins the tested version of every runtime dependency and of all they pull in."""

from __future__ import annotations

import importlib.metadata as metadata
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _pins() -> dict[str, str]:
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / "constraints.txt").read_text().splitlines())
    pairs = [line.split("==") for line in lines if line]
    assert all(len(pair) == 2 for pair in pairs), "every constraint is an exact pin: name==version"
    return {_name(name): version for name, version in pairs}


def _runtime_closure() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    todo = [Requirement(text).name for text in project["dependencies"]]
    seen: set[str] = set()
    while todo:
        name = _name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def test_every_runtime_package_is_pinned_and_nothing_else() -> None:
    assert set(_pins()) == _runtime_closure()


def test_mail_parser_is_gone() -> None:
    """Nothing imported it: the one stdlib parse in bot/message/mime.py gives the defects it gave."""
    assert "mail-parser" not in _runtime_closure()
    sources = [p.read_text(encoding="utf-8") for folder in ("bot", "parsers") for p in (ROOT / folder).rglob("*.py")]
    assert not any(re.search(r"^\s*(?:import|from)\s+mailparser\b", text, re.M) for text in sources)


def test_deployment_and_tests_install_with_the_pins() -> None:
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "pip install -c constraints.txt ." in operations
    assert "-c constraints.txt" in (ROOT / "scripts" / "test.sh").read_text()
