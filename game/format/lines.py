"""Where in a TOML file a key path was written, for error messages.

``tomllib`` gives values but no positions, so this scans the text once and maps key paths such as
``events[3].options[1].effects`` to 1-based line numbers. It understands table headers, arrays of tables,
``key = value`` lines, multi-line strings and the inline tables of multi-line arrays; anything it cannot
place falls back to the nearest enclosing path that it can.
"""

from __future__ import annotations

import re

__all__ = ["line_of", "locate_lines"]

_HEADER = re.compile(r"^\[\[?\s*(.+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=\s*(.*)$"""
)


def _split_key(key: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", key)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def locate_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    counters: dict[str, int] = {}  # array-of-tables path -> index of its latest element
    current = ""
    multiline: str | None = None  # the closing delimiter of an open multi-line string
    array_path: str | None = None  # key path of an open multi-line array
    array_index = 0
    depth = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if multiline is not None:
            if multiline in line:
                multiline = None
            continue
        if not line or line.startswith("#"):
            continue
        if array_path is not None:
            if line.startswith("{"):
                lines.setdefault(f"{array_path}[{array_index}]", number)
                array_index += 1
            depth += line.count("[") - line.count("]")
            if depth <= 0:
                array_path = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            is_array = line.startswith("[[")
            parts = _split_key(header.group(1))
            resolved = ""
            for part in parts[:-1]:
                resolved = f"{resolved}.{part}" if resolved else part
                if resolved in counters:
                    resolved = f"{resolved}[{counters[resolved]}]"
            base = f"{resolved}.{parts[-1]}" if resolved else parts[-1]
            if is_array:
                counters[base] = counters.get(base, -1) + 1
                lines.setdefault(base, number)
                resolved = f"{base}[{counters[base]}]"
            else:
                resolved = base
            current = resolved
            lines.setdefault(current, number)
            continue
        key = _KEY.match(line)
        if not key:
            continue
        path = ".".join(_split_key(key.group(1)))
        full = f"{current}.{path}" if current else path
        lines.setdefault(full, number)
        value = key.group(2)
        for delim in ('"""', "'''"):
            if value.startswith(delim) and value.count(delim) == 1:
                multiline = delim
        if value.startswith("[") and value.count("[") > value.count("]"):
            array_path, array_index = full, 0
            depth = value.count("[") - value.count("]")
            if "{" in value:
                array_index = value.count("{")
        elif value.startswith("{"):
            for inner in re.finditer(r"([A-Za-z0-9_]+)\s*=", value):
                lines.setdefault(f"{full}.{inner.group(1)}", number)
    return lines


def line_of(lines: dict[str, int], path: str) -> int | None:
    """The line of a key path in ``locate_lines``'s map, or of its nearest enclosing path that is there
    (``events[2].options[0].label`` falls back to ``events[2].options[0]``, then ``events[2]``, ...)."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            break
        path = path[:cut]
    return lines.get(path)
