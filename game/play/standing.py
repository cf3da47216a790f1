"""Where the player stands: what the score counts, each part's value and its change since the last decision,
the ending the game is heading for, and what would change it. Shared by the TUI, plain play and headless play.

Hidden meters enter the outlook only as the player's estimate (the middle of the analysts' range), so
"heading for" never reveals a value the player cannot see; a condition on a hidden meter is described as
something the analysts cannot read.

Score components are described generally (label, weight, weighted value, change, and whether a part counts
the whole term or only the final day, ``ScoreOver``), so components of any kind fit the same view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from attrs import frozen

from ..expr import Binary, Call, Name, Node, Num, Unary, evaluate
from ..model import Ending, Scenario, ScoreComponent, ScoreOver, ValueFormat, Variable

__all__ = [
    "Condition",
    "EndingOutlook",
    "Outlook",
    "ScorePart",
    "conjuncts",
    "describe",
    "outlook",
    "score_parts",
]


@frozen
class ScorePart:
    """One score component as the player reads it."""

    id: str
    label: str
    weight: float
    value: float  # weighted value now (what it adds to the score)
    change: float | None  # weighted change since the last decision (None before the first)
    over: ScoreOver  # FINAL: counts the last day only; TERM: the mean over the turns played
    formula: str  # the component's expression, for "what counts"


@frozen
class Condition:
    """One clause of an ending's condition, in the player's words."""

    text: str
    met: bool


@frozen
class EndingOutlook:
    ending: Ending
    conditions: tuple[Condition, ...]  # its clauses ('and' parts), each met or not now

    @property
    def unmet(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if not c.met)


@frozen
class Outlook:
    """The ending the game would get if the term ended today, the better endings within reach, and the early
    endings that threaten (those with at least one clause already met)."""

    heading: EndingOutlook | None
    better: tuple[EndingOutlook, ...]
    risks: tuple[EndingOutlook, ...]


def score_parts(
    components: Sequence[ScoreComponent], now: Sequence[float], before: Sequence[float] | None
) -> list[ScorePart]:
    """Score parts from weighted component values now and at the last decision."""
    out = []
    for k, c in enumerate(components):
        change = None if before is None else float(now[k]) - float(before[k])
        out.append(ScorePart(c.id, c.label, c.weight, float(now[k]), change, c.over, c.value.text))
    return out


def conjuncts(node: Node) -> list[Node]:
    """The parts of a condition joined by 'and'."""
    if isinstance(node, Binary) and node.op == "and":
        return [*conjuncts(node.left), *conjuncts(node.right)]
    return [node]


_NUMBER_OPS = {"<": "below", "<=": "at most", ">": "above", ">=": "at least", "==": "exactly", "!=": "not"}
_STAGE_OPS = {
    "<": "not yet at “{}”",
    "<=": "no further than “{}”",
    ">": "beyond “{}”",
    ">=": "at “{}” or beyond",
    "==": "at “{}”",
    "!=": "not at “{}”",
}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
UNSEEN = "something your analysts cannot read"


def _amount(var: Variable, number: float) -> str:
    unit = f" {var.unit}" if var.unit else ""
    if var.format is ValueFormat.PERCENT:
        return f"{number:g}%"
    return f"{number:g}{unit}"


def describe(scenario: Scenario, node: Node, env: Mapping[str, float], hidden_ok: bool = False) -> str:
    """A condition in the player's words, with the current reading of each meter it names ("Patrol at
    least 55 (now 48)"); hidden meters are never named unless ``hidden_ok``. '' when it cannot be said."""
    index = {v.id: v for v in scenario.variables}
    if isinstance(node, Binary) and node.op in ("and", "or"):
        left = describe(scenario, node.left, env, hidden_ok)
        right = describe(scenario, node.right, env, hidden_ok)
        if not left or not right:
            return ""
        if node.op == "or":
            return f"either {left} or {right}"
        return f"{left} and {right}"
    if isinstance(node, Unary) and node.op == "not":
        inner = describe(scenario, node.operand, env, hidden_ok)
        return f"not ({inner})" if inner else ""
    if isinstance(node, Name) and node.id in index:
        var = index[node.id]
        if var.hidden and not hidden_ok:
            return UNSEEN
        if var.stages:
            return f"{var.label} beyond “{var.stages[0]}”"
        return f"{var.label} not zero"
    if not (isinstance(node, Binary) and node.op in _NUMBER_OPS):
        return ""
    name, number, op = node.left, node.right, node.op
    if isinstance(name, Num) and isinstance(number, (Name, Call)):
        name, number, op = number, name, _FLIP[op]
    if not isinstance(number, Num):
        return ""
    if isinstance(name, Name) and name.id == "turn":
        turn = int(number.value)
        first = {"<": None, "<=": None, ">": turn + 1, ">=": turn, "==": turn}.get(op)
        last = {"<": turn - 1, "<=": turn}.get(op)
        if first is not None and 1 <= first <= scenario.turns:
            return f"from {scenario.date_label(first)}"
        if last is not None and 1 <= last <= scenario.turns:
            return f"until {scenario.date_label(last)}"
        return ""
    if isinstance(name, Name) and name.id == "support":
        return f"the factions' support {_NUMBER_OPS[op]} {number.value:g} (now {env.get('support', 0.0):.0f})"
    if not (isinstance(name, Name) and name.id in index):
        return ""
    var = index[name.id]
    if var.hidden and not hidden_ok:
        return UNSEEN
    now = env.get(var.id, 0.0)
    if var.stages:
        stage = var.stage(number.value) or f"{number.value:g}"
        current = var.stage(now) or f"{now:g}"
        return f"{var.label} {_STAGE_OPS[op].format(stage)} (now “{current}”)"
    shown = f"{now:.1f}" if var.format is ValueFormat.MONEY else f"{now:.0f}"
    return f"{var.label} {_NUMBER_OPS[op]} {_amount(var, number.value)} (now {shown})"


def _clauses(scenario: Scenario, ending: Ending, env: Mapping[str, float]) -> tuple[Condition, ...]:
    if ending.when is None:
        return ()
    out = []
    for atom in conjuncts(ending.when.node):
        words = describe(scenario, atom, env) or "a condition of the scenario"
        out.append(Condition(words, evaluate(atom, env) != 0.0))
    return tuple(out)


def outlook(scenario: Scenario, env: Mapping[str, float], max_better: int = 2, max_risks: int = 2) -> Outlook:
    """What the game is heading for if the term ended with ``env`` (values the player sees), the better
    endings that take precedence over it (highest bonus first), and the early endings halfway there."""
    finals = [e for e in scenario.endings if not e.early]
    heading = None
    better: list[EndingOutlook] = []
    for ending in finals:
        view = EndingOutlook(ending, _clauses(scenario, ending, env))
        if ending.when is None or evaluate(ending.when.node, env) != 0.0:
            heading = view
            break
        better.append(view)
    if heading is not None:
        better = [b for b in better if b.ending.bonus > heading.ending.bonus]
    better.sort(key=lambda b: (len(b.unmet), -b.ending.bonus))
    risks = []
    for ending in scenario.endings:
        if not ending.early or ending.when is None:
            continue
        view = EndingOutlook(ending, _clauses(scenario, ending, env))
        if evaluate(ending.when.node, env) != 0.0 or any(c.met for c in view.conditions):
            risks.append(view)
    risks.sort(key=lambda r: len(r.unmet))
    return Outlook(heading, tuple(better[:max_better]), tuple(risks[:max_risks]))
