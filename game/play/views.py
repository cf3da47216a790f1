"""What a game session shows: value types for options, the feed and explanations, and the text rules
(how values are written, how placeholders in texts are filled in)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from attrs import frozen

from ..model import PLACEHOLDER_RE, DocEnum, Option, Scenario, ScoreOver, ValueFormat, Variable, VarKind
from .optiontext import EffectNote

if TYPE_CHECKING:  # annotations only: the feed's value types load without the engine
    import numpy as np

    from ..engine import Cause

__all__ = [
    "Change",
    "ChoiceMade",
    "ChoiceResult",
    "FeedEntry",
    "FeedKind",
    "OptionView",
    "ScoreLine",
    "format_value",
    "render_text",
]


@frozen
class ChoiceMade:
    """A choice as the player made it, by id: what ``manila play --watch`` replays on an edited file."""

    turn: int
    event: str  # the event's id
    option: str  # the chosen option's id


@frozen
class OptionView:
    """An option of the pending event as the player sees it."""

    index: int
    option: Option
    available: bool
    reason: str  # why it is unavailable ('' when available)
    costs: tuple[tuple[str, float], ...]  # (meter label, amount)
    effects: tuple[tuple[str, float], ...]  # (variable id, constant change) for visible variables
    uncertain: tuple[str, ...]  # variable ids changed by expressions or by chance branches
    label: str  # the label with placeholders filled in
    hint: str = ""  # format 2: the option's hint, filled in ('' if none)
    notes: tuple[EffectNote, ...] = ()  # every likely effect in symbols and words (game.play.optiontext)
    cost: str = ""  # "costs 2.0 bn PHP from the defense budget" ('' when free)


class FeedKind(DocEnum):
    """What a line of the feed reports."""

    NEWS = "news", "news: its title and text; nothing to decide"
    EVENT = "event", "a decision event: its title (the options follow on screen)"
    CHOICE = "choice", "the option the player chose (title) and its outcome text"
    OUTCOME = "outcome", "a chance branch's text"
    ENDING = "ending", "the ending reached (title)"


@frozen
class FeedEntry:
    turn: int
    date: str
    kind: FeedKind
    title: str
    text: str


@frozen
class Change:
    """One cause of a variable's change within a turn."""

    kind: Cause
    label: str
    delta: float


@frozen
class ScoreLine:
    """One score component as the status bar shows "what counts": ``counts`` is what it adds to the score
    now (weighted; for a component over the term, the mean after each completed turn), ``value`` its
    unweighted value today, ``change`` how much ``counts`` moved in the last completed turn."""

    id: str
    label: str
    over: ScoreOver
    weight: float
    value: float
    counts: float
    change: float


@frozen
class ChoiceResult:
    option_label: str
    outcome: str
    branch_text: str


def format_value(var: Variable, value: float) -> str:
    """A value as the player reads it: stage names for flags, units and rounding for meters."""
    if var.kind is VarKind.FLAG:
        return var.stage(value) or str(int(round(value)))
    if var.format is ValueFormat.PERCENT:
        return f"{value:.0f}%"
    if var.format is ValueFormat.MONEY:
        return f"{value:,.1f}{(' ' + var.unit) if var.unit else ''}"
    return f"{value:.0f}{(' ' + var.unit) if var.unit else ''}"


def render_text(
    text: str,
    scenario: Scenario,
    values: np.ndarray,
    turn: int,
    score: float,
    estimates: dict[str, tuple[float, float]] | None = None,
) -> str:
    """Fill ``{id}``, ``{id.band}``, ``{id.estimate}``, ``{date}``, ``{turn}``, ``{score}``; ``{{``/``}}`` are
    literal braces. ``estimates`` gives the ranges the player sees for hidden meters."""
    index = {v.id: i for i, v in enumerate(scenario.variables)}

    def sub(m: re.Match) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        if m.group(1) is None:  # an unmatched brace (the loader reports those) stays as written
            return token
        name = m.group(1).strip()
        base, _, attr = name.partition(".")
        if base == "date":
            return scenario.date_label(max(1, min(turn, scenario.turns)))
        if base == "turn":
            return str(turn)
        if base == "score":
            return f"{score:.0f}"
        if base in index:
            var = scenario.variables[index[base]]
            value = float(values[index[base]])
            if attr == "band":
                return var.band(value)
            if attr == "estimate":
                if var.hidden and estimates and base in estimates:
                    lo, hi = estimates[base]
                    return f"{lo:.0f}–{hi:.0f}"
                return f"{value:.0f}"
            # the documented placeholder value: rounded, without units (authors write "{approval}%")
            return var.stage(value) or str(int(round(value))) if var.kind is VarKind.FLAG else f"{value:.0f}"
        return token

    return PLACEHOLDER_RE.sub(sub, text)
