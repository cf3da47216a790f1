"""The trace in the player's words: the feed lines of what happened, and the causes of a change.

The engine records every change as a ``TraceEntry`` (a cause, what caused it, the delta it made); a session
turns new entries into ``FeedEntry`` lines (events, choices, chance outcomes) and answers "why did this
change?" by summing one variable's deltas in a turn by their cause.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..engine import Cause, TraceEntry
from ..engine.compiled import Compiled
from ..model import Scenario
from .views import Change, FeedEntry, FeedKind

__all__ = ["changes", "feed_entries", "source_label"]


def changes(log: Sequence[TraceEntry], i: int, turn: int | None, cause_of: Callable[[TraceEntry], str]) -> list[Change]:
    """Why variable ``i`` moved in a turn (default: the latest turn with changes), largest causes first;
    ``cause_of`` names what caused an entry (``source_label``)."""
    if turn is None:
        turns = [e.turn for e in log if e.delta[i, 0] != 0]
        if not turns:
            return []
        turn = turns[-1]
    totals: dict[tuple[Cause, str], float] = {}
    for entry in log:
        if entry.turn != turn:
            continue
        d = float(entry.delta[i, 0])
        if d == 0.0:
            continue
        key = (entry.kind, cause_of(entry))
        totals[key] = totals.get(key, 0.0) + d
    out = [Change(kind, label, delta) for (kind, label), delta in totals.items() if abs(delta) > 1e-12]
    return sorted(out, key=lambda c: -abs(c.delta))


def source_label(scenario: Scenario, c: Compiled, entry: TraceEntry, render: Callable[[str], str]) -> str:
    """What caused a trace entry, in the player's words (``render`` fills in a scenario text)."""
    b = int(entry.idx[0])
    if entry.kind is Cause.DRIFT:
        return "the usual pull of each turn"
    if entry.kind is Cause.BOUNDS:
        return "kept within the limits of the scale"
    if entry.kind is Cause.LASTING:
        return f"{entry.names[0]} (for a while)"
    if entry.kind is Cause.EXPIRY:
        return f"{entry.names[0]} ends"
    if entry.kind is Cause.RULE:
        return scenario.rules[[r.id for r, _, _ in c.rules].index(entry.names[0])].label
    if entry.kind in (Cause.NEWS, Cause.EVENT):
        return render(scenario.events[b].title)
    if entry.kind is Cause.OPTION:
        o = c.options[b]
        return render(o.label)
    if entry.kind is Cause.BRANCH:
        return render(c.branches[b].text) or "a chance outcome"
    return render(c.event_branches[b].text) or "a chance outcome"


def feed_entries(
    scenario: Scenario, c: Compiled, entries: Sequence[TraceEntry], render: Callable[[str, int], str]
) -> list[FeedEntry]:
    """Feed lines for trace entries (events fired, choices, chance outcomes); ``render(text, turn)`` tells a
    text as it read in the turn it happened (its ``{one of}`` variant of that turn)."""
    feed: list[FeedEntry] = []
    for entry in entries:
        b = int(entry.idx[0])
        if b < 0:
            continue
        date = scenario.date_label(min(entry.turn, scenario.turns))

        def told(text: str, turn: int = entry.turn) -> str:
            return render(text, turn)

        if entry.kind is Cause.NEWS:
            ev = scenario.events[b]
            feed.append(FeedEntry(entry.turn, date, FeedKind.NEWS, told(ev.title), told(ev.text)))
        elif entry.kind is Cause.EVENT:
            ev = scenario.events[b]
            feed.append(FeedEntry(entry.turn, date, FeedKind.EVENT, told(ev.title), ""))
        elif entry.kind is Cause.OPTION:
            o = c.options[b]
            feed.append(FeedEntry(entry.turn, date, FeedKind.CHOICE, told(o.label), told(o.outcome)))
        elif entry.kind is Cause.BRANCH:
            feed.append(FeedEntry(entry.turn, date, FeedKind.OUTCOME, "", told(c.branches[b].text)))
        elif entry.kind is Cause.EVENT_BRANCH and c.event_branches[b].text:
            feed.append(FeedEntry(entry.turn, date, FeedKind.OUTCOME, "", told(c.event_branches[b].text)))
    return feed
