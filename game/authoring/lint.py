"""``lint``: what is valid but probably wrong in a scenario.

Two kinds of check. *Static* checks read the model (``analysis``) and are certain: a condition that
cannot hold within the variables' bounds, an event nothing can trigger, a meter nothing changes. *Simulated*
checks play seeded games with the cheap built-in policies (``random`` and ``prefer:TAG`` for every
side (``scenario.sides``), the games split evenly between them) and report what never happened; they are only as
strong as the number of games, but stable for a given seed.

Each finding has a short ``code`` (see ``CODES``), a key path and a message; ``str()`` gives
``FILE:LINE: key.path: message [code]`` like ``manila validate``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from attrs import evolve, frozen

from ..engine import Game
from ..expr import interval
from ..format.lines import line_of, locate_lines
from ..format.scenario import load_scenario
from ..model import PLACEHOLDER_RE, Scenario, VarKind
from ..sim.sim import run_sim
from .analysis import Facts, analyse, can_hold, describe_ranges, var_path
from .defaults import CODES, DEFAULT_LINT_GAMES

__all__ = ["CODES", "DEFAULT_LINT_GAMES", "Finding", "lint_file", "lint_policies", "lint_scenario"]

# Options of an event that fired at least this often under the random policy and were never chosen
# were (almost surely) never available: random picks uniformly among the available options.
MIN_FIRINGS_FOR_OPTIONS = 30


@frozen
class Finding:
    code: str
    path: str
    message: str
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message} [{self.code}]"


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
        _simulated(scenario, found, games=games, seed=seed, workers=workers)
    if text is None and scenario.path and Path(scenario.path).is_file():
        text = Path(scenario.path).read_text(encoding="utf-8")
    lines = locate_lines(text) if text else {}
    placed = [evolve(f, file=scenario.path, line=line_of(lines, f.path)) for f in found]
    return sorted(placed, key=lambda f: f.line or 0)


# ------------------------------------------------------------------------------------------ static
def _static(s: Scenario, facts: Facts, out: list[Finding]) -> None:
    _variables(s, facts, out)
    for i, rule in enumerate(s.rules):
        if rule.when is not None and not can_hold(rule.when.node, facts)[0]:
            out.append(
                Finding(
                    "never-applies",
                    f"rules[{i}].when",
                    "this rule never applies: "
                    f"'{rule.when.text}' cannot hold ({describe_ranges(rule.when.node, facts)})",
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


def _events(s: Scenario, facts: Facts, out: list[Finding]) -> None:
    for i, e in enumerate(s.events):
        p = f"events[{i}]"
        scheduled = e.date_turn is not None or e.id in facts.follow_targets
        drawn = e.random and _max_weight(e, facts) >= 0.001  # the engine rounds weights to thousandths
        if not scheduled and not drawn:
            why = (
                "a news event (no options) fires only on its date or as a follow-up"
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
                    "never-fires",
                    f"{p}.when",
                    f"event '{e.id}' can never fire: '{e.when.text}' "
                    f"cannot hold ({describe_ranges(e.when.node, facts, bounds)})",
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
                        f"option '{e.id}.{o.id}' can never be "
                        f"chosen: '{o.available.text}' cannot hold "
                        f"({describe_ranges(o.available.node, facts, bounds)})",
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
                    "never-reached",
                    f"{p}.when",
                    f"ending '{end.id}' is never reached: "
                    f"'{end.when.text}' cannot hold ({describe_ranges(end.when.node, facts)})",
                )
            )
        elif not false and not end.early:
            always = end.id


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


# ------------------------------------------------------------------------------------------ simulated
def _simulated(s: Scenario, out: list[Finding], *, games: int, seed: int, workers: int) -> None:
    policies = lint_policies(s)
    share, extra = divmod(max(games, len(policies)), len(policies))
    game = Game(s)  # compiled once for all policies (used when running in this process)
    results = [
        run_sim(s, games=share + (n < extra), seed=seed, policy=p, workers=workers, game=game, keep_games=False)
        for n, p in enumerate(policies)
    ]
    played = f"in {sum(r.games for r in results):,} simulated games ({', '.join(policies)})"
    reported = {f.path.split(".when")[0] for f in out if f.code in ("never-fires", "never-reached")}
    event_hits = sum(r.event_hits for r in results)
    option_hits = sum(r.option_hits for r in results)
    random_run = results[0]  # lint_policies puts random first
    for i, e in enumerate(s.events):
        p = f"events[{i}]"
        if event_hits[i] == 0 and p not in reported:
            cond = f" (is 'when = {e.when.text}' ever met?)" if e.when is not None else ""
            out.append(Finding("never-fires", p, f"event '{e.id}' never fired {played}{cond}"))
    g = 0
    for i, e in enumerate(s.events):
        fired = int(random_run.event_hits[i])
        for j, o in enumerate(e.options):
            if option_hits[g] == 0 and fired >= MIN_FIRINGS_FOR_OPTIONS and not _static_option(out, i, j):
                out.append(
                    Finding(
                        "never-available",
                        f"events[{i}].options[{j}]",
                        f"option '{e.id}.{o.id}' "
                        f"was never chosen {played}, although the random policy met its event "
                        f"{fired:,} times: it is probably never available",
                    )
                )
            g += 1
    counts = sum(r.tally.endings for r in results)
    for k, end in enumerate(s.endings):
        p = f"endings[{k}]"
        if counts[k] == 0 and p not in reported:
            out.append(Finding("never-reached", p, f"ending '{end.id}' was never reached {played}"))


def _static_option(out: list[Finding], i: int, j: int) -> bool:
    prefix = f"events[{i}].options[{j}]."
    return any(f.code == "never-available" and f.path.startswith(prefix) for f in out)
