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
from typing import Any

import attrs

from ..errors import Problem, ScenarioError, did_you_mean, suggestion_budget
from ..expr import FUNCTIONS, names_in
from ..model import (
    BUILTIN_NAMES,
    SIDE_PREFIX,
    Adviser,
    Ending,
    Event,
    Expr,
    Rule,
    Scenario,
    ScoreComponent,
    ScoreOver,
    TurnUnit,
    Variable,
    VarKind,
)
from .event_reader import EventReader
from .files import FileRefused, read_bounded
from .keys import (
    ADVICE_KEYS,
    ADVISER_KEYS,
    ENDING_KEYS,
    FACTION_KEYS,
    FLAG_KEYS,
    FORMAT_VERSION,
    FORMATS,
    LIMITS,
    MAX_ADVISERS,
    MAX_CONSULTATIONS,
    METER_KEYS,
    RULE_KEYS,
    SCENARIO_KEYS,
    SCORE_KEYS,
    TOP_KEYS,
    V2_KEYS,
)
from .scenario_reader import DATE_RE, split_paragraphs
from .toml_reader import ID_RE
from .toml_reader import MISSING as _MISSING
from .toml_reader import describe as _kind

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
RESERVED = set(BUILTIN_NAMES) | set(FUNCTIONS) | {"and", "or", "not"}
SCORE_OVER = {o.value: o for o in ScoreOver}


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


