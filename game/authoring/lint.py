"""``lint``: what is valid but probably wrong in a scenario.

Two kinds of check. *Static* checks read the model (``analysis``) and are certain: a condition that
cannot hold within the variables' bounds, an event nothing can trigger, a meter nothing changes. *Simulated*
checks play seeded games with the cheap built-in policies (``random`` and ``prefer:TAG`` for every
side (``scenario.sides``), the games split evenly between them) and report what never happened; they are only as
strong as the number of games, but stable for a given seed.

A condition of several clauses (``a and b and c``) that cannot hold, or never held in the games, is
reported with the clause that blocks it. The simulated checks live in ``lint_sim``.

Each finding has a short ``code`` (see ``CODES``), a key path and a message; ``str()`` gives
``FILE:LINE: key.path: message [code]`` like ``manila validate``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from attrs import evolve

from ..expr import Node, interval
from ..format.keys import LABEL_CELLS
from ..format.lines import line_of, locate_lines
from ..format.scenario import load_scenario
from ..model import PLACEHOLDER_RE, Expr, Scenario, VarKind
from .analysis import Facts, analyse, can_hold, clause_text, clauses, describe_ranges, implies, var_path
from .defaults import CODES, DEFAULT_LINT_GAMES
from .finding import Finding

__all__ = ["CODES", "DEFAULT_LINT_GAMES", "Finding", "lint_file", "lint_policies", "lint_scenario"]


def lint_file(path: str | Path, **options) -> list[Finding]:
    """Load (raising ``ScenarioError`` if the file is invalid) and lint a scenario file."""
    return lint_scenario(load_scenario(path), **options)


def lint_policies(scenario: Scenario) -> list[str]:
    return ["random", *(f"prefer:{t}" for t in scenario.sides)]


def lint_scenario(
    scenario: Scenario,
    text: str | None = None,
    *,
    games: int = DEFAULT_LINT_GAMES,
    seed: int = 0,
    workers: int = 1,
    simulate: bool = True,
) -> list[Finding]:
    """Every finding, in file order. ``text`` (for line numbers) is read from ``scenario.path`` if omitted."""
    facts = analyse(scenario)
    found: list[Finding] = []
    _static(scenario, facts, found)
    if simulate:
        from .lint_sim import simulated

        simulated(scenario, facts, found, games=games, seed=seed, workers=workers)
    if text is None and scenario.path and Path(scenario.path).is_file():
        text = Path(scenario.path).read_text(encoding="utf-8")
    lines = locate_lines(text) if text else {}
    placed = [evolve(f, file=scenario.path, line=line_of(lines, f.path)) for f in found]
    return sorted(placed, key=lambda f: f.line or 0)


# ------------------------------------------------------------------------------------------ static
def _static(s: Scenario, facts: Facts, out: list[Finding]) -> None:
    _variables(s, facts, out)
    _labels(s, out)
    for i, rule in enumerate(s.rules):
        if rule.when is not None and not can_hold(rule.when.node, facts)[0]:
            out.append(
                Finding(
                    "never-applies",
                    f"rules[{i}].when",
                    f"this rule never applies: {_cannot_hold(rule.when, facts)}",
                )
            )
    _events(s, facts, out)
    _endings(s, facts, out)
    _follow_once(s, facts, out)
    _placeholders(s, out)
    cited = {n for e in s.events for n in (*e.cite, *(n for o in e.options for n in o.cite))}
    for n, paragraph in enumerate(s.paragraphs, 1):
        if n not in cited:
            start = paragraph if len(paragraph) <= 50 else paragraph[:47] + "..."
            out.append(Finding("uncited", "scenario.source", f'source paragraph {n} is never cited: "{start}"'))


def _variables(s: Scenario, facts: Facts, out: list[Finding]) -> None:
    for v in s.variables:
        what = {VarKind.METER: "meter", VarKind.FACTION: "faction", VarKind.FLAG: "flag"}[v.kind]
        if v.id not in facts.changed:
            out.append(
                Finding(
                    "never-changed",
                    var_path(s, v.id),
                    f"{what} '{v.id}' is never changed: no drift, "
                    "rule, event, option or cost affects it, so it keeps its start value",
                )
            )
        elif v.kind is VarKind.FLAG and v.id not in facts.read:
            out.append(
                Finding(
                    "never-read",
                    var_path(s, v.id),
                    f"flag '{v.id}' is set but never read: no "
                    "condition, weight, chance, effect, score or ending uses it",
                )
            )


def _cannot_hold(expr: Expr, facts: Facts, bounds: dict[str, tuple[float, float]] | None = None) -> str:
    """Why a condition cannot hold: ``'x > 150' cannot hold (x is 0 to 100)``, naming the blocking clause
    of a condition with several."""
    parts = clauses(expr.node)
    blocking = [c for c in parts if not can_hold(c, facts, bounds)[0]] if len(parts) > 1 else []
    if not blocking:
        return f"'{expr.text}' cannot hold ({describe_ranges(expr.node, facts, bounds)})"
    which = " and ".join(f"'{clause_text(expr, c)}'" for c in blocking)
    names = _ranges_of(blocking, facts, bounds)
    return f"'{expr.text}' cannot hold: its clause {which} never holds ({names})"


def _ranges_of(nodes: list[Node], facts: Facts, bounds) -> str:
    return "; ".join(dict.fromkeys(r for n in nodes for r in describe_ranges(n, facts, bounds).split("; ") if r))


def _labels(s: Scenario, out: list[Finding]) -> None:
    """Labels longer than the interface shows (``LABEL_CELLS``): the player would read them cut with "…"."""

    def cut(path: str, what: str, text: str, cells: int) -> None:
        if len(text) > cells:
            out.append(
                Finding(
                    "label-cut",
                    path,
                    f"{what} '{text}' is {len(text)} characters; the interface shows {cells} and cuts the rest "
                    f"('{text[: cells - 1]}…')",
                )
            )

    for v in s.variables:
        p = var_path(s, v.id)
        if v.kind is VarKind.FLAG:
            if not v.hidden:
                for n, stage in enumerate(v.stages):
                    cut(f"{p}.stages[{n}]", "stage", stage, LABEL_CELLS["stage"])
            continue
        cut(f"{p}.label", "label", v.label, LABEL_CELLS["meter"])
        for n, band in enumerate(v.bands):
            cut(f"{p}.bands[{n}].label", "band", band.label, LABEL_CELLS["band"])


def _events(s: Scenario, facts: Facts, out: list[Finding]) -> None:
    for i, e in enumerate(s.events):
        p = f"events[{i}]"
        by_chance = e.chance is not None and interval(e.chance.node, facts.bounds)[1] > 0.0
        scheduled = e.date_turn is not None or e.id in facts.follow_targets or by_chance
        drawn = e.random and _max_weight(e, facts) >= 0.001  # the engine rounds weights to thousandths
        if not scheduled and not drawn:
            why = (
                f"its chance '{e.chance.text}' is never above 0, it has no date, and no follow-up schedules it"
                if e.chance is not None
                else "a news event (no options) fires only on its date, as a follow-up or by a chance"
                if e.is_news
                else "its weight is 0, it has no date, and no follow-up schedules it"
                if e.weight.constant == 0
                else f"its weight '{e.weight.text}' is never above 0, it has no date, and no follow-up schedules it"
            )
            out.append(Finding("never-fires", p, f"event '{e.id}' can never fire: {why}"))
            continue
        bounds = facts.bounds
        if drawn and not scheduled and (e.from_turn or e.until_turn):
            bounds = {**bounds, "turn": (float(e.from_turn or 1), float(e.until_turn or s.turns))}
        if e.when is not None and not can_hold(e.when.node, facts, bounds)[0]:
            out.append(
                Finding(
                    "never-fires", f"{p}.when", f"event '{e.id}' can never fire: {_cannot_hold(e.when, facts, bounds)}"
                )
            )
            continue
        _branches(e, p, facts, bounds, out)
        for j, o in enumerate(e.options):
            op = f"{p}.options[{j}]"
            if o.available is not None and not can_hold(o.available.node, facts, bounds)[0]:
                out.append(
                    Finding(
                        "never-available",
                        f"{op}.available",
                        f"option '{e.id}.{o.id}' can never be chosen: {_cannot_hold(o.available, facts, bounds)}",
                    )
                )
            for var, amount in o.cost:
                v = s.variable(var)
                if facts.bounds[var][1] - amount < v.min:
                    out.append(
                        Finding(
                            "never-available",
                            f"{op}.cost.{var}",
                            f"option '{e.id}.{o.id}' can "
                            f"never be paid for: it costs {amount:g} {var}, which never exceeds "
                            f"{facts.bounds[var][1]:g} (minimum {v.min:g})",
                        )
                    )
            _branches(o, op, facts, bounds, out)


def _max_weight(e, facts: Facts) -> float:
    return interval(e.weight.node, facts.bounds)[1]


def _branches(o, op: str, facts: Facts, bounds, out: list[Finding]) -> None:
    certain = 0.0  # the smallest total chance of the branches so far
    for k, b in enumerate(o.branches):
        lo, hi = interval(b.chance.node, bounds)
        path = f"{op}.branches[{k}].chance"
        if certain >= 1.0:
            out.append(
                Finding(
                    "never-applies",
                    path,
                    "this branch never happens: the branches before it always take the whole chance",
                )
            )
        elif hi <= 0.0:
            out.append(
                Finding(
                    "never-applies", path, f"this branch never happens: its chance '{b.chance.text}' is never above 0"
                )
            )
        certain += max(0.0, min(lo, 1.0)) if math.isfinite(lo) else 0.0


def _endings(s: Scenario, facts: Facts, out: list[Finding]) -> None:
    always: str | None = None  # the first final ending that always applies
    order = [k for k, e in enumerate(s.endings) if e.early] + [k for k, e in enumerate(s.endings) if not e.early]
    for k, end in enumerate(s.endings):
        p = f"endings[{k}]"
        if not end.early and always is not None:
            out.append(
                Finding(
                    "never-reached",
                    p,
                    f"ending '{end.id}' is never reached: the final ending '{always}' before it always applies",
                )
            )
            continue
        if end.when is None:
            if not end.early:
                always = end.id
            continue
        true, false = can_hold(end.when.node, facts)
        if not true:
            out.append(
                Finding(
                    "never-reached", f"{p}.when", f"ending '{end.id}' is never reached: {_cannot_hold(end.when, facts)}"
                )
            )
            continue
        if not false and not end.early:
            always = end.id
        shadow = _shadowed_by(s, facts, order, k)
        if shadow is not None:
            first = s.endings[shadow]
            assert first.when is not None
            out.append(
                Finding(
                    "never-reached",
                    f"{p}.when",
                    f"ending '{end.id}' is never reached: wherever '{end.when.text}' holds, '{first.when.text}' "
                    f"holds too, and the ending '{first.id}' is tried first (endings are tried in order: the early "
                    "ones after every turn, then the final ones in file order)",
                )
            )


def _shadowed_by(s: Scenario, facts: Facts, order: list[int], k: int) -> int | None:
    """An ending tried before ending ``k`` whose condition surely holds wherever ``k``'s does, or None."""
    end = s.endings[k]
    assert end.when is not None
    for j in order[: order.index(k)]:
        first = s.endings[j]
        if first.when is None:  # a final ending without a condition is reported above
            continue
        if can_hold(first.when.node, facts)[1] and implies(end.when.node, first.when.node, facts):
            return j
    return None


