"""The per-game arrays of a batched ``State`` in one record, so forking and compaction cannot forget one.

Column ``b`` of every array in ``Columns`` belongs to the same game; ``take(index)`` selects (or repeats)
games in every array at once. ``Results`` holds what each game ended with, indexed by its position in the
original batch, and is never compacted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import define, field, fields

if TYPE_CHECKING:
    from .compiled import Compiled

__all__ = ["NEVER", "Columns", "Results", "per_game"]

NEVER = -1_000_000  # the turn an event "last fired" before it ever has (far enough back for any cooldown)

Start = Callable[["Compiled", int], np.ndarray]


def per_game(axis: int, start: Start | None = None) -> Any:
    """Declare a per-game array of ``Columns``: ``axis`` is the axis that runs over games; ``start(compiled,
    B)`` builds its value for B new games (without it, ``Columns.start`` must be given the array)."""
    return field(metadata={"game_axis": axis, "start": start})


def _due(c: Compiled, B: int) -> np.ndarray:
    due = np.zeros((c.E, B), dtype=np.int32)
    for e, turn in c.dated:
        due[e] = turn
    return due


@define
class Columns:
    """The per-game arrays of a batched state (deliberately mutable: the engine updates them in place).

    Adding a per-game array is one line here: ``name: np.ndarray = per_game(axis, start)``, with ``axis``
    the game axis (1 for ``(rows, B)``, 0 for ``(B, ...)``) and ``start(compiled, B)`` its value for new
    games. ``take`` (forks and compaction) and ``copy`` then carry it along; the engine reads and writes it
    as ``state.col.name``.
    """

    X: np.ndarray = per_game(1)  # (V, B) variable values
    keys: np.ndarray = per_game(0)  # (B,) uint64 random key of each game
    games: np.ndarray = per_game(0)  # (B,) game index within the seed
    position: np.ndarray = per_game(0, lambda c, B: np.arange(B))  # (B,) column in the original batch
    last_fired: np.ndarray = per_game(1, lambda c, B: np.full((c.E, B), NEVER, dtype=np.int32))  # (E, B) turn
    due: np.ndarray = per_game(1, _due)  # (E, B) turn a scheduled event is due, 0 for none
    tag_counts: np.ndarray = per_game(1, lambda c, B: np.zeros((len(c.tags), B), dtype=np.int32))  # (tags, B)
    score: np.ndarray = per_game(0, lambda c, B: np.zeros(B))  # (B,) score at the end of the last turn
    pending: np.ndarray = per_game(0, lambda c, B: np.full(B, -1, dtype=np.int32))  # (B,) event awaiting a choice
    avail: np.ndarray = per_game(0, lambda c, B: np.zeros((B, c.K), dtype=bool))  # (B, K) options choosable
    alive: np.ndarray = per_game(0, lambda c, B: np.ones(B, dtype=bool))  # (B,) not yet ended
    # (T, B) running sums of the score components counted over the term (no rows when none is)
    term_acc: np.ndarray = per_game(1, lambda c, B: np.zeros((c.T, B)))
    # (R, B) memory (format 2): per remembered event or option, how often and the last turn (no rows when the
    # scenario remembers nothing)
    mem: np.ndarray = per_game(1, lambda c, B: np.zeros((c.R, B)))

    @classmethod
    def start(cls, compiled: Compiled, B: int, **given: np.ndarray) -> Columns:
        """Columns for B new games: the arrays in ``given``, every other from its field's ``start``."""
        values = {}
        for f in fields(cls):
            if f.name in given:
                values[f.name] = given[f.name]
            elif f.metadata["start"] is not None:
                values[f.name] = f.metadata["start"](compiled, B)
            else:
                raise TypeError(f"Columns.start needs '{f.name}'")
        return cls(**values)

    def take(self, index: np.ndarray) -> Columns:
        """New arrays with the games at ``index`` (in that order, repeats allowed), sharing no memory."""
        return Columns(
            **{f.name: np.take(getattr(self, f.name), index, axis=f.metadata["game_axis"]) for f in fields(Columns)}
        )

    def copy(self) -> Columns:
        """An independent copy of every array."""
        return Columns(**{f.name: getattr(self, f.name).copy() for f in fields(Columns)})


@define
class Results:
    """What each game ended with, by position in the original batch (filled in as games end)."""

    X: np.ndarray  # (V, B) final values
    ending: np.ndarray  # (B,) index into scenario.endings, -1 while the game goes on
    end_turn: np.ndarray  # (B,) the turn it ended on, 0 while it goes on
    score: np.ndarray  # (B,) final score with the ending's bonus
    term: np.ndarray  # (T, B) final running sums of the components counted over the term
    mem: np.ndarray  # (R, B) final memory rows

    @classmethod
    def empty(cls, V: int, B: int, T: int, R: int = 0) -> Results:
        return cls(
            np.zeros((V, B)),
            np.full(B, -1, dtype=np.int16),
            np.zeros(B, dtype=np.int16),
            np.zeros(B),
            np.zeros((T, B)),
            np.zeros((R, B)),
        )