class _Builder(EventReader):
    """Builds the model section by section from the raw TOML dict."""

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

    def variables(self, raw: dict) -> list[Variable]:
        sections = (
            ("meters", VarKind.METER, METER_KEYS),
            ("factions", VarKind.FACTION, FACTION_KEYS),
            ("flags", VarKind.FLAG, FLAG_KEYS),
        )
        tables: list[tuple[str, VarKind, tuple, str, dict]] = []
        for section, kind, keys in sections:
            if section not in raw:
                continue
            t = self.table(raw[section], section)
            if t is None:
                continue
            for var_id, body in t.items():
                path = f"{section}.{var_id}"
                if not ID_RE.match(var_id):
                    self.problem(
                        path, f"'{var_id}' is not a valid id: use a lower-case letter, then letters, digits or '_'"
                    )
                    continue
                if var_id in RESERVED:
                    self.problem(path, f"'{var_id}' is a built-in name; choose another id")
                    continue
                if var_id in self.var_kinds:
                    self.problem(path, f"id '{var_id}' is already used by another meter, faction or flag")
                    continue
                body = self.table(body, path)
                if body is None:
                    continue
                self.var_kinds[var_id] = kind
                if kind is VarKind.METER:
                    self.meters.add(var_id)
                    if body.get("hidden") is True:
                        self.hidden.add(var_id)
                if kind is VarKind.FLAG and body.get("hidden") is True:
                    self.hidden.add(var_id)
                tables.append((var_id, kind, keys, path, body))
        if not any(k is VarKind.METER for k in self.var_kinds.values()):
            self.problem("meters", "a scenario needs at least one meter ([meters.ID])")
        if len(tables) > LIMITS["variables"]:
            self.problem("meters", f"too many variables ({len(tables)}; at most {LIMITS['variables']})")
        out = []
        for var_id, kind, keys, path, body in tables:
            self.check_keys(body, keys, path)
            v = self.variable(var_id, kind, path, body)
            if v is not None:
                out.append(v)
        order = {VarKind.METER: 0, VarKind.FACTION: 1, VarKind.FLAG: 2}
        return sorted(out, key=lambda v: order[v.kind])  # stable: file order within a kind

    def variable(self, var_id: str, kind: VarKind, p: str, body: dict) -> Variable | None:
        label = self.text(body, "label", p, limit=80)
        description = self.text(body, "description", p, default="", limit=1000)
        extra: dict[str, Any] = {}
        if kind is VarKind.FLAG:
            lo = self.integer(body, "min", p, default=0)
            hi = self.integer(body, "max", p, default=1)
            if lo is None or hi is None:
                return None
            if hi <= lo:
                self.problem(f"{p}.max", f"max ({hi}) must be greater than min ({lo})")
                return None
            start = self.integer(body, "start", p, default=lo)
            start_range = (float(start if start is not None else lo),) * 2
            stages = self.strings(body, "stages", p)
            if stages and len(stages) != hi - lo + 1:
                self.problem(
                    f"{p}.stages",
                    f"needs exactly {hi - lo + 1} names (one for each value {lo}..{hi}), not {len(stages)}",
                )
            extra.update(stages=stages, ladder=self.boolean(body, "ladder", p), hidden=self.boolean(body, "hidden", p))
            if extra["ladder"] and not stages:
                self.problem(f"{p}.ladder", "a ladder needs 'stages' naming its rungs")
        else:
            if kind is VarKind.FACTION:
                lo, hi = 0.0, 100.0
                if self.fmt >= 2 and isinstance(body.get("weight"), str):
                    wexpr = self.expr(body["weight"], f"{p}.weight")
                    if wexpr is not None and any(n.id == "support" for n in names_in(wexpr.node)):
                        self.problem(
                            f"{p}.weight",
                            "a faction's weight cannot depend on 'support' (support is "
                            "the weighted mean of the factions)",
                        )
                        wexpr = None
                    extra.update(weight=1.0, weight_expr=wexpr)
                else:
                    weight = self.number(body, "weight", p, default=1.0)
                    if weight is not None and weight < 0:
                        self.problem(f"{p}.weight", "must not be negative")
                    extra["weight"] = weight or 0.0
            else:
                lo = self.number(body, "min", p, default=0.0)
                hi = self.number(body, "max", p, default=100.0)
                if lo is None or hi is None:
                    return None
                if hi <= lo:
                    self.problem(f"{p}.max", f"max ({hi:g}) must be greater than min ({lo:g})")
                    return None
                extra.update(self.meter_extras(body, p, lo, hi))
            start_range = self.start_range(body, p, lo, hi)
            if "drift" in body:
                extra["drift"] = self.expr(body["drift"], f"{p}.drift")
        if start_range is None:
            return None
        for s in start_range:
            if not lo <= s <= hi:
                self.problem(f"{p}.start", f"start {s:g} is outside the bounds {lo:g}..{hi:g}")
                return None
        return Variable(
            id=var_id,
            kind=kind,
            label=label,
            description=description,
            min=float(lo),
            max=float(hi),
            start=start_range,
            **extra,
        )

    def glossary(self, raw: dict) -> list[tuple[str, str]]:
        if "glossary" not in raw:
            return []
        t = self.table(raw["glossary"], "glossary")
        out = []
        for term, definition in (t or {}).items():
            if not isinstance(definition, str):
                self.problem(f"glossary.{term}", f"must be a string, not {_kind(definition)}")
            else:
                out.append((term, definition))
        return out

    def history(self, raw: dict) -> list[tuple[int, str]]:
        """``[history]``: what really happened, keyed by month ("2020-02" = "..."), shown beside the player's
        own term on the ending screen; returned as (turn, text) in date order."""
        if "history" not in raw:
            return []
        t = self.table(raw["history"], "history")
        out = []
        for date, text in (t or {}).items():
            path = f"history.{date}"
            if not isinstance(text, str):
                self.problem(path, f"must be a string, not {_kind(text)}")
                continue
            if len(text) > 4000:
                self.problem(path, f"is {len(text)} characters long; keep a history note under 4000")
                continue
            turn = self.date({date: date}, date, "history")
            if turn is None:
                continue
            self.placeholders(text, path, allow_hidden=True)
            out.append((turn, text))
        return sorted(out, key=lambda item: item[0])

    def rules(self, raw: dict) -> list[Rule]:
        out, seen = [], set()
        for p, t in self.array_of_tables(raw, "rules", "", LIMITS["events"]):
            self.check_keys(t, RULE_KEYS, p)
            rid = self.ident(t, p, seen, "rule")
            when = self.expr(t["when"], f"{p}.when") if "when" in t else None
            out.append(
                Rule(
                    rid, self.text(t, "label", p, limit=120), when, tuple(self.effects(t, p)), tuple(self.follows(t, p))
                )
            )
        return out

    def endings(self, raw: dict) -> list[Ending]:
        out, seen = [], set()
        for p, t in self.array_of_tables(raw, "endings", "", 100):
            self.check_keys(t, ENDING_KEYS, p)
            eid = self.ident(t, p, seen, "ending")
            epilogue = self.text(t, "epilogue", p)
            history = self.text(t, "history", p, default="")
            self.placeholders(epilogue, f"{p}.epilogue", allow_hidden=True)
            self.placeholders(history, f"{p}.history", allow_hidden=True)
            out.append(
                Ending(
                    id=eid,
                    title=self.text(t, "title", p, limit=120),
                    epilogue=epilogue,
                    early=self.boolean(t, "early", p),
                    when=self.expr(t["when"], f"{p}.when") if "when" in t else None,
                    history=history,
                    bonus=self.number(t, "bonus", p, default=0.0) or 0.0,
                )
            )
        finals = [e for e in out if not e.early]
        if not finals:
            self.problem("endings", "at least one final ending ([[endings]] without 'early = true') is needed")
        elif finals[-1].when is not None:
            self.problem(
                "endings",
                f"the last final ending ('{finals[-1].id}') must have no 'when', so that some ending always applies",
            )
        return out

    def score(self, raw: dict) -> list[ScoreComponent]:
        out, seen = [], set()
        for p, t in self.array_of_tables(raw, "score", "", 50):
            self.check_keys(t, SCORE_KEYS, p)
            sid = self.ident(t, p, seen, "score component")
            value = self.expr(t.get("value", 0), f"{p}.value") if "value" in t else None
            if "value" not in t:
                self.problem(p, "missing required key 'value'")
            over_text = self.text(t, "over", p, default="final")
            over = SCORE_OVER.get(over_text)
            if over is None:
                self.problem(
                    f"{p}.over",
                    'must be "final" (the value on the last day) or "term" (the mean over '
                    f"the turns played), not '{over_text}'{did_you_mean(over_text, SCORE_OVER)}",
                )
            out.append(
                ScoreComponent(
                    sid,
                    self.text(t, "label", p, limit=80),
                    value or Expr.number(0.0),
                    self.number(t, "weight", p, default=1.0) or 0.0,
                    over or ScoreOver.FINAL,
                )
            )
        if not out:
            self.problem("score", "a scenario needs at least one [[score]] component")
        return out

    def consultations(self, raw: dict) -> int:
        if "advice" not in raw:
            return 0
        t = self.table(raw["advice"], "advice")
        if t is None:
            return 0
        self.check_keys(t, ADVICE_KEYS, "advice")
        return self.integer(t, "consultations", "advice", default=0, low=0, high=MAX_CONSULTATIONS) or 0

    def advisers(self, raw: dict, variables: list[Variable], score: list[ScoreComponent]) -> list[Adviser]:
        out, seen = [], set()
        keys = ["score", *(c.id for c in score), *(v.id for v in variables)]
        for p, t in self.array_of_tables(raw, "advisers", "", MAX_ADVISERS):
            self.check_keys(t, ADVISER_KEYS, p)
            aid = self.ident(t, p, seen, "adviser")
            weights = []
            table = self.table(t.get("weights", {}), f"{p}.weights") if "weights" in t else None
            if "weights" not in t:
                self.problem(
                    p,
                    "missing required key 'weights' (what this adviser cares about, e.g. "
                    "weights = { economy = 2, score = 1 })",
                )
            for key, value in (table or {}).items():
                sub = f"{p}.weights.{key}"
                if key not in keys:
                    self.problem(
                        sub,
                        f"unknown '{key}'{did_you_mean(key, keys)}: use a score component id, a variable id or 'score'",
                    )
                elif (
                    isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) > 1e6
                ):
                    self.problem(sub, f"must be a number, not {value!r}")
                else:
                    weights.append((key, float(value)))
            if table is not None and not table:
                self.problem(f"{p}.weights", "needs at least one weight")
            out.append(
                Adviser(
                    id=aid,
                    name=self.text(t, "name", p, limit=80),
                    title=self.text(t, "title", p, limit=80),
                    leaning=self.text(t, "leaning", p, limit=400),
                    weights=tuple(weights),
                )
            )
        return out
