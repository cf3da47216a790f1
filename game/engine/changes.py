"""Applying changes to the batched state: bundles of effects, follow-ups, clamping and the trace.

Plain functions of a ``State``: they read and write its variables ``state.col.X`` (variables x games), the
due turns ``state.col.due`` and the trace. Sums follow one fixed order (constants, costs, then expressions
in file order, then the variable adds the total), which the reference engine shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from attrs import frozen

from ..model import DocEnum

if TYPE_CHECKING:
    from .compiled import Bundles, CExpr
    from .state import State

__all__ = ["Cause", "Changes", "TraceEntry", "as_bool", "clamp", "commit", "condition", "prepare", "preview", "record"]


class Cause(DocEnum):
    """Why values changed (the kind of a ``TraceEntry``), in the order a turn applies them."""

    NEWS = "news", "a news event fired (by its date or as a follow-up): its effects and follow-ups"
    DRIFT = "drift", "the variables' drift, applied at the start of every turn"
    RULE = "rule", "a standing rule whose condition held at the start of the turn"
    EVENT = "event", "a decision event fired: its own effects, before the player chooses"
    EVENT_BRANCH = "event_branch", "the chance branch drawn for an event as it fired"
    OPTION = "option", "the option chosen: its costs and effects"
    BRANCH = "branch", "the chance branch drawn for the option chosen"
    BOUNDS = "bounds", "values brought back within their minimum and maximum"


@frozen
class TraceEntry:
    """One application of changes, for "why did this change?".

    ``idx[b]`` is the bundle (event, option, branch or rule) game ``b`` used, -1 for none; ``delta`` is the
    ``(V, B)`` change it made.
    """

    turn: int
    slot: int
    kind: Cause
    names: tuple[str, ...]
    idx: np.ndarray
    delta: np.ndarray


# ``adds`` maps rows to per-game deltas (the constant part first, then each expression in file order, as the
# reference engine sums them); ``sets`` is a list of ``(row, mask, value)`` applied in order after the adds.
Changes = tuple[dict[int, "np.ndarray | float"], list[tuple[int, np.ndarray, np.ndarray]]]


def as_bool(v, shape) -> np.ndarray:
    if isinstance(v, np.ndarray):
        return v if v.dtype == np.bool_ else v != 0.0
    return np.full(shape, bool(v != 0.0))


def condition(state: State, ce: CExpr | None) -> np.ndarray:
    """(B,) where a condition holds now (everywhere for no condition)."""
    X = state.col.X
    if ce is None:
        return np.ones(X.shape[1], dtype=bool)
    return as_bool(ce.truth(X, state.env), (X.shape[1],))


def prepare(state: State, bundles: Bundles, idx: np.ndarray) -> Changes:
    """The changes of bundle ``idx[b]`` in each game (-1 for none), all computed from the current state and
    nothing applied (``commit`` applies them; ``preview`` shows their result)."""
    c = state.compiled
    X = state.col.X
    adds: dict[int, np.ndarray | float] = {}
    sets: list[tuple[int, np.ndarray, np.ndarray]] = []
    if bundles.empty:
        return adds, sets
    if len(bundles.names) == 1:  # a rule: one bundle, applied where idx == 0
        mask = idx == 0
        everywhere = bool(mask.all())
        for r, i in enumerate(bundles.add_rows.tolist()):
            value = float(bundles.add[r, 0])
            adds[i] = value if everywhere else np.where(mask, value, 0.0)
        for r, i in enumerate(bundles.set_rows.tolist()):
            if bundles.set_mask[r, 0]:
                sets.append((i, mask, np.full(mask.shape, bundles.set_value[r, 0])))
    elif bundles.add_rows.size:
        block = np.take(bundles.add, idx, axis=1, mode="wrap")  # -1 wraps to the null bundle
        adds = dict(zip(bundles.add_rows.tolist(), block))
    if bundles.set_rows.size and len(bundles.names) > 1:
        masks = np.take(bundles.set_mask, idx, axis=1, mode="wrap")
        values = np.take(bundles.set_value, idx, axis=1, mode="wrap")
        sets = [(i, masks[r], values[r]) for r, i in enumerate(bundles.set_rows.tolist()) if np.count_nonzero(masks[r])]
    for b in bundles.with_exprs:
        mask = idx == b
        if not np.count_nonzero(mask):
            continue
        for i, ce in bundles.expr_adds[b]:
            v = c.round_if_flag(i, np.asarray(ce(X, state.env), dtype=np.float64))
            adds[i] = adds.get(i, 0.0) + np.where(mask, v, 0.0)
        for i, ce in bundles.expr_sets[b]:
            # a copy: a bare name (`set = { a = "b" }`) compiles to a view of row b, which the adds
            # below would change before the set copies it; the value must be b's from before the bundle
            v = c.round_if_flag(i, np.array(ce(X, state.env), dtype=np.float64))
            sets.append((i, mask, np.broadcast_to(v, mask.shape)))
    return adds, sets


def preview(state: State, bundles: Bundles, idx: np.ndarray, X: np.ndarray) -> np.ndarray:
    """A copy of ``X`` after the bundles' changes, every value computed from the current state (not from
    ``X``); the state is left untouched. Values are not clamped."""
    adds, sets = prepare(state, bundles, idx)
    out = X.copy()
    for i, d in adds.items():
        out[i] += d
    for i, mask, value in sets:
        np.copyto(out[i], value, where=mask)
    return out


def commit(state: State, kind: Cause, bundles: Bundles, idx: np.ndarray, parts: Changes, slot: int) -> None:
    """Apply prepared changes and schedule the bundles' follow-ups (recorded in the trace as ``kind``)."""
    adds, sets = parts
    if not adds and not sets and not bundles.follow_width and not state.trace:
        return  # nothing changes; with a trace, the firing itself is still recorded
    X = state.col.X
    before = X.copy() if state.trace else None
    for i, d in adds.items():
        X[i] += d
    for i, mask, value in sets:
        np.copyto(X[i], value, where=mask)
    state.dirty.update(adds)
    state.dirty.update(i for i, _, _ in sets)
    if bundles.follow_width:
        _schedule(state, bundles, idx)
    if before is not None:
        record(state, kind, tuple(bundles.names), idx, before, slot)


