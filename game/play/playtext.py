"""The game's text as plain lines, shared by plain play (``manila play --plain``), headless play and the TUI's
score view: what the score counts, each part and its change, the ending ahead, an option with its effects in
words, and your term beside the scenario's history, month by month.

Pure functions of a ``GameSession``: no printing, no terminal codes.
"""

from __future__ import annotations

import re

import numpy as np

from ..model import Good, Scenario, ScoreOver, VarKind
from .optiontext import good_word
from .session import FeedKind, GameSession, OptionView
from .standing import EndingOutlook, ScorePart

__all__ = [
    "change_words",
    "country_lines",
    "ending_lines",
    "formula_words",
    "history_rows",
    "option_lines",
    "outlook_lines",
    "score_lines",
    "signed",
    "what_counts",
]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def formula_words(scenario: Scenario, text: str) -> str:
    """A score formula with meter names in the player's words: ``0.4 × Coast patrol capacity``."""
    labels = {v.id: v.label for v in scenario.variables}
    labels.update(support="faction support", turn="turn")
    out = _NAME.sub(lambda m: labels.get(m.group(0), m.group(0)), text)
    return out.replace("*", "×").replace(" - ", " − ")


def signed(x: float, digits: int = 1) -> str:
    """``+3.2`` / ``−1.0`` / ``±0`` (a true minus sign; zero has no direction)."""
    if round(abs(x), digits) == 0:
        return "±0"
    return f"{'+' if x > 0 else '−'}{abs(x):.{digits}f}"


def change_words(change: float | None) -> str:
    """A score part's change in symbols and words: ``▲ +3.2 (good)``, ``▼ −1.0 (bad)``, ``· ±0``."""
    if change is None:
        return ""
    if round(abs(change), 1) == 0:
        return "· ±0"
    return f"{'▲' if change > 0 else '▼'} {signed(change)} ({good_word(change > 0)})"


def what_counts(scenario: Scenario, part: ScorePart) -> str:
    """``counts on the last day: 0.4 × (Coast patrol capacity)`` or ``counts over the whole term: the mean
    of (Ties) after each turn``."""
    weight = f"{part.weight:g} × " if part.weight != 1 else ""
    formula = formula_words(scenario, part.formula)
    if part.over is ScoreOver.TERM:
        return f"counts over the whole term: {weight}the mean of ({formula}) after each turn"
    return f"counts on the last day: {weight}({formula})"


def score_lines(session: GameSession) -> list[str]:
    """The score by part: value, change since the last decision, weight and what it counts."""
    parts = session.score_view()
    lines = [f"Score {session.running_score:.1f}" + (" (final)" if session.over else " if the term ended now")]
    total_change = sum(p.change for p in parts if p.change is not None)
    if any(p.change is not None for p in parts) and not session.over:
        lines[0] += f", {change_words(total_change)} since your last decision"
    for p in parts:
        change = f"  {change_words(p.change)}" if p.change is not None else ""
        lines.append(f"  {p.label}: {p.value:.1f}{change}")
        lines.append(f"      {what_counts(session.scenario, p)}")
    if session.over and session.ending is not None and session.ending.bonus:
        lines.append(f"  Ending “{session.ending.title}”: {signed(session.ending.bonus)}")
    return lines


def _clauses(view: EndingOutlook, only_unmet: bool) -> str:
    clauses = view.unmet if only_unmet else view.conditions
    return "; ".join(c.text + ("" if only_unmet else " ✓" if c.met else " ✗") for c in clauses)


def outlook_lines(session: GameSession) -> list[str]:
    """The ending ahead if the term ended now, the better endings within reach, and the early endings that
    threaten; hidden meters count as the analysts' estimate."""
    view = session.outlook()
    lines = []
    if view.heading is not None:
        e = view.heading.ending
        bonus = f" (ending bonus {signed(e.bonus, 0)})" if e.bonus else ""
        lines.append(f"Heading for: {e.title}{bonus}")
        if view.heading.conditions:
            lines.append(f"  holds while: {_clauses(view.heading, False)}")
    for b in view.better:
        lines.append(f"Could become: {b.ending.title} (bonus {signed(b.ending.bonus, 0)}) if {_clauses(b, True)}")
    for r in view.risks:
        left = _clauses(r, True)
        when = f"if {left}" if left else "now"
        lines.append(f"Danger: the game ends early in “{r.ending.title}” (bonus {signed(r.ending.bonus, 0)}) {when}")
    return lines


