"""One family of errors for bot: every exception it defines derives from bot.errors.MailbotError."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import bot.errors as errors
from bot.config.schema import ConfigError
from bot.message.texts import TextError
from bot.state.lock import AlreadyRunning
from bot.transport.credentials import CredentialError
from bot.transport.inbox import SourceError
from bot.transport.outbox import DeliveryError

ROOT = Path(__file__).resolve().parents[2]


def test_every_exception_class_is_defined_in_bot_errors() -> None:
    """A new ``class XError(Exception)`` elsewhere in bot/ would be outside the family."""
    elsewhere = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "").endswith(("Exception", "Error"))
                                                      for b in node.bases):
                elsewhere.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert elsewhere == []


def test_the_old_import_paths_name_the_same_classes() -> None:
    assert (ConfigError, TextError, AlreadyRunning, CredentialError, SourceError, DeliveryError) == (
        errors.ConfigError, errors.TextError, errors.AlreadyRunning, errors.CredentialError, errors.SourceError,
        errors.DeliveryError)


def test_one_base_and_the_temporary_ones_together() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == "bot.errors"]
    assert all(issubclass(c, errors.MailbotError) for c in classes)
    temporary = {c.__name__ for c in classes if issubclass(c, errors.TemporaryError)}
    assert temporary == {"TemporaryError", "SourceError", "FolderMissing", "DeliveryError"}


def test_the_drawn_tree_names_every_class() -> None:
    doc = errors.__doc__ or ""
    names = {c.__name__ for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == "bot.errors"}
    assert all(f" {name} " in doc or f"    {name}" in doc for name in names)
