"""What a batched game remembers (format 2), and the limits and chances that depend on it.

The memory rows of ``Columns.mem`` exist only for the events and options a scenario's memory calls name
(and for events with ``max_fires``): two rows each, how often and the last turn (0: never). A scenario that
remembers nothing has no rows and never calls into this module. The reference engine keeps the same facts
in ``ReferenceGame.happened``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .changes import Cause, record
from .rng import Stream, uniform

if TYPE_CHECKING:
    from .state import State

__all__ = ["end_lastings", "remember", "roll_chances", "start_lastings", "within_limits"]


def remember(state: State, rows: np.ndarray, idx: np.ndarray) -> None:
    """Record that event/option ``idx[b]`` (-1: none) happened now, where the scenario remembers it: the count
    goes up and the last turn is now. Recorded before its own effects are computed."""
    r = rows[idx]
    cols = np.flatnonzero(r >= 0)
    if cols.size:
        r = r[cols]
        state.col.mem[r, cols] += 1.0
        state.col.mem[r + 1, cols] = state.turn


def start_lastings(state: State, g: np.ndarray) -> None:
    """Format 2: the lasting effects of the options ``g[b]`` chose (-1: none) begin now; one already in effect
    is not added again, its end moves to ``turns`` turns from now."""
    c = state.compiled
    k_of = c.option_lasting[g]
    col = state.col
    for k in np.unique(k_of[k_of >= 0]):
        mask = k_of == k
        before = col.X.copy() if state.trace else None
        new = mask & (col.until[k] == 0)
        for i, amount in c.lasting_changes[k]:
            np.add(col.X[i], amount, out=col.X[i], where=new)
            state.dirty.add(i)
        col.until[k] = np.where(mask, state.turn + c.lastings[k].turns, col.until[k])
        if before is not None:
            record(state, Cause.LASTING, (c.lastings[k].label,), np.where(new, 0, -1), before, state.slot)


def end_lastings(state: State, turn: int) -> None:
    """Format 2: lasting effects whose time is up end at the start of the turn: taken back as written."""
    c = state.compiled
    col = state.col
    for k in range(c.L):
        ends = col.until[k] == turn
        if not np.count_nonzero(ends):
            continue
        before = col.X.copy() if state.trace else None
        for i, amount in c.lasting_changes[k]:
            np.subtract(col.X[i], amount, out=col.X[i], where=ends)
            state.dirty.add(i)
        col.until[k] = np.where(ends, 0, col.until[k])
        if before is not None:
            record(state, Cause.EXPIRY, (c.lastings[k].label,), np.where(ends, 0, -1), before, 0)


def within_limits(state: State, e: int, turn: int):
    """Format 2: where event ``e`` may fire now by its cooldown and ``max_fires`` (True where no limit)."""
    c = state.compiled
    ok = True
    if c.cooldown[e]:
        ok = (turn - state.col.last_fired[e]) > c.cooldown[e]
    if c.max_fires[e]:
        ok = ok & (state.col.mem[c.mem_event_row[e]] < c.max_fires[e])
    return ok


def roll_chances(state: State, turn: int) -> None:
    """Format 2: each event with a ``chance`` becomes due now with that probability (one draw per game and
    event), where its window, ``once``, cooldown and ``max_fires`` allow; ``when`` is checked when it fires,
    as for any scheduled event."""
    c = state.compiled
    col = state.col
    for e, ce, lo, hi in c.chance_events:
        if turn < lo or turn > hi:
            continue
        ok = col.alive & within_limits(state, e, turn)
        if c.once[e]:
            ok &= col.last_fired[e] < 0
        p = np.minimum(np.maximum(ce(col.X, state.env), 0.0), 1.0)
        hit = ok & (uniform(col.keys, turn, Stream.CHANCE, e) < p)
        due = col.due[e]
        col.due[e] = np.where(hit & ((due == 0) | (due > turn)), turn, due)
