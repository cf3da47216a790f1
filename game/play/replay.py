"""Replaying choices onto a game session: by number (a save's record) or by id (an edited scenario file).

Both make the choices in order while they apply and say where one no longer does, as a ``ReplayDivergence``
naming the turn (and, by id, the event and the option); the session then holds the choices before it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ReplayDivergence
from .views import ChoiceMade

if TYPE_CHECKING:
    from .session import GameSession

__all__ = ["play_choices", "play_choices_by_id"]


def play_choices(session: GameSession, choices) -> ReplayDivergence | None:
    """Make ``choices`` (0-based option numbers) in order while they apply. Returns where one no longer
    does (the session then holds the choices before it), or None when all of them were made."""
    for n, k in enumerate(choices):
        if session.over:
            return ReplayDivergence(session.turn, f"the game ended before choice {n + 1} of {len(choices)}")
        view = session.option_view(k)
        if view is None or not view.available:
            event = session.event
            assert event is not None  # a game that is not over rests at a decision
            return ReplayDivergence(
                session.turn,
                f"choice {n + 1} (option {k + 1 if isinstance(k, int) else k}) is not available in '{event.id}'",
            )
        session.choose(k)
    return None


def play_choices_by_id(session: GameSession, made: list[ChoiceMade]) -> ReplayDivergence | None:
    """Make the choices ``made`` (by event and option id, as ``session.made`` records them) in order while
    they apply; for a scenario file that was edited since they were made. Returns where one no longer
    does, naming the turn, the event and the option (the session then holds the choices before it), or
    None when all of them were made. An option is found by its id wherever it now stands in the event."""
    for n, was in enumerate(made):
        where = f"your choice '{was.option}' in '{was.event}' (turn {was.turn})"
        if session.over:
            return ReplayDivergence(
                session.turn, f"the game now ends before {where}, choice {n + 1} of {len(made)}", was.event, was.option
            )
        event = session.event
        assert event is not None  # a game that is not over rests at a decision
        if event.id != was.event:
            return ReplayDivergence(
                session.turn,
                f"the decision at turn {session.turn} is now '{event.id}', not '{was.event}' where you chose "
                f"'{was.option}'",
                was.event,
                was.option,
            )
        k = next((k for k, o in enumerate(event.options) if o.id == was.option), None)
        if k is None:
            return ReplayDivergence(
                session.turn,
                f"{where} no longer exists: option '{was.option}' was deleted or renamed",
                was.event,
                was.option,
            )
        view = session.option_view(k)
        if view is None or not view.available:
            why = "is now hidden (its 'visible' fails)" if view is None else "is no longer available"
            if view is not None and view.reason:
                why += f" ({view.reason})"
            return ReplayDivergence(session.turn, f"{where} {why}", was.event, was.option)
        session.choose(k)
    return None
