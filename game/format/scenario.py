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

from ..errors import Problem, ScenarioError, did_you_mean, suggestion_budget
from ..expr import FUNCTIONS
from ..model import (
    BUILTIN_NAMES,
    Adviser,
    Branch,
    Ending,
    Event,
    Expr,
    Option,
    Rule,
    Scenario,
    ScoreComponent,
    ScoreOver,
    Variable,
    VarKind,
)
from .files import FileRefused, read_bounded
from .scenario_reader import DATE_RE, ScenarioReader, split_paragraphs
from .toml_reader import ID_RE
from .toml_reader import MISSING as _MISSING
from .toml_reader import describe as _kind

__all__ = ["FORMATS", "FORMAT_VERSION", "LIMITS", "V2_KEYS", "load_scenario", "load_scenario_bytes",
           "load_scenario_text", "split_paragraphs"]

FORMAT_VERSION = 2  # the newest format; every format in FORMATS is read
FORMATS = (1, 2)
LIMITS = {
    "file_bytes": 2_000_000,
    "source_bytes": 2_000_000,
    "variables": 200,
    "events": 1000,
    "options": 12,
    "branches": 8,
    "turns": 600,
    "decisions": 5,
    "text": 20_000,
    "list": 1000,
}
SCENARIO_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
# tomllib takes time cubic in the parts of a dotted key (10,000 parts: seconds; 50,000: minutes), so keys
# and table headers with absurdly many parts are refused before parsing. Real scenarios need 3 or 4.
MAX_KEY_PARTS = 32
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
# A dotted key starts a line or a table header, or follows '{' or ',' inside an inline table. The repeat is
# exact, not open-ended, so the scan stops at the first key that is too deep: linear time for any text.
DEEP_KEY_RE = re.compile(rf"(?:^[ \t]*\[{{0,2}}|[{{,])[ \t]*(?:{_KEY_PART}[ \t]*\.[ \t]*){{{MAX_KEY_PARTS}}}",
                         re.MULTILINE)
PLACEHOLDER_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
RESERVED = set(BUILTIN_NAMES) | set(FUNCTIONS) | {"and", "or", "not"}

TOP_KEYS = ("format", "scenario", "meters", "flags", "factions", "glossary", "history", "rules", "events",
            "endings", "score", "advice", "advisers")
SCENARIO_KEYS = ("id", "title", "summary", "role", "start", "turns", "unit", "decisions", "source",
                 "source_title", "version", "authors")
METER_KEYS = ("label", "description", "min", "max", "start", "drift", "good", "bands", "hidden", "noise",
              "format", "unit")
FLAG_KEYS = ("label", "description", "min", "max", "start", "stages", "ladder", "hidden")
FACTION_KEYS = ("label", "description", "start", "weight", "drift")
RULE_KEYS = ("id", "label", "when", "effects", "set", "follow")
EVENT_KEYS = ("id", "title", "text", "cite", "when", "weight", "once", "cooldown", "date", "from", "until",
              "tags", "effects", "set", "follow", "branches", "options")
OPTION_KEYS = ("id", "label", "outcome", "cite", "available", "cost", "effects", "set", "follow",
               "branches", "tags")
BRANCH_KEYS = ("chance", "text", "effects", "set", "follow")
ENDING_KEYS = ("id", "title", "early", "when", "epilogue", "history", "bonus")
SCORE_KEYS = ("id", "label", "value", "weight", "over")
# keys that only format 2 reads; in a format-1 file each is reported with the fix ("format = 2")
V2_KEYS = frozenset({"over"})
SCORE_OVER = {o.value: o for o in ScoreOver}
ADVICE_KEYS = ("consultations",)
ADVISER_KEYS = ("id", "name", "title", "leaning", "weights")
MAX_ADVISERS = 4
MAX_CONSULTATIONS = 1000
UNITS = {"month": 1, "quarter": 3, "year": 12}



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
    return scenario.__class__(**{**_fields(scenario), "sha256": hashlib.sha256(data).hexdigest()})


