"""TOML -> ``Scenario``, at the edge. Every problem names the file, the line and the key path.

The loader never stops at the first problem: it reports everything it finds, with "did you mean ...?" for
misspelled keys and names. Unknown keys are errors and types are strict (``"3"`` is not a number).
Nothing in the file is executed: expressions go through ``game.expr``.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

import attrs

from ..errors import Problem, ScenarioError, did_you_mean, suggestion_budget
from ..model import SIDE_PREFIX, Event, Scenario, TurnUnit
from .event_reader import EventReader
from .files import FileRefused, read_bounded
from .keys import FORMAT_VERSION, FORMATS, LIMITS, SCENARIO_KEYS, TOP_KEYS, V2_KEYS
from .scenario_reader import DATE_RE, split_paragraphs
from .section_reader import SectionReader
from .toml_reader import MISSING as _MISSING
from .toml_reader import describe as _kind
from .variable_reader import VariableReader

__all__ = [
    "FORMATS",
    "FORMAT_VERSION",
    "LIMITS",
    "V2_KEYS",
    "load_scenario",
    "load_scenario_bytes",
    "load_scenario_text",
    "split_paragraphs",
]

SCENARIO_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}\Z")
# tomllib takes time cubic in the parts of a dotted key (10,000 parts: seconds; 50,000: minutes), so keys
# and table headers with absurdly many parts are refused before parsing. Real scenarios need 3 or 4.
MAX_KEY_PARTS = 32
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
# A dotted key starts a line or a table header, or follows '{' or ',' inside an inline table. The repeat is
# exact, not open-ended, so the scan stops at the first key that is too deep: linear time for any text.
DEEP_KEY_RE = re.compile(
    rf"(?:^[ \t]*\[{{0,2}}|[{{,])[ \t]*(?:{_KEY_PART}[ \t]*\.[ \t]*){{{MAX_KEY_PARTS}}}", re.MULTILINE
)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises ``ScenarioError`` listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        data = read_bounded(path, LIMITS["file_bytes"])
    except FileRefused as exc:
        raise ScenarioError([Problem(name, None, "", str(exc))]) from None
    return load_scenario_bytes(data, name, path.parent)


def load_scenario_bytes(data: bytes, name: str, base_dir: Path | None) -> Scenario:
    if len(data) > LIMITS["file_bytes"]:
        raise ScenarioError([Problem(name, None, "", f"file too large ({len(data):,} bytes)")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError([Problem(name, line, "", "not UTF-8 text (is this a binary file?)")]) from None
    scenario = load_scenario_text(text, name, base_dir)
    return attrs.evolve(scenario, sha256=hashlib.sha256(data).hexdigest())


def load_scenario_text(text: str, name: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    """Validate TOML text; ``base_dir`` is where a relative ``source`` is looked for."""
    if "\x00" in text:
        raise ScenarioError([Problem(name, None, "", "contains NUL bytes (is this a binary file?)")])
    if text.startswith("\ufeff"):
        raise ScenarioError(
            [
                Problem(
                    name,
                    1,
                    "",
                    "the file starts with a byte-order mark (BOM); save it as UTF-8 "
                    "without BOM (most editors call it plain 'UTF-8')",
                )
            ]
        )
    if not text.strip():
        raise ScenarioError(
            [Problem(name, None, "", "the file is empty; a scenario starts with 'format = 1' and a [scenario] table")]
        )
    deep = DEEP_KEY_RE.search(text)
    if deep:
        line = text.count("\n", 0, deep.start()) + 1
        raise ScenarioError(
            [Problem(name, line, "", f"key nested too deeply (more than {MAX_KEY_PARTS} dotted parts)")]
        )
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        if line is None and "end of document" in msg:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
        raise ScenarioError([Problem(name, line, "", f"invalid TOML: {msg}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(name, None, "", "invalid TOML: nested too deeply")]) from None
    builder = _Builder(name, text, base_dir)
    builder.v2_keys = V2_KEYS
    with suggestion_budget():
        scenario = builder.build(raw)
    if builder.problems or scenario is None:
        raise ScenarioError(builder.all_problems())
    return scenario


class _Builder(EventReader, VariableReader, SectionReader):
    """Builds the model section by section from the raw TOML dict: the ``[scenario]`` table and its sides here,
    the rest with the readers it combines (each a ``ScenarioReader`` sharing the names read so far)."""

    # ------------------------------------------------------------------ sections
    def build(self, raw: dict) -> Scenario | None:
        self.check_keys(raw, TOP_KEYS, "")
        fmt = raw.get("format", _MISSING)
        if fmt is _MISSING:
            self.problem("format", f"missing 'format = {FORMAT_VERSION}' at the top of the file")
        elif isinstance(fmt, bool) or not isinstance(fmt, int):
            self.problem("format", f"must be the whole number {FORMAT_VERSION} (or 1), not {_kind(fmt)}")
        elif fmt not in FORMATS:
            self.problem("format", f"format {fmt} is not supported (this game reads formats 1 and 2)")
        else:
            self.fmt = fmt
        meta = self.table(raw.get("scenario", {}), "scenario") if "scenario" in raw else None
        if meta is None:
            if "scenario" not in raw:
                self.problem("scenario", "missing the [scenario] table (id, title, summary, role, start, turns)")
            return None
        info = self.scenario_meta(meta)
        self.event_ids = dict.fromkeys(
            e.get("id") for e in raw.get("events", []) if isinstance(e, dict) and isinstance(e.get("id"), str)
        )
        for e in raw.get("events", []) if isinstance(raw.get("events"), list) else ():
            if isinstance(e, dict) and isinstance(e.get("id"), str):
                options = e.get("options") if isinstance(e.get("options"), list) else []
                self.event_options[e["id"]] = [
                    o["id"] for o in options if isinstance(o, dict) and isinstance(o.get("id"), str)
                ]
        variables = self.variables(raw)
        glossary = self.glossary(raw)
        history = self.history(raw)
        rules = self.rules(raw)
        events = self.events(raw)
        endings = self.endings(raw)
        score = self.score(raw)
        sides = self.sides(meta, events)
        advisers = self.advisers(raw, variables, score)
        consultations = self.consultations(raw)
        if self.problems or info is None:
            return None
        return Scenario(
            sides=sides,
            variables=tuple(variables),
            events=tuple(events),
            endings=tuple(endings),
            score=tuple(score),
            rules=tuple(rules),
            glossary=tuple(glossary),
            path=self.name,
            history=tuple(history),
            advisers=tuple(advisers),
            consultations=consultations,
            format=self.fmt,
            **info,
        )

    def scenario_meta(self, meta: dict) -> dict | None:
        p = "scenario"
        self.check_keys(meta, SCENARIO_KEYS, p)
        sid = self.text(meta, "id", p)
        if sid and not SCENARIO_ID_RE.match(sid):
            self.problem(
                f"{p}.id",
                f"'{sid}' is not a valid scenario id: lower-case letters, digits, '-' and '_' (e.g. 'manila-2019')",
            )
        written = self.text(meta, "unit", p, default=TurnUnit.MONTH.value)
        units = [u.value for u in TurnUnit]
        unit = TurnUnit(written) if written in units else TurnUnit.MONTH
        if written not in units:
            self.problem(
                f"{p}.unit", f"unknown unit '{written}'{did_you_mean(written, units)}; use month, quarter or year"
            )
        self.months_per_turn = unit.months
        start = self.text(meta, "start", p)
        m = DATE_RE.match(start) if start else None
        if start and (not m or not 1 <= int(m.group(2)) <= 12):
            self.problem(f"{p}.start", f'\'{start}\' is not a date; write "YYYY-MM", e.g. "2019-10"')
        elif m:
            self.start = (int(m.group(1)), int(m.group(2)))
        turns = self.integer(meta, "turns", p, low=1, high=LIMITS["turns"])
        self.turns = turns or 1
        decisions = self.integer(meta, "decisions", p, default=1, low=1, high=LIMITS["decisions"])
        paragraphs: tuple[str, ...] = ()
        source = self.text(meta, "source", p, default="")
        if source:
            paragraphs = self.read_source(source, f"{p}.source")
            self.source_failed = self.paragraph_count is None
        info = dict(
            id=sid,
            title=self.text(meta, "title", p, limit=200),
            summary=self.text(meta, "summary", p),
            role=self.text(meta, "role", p, limit=200),
            start_year=self.start[0] if self.start else 2000,
            start_month=self.start[1] if self.start else 1,
            turns=self.turns,
            unit=unit,
            decisions=decisions or 1,
            paragraphs=paragraphs,
            source_title=self.text(meta, "source_title", p, default="", limit=300),
            version=self.text(meta, "version", p, default="1", limit=40),
            authors=self.strings(meta, "authors", p),
        )
        return info if self.start and turns else None

    def sides(self, meta: dict, events: list[Event]) -> tuple[str, ...]:
        """The declared sides (each must tag some option), or else every option tag starting with
        ``SIDE_PREFIX``, sorted (how format-1 files without the key have always been read)."""
        tags = sorted({t for e in events for o in e.options for t in o.tags})
        if "sides" not in meta:
            return tuple(t for t in tags if t.startswith(SIDE_PREFIX))
        sides = self.strings(meta, "sides", "scenario")
        for n, side in enumerate(sides):
            if side not in tags:
                self.problem(
                    f"scenario.sides[{n}]",
                    f"no option is tagged '{side}'{did_you_mean(side, tags)}; "
                    'a side is an option tag (tags = ["..."])',
                )
            elif side in sides[:n]:
                self.problem(f"scenario.sides[{n}]", f"'{side}' is listed twice")
        return sides
