"""What an agent sees of a game: the observation space, observations and action masks of batched states.

Only what the player sees goes in (the TUI's left column and decision panel): the values of visible meters
and factions, the estimate range of each hidden meter (never its true value), the visible flags (a ladder's
value is its rung), the turn, the pending event and how many options it has. Hidden flags are left out, as
in the game. The action mask says which options of the pending event can be chosen.

A game of a batch may have no decision at a point where other games of its batch decide (no event was
drawn for it in that slot); it then takes a *pass* step: ``event`` is the "none" index, ``options`` is 0,
and the mask allows only action 0, which changes nothing. A single game never passes.
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces

from ..engine import Game, State
from ..model import VarKind

__all__ = ["PASS_ACTION", "Observer", "UnavailableActionError"]

PASS_ACTION = 0  # the only action of a game with no decision at this point of its batch


class UnavailableActionError(ValueError):
    """An action that is not an available option of the pending decision (or not an option at all)."""


class Observer:
    """Builds observations of a compiled game. ``ids`` names what each entry of an array holds."""

    def __init__(self, game: Game):
        self.game = game
        s = self.scenario = game.scenario
        c = game.compiled
        variables = list(enumerate(s.variables))
        self.meter_rows = np.array(
            [i for i, v in variables if v.kind is not VarKind.FLAG and not v.hidden], dtype=np.intp
        )
        self.hidden_rows = np.array([i for i, v in variables if v.kind is not VarKind.FLAG and v.hidden], dtype=np.intp)
        self.flag_rows = np.array([i for i, v in variables if v.kind is VarKind.FLAG and not v.hidden], dtype=np.intp)
        self.ids = {
            "meters": [s.variables[i].id for i in self.meter_rows],
            "estimates": [s.variables[i].id for i in self.hidden_rows],
            "flags": [s.variables[i].id for i in self.flag_rows],
            "event": [e.id for e in s.events] + ["(none)"],
        }
        self.none_event = c.E  # the "event" of a game that passes or has ended
        self.option_count = c.option_count  # row E (no event) is 0
        self.K = c.K
        lo, hi = c.lo[:, 0], c.hi[:, 0]
        hidden_lo = np.repeat(lo[self.hidden_rows, None], 2, axis=1)
        hidden_hi = np.repeat(hi[self.hidden_rows, None], 2, axis=1)
        self.space = spaces.Dict(
            {
                "meters": spaces.Box(
                    lo[self.meter_rows].astype(np.float32), hi[self.meter_rows].astype(np.float32), dtype=np.float32
                ),
                "estimates": spaces.Box(hidden_lo.astype(np.float32), hidden_hi.astype(np.float32), dtype=np.float32),
                "flags": spaces.Box(
                    lo[self.flag_rows].astype(np.int64), hi[self.flag_rows].astype(np.int64), dtype=np.int64
                ),
                "turn": spaces.Discrete(s.turns, start=1),
                "event": spaces.Discrete(c.E + 1),
                "options": spaces.Discrete(c.K + 1),
            }
        )

    def observe(self, state: State, positions: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Observations and action masks of the games at ``positions`` of ``state``: arrays with one row each.

        Ended games show their final state at their last turn; their mask is all False.
        """
        values = state.values()[:, positions]
        ended = state.endings()[positions] >= 0
        turns = np.where(ended, state.end_turns()[positions], min(state.turn, self.scenario.turns))
        estimates = np.empty((positions.shape[0], self.hidden_rows.shape[0], 2), dtype=np.float32)
        if self.hidden_rows.size:
            for turn in np.unique(turns):  # an estimate is drawn afresh each turn
                at = turns == turn
                lo, hi = state.estimate_ranges(int(turn))
                estimates[at, :, 0] = lo[self.hidden_rows][:, positions[at]].T
                estimates[at, :, 1] = hi[self.hidden_rows][:, positions[at]].T
        event = state.pending_events()[positions]
        waiting = (event < 0) & ~ended
        event = np.where(event < 0, self.none_event, event)
        mask = state.available_options()[positions]
        mask[waiting, PASS_ACTION] = True
        obs = {
            "meters": values[self.meter_rows].T.astype(np.float32),
            "estimates": estimates,
            "flags": np.rint(values[self.flag_rows].T).astype(np.int64),
            "turn": turns.astype(np.int64),
            "event": event.astype(np.int64),
            "options": self.option_count[event].astype(np.int64),
        }
        return obs, mask

    def explain_unavailable(self, state: State, position: int, action, mask: np.ndarray) -> str:
        """Why ``action`` cannot be taken by the game at ``position`` (for the error message)."""
        game = int(state.batch_games[position])
        where = f"game {game} of seed {state.seed}, turn {min(state.turn, self.scenario.turns)}"
        if state.endings()[position] >= 0:
            return f"{where} is over; reset it first"
        pending = int(state.pending_events()[position])
        if pending < 0:
            return (
                f"{where} has no decision at this step (no event came up for it while other games of its "
                f"batch decide); the only action is {PASS_ACTION}, got {action!r}"
            )
        event = self.scenario.events[pending]
        available = ", ".join(str(k) for k in np.flatnonzero(mask)) or "none"
        return (
            f"action {action!r} is not available in {where}: event '{event.id}' has {len(event.options)} "
            f"options (0..{len(event.options) - 1}) and the available ones are {available}; "
            f"read info['action_mask']"
        )