def _fields(obj) -> dict[str, Any]:
    import attrs

    return {f.name: getattr(obj, f.name) for f in attrs.fields(type(obj))}


def load_scenario_text(text: str, name: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    """Validate TOML text; ``base_dir`` is where a relative ``source`` is looked for."""
    if "\x00" in text:
        raise ScenarioError([Problem(name, None, "", "contains NUL bytes (is this a binary file?)")])
    if not text.strip():
        raise ScenarioError([Problem(name, None, "", "the file is empty; a scenario starts with "
                                                     "'format = 1' and a [scenario] table")])
    deep = DEEP_KEY_RE.search(text)
    if deep:
        line = text.count("\n", 0, deep.start()) + 1
        raise ScenarioError([Problem(name, line, "", f"key nested too deeply (more than {MAX_KEY_PARTS} "
                                                     "dotted parts)")])
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


class _Builder(ScenarioReader):
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
        variables = self.variables(raw)
        self.event_ids = dict.fromkeys(e.get("id") for e in raw.get("events", []) if isinstance(e, dict)
                                       and isinstance(e.get("id"), str))
        glossary = self.glossary(raw)
        history = self.history(raw)
        rules = self.rules(raw)
        events = self.events(raw)
        endings = self.endings(raw)
        score = self.score(raw)
        advisers = self.advisers(raw, variables, score)
        consultations = self.consultations(raw)
        if self.problems or info is None:
            return None
        return Scenario(variables=tuple(variables), events=tuple(events), endings=tuple(endings),
                        score=tuple(score), rules=tuple(rules), glossary=tuple(glossary), path=self.name,
                        history=tuple(history), advisers=tuple(advisers), consultations=consultations,
                        format=self.fmt, **info)

    def scenario_meta(self, meta: dict) -> dict | None:
        p = "scenario"
        self.check_keys(meta, SCENARIO_KEYS, p)
        sid = self.text(meta, "id", p)
        if sid and not SCENARIO_ID_RE.match(sid):
            self.problem(f"{p}.id", f"'{sid}' is not a valid scenario id: lower-case letters, digits, '-' and "
                                    "'_' (e.g. 'manila-2019')")
        unit = self.text(meta, "unit", p, default="month")
        if unit not in UNITS:
            self.problem(f"{p}.unit", f"unknown unit '{unit}'{did_you_mean(unit, UNITS)}; use month, quarter "
                                      "or year")
            unit = "month"
        self.months_per_turn = UNITS[unit]
        start = self.text(meta, "start", p)
        m = DATE_RE.match(start) if start else None
        if start and (not m or not 1 <= int(m.group(2)) <= 12):
            self.problem(f"{p}.start", f"'{start}' is not a date; write \"YYYY-MM\", e.g. \"2019-10\"")
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
            id=sid, title=self.text(meta, "title", p, limit=200), summary=self.text(meta, "summary", p),
            role=self.text(meta, "role", p, limit=200), start_year=self.start[0] if self.start else 2000,
            start_month=self.start[1] if self.start else 1, turns=self.turns, unit=unit,
            decisions=decisions or 1, paragraphs=paragraphs,
            source_title=self.text(meta, "source_title", p, default="", limit=300),
            version=self.text(meta, "version", p, default="1", limit=40),
            authors=self.strings(meta, "authors", p),
        )
        return info if self.start and turns else None

    def variables(self, raw: dict) -> list[Variable]:
        sections = (("meters", VarKind.METER, METER_KEYS), ("factions", VarKind.FACTION, FACTION_KEYS),
                    ("flags", VarKind.FLAG, FLAG_KEYS))
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
                    self.problem(path, f"'{var_id}' is not a valid id: use a lower-case letter, then letters, "
                                       "digits or '_'")
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
                self.problem(f"{p}.stages", f"needs exactly {hi - lo + 1} names (one for each value {lo}..{hi}),"
                                            f" not {len(stages)}")
            extra.update(stages=stages, ladder=self.boolean(body, "ladder", p),
                         hidden=self.boolean(body, "hidden", p))
            if extra["ladder"] and not stages:
                self.problem(f"{p}.ladder", "a ladder needs 'stages' naming its rungs")
        else:
            if kind is VarKind.FACTION:
                lo, hi = 0.0, 100.0
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
        return Variable(id=var_id, kind=kind, label=label, description=description, min=float(lo),
                        max=float(hi), start=start_range, **extra)

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
            out.append(Rule(rid, self.text(t, "label", p, limit=120), when, tuple(self.effects(t, p)),
                            tuple(self.follows(t, p))))
        return out

    def events(self, raw: dict) -> list[Event]:
        out, seen = [], set()
        for p, t in self.array_of_tables(raw, "events", "", LIMITS["events"]):
            self.check_keys(t, EVENT_KEYS, p)
            eid = self.ident(t, p, seen, "event")
            text = self.text(t, "text", p)
            self.placeholders(text, f"{p}.text")
            title = self.text(t, "title", p, limit=120)
            self.placeholders(title, f"{p}.title")
            weight = self.expr(t.get("weight", 1), f"{p}.weight")
            if weight is not None and weight.constant is not None and weight.constant < 0:
                self.problem(f"{p}.weight", "must not be negative")
            options = [self.option(sub, o) for sub, o in self.array_of_tables(t, "options", p, LIMITS["options"])]
            option_ids = set()
            for i, o in enumerate(options):
                if o.id in option_ids:
                    self.problem(f"{p}.options[{i}].id", f"duplicate option id '{o.id}' in this event")
                option_ids.add(o.id)
            if options and not any(o.always_available for o in options):
                self.problem(f"{p}.options", "at least one option must always be available (no 'available' "
                                             "and no 'cost'), so a decision can never be stuck")
            event = Event(
                id=eid, title=title, text=text, cite=self.cites(t, p),
                when=self.expr(t["when"], f"{p}.when") if "when" in t else None,
                weight=weight or Expr.number(1.0), once=self.boolean(t, "once", p),
                cooldown=self.integer(t, "cooldown", p, default=0, low=0, high=LIMITS["turns"]) or 0,
                date_turn=self.date(t, "date", p), from_turn=self.date(t, "from", p),
                until_turn=self.date(t, "until", p), tags=self.strings(t, "tags", p),
                effects=tuple(self.effects(t, p)), follow=tuple(self.follows(t, p)), branches=self.branches(t, p),
                options=tuple(options),
            )
            if event.from_turn and event.until_turn and event.until_turn < event.from_turn:
                self.problem(f"{p}.until", "'until' is before 'from'")
            if event.date_turn is not None and ("from" in t or "until" in t):
                self.problem(f"{p}.date", "a dated event cannot also have 'from'/'until'")
            out.append(event)
        return out

    def branches(self, t: dict, p: str) -> tuple[Branch, ...]:
        out = []
        for sub, b in self.array_of_tables(t, "branches", p, LIMITS["branches"]):
            self.check_keys(b, BRANCH_KEYS, sub)
            chance = self.expr(b.get("chance"), f"{sub}.chance") if "chance" in b else None
            if "chance" not in b:
                self.problem(sub, "missing required key 'chance' (a probability 0..1 or an expression)")
            elif chance is not None and chance.constant is not None and not 0 <= chance.constant <= 1:
                self.problem(f"{sub}.chance", f"a probability must be between 0 and 1, not {chance.constant:g}")
            text = self.text(b, "text", sub, default="")
            self.placeholders(text, f"{sub}.text")
            out.append(Branch(chance or Expr.number(0.0), text, tuple(self.effects(b, sub)),
                              tuple(self.follows(b, sub))))
        return tuple(out)

    def option(self, p: str, t: dict) -> Option:
        self.check_keys(t, OPTION_KEYS, p)
        oid = self.ident(t, p, set(), "option")
        label = self.text(t, "label", p, limit=300)
        outcome = self.text(t, "outcome", p, default="")
        self.placeholders(label, f"{p}.label")
        self.placeholders(outcome, f"{p}.outcome")
        cost = []
        if "cost" in t:
            ct = self.table(t["cost"], f"{p}.cost") or {}
            for var, amount in ct.items():
                sub = f"{p}.cost.{var}"
                if self.var_kinds.get(var) is not VarKind.METER:
                    self.problem(sub, f"costs are paid from meters; '{var}' is not a meter"
                                 f"{did_you_mean(var, self.meters)}")
                elif isinstance(amount, bool) or not isinstance(amount, (int, float)):
                    self.problem(sub, f"a cost must be a number, not {_kind(amount)}")
                elif not 0 < amount <= 1e9:
                    self.problem(sub, "a cost must be a positive number (use effects for gains)")
                else:
                    cost.append((var, float(amount)))
        return Option(
            id=oid, label=label, outcome=outcome, cite=self.cites(t, p),
            available=self.expr(t["available"], f"{p}.available") if "available" in t else None,
            cost=tuple(cost), effects=tuple(self.effects(t, p)), follow=tuple(self.follows(t, p)),
            branches=self.branches(t, p), tags=self.strings(t, "tags", p),
        )

    def endings(self, raw: dict) -> list[Ending]:
        out, seen = [], set()
        for p, t in self.array_of_tables(raw, "endings", "", 100):
            self.check_keys(t, ENDING_KEYS, p)
            eid = self.ident(t, p, seen, "ending")
            epilogue = self.text(t, "epilogue", p)
            history = self.text(t, "history", p, default="")
            self.placeholders(epilogue, f"{p}.epilogue", allow_hidden=True)
            self.placeholders(history, f"{p}.history", allow_hidden=True)
            out.append(Ending(
                id=eid, title=self.text(t, "title", p, limit=120), epilogue=epilogue,
                early=self.boolean(t, "early", p), when=self.expr(t["when"], f"{p}.when") if "when" in t else None,
                history=history, bonus=self.number(t, "bonus", p, default=0.0) or 0.0,
            ))
        finals = [e for e in out if not e.early]
        if not finals:
            self.problem("endings", "at least one final ending ([[endings]] without 'early = true') is needed")
        elif finals[-1].when is not None:
            self.problem("endings", f"the last final ending ('{finals[-1].id}') must have no 'when', so that "
                                    "some ending always applies")
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
                self.problem(f"{p}.over", "must be \"final\" (the value on the last day) or \"term\" (the mean over "
                             f"the turns played), not '{over_text}'{did_you_mean(over_text, SCORE_OVER)}")
            out.append(ScoreComponent(sid, self.text(t, "label", p, limit=80), value or Expr.number(0.0),
                                      self.number(t, "weight", p, default=1.0) or 0.0, over or ScoreOver.FINAL))
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
                self.problem(p, "missing required key 'weights' (what this adviser cares about, e.g. "
                                "weights = { economy = 2, score = 1 })")
            for key, value in (table or {}).items():
                sub = f"{p}.weights.{key}"
                if key not in keys:
                    self.problem(sub, f"unknown '{key}'{did_you_mean(key, keys)}: use a score component id, a "
                                      "variable id or 'score'")
                elif isinstance(value, bool) or not isinstance(value, (int, float)) or value != value \
                        or abs(value) > 1e6:
                    self.problem(sub, f"must be a number, not {value!r}")
                else:
                    weights.append((key, float(value)))
            if table is not None and not table:
                self.problem(f"{p}.weights", "needs at least one weight")
            out.append(Adviser(id=aid, name=self.text(t, "name", p, limit=80), title=self.text(t, "title", p, limit=80),
                               leaning=self.text(t, "leaning", p, limit=400), weights=tuple(weights)))
        return out
