"""Typed reading of a parsed TOML table, collecting problems with file, line and key path.

``TableReader`` is the generic half of the scenario loader: strict types (``"3"`` is not a number),
unknown keys reported with "did you mean ...?", and every problem kept, not just the first.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..errors import Problem, did_you_mean
from ..numeric import MAX_NUMBER, MAX_NUMBER_TEXT
from .lines import line_of, locate_lines

__all__ = ["ID_RE", "MISSING", "TableReader", "describe"]

MISSING = object()
_MISSING = MISSING
ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")
TEXT_LIMIT = 20_000


class TableReader:
    """Reads values out of TOML tables; ``problems`` collects everything wrong."""

    MAX_PROBLEMS = 200  # a hostile file can have hundreds of thousands; the rest are only counted

    def __init__(self, name: str, text: str):
        self.name = name
        self._source = text
        self._lines: dict[str, int] | None = None
        self.problems: list[Problem] = []
        self.unlisted = 0  # problems beyond MAX_PROBLEMS

    @property
    def lines(self) -> dict[str, int]:
        """Key path -> line, computed when the first problem needs a line (a valid file never does)."""
        if self._lines is None:
            self._lines = locate_lines(self._source)
        return self._lines

    @property
    def full(self) -> bool:
        return len(self.problems) >= self.MAX_PROBLEMS

    def all_problems(self) -> list[Problem]:
        """The problems listed, and a last line counting those left out."""
        if not self.unlisted:
            return list(self.problems)
        return [
            *self.problems,
            Problem(
                self.name,
                None,
                "",
                f"... and {self.unlisted:,} more problems (only the first {self.MAX_PROBLEMS} are listed)",
            ),
        ]

    # ------------------------------------------------------------------ problems and primitive readers
    def line(self, path: str) -> int | None:
        return line_of(self.lines, path)

    def problem(self, path: str, message: str, detail: str = "") -> None:
        if self.full:
            self.unlisted += 1
            return
        self.problems.append(Problem(self.name, self.line(path), path, message, detail))

    def table(self, value: Any, path: str) -> dict | None:
        if isinstance(value, dict):
            return value
        self.problem(path, f"must be a table, not {_kind(value)}")
        return None

    def check_keys(self, table: dict, allowed: tuple[str, ...], path: str) -> None:
        listing = ", ".join(allowed)
        for key in table:
            if key not in allowed:
                if self.full:
                    self.unlisted += 1
                    continue
                sub = f"{path}.{key}" if path else key
                self.problem(sub, f"unknown key '{key}'{did_you_mean(key, allowed)}; allowed here: {listing}")

    def get(
        self, table: dict, key: str, path: str, types: tuple[type, ...], *, default: Any = _MISSING, what: str = ""
    ) -> Any:
        sub = f"{path}.{key}" if path else key
        if key not in table:
            if default is _MISSING:
                self.problem(path or key, f"missing required key '{key}'")
                return None
            return default
        value = table[key]
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            wanted = what or " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
            hint = ""
            if isinstance(value, str) and (int in types or float in types):
                hint = f" (write {value} without quotes)" if _looks_numeric(value) else ""
            self.problem(sub, f"must be {wanted}, not {_kind(value)}{hint}")
            return None if default is _MISSING else default
        return value

    def text(self, table: dict, key: str, path: str, *, default: Any = _MISSING, limit: int | None = None) -> str:
        value = self.get(table, key, path, (str,), default=default, what="a string")
        if value is None:
            return ""
        limit = limit or TEXT_LIMIT
        if len(value) > limit:
            self.problem(f"{path}.{key}", f"text too long ({len(value):,} characters; at most {limit:,})")
        return value

    def number(self, table: dict, key: str, path: str, *, default: Any = _MISSING) -> float | None:
        value = self.get(table, key, path, (int, float), default=default, what="a number")
        if value is None:
            return None
        value = float(value)
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            self.problem(f"{path}.{key}", f"number out of range (at most {MAX_NUMBER_TEXT} in size)")
            return None
        return value

    def integer(
        self, table: dict, key: str, path: str, *, default: Any = _MISSING, low: int = -(10**9), high: int = 10**9
    ) -> int | None:
        value = self.get(table, key, path, (int,), default=default, what="a whole number")
        if value is None:
            return None
        if not low <= value <= high:
            self.problem(f"{path}.{key}", f"must be between {low} and {high}, not {value}")
            return None
        return value

    def boolean(self, table: dict, key: str, path: str, default: bool = False) -> bool:
        value = self.get(table, key, path, (bool,), default=default, what="true or false")
        return bool(value)

    def strings(self, table: dict, key: str, path: str) -> tuple[str, ...]:
        value = self.get(table, key, path, (list,), default=[], what="an array of strings")
        out = []
        for i, item in enumerate(value or ()):
            if not isinstance(item, str):
                self.problem(f"{path}.{key}[{i}]", f"must be a string, not {_kind(item)}")
            else:
                out.append(item)
        return tuple(out)

    def array_of_tables(self, table: dict, key: str, path: str, limit: int) -> list[tuple[str, dict]]:
        value = self.get(table, key, path, (list,), default=[], what=f"an array of tables ([[{key}]])")
        out = []
        if value is None:
            return out
        if len(value) > limit:
            self.problem(f"{path}.{key}" if path else key, f"too many entries ({len(value)}; at most {limit})")
            value = value[:limit]
        for i, item in enumerate(value):
            sub = f"{path}.{key}[{i}]" if path else f"{key}[{i}]"
            t = self.table(item, sub)
            if t is not None:
                out.append((sub, t))
        return out

    def ident(self, table: dict, path: str, seen: set[str], what: str) -> str:
        value = self.text(table, "id", path)
        if not value:
            return ""
        if not ID_RE.match(value):
            self.problem(
                f"{path}.id",
                f"'{value}' is not a valid id: use a lower-case letter, then letters, "
                "digits or '_' (at most 40 characters)",
            )
        elif value in seen:
            self.problem(f"{path}.id", f"duplicate {what} id '{value}'")
        seen.add(value)
        return value


_TYPE_NAMES = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "an array",
    dict: "a table",
}


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        short = value if len(value) <= 20 else value[:17] + "..."
        return f"the string {short!r}"
    if isinstance(value, int):
        return f"the whole number {value}"
    if isinstance(value, float):
        return f"the number {value:g}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _looks_numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


_kind = describe