def _follow_once(s: Scenario, facts: Facts, out: list[Finding]) -> None:
    by_id = {e.id: e for e in s.events}
    for target_id, paths in facts.follow_targets.items():
        target = by_id[target_id]
        if not target.once:
            continue
        for path in paths:
            source = s.events[int(re.match(r"events\[(\d+)\]", path).group(1))]
            others = []
            if target.random:
                others.append("it can be drawn at random")
            if target.date_turn is not None:
                others.append("it has a date")
            if len(paths) > 1:
                others.append(
                    "1 other follow-up schedules it"
                    if len(paths) == 2
                    else f"{len(paths) - 1} other follow-ups schedule it"
                )
            if target_id != source.id and not source.once and (source.random or source.id in facts.follow_targets):
                others.append(f"'{source.id}' can fire more than once")
            if others:
                out.append(
                    Finding(
                        "follow-once",
                        path,
                        f"follow-up to '{target_id}', which fires only once "
                        f"and may already have fired by then ({'; '.join(others)}): the follow-up "
                        "would then lapse silently",
                    )
                )


def _placeholders(s: Scenario, out: list[Finding]) -> None:
    """Braces in texts that are shown as written (the loader checks the texts that are filled in)."""
    texts = [
        ("scenario.title", s.title),
        ("scenario.summary", s.summary),
        ("scenario.role", s.role),
        ("scenario.source_title", s.source_title),
    ]
    for v in s.variables:
        p = var_path(s, v.id)
        texts += [(f"{p}.label", v.label), (f"{p}.description", v.description)]
        texts += [(f"{p}.stages", stage) for stage in v.stages]
    texts += [(f"glossary.{term}", definition) for term, definition in s.glossary]
    texts += [(f"rules[{i}].label", r.label) for i, r in enumerate(s.rules)]
    texts += [(f"endings[{k}].title", e.title) for k, e in enumerate(s.endings)]
    texts += [(f"score[{i}].label", c.label) for i, c in enumerate(s.score)]
    for path, text in texts:
        for m in PLACEHOLDER_RE.finditer(text):
            if m.group(1) is not None:
                out.append(
                    Finding(
                        "placeholder",
                        path,
                        f"'{m.group()}' is shown as written: placeholders are "
                        "filled in only in event texts, options, branches, epilogues and histories",
                    )
                )
