"""A typed reader over one TOML table that collects problems with their key paths."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

_MISSING = object()
_T = TypeVar("_T")
# The reader's methods are named after the types they read (str, int, bool), which hides the builtins
# inside the class body; annotations there use these names.
Text = str
Whole = int
Flag = bool


class Reader:
    """Reads keys of one table; every bad value becomes a line in the shared ``problems`` list."""

    def __init__(self, data: Any, file: str, prefix: str, problems: list[str] | None = None) -> None:
        self.data = data if isinstance(data, dict) else {}
        self.file = file
        self.prefix = prefix
        self.problems = problems if problems is not None else []
        if data is not None and not isinstance(data, dict):
            self.problems.append(f"{file}: {prefix or 'top level'}: must be a table")

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def problem(self, name: str, message: str) -> None:
        key = name if "." in name or "[" in name else self.key(name)
        self.problems.append(f"{self.file}: {key}: {message}")

    def raise_if_problems(self, error: type[Exception]) -> None:
        if self.problems:
            raise error(self.problems)

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def no_unknown(self, allowed: set[str]) -> None:
        for name in sorted(set(self.data) - allowed):
            self.problem(name, f"unknown key (allowed here: {', '.join(sorted(allowed))})")

    def section(self, name: str, required: bool = False) -> Reader:
        if required and name not in self.data:
            self.problem(name, "required section is missing")
        return Reader(self.data.get(name), self.file, self.key(name), self.problems)

    def table_list(self, name: str) -> list[Reader]:
        value = self.data.get(name, [])
        if not isinstance(value, list):
            self.problem(name, "must be an array of tables ([[unit]])")
            return []
        return [Reader(item, self.file, f"{self.key(name)}[{i}]", self.problems) for i, item in enumerate(value)]

    def _typed(self, name: Text, kinds: tuple[type[_T], ...], what: Text, default: _T, required: Flag) -> _T:
        """The value of ``name`` when it is one of ``kinds`` (checked), else ``default`` (and a problem)."""
        value: Any = self.data.get(name, _MISSING)
        if value is _MISSING:
            if required:
                self.problem(name, f"required: {what}")
            return default
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            self.problem(name, f"must be {what}, got {value!r}")
            return default
        return value

    def str(self, name: Text, default: Text = "", required: Flag = False) -> Text:
        value = self._typed(name, (str,), "text", default, required)
        if required and isinstance(value, str) and not value.strip() and name in self.data:
            self.problem(name, "must not be empty")
        return value.strip() if isinstance(value, str) else default

    def bool(self, name: Text, default: Flag) -> Flag:
        return self._typed(name, (bool,), "true or false", default, False)

    def int(self, name: Text, default: Whole, minimum: Whole | None = None) -> Whole:
        value = self._typed(name, (int,), "a whole number", default, False)
        if minimum is not None and value < minimum:
            self.problem(name, f"must be at least {minimum}, got {value}")
            return default
        return value

    def number(self, name: Text, default: float, minimum: float | None = None) -> float:
        value = float(self._typed(name, (int, float), "a number", default, False))
        if minimum is not None and value < minimum:
            self.problem(name, f"must be at least {minimum}, got {value}")
            return default
        return value

    def choice(self, name: Text, choices: tuple[Text, ...], default: Text) -> Text:
        value = self.str(name, default)
        if value not in choices:
            self.problem(name, f"must be one of {', '.join(repr(c) for c in choices)}, got {value!r}")
            return default
        return value

    def str_list(self, name: Text, default: list[Text]) -> list[Text]:
        value = self._typed(name, (list,), "a list of text", default, False)
        if not all(isinstance(item, str) for item in value):
            self.problem(name, "every entry must be text")
            return default
        return [item.strip() for item in value if item.strip()]

    def int_list(self, name: Text, default: list[Whole], minimum: Whole = 0) -> list[Whole]:
        value = self._typed(name, (list,), "a list of whole numbers", default, False)
        if not all(isinstance(item, int) and not isinstance(item, bool) and item >= minimum for item in value):
            self.problem(name, f"every entry must be a whole number ≥ {minimum}")
            return default
        return value

    def date(self, name: Text) -> date | None:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        self.problem(name, f"must be a TOML date like 2020-11-13, got {value!r}")
        return None

    def path(self, name: Text, base: Path, default: Text | None = None, required: Flag = False) -> Path | None:
        """``name`` as a path (relative to ``base``); None when unset and without default."""
        value = self.str(name, default or "", required=required)
        if not value:
            return None
        path = Path(value).expanduser()
        return path if path.is_absolute() else base / path

    def path_or(self, name: Text, base: Path, default: Text) -> Path:
        """``name`` as a path (relative to ``base``), ``default`` when unset; never empty."""
        value = self.str(name, default)
        if not value:
            self.problem(name, "must not be empty")
            value = default
        path = Path(value).expanduser()
        return path if path.is_absolute() else base / path
