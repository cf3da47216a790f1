"""Scenario-specific values: expressions, effects, follow-ups, citations, dates, placeholders, sources.

``ScenarioReader`` extends ``TableReader`` with what only scenario files have; it knows the names declared so
far (variables, events) so that every reference can be checked and misspellings get a suggestion.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, TypeVar

from ..errors import ExprError, did_you_mean
from ..expr import memory_in, names_in, parse
from ..expr.template import Placeholder, TemplateError, expressions, parse_template, walk
from ..model import (
    BUILTIN_NAMES,
    PLACEHOLDER_RE,
    Band,
    DocEnum,
    Effect,
    EffectMode,
    Expr,
    FollowUp,
    Good,
    ValueFormat,
    VarKind,
)
from ..numeric import MAX_NUMBER, MAX_NUMBER_TEXT
from .files import FileRefused, read_bounded
from .toml_reader import MISSING as _MISSING
from .toml_reader import TableReader
from .toml_reader import describe as _kind

__all__ = ["DATE_RE", "SOURCE_LIMIT", "ScenarioReader", "split_paragraphs"]

DATE_RE = re.compile(r"^([0-9]{4})-([0-9]{2})\Z")
SOURCE_LIMIT = 2_000_000

E = TypeVar("E", bound=DocEnum)


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs separated by blank lines; a text without blank lines has one paragraph per line."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return ()
    if re.search(r"\n\s*\n", text):
        parts = re.split(r"\n\s*\n", text)
        return tuple(" ".join(line.strip() for line in p.splitlines()) for p in parts if p.strip())
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class ScenarioReader(TableReader):
    """A ``TableReader`` that knows the scenario's names."""

    def __init__(self, name: str, text: str, base_dir: Path | None):
        super().__init__(name, text)
        self.base_dir = base_dir
        self.var_kinds: dict[str, VarKind] = {}
        self.hidden: set[str] = set()
        self.meters: set[str] = set()
        self.event_ids: dict[str, None] = {}  # in file order; a dict for constant-time membership
        self.event_options: dict[str, list[str]] = {}  # option ids of each event (format 2: chosen(e.o))
        self.paragraph_count: int | None = None
        self.source_failed = False  # a source was given but could not be read (already reported)
        self.start: tuple[int, int] | None = None
        self.turns = 1
        self.months_per_turn = 1
        self.fmt = 1  # the file's format version, once read
        self.v2_keys: dict[tuple[str, ...], frozenset[str]] = {}  # set by the builder: per table's keys, the
        # keys only format 2 reads

    def check_keys(self, table: dict, allowed: tuple[str, ...], path: str) -> None:
        """As ``TableReader.check_keys``; in a format-1 file a format-2 key says how to enable it."""
        if self.fmt >= 2:
            return super().check_keys(table, allowed, path)
        newer = self.v2_keys.get(allowed, frozenset())
        older = tuple(k for k in allowed if k not in newer)
        for key in table:
            if key in allowed and key not in older:
                self.problem(
                    f"{path}.{key}" if path else key,
                    f"'{key}' is a format-2 key; write 'format = 2' at the top of the file to use it",
                )
        super().check_keys({k: v for k, v in table.items() if k not in allowed or k in older}, older, path)

    def choice(self, table: dict, key: str, path: str, default: E) -> E:
        """One value of the enum of ``default`` (by the value as written), else a problem and the default."""
        options = [m.value for m in type(default)]
        text = self.text(table, key, path, default=default.value)
        if text in options:
            return type(default)(text)
        if text is not None:
            listed = ", ".join(f'"{o}"' for o in options[:-1]) + f' or "{options[-1]}"'
            self.problem(f"{path}.{key}", f"must be {listed}, not '{text}'{did_you_mean(text, options)}")
        return default

    # ------------------------------------------------------------------ expressions and effects
    @property
    def known_names(self) -> set[str]:
        """Variables and built-in names (cached per set of variables: expressions are many)."""
        key = len(self.var_kinds)
        if getattr(self, "_known_key", None) != key:
            self._known_key = key
            self._known = set(self.var_kinds) | set(BUILTIN_NAMES)
        return self._known

    def expr(self, value: Any, path: str) -> Expr | None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.problem(path, f"must be a number or an expression string, not {_kind(value)}")
            return None
        if not isinstance(value, str):
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                self.problem(path, f"number out of range (at most {MAX_NUMBER_TEXT} in size)")
                return None
            return Expr.number(float(value))
        try:
            node = parse(value, memory=self.fmt >= 2)
        except ExprError as exc:
            self.problem(path, f"in expression: {exc.message}", exc.render())
            return None
        ok = self.check_names(node, value, path)
        return Expr(value, node) if ok else None

    def check_names(self, node, text: str, path: str) -> bool:
        """Report unknown variables and unknown events or options in memory calls; True if all are known."""
        known = self.known_names
        ok = True
        for name in names_in(node):
            if name.id not in known:
                ok = False
                if self.full:  # only counted: rendering a caret for each of 77,000 names would take seconds
                    self.unlisted += 1
                    continue
                err = ExprError("", text, name.pos, name.end)
                self.problem(path, f"unknown name '{name.id}'{did_you_mean(name.id, known)}", err.render())
        for mem in memory_in(node):
            err = ExprError("", text, mem.pos, mem.end)
            if mem.event not in self.event_options:
                ok = False
                self.problem(
                    path,
                    f"{mem.fn}(): unknown event '{mem.event}'{did_you_mean(mem.event, self.event_options)}",
                    err.render(),
                )
            elif mem.option and mem.option not in self.event_options[mem.event]:
                ok = False
                options = self.event_options[mem.event]
                listed = ", ".join(options) if options else "none: it is news"
                self.problem(
                    path,
                    f"{mem.fn}(): event '{mem.event}' has no option '{mem.option}'"
                    f"{did_you_mean(mem.option, options)} (its options: {listed})",
                    err.render(),
                )
        return ok

    def effects(self, table: dict, path: str) -> list[Effect]:
        out: list[Effect] = []
        for key, mode in (("effects", EffectMode.ADD), ("set", EffectMode.SET)):
            raw = table.get(key)
            if raw is None:
                continue
            sub = f"{path}.{key}"
            t = self.table(raw, sub)
            if t is None:
                continue
            for var, value in t.items():
                vpath = f"{sub}.{var}"
                if var not in self.var_kinds:
                    hint = " (built-in names cannot be changed)" if var in BUILTIN_NAMES else ""
                    self.problem(vpath, f"unknown variable '{var}'{did_you_mean(var, self.var_kinds)}{hint}")
                    continue
                e = self.expr(value, vpath)
                if e is None:
                    continue
                if self.var_kinds[var] is VarKind.FLAG and e.constant is not None and e.constant != int(e.constant):
                    self.problem(vpath, f"'{var}' is a flag and takes whole numbers, not {e.constant:g}")
                    continue
                out.append(Effect(var, e, mode))
        return out

    def follows(self, table: dict, path: str) -> list[FollowUp]:
        value = self.get(
            table, "follow", path, (list,), default=[], what="an array of { event = ..., after = N } tables"
        )
        out = []
        for i, item in enumerate(value or ()):
            sub = f"{path}.follow[{i}]"
            t = self.table(item, sub)
            if t is None:
                continue
            self.check_keys(t, ("event", "after"), sub)
            event = self.text(t, "event", sub)
            after = self.integer(t, "after", sub, low=1, high=max(1, self.turns))
            if event and event not in self.event_ids:
                self.problem(f"{sub}.event", f"unknown event '{event}'{did_you_mean(event, self.event_ids)}")
                continue
            if event and after is not None:
                out.append(FollowUp(event, after))
        return out

    def cites(self, table: dict, path: str) -> tuple[int, ...]:
        value = self.get(table, "cite", path, (list,), default=[], what="an array of paragraph numbers")
        out = []
        for i, item in enumerate(value or ()):
            sub = f"{path}.cite[{i}]"
            if isinstance(item, bool) or not isinstance(item, int):
                self.problem(sub, f"must be a paragraph number, not {_kind(item)}")
                continue
            if self.paragraph_count is None:
                if not self.source_failed:
                    self.problem(sub, "cites a paragraph but the scenario has no source (set scenario.source)")
                return tuple(out)
            if not 1 <= item <= self.paragraph_count:
                self.problem(sub, f"paragraph {item} does not exist (the source has {self.paragraph_count})")
                continue
            out.append(item)
        return tuple(out)

    def date(self, table: dict, key: str, path: str) -> int | None:
        if key not in table:
            return None
        value = table[key]
        sub = f"{path}.{key}"
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            self.problem(sub, f'must be a date "YYYY-MM" or a turn number, not {_kind(value)}')
            return None
        if isinstance(value, int):
            turn = value
        else:
            m = DATE_RE.match(value)
            if not m or not 1 <= int(m.group(2)) <= 12:
                self.problem(sub, f'\'{value}\' is not a date; write "YYYY-MM", e.g. "2020-02"')
                return None
            if self.start is None:
                return None
            months = (int(m.group(1)) - self.start[0]) * 12 + int(m.group(2)) - self.start[1]
            if months % self.months_per_turn:
                self.problem(sub, f"'{value}' does not fall on the start of a turn")
                return None
            turn = months // self.months_per_turn + 1
        if not 1 <= turn <= self.turns:
            self.problem(sub, f"{value!r} is outside the game (turns 1 to {self.turns})")
            return None
        return turn

    def placeholders(self, text: str, path: str, *, allow_hidden: bool = False) -> None:
        """Check a text's placeholders (format 2: also its conditional text, variants and values)."""
        if self.fmt >= 2:
            self.template(text, path, allow_hidden=allow_hidden)
            return
        for m in PLACEHOLDER_RE.finditer(text):
            token = m.group(0)
            if token in ("{{", "}}"):
                continue
            if m.group(1) is None:
                self.problem(path, f"unmatched '{token}' in text (write '{token * 2}' for a literal brace)")
                continue
            self.placeholder(m.group(1).strip(), path, allow_hidden)

    def placeholder(self, name: str, path: str, allow_hidden: bool) -> None:
        base, _, attr = name.partition(".")
        if base in ("date", "turn", "score") and not attr:
            return
        if base not in self.var_kinds:
            self.problem(
                path,
                f"unknown placeholder '{{{name}}}'{did_you_mean(base, [*self.var_kinds, 'date', 'turn', 'score'])}",
            )
            return
        if attr and (attr not in ("band", "estimate") or base not in self.meters):
            self.problem(path, f"unknown placeholder '{{{name}}}' (only meters have '.band' and '.estimate')")
            return
        if base in self.hidden and not allow_hidden and attr != "estimate":
            self.problem(
                path,
                f"placeholder '{{{name}}}' would reveal a hidden value "
                f"(use '{{{base}.estimate}}' for the player's estimate)",
            )

    def template(self, text: str, path: str, *, allow_hidden: bool) -> None:
        try:
            parts = parse_template(text)
        except TemplateError as exc:
            extra = exc.expr_error.render() if exc.expr_error else ""
            self.problem(path, exc.message, extra)
            return
        for part in walk(parts):
            if isinstance(part, Placeholder):
                self.placeholder(part.name, path, allow_hidden)
        for expr_text, node in expressions(parts):
            if not self.check_names(node, expr_text, path) or allow_hidden:
                continue
            secret = sorted({n.id for n in names_in(node) if n.id in self.hidden})
            if secret:
                self.problem(
                    path,
                    f"the text's condition '{expr_text}' reads the hidden "
                    f"{', '.join(repr(v) for v in secret)}: the player would learn it from the "
                    "text (only epilogues and histories may)",
                )

    def read_source(self, source: str, path: str) -> tuple[str, ...]:
        rel = Path(source)
        if rel.is_absolute() or ".." in rel.parts:
            self.problem(path, "must be a path relative to the scenario file, without '..'")
            return ()
        if self.base_dir is None:
            self.problem(path, "cannot read a source for a scenario that is not in a file")
            return ()
        if "\x00" in source:
            self.problem(path, "must not contain a NUL character")
            return ()
        full = self.base_dir / rel
        try:
            data = read_bounded(full, SOURCE_LIMIT, inside=self.base_dir)
        except FileRefused as exc:
            reason = str(exc)
            if reason == "no such file":
                reason = f"not found next to the scenario ({full})"
            self.problem(path, f"source file '{source}' {reason}")
            return ()
        try:
            paragraphs = split_paragraphs(data.decode("utf-8"))
        except UnicodeDecodeError:
            self.problem(path, f"source file '{source}' is not UTF-8 text")
            return ()
        self.paragraph_count = len(paragraphs)
        return paragraphs

    def start_range(self, body: dict, p: str, lo: float, hi: float) -> tuple[float, float] | None:
        value = body.get("start", _MISSING)
        if value is _MISSING:
            self.problem(p, "missing required key 'start' (a number, or [low, high] drawn per game)")
            return None
        if isinstance(value, list):
            if len(value) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
                self.problem(f"{p}.start", "a range must be two numbers: [low, high]")
                return None
            a, b = float(value[0]), float(value[1])
            if b < a:
                self.problem(f"{p}.start", f"range [{a:g}, {b:g}] is backwards; write [{b:g}, {a:g}]")
                return None
            return a, b
        v = self.number(body, "start", p)
        return None if v is None else (v, v)

    def meter_extras(self, body: dict, p: str, lo: float, hi: float) -> dict:
        good = self.choice(body, "good", p, Good.HIGH)
        fmt = self.choice(body, "format", p, ValueFormat.NUMBER)
        noise = self.number(body, "noise", p, default=10.0)
        if noise is not None and noise < 0:
            self.problem(f"{p}.noise", "must not be negative")
        bands = []
        previous = -math.inf
        for sub, t in self.array_of_tables(body, "bands", p, 20):
            self.check_keys(t, ("below", "label"), sub)
            label = self.text(t, "label", sub, limit=40)
            below = self.number(t, "below", sub, default=None)
            if below is not None and below <= previous:
                self.problem(f"{sub}.below", "bands must be in increasing order of 'below'")
            if below is not None:
                previous = below
            bands.append(Band(label, below))
        if bands and bands[-1].below is not None:
            self.problem(f"{p}.bands", "the last band must have no 'below' (it covers everything above)")
        if any(b.below is None for b in bands[:-1]):
            self.problem(f"{p}.bands", "only the last band may leave out 'below'")
        return dict(
            good=good,
            format=fmt,
            noise=noise or 0.0,
            bands=tuple(bands),
            hidden=self.boolean(body, "hidden", p),
            unit=self.text(body, "unit", p, default="", limit=20),
        )
