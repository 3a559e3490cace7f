"""Mail texts from Jinja2 templates that staff can edit (``paths.templates``; default: shipped ones).

Sandboxed, no autoescape (plain-text mail), StrictUndefined: a misspelt variable is an error the
first time the template is rendered, and ``mailbot check``/``mailbot run`` render every template once
at start-up, so a typo is reported before any mail goes out.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from bot.errors import TextError

SHIPPED = Path(__file__).resolve().parent / "templates"
ACK, REMINDER, SUMMARY = "acknowledgement.txt.j2", "reminder.txt.j2", "summary.txt.j2"
DIGEST = "digest.txt.j2"
RECEIPT = "receipt.txt.j2"   # to an address that is not a unit's: says nothing of any dossier
NAMES = (ACK, REMINDER, SUMMARY, DIGEST, RECEIPT)
ADDED_LATER = frozenset({DIGEST, RECEIPT})  # taken from the shipped folder when paths.templates lacks it


@lru_cache(maxsize=8)
def _environment(folder: Path) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(folder), encoding="utf-8"), autoescape=False, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)


def render(folder: Path | None, name: str, **context: Any) -> str:
    """Render template ``name`` from ``folder`` (None: the shipped folder)."""
    where = folder or SHIPPED
    if name in ADDED_LATER and not (where / name).is_file():
        where = SHIPPED  # a templates folder copied before this template existed
    try:
        return _environment(where).get_template(name).render(**context)
    except TemplateNotFound as exc:
        raise TextError(f"template {where / name}: not found (needed: {exc.name})") from exc
    except TemplateError as exc:
        lineno = getattr(exc, "lineno", None)  # TemplateSyntaxError has one; an undefined name has none
        line = f" line {lineno}" if lineno else ""
        raise TextError(f"template {where / name}{line}: {exc.message or type(exc).__name__}") from exc
