"""How far values can stray outside their declared bounds before they are clamped.

Values are clamped after each phase and each decision, not after each change: a news event sees what earlier
news events of the same turn did, and a standing rule sees the drift and the earlier rules, unclamped. The
numpy compiler skips its overflow clean-up where the interval analysis proves an expression stays small, so
the analysis must be given ranges that hold where the expression runs. This module computes them: the
declared bounds widened, bundle by bundle in the order the engine applies them, by what each bundle may add
or set. The ranges are conservative (a bundle may or may not apply; a range only grows) and tight enough that
ordinary scenarios keep the fast path: only expressions that could really overflow pay for the clean-up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..expr import MAX_CONSTANT, RESULT_LIMIT, interval, largest
from ..model import Effect, EffectMode, Expr, Scenario, VarKind

__all__ = ["Ranges", "news_ranges", "rule_ranges"]

Ranges = Mapping[str, tuple[float, float]]


def rule_ranges(scenario: Scenario, clamped: Ranges) -> list[Ranges]:
    """The ranges each standing rule (file order) sees: after the drift and the rules before it."""
    flags = _flags(scenario)
    ranges = dict(clamped)
    for v in scenario.variables:  # every drift is computed from the clamped state, then added
        if v.drift is not None:
            d = _value_range(v.drift, clamped, v.id in flags)
            ranges[v.id] = _union(ranges[v.id], _shift(clamped[v.id], d))
    out: list[Ranges] = []
    for rule in scenario.rules:
        seen = _with_support(scenario, ranges)
        out.append(seen)
        ranges = _after(ranges, seen, rule.effects, flags)
    return out


def news_ranges(scenario: Scenario, clamped: Ranges) -> dict[int, Ranges]:
    """The ranges each news event (by index) sees when it fires: after the news events before it in the file."""
    flags = _flags(scenario)
    ranges = dict(clamped)
    out: dict[int, Ranges] = {}
    for e, event in enumerate(scenario.events):
        if not event.is_news:
            continue
        seen = _with_support(scenario, ranges)
        out[e] = seen
        ranges = _after(ranges, seen, event.effects, flags)
        for branch in event.branches:  # computed from the state before the event, applied after its effects
            ranges = _after(ranges, seen, branch.effects, flags)
    return out


def _flags(scenario: Scenario) -> set[str]:
    return {v.id for v in scenario.variables if v.kind is VarKind.FLAG}


def _after(
    ranges: dict[str, tuple[float, float]], seen: Ranges, effects: Sequence[Effect], flags: set[str]
) -> dict[str, tuple[float, float]]:
    """Ranges once a bundle may have applied: adds, then sets, each value computed from ``seen``."""
    out = dict(ranges)
    adds_first = [e for e in effects if e.mode is EffectMode.ADD] + [e for e in effects if e.mode is not EffectMode.ADD]
    for eff in adds_first:
        value = _value_range(eff.value, seen, eff.var in flags)
        reached = _shift(out[eff.var], value) if eff.mode is EffectMode.ADD else value
        out[eff.var] = _union(out[eff.var], reached)
    return out


def _value_range(expr: Expr, seen: Ranges, is_flag: bool) -> tuple[float, float]:
    """What an effect's value can be: the interval, or the sanitised range where the compiler cleans up."""
    if largest(expr.node, seen) <= MAX_CONSTANT:  # compile_numpy computes it as it is
        lo, hi = interval(expr.node, seen)
    else:  # compile_numpy cleans it up: NaN becomes 0, the rest is limited to this range
        lo, hi = -RESULT_LIMIT, RESULT_LIMIT
    if is_flag:  # rounded half away from zero
        lo, hi = lo - 1.0, hi + 1.0
    return lo, hi


def _shift(r: tuple[float, float], d: tuple[float, float]) -> tuple[float, float]:
    return r[0] + d[0], r[1] + d[1]


def _union(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return min(a[0], b[0]), max(a[1], b[1])


def _with_support(scenario: Scenario, ranges: dict[str, tuple[float, float]]) -> Ranges:
    """``support`` is a weighted mean with non-negative weights, so it lies between its factions' extremes."""
    factions = [
        v.id for v in scenario.variables if v.kind is VarKind.FACTION and (v.weight > 0 or v.weight_expr is not None)
    ]
    out = dict(ranges)
    if factions:
        lo = min(ranges[f][0] for f in factions)
        hi = max(ranges[f][1] for f in factions)
        out["support"] = _union(ranges.get("support", (lo, hi)), (lo, hi))
    return out