def country_lines(session: GameSession, before: np.ndarray | None, only_changed: bool = False) -> list[str]:
    """Every variable the player may see: its reading (an estimate range for hidden meters), its band, and
    its change since ``before`` in words (``down 5 (bad)``); ``only_changed`` keeps the visible ones that
    moved."""
    lines = []
    for i, var in enumerate(session.scenario.variables):
        if var.hidden and var.kind is VarKind.FLAG:
            continue
        move = ""
        if before is not None and not var.hidden:
            delta = session.value(var.id) - float(before[i])
            if round(abs(delta)) != 0 and var.kind is VarKind.FLAG:
                before_shown = var.stage(float(before[i])) or f"{float(before[i]):.0f}"
                move = f" (was {before_shown})"
            elif round(abs(delta)) != 0:
                good = None if var.good is Good.NONE else (delta > 0) == (var.good is Good.HIGH)
                verdict = f", {good_word(good)}" if good is not None else ""
                move = f" ({'up' if delta > 0 else 'down'} {abs(delta):.0f}{verdict})"
        if only_changed and not move:
            continue
        reading = session.shown(var.id)
        band = "" if var.kind is VarKind.FLAG else var.band(session.value(var.id)) if not var.hidden else ""
        hidden = " (estimate)" if var.hidden else ""
        lines.append(f"{var.label}: {reading}{hidden}" + (f", {band}" if band else "") + move)
    return lines


def option_lines(session: GameSession, view: OptionView) -> list[str]:
    """An option for plain play: number and label, costs, effects in words, why it is not possible."""
    lines = [f"{view.index + 1}. {view.label}" + ("" if view.available else " [not possible]")]
    if view.hint:
        lines.append(f"     {view.hint}")
    if view.cost:
        lines.append(f"     {view.cost}")
    if view.notes:
        lines.append("     likely: " + "; ".join(n.words() for n in view.notes))
    if not view.available:
        lines.append(f"     not possible: {view.reason or 'not possible now'}")
    return lines


def ending_lines(session: GameSession) -> list[str]:
    """The end of a game as paragraphs: the ending and its epilogue, what happened in history, your term
    beside history month by month, and the score by part."""
    s = session
    ending = s.ending
    lines = [
        f"*** The end: {ending.title if ending else 'the game is over'} "
        f"({s.date_label}, turn {s.end_turn or s.turn} of {s.scenario.turns}) ***"
    ]
    if ending is not None:
        lines.append(s.render(ending.epilogue).strip())
        if ending.history:
            lines += ["", "What happened in history:", "  " + s.render(ending.history).strip()]
    rows = history_rows(s)
    if any(real for _, _, real in rows):
        lines += ["", "Your term beside history, month by month:"]
        for date, did, real in rows:
            lines.append(f"  {date}:")
            lines += [f"    You: {text}" for text in did]
            lines += [f"    History: {text}" for text in real]
    return [*lines, "", *score_lines(s)]


def history_rows(session: GameSession) -> list[tuple[str, list[str], list[str]]]:
    """(date, what you did, what really happened) for each turn of the game with either, in order.

    "What you did" is the player's choices that turn; "what happened" is the scenario's dated history notes
    (``[history]``) for that turn, including those after an early end, so the real course shows to its end.
    """
    did: dict[int, list[str]] = {}
    for entry in session.feed:
        if entry.kind is FeedKind.CHOICE:
            did.setdefault(entry.turn, []).append(entry.title)
    real: dict[int, list[str]] = {}
    for turn, text in session.scenario.history:
        real.setdefault(turn, []).append(session.render(text))
    turns = sorted(set(did) | set(real))
    return [
        (session.scenario.date_label(max(1, min(t, session.scenario.turns))), did.get(t, []), real.get(t, []))
        for t in turns
    ]