def _schedule(state: State, bundles: Bundles, idx: np.ndarray) -> None:
    due = state.col.due
    for j in range(bundles.follow_width):
        target = bundles.follow_event[idx, j]
        cols = np.flatnonzero(target >= 0)
        if not cols.size:
            continue
        t = target[cols]
        new_due = state.turn + bundles.follow_after[idx[cols], j]
        current = due[t, cols]
        upd = (current == 0) | (current > new_due)
        due[t[upd], cols[upd]] = new_due[upd]


def clamp(state: State, slot: int) -> None:
    """Clamp the rows changed since the last clamp (the others are within bounds already)."""
    c = state.compiled
    if not state.dirty:
        return
    X = state.col.X
    before = X.copy() if state.trace else None
    if len(state.dirty) * 3 > c.V:
        np.clip(X, c.lo, c.hi, out=X)
    else:
        for i in state.dirty:
            np.clip(X[i], c.lo[i, 0], c.hi[i, 0], out=X[i])
    state.dirty.clear()
    if before is not None and (before != X).any():
        record(state, Cause.BOUNDS, ("bounds",), np.zeros(X.shape[1], dtype=np.int32), before, slot)


def record(state: State, kind: Cause, names: tuple[str, ...], idx: np.ndarray, before: np.ndarray, slot: int) -> None:
    """Add one entry to the trace: what ``kind`` changed since ``before``."""
    state.log.append(TraceEntry(state.turn, slot, kind, names, np.array(idx), state.col.X - before))
