"""Static facts about a scenario, for ``lint``: where things happen, who changes and reads each variable,
which values a variable can take, and whether a condition can ever hold.

Everything here is *conservative*: "cannot hold" is only said when it is certain from the bounds, so a
warning built on it is never a false alarm. Two variables are treated as independent (``x > 50 and
x < 40`` is not detected), and a variable changed by any delta may take any value within its bounds.

Key paths match the loader's (``events[2].options[0]``), so ``game.format.lines`` can place them in the file.

A variable counts as *read* wherever an expression names it and wherever a text shows it: ``{ID}``,
``{ID.band}``, ``{ID.estimate}`` and, in format 2, the expressions of ``{if ...}`` and ``{= ...}``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from attrs import frozen

from ..expr import COMPARISONS, Binary, Name, Node, Num, Unary, interval, names_in
from ..expr.template import TemplateError, parse_template
from ..expr.template import expressions as text_expressions
from ..model import PLACEHOLDER_RE, Effect, EffectMode, Expr, FollowUp, Scenario, VarKind

__all__ = [
    "Facts",
    "Site",
    "analyse",
    "can_hold",
    "clause_text",
    "clauses",
    "describe_ranges",
    "expressions",
    "implies",
    "narrowed",
    "sites",
    "text_reads",
    "var_path",
]

_SECTION = {VarKind.METER: "meters", VarKind.FACTION: "factions", VarKind.FLAG: "flags"}


def var_path(scenario: Scenario, var_id: str) -> str:
    """``meters.ID``, ``factions.ID`` or ``flags.ID``."""
    return f"{_SECTION[scenario.variable(var_id).kind]}.{var_id}"


@frozen
class Site:
    """A place whose changes happen together: a rule, an event firing, an option or a branch."""

    path: str
    kind: str  # rule, event, option, branch
    event: int | None  # index of the event it belongs to (None for rules)
    effects: tuple[Effect, ...] = ()
    follow: tuple[FollowUp, ...] = ()
    cost: tuple[tuple[str, float], ...] = ()


def sites(s: Scenario) -> Iterator[Site]:
    for i, r in enumerate(s.rules):
        yield Site(f"rules[{i}]", "rule", None, r.effects, r.follow)
    for i, e in enumerate(s.events):
        yield Site(f"events[{i}]", "event", i, e.effects, e.follow)
        for k, b in enumerate(e.branches):
            yield Site(f"events[{i}].branches[{k}]", "branch", i, b.effects, b.follow)
        for j, o in enumerate(e.options):
            p = f"events[{i}].options[{j}]"
            yield Site(p, "option", i, o.effects, o.follow, o.cost)
            for k, b in enumerate(o.branches):
                yield Site(f"{p}.branches[{k}]", "branch", i, b.effects, b.follow)


def expressions(s: Scenario) -> Iterator[tuple[str, Expr]]:
    """Every expression in the scenario with its key path."""
    for v in s.variables:
        if v.drift is not None:
            yield f"{var_path(s, v.id)}.drift", v.drift
        if v.weight_expr is not None:
            yield f"{var_path(s, v.id)}.weight", v.weight_expr
    for i, r in enumerate(s.rules):
        if r.when is not None:
            yield f"rules[{i}].when", r.when
    for i, e in enumerate(s.events):
        if e.when is not None:
            yield f"events[{i}].when", e.when
        yield f"events[{i}].weight", e.weight
        if e.chance is not None:
            yield f"events[{i}].chance", e.chance
        for k, b in enumerate(e.branches):
            yield f"events[{i}].branches[{k}].chance", b.chance
        for j, o in enumerate(e.options):
            if o.available is not None:
                yield f"events[{i}].options[{j}].available", o.available
            if o.visible is not None:
                yield f"events[{i}].options[{j}].visible", o.visible
            for k, b in enumerate(o.branches):
                yield f"events[{i}].options[{j}].branches[{k}].chance", b.chance
    for site in sites(s):
        for eff in site.effects:
            yield f"{site.path}.{'effects' if eff.mode is EffectMode.ADD else 'set'}.{eff.var}", eff.value
    for i, end in enumerate(s.endings):
        if end.when is not None:
            yield f"endings[{i}].when", end.when
    for i, c in enumerate(s.score):
        yield f"score[{i}].value", c.value


@frozen
class Facts:
    """What the static analysis found; ``bounds`` and ``values`` feed ``can_hold``."""

    changed: frozenset[str]  # variables something changes (drift, effect, set or cost)
    read: frozenset[str]  # variables some expression reads (``support`` reads every faction)
    bounds: dict[str, tuple[float, float]]  # every name an expression may use -> its possible range
    values: dict[str, frozenset[float]]  # variables that only ever take these few values
    follow_targets: dict[str, list[str]]  # event id -> paths of the follow-ups that schedule it


def analyse(s: Scenario) -> Facts:
    changed: set[str] = set()
    sets: dict[str, list[Expr]] = {}
    adds: set[str] = set()
    for v in s.variables:
        if v.drift is not None and v.drift.constant != 0.0:
            changed.add(v.id)
            adds.add(v.id)
    follow_targets: dict[str, list[str]] = {}
    for lasting in s.lastings():
        for var, _amount in lasting.changes:
            changed.add(var)
            adds.add(var)
    for site in sites(s):
        for eff in site.effects:
            changed.add(eff.var)
            if eff.mode is EffectMode.ADD:
                adds.add(eff.var)
            else:
                sets.setdefault(eff.var, []).append(eff.value)
        for var, _ in site.cost:
            changed.add(var)
            adds.add(var)
        for n, fu in enumerate(site.follow):
            follow_targets.setdefault(fu.event, []).append(f"{site.path}.follow[{n}]")
    read: set[str] = set()
    factions = {v.id for v in s.variables if v.kind is VarKind.FACTION}
    for _, expr in expressions(s):
        for name in names_in(expr.node):
            read.add(name.id)
    read |= text_reads(s)
    if "support" in read:
        read |= factions
    bounds: dict[str, tuple[float, float]] = {}
    values: dict[str, frozenset[float]] = {}
    for v in s.variables:
        if v.id not in changed:
            bounds[v.id] = v.start
            if v.start[0] == v.start[1]:
                values[v.id] = frozenset({v.start[0]})
        elif v.id not in adds and all(e.constant is not None for e in sets.get(v.id, ())):
            # only ever set to constants: a finite set of values (set values are clamped into bounds)
            found = {min(max(e.constant, v.min), v.max) for e in sets[v.id]}
            if v.start[0] == v.start[1]:
                found.add(v.start[0])
                values[v.id] = frozenset(found)
            bounds[v.id] = (min(min(found), v.start[0]), max(max(found), v.start[1]))
        else:
            bounds[v.id] = (v.min, v.max)
    faction_bounds = [bounds[f] for f in factions] or [(0.0, 0.0)]
    bounds.update(s.builtin_bounds(support=(min(b[0] for b in faction_bounds), max(b[1] for b in faction_bounds))))
    return Facts(frozenset(changed), frozenset(read), bounds, values, follow_targets)


def text_reads(s: Scenario) -> set[str]:
    """The names the scenario's texts show or test: placeholders (``{approval}``, ``{approval.band}``,
    ``{us_resolve.estimate}``) and, in format 2, the names in ``{if ...}`` and ``{= ...}`` expressions."""
    found: set[str] = set()
    for text in s.texts():
        if "{" not in text:
            continue
        for m in PLACEHOLDER_RE.finditer(text):
            if m.group(1):
                found.add(m.group(1).strip().split(".")[0])
        if s.format >= 2:
            try:
                parts = parse_template(text)
            except TemplateError:  # the loader reports it; lint only reads valid files
                continue
            for _text, node in text_expressions(parts):
                found |= {n.id for n in names_in(node)}
    return found


def clauses(node: Node) -> list[Node]:
    """The parts of a condition joined by ``and`` (the condition itself when it has no ``and``)."""
    if isinstance(node, Binary) and node.op == "and":
        return [*clauses(node.left), *clauses(node.right)]
    return [node]


def clause_text(expr: Expr, node: Node) -> str:
    """A clause as written in ``expr`` (in parentheses when it is an ``or``)."""
    text = expr.text[node.pos : node.end].strip() or expr.text
    return f"({text})" if isinstance(node, Binary) and node.op == "or" else text


def narrowed(node: Node, bounds: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """``bounds`` cut down by the clauses of ``node`` that compare a name with a number (``approval > 60``):
    a range that holds every state where the condition holds (strict and loose comparisons alike)."""
    out = dict(bounds)
    flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
    for c in clauses(node):
        if not (isinstance(c, Binary) and c.op in COMPARISONS):
            continue
        if isinstance(c.left, Name) and isinstance(c.right, Num):
            name, op, value = c.left.id, c.op, c.right.value
        elif isinstance(c.right, Name) and isinstance(c.left, Num):
            name, op, value = c.right.id, flip[c.op], c.left.value
        else:
            continue
        if name not in out:
            continue
        lo, hi = out[name]
        if op in (">", ">="):
            lo = max(lo, value)
        elif op in ("<", "<="):
            hi = min(hi, value)
        elif op == "==":
            lo, hi = max(lo, value), min(hi, value)
        if lo <= hi:
            out[name] = (lo, hi)
    return out


def implies(first: Node, second: Node, facts: Facts) -> bool:
    """Whether ``second`` surely holds wherever ``first`` does (from ``first``'s comparisons with numbers)."""
    within = narrowed(first, facts.bounds)
    return within != facts.bounds and not can_hold(second, facts, within)[1]


def can_hold(node: Node, facts: Facts, bounds: dict[str, tuple[float, float]] | None = None) -> tuple[bool, bool]:
    """``(can be true, can be false)`` for a condition, given the ranges of its names.

    Comparisons compare the intervals of both sides (``expr.interval``); ``==`` and ``!=`` between a
    variable with few possible values and a constant check membership.
    """
    b = bounds or facts.bounds
    if isinstance(node, Unary) and node.op == "not":
        t, f = can_hold(node.operand, facts, b)
        return f, t
    if isinstance(node, Binary) and node.op in ("and", "or"):
        lt, lf = can_hold(node.left, facts, b)
        rt, rf = can_hold(node.right, facts, b)
        if node.op == "and":
            return lt and rt, lf or rf
        return lt or rt, lf and rf
    if isinstance(node, Binary) and node.op in COMPARISONS:
        return _compare(node, facts, b)
    lo, hi = interval(node, b)
    return not (lo == 0.0 and hi == 0.0), lo <= 0.0 <= hi or math.isnan(lo)


def _compare(node: Binary, facts: Facts, b) -> tuple[bool, bool]:
    (alo, ahi), (blo, bhi) = interval(node.left, b), interval(node.right, b)
    op = node.op
    if op in ("==", "!="):
        known = _membership(node, facts, b)
        if known is not None:
            equal_possible, unequal_possible = known
        else:
            equal_possible = alo <= bhi and blo <= ahi
            unequal_possible = not (alo == ahi == blo == bhi)
        return (equal_possible, unequal_possible) if op == "==" else (unequal_possible, equal_possible)
    if op in (">", ">="):  # a > b is b < a
        (alo, ahi), (blo, bhi) = (blo, bhi), (alo, ahi)
        op = "<" if op == ">" else "<="
    if op == "<":
        return alo < bhi, ahi >= blo
    return alo <= bhi, ahi > blo


def _membership(node: Binary, facts: Facts, b) -> tuple[bool, bool] | None:
    """For ``var == constant`` where var takes few values: (may be equal, may differ)."""
    for var, other in ((node.left, node.right), (node.right, node.left)):
        if isinstance(var, Name) and var.id in facts.values:
            lo, hi = interval(other, b)
            if lo == hi:
                vals = facts.values[var.id]
                return lo in vals, vals != {lo}
    return None


def describe_ranges(node: Node, facts: Facts, bounds: dict[str, tuple[float, float]] | None = None) -> str:
    """``"cutters is only ever 0 or 1; approval is 0 to 100"`` for the names in a condition."""
    b = bounds or facts.bounds
    parts = []
    for name in dict.fromkeys(n.id for n in names_in(node)):
        if name in facts.values:
            vals = sorted(facts.values[name])
            shown = " or ".join(f"{v:g}" for v in vals) if len(vals) > 1 else f"always {vals[0]:g}"
            parts.append(f"{name} is {'only ever ' if len(vals) > 1 else ''}{shown}")
        elif name in b:
            lo, hi = b[name]
            parts.append(f"{name} is always {lo:g}" if lo == hi else f"{name} is {lo:g} to {hi:g}")
    return "; ".join(parts)
