"""Every relative link and image in README.md and docs/*.md points to a file of the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) and ![alt](target); a target may carry a "title"; fenced code is skipped.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def relative_links(text: str) -> list[str]:
    targets = LINK.findall(FENCE.sub("", text))
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t, re.IGNORECASE) and not t.startswith("#")]


def test_the_link_pattern_finds_relative_targets_only() -> None:
    text = ("See [ops](docs/operations.md#tls), ![shot](img/a.png \"title\"), [web](https://x.example), "
            "[top](#intro), [mail](mailto:a@b.example)\n```\n[not](inside-code.md)\n```\n")
    assert relative_links(text) == ["docs/operations.md#tls", "img/a.png"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(document: Path) -> None:
    missing = [target for target in relative_links(document.read_text(encoding="utf-8"))
               if not (document.parent / target.split("#", 1)[0]).exists()]
    assert missing == [], f"{document.relative_to(ROOT)} links to missing files: {missing}"
