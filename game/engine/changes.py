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

__all__ = [
    "Cause",
    "Changes",
    "TraceEntry",
    "apply_changes",
    "apply_rule",
    "as_bool",
    "clamp",
    "commit",
    "condition",
    "prepare",
    "preview",
    "record",
]


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
    LASTING = "lasting", "format 2: a lasting effect of the option chosen began"
    EXPIRY = "expiry", "format 2: a lasting effect ended, taken back at the start of the turn"


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


# The changes of a bundle, computed and not yet applied: ``rows`` and ``block`` (``(len(rows), B)`` or
# ``(len(rows), 1)``) are the deltas of the rows the bundles' tables touch, the constant part first and then
# each expression in file order (as the reference engine sums them); ``extra`` maps rows only expressions
# touch to their deltas; ``sets`` is a list of ``(row, mask, value)`` applied in order after the adds. Each
# value gets one addition, ``X + delta``, however the rows are grouped.
Changes = tuple[np.ndarray, "np.ndarray | None", dict[int, np.ndarray], list[tuple[int, np.ndarray, np.ndarray]]]

_NO_ROWS = np.zeros(0, dtype=np.intp)


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


def prepare(state: State, bundles: Bundles, idx: np.ndarray, repeat: int = 1) -> Changes:
    """The changes of bundle ``idx[b]`` in each game (-1 for none), all computed from the current state and
    nothing applied (``commit`` applies them; ``preview`` shows their result).

    With ``repeat``, ``idx`` covers that many copies of the batch side by side (entry ``m * B + b`` is game
    ``b``), for look-ahead over several options at once; expressions are still evaluated once per game."""
    c = state.compiled
    X = state.col.X
    rows = _NO_ROWS
    block: np.ndarray | None = None
    own = False  # whether ``block`` is ours to change (not a view of the tables)
    extra: dict[int, np.ndarray] = {}
    sets: list[tuple[int, np.ndarray, np.ndarray]] = []
    if bundles.empty:
        return rows, block, extra, sets
    if len(bundles.names) == 1:  # a rule: one bundle, applied where idx == 0
        mask = idx == 0
        if bundles.add_rows.size:
            rows = bundles.add_rows
            if bool(mask.all()):
                block = bundles.add[:, :1]
            else:
                block, own = np.where(mask, bundles.add[:, :1], 0.0), True
        for r, i in enumerate(bundles.set_rows.tolist()):
            if bundles.set_mask[r, 0]:
                sets.append((i, mask, np.full(mask.shape, bundles.set_value[r, 0])))
    else:
        # the bundles some game uses (the last entry: -1, none); tables no such bundle touches are skipped
        present = np.zeros(len(bundles.names) + 1, dtype=bool)
        present[idx] = True
        if bundles.add_rows.size and np.count_nonzero(present & bundles.adds_any):
            rows = bundles.add_rows
            block, own = np.take(bundles.add, idx, axis=1, mode="wrap"), True  # -1 wraps to the null bundle
        if bundles.set_rows.size and np.count_nonzero(present & bundles.sets_any):
            masks = np.take(bundles.set_mask, idx, axis=1, mode="wrap")
            values = np.take(bundles.set_value, idx, axis=1, mode="wrap")
            keep = masks.any(axis=1)
            sets = [(i, masks[r], values[r]) for r, i in enumerate(bundles.set_rows.tolist()) if keep[r]]
    if bundles.with_exprs:
        if len(bundles.names) == 1:
            present = np.array([True, False])  # a rule's one bundle (applied where idx == 0, at least nowhere)
        for b in bundles.with_exprs:
            if not present[b]:
                continue
            mask = idx == b
            for i, ce in bundles.expr_adds[b]:
                v = _repeat(c.round_if_flag(i, np.asarray(ce(X, state.env), dtype=np.float64)), repeat)
                v = np.where(mask, v, 0.0)
                r = bundles.add_pos.get(i, -1) if block is not None else -1
                if r < 0:  # a row no table adds to here: 0.0 plus the expressions, as a table row would be
                    extra[i] = extra[i] + v if i in extra else 0.0 + v
                    continue
                if not own or block.shape[1] != mask.shape[0]:
                    block, own = np.broadcast_to(block, (block.shape[0], mask.shape[0])).copy(), True
                block[r] = block[r] + v
            for i, ce in bundles.expr_sets[b]:
                # a copy: a bare name (`set = { a = "b" }`) compiles to a view of row b, which the adds
                # below would change before the set copies it; the value must be b's from before the bundle
                v = _repeat(c.round_if_flag(i, np.array(ce(X, state.env), dtype=np.float64)), repeat)
                sets.append((i, mask, np.broadcast_to(v, mask.shape)))
    return rows, block, extra, sets


def _repeat(v: np.ndarray, repeat: int) -> np.ndarray:
    """Per-game values for ``repeat`` copies of the batch side by side (a single value stays as it is)."""
    return np.concatenate((v,) * repeat) if repeat > 1 and v.ndim else v


def apply_changes(X: np.ndarray, parts: Changes) -> None:
    """Apply prepared changes to ``X`` in place (no trace, no follow-ups: ``commit`` does those)."""
    rows, block, extra, sets = parts
    if block is not None:
        X[rows] += block
    for i, d in extra.items():
        X[i] += d
    for i, mask, value in sets:
        np.copyto(X[i], value, where=mask)


def preview(state: State, bundles: Bundles, idx: np.ndarray, X: np.ndarray) -> np.ndarray:
    """A copy of ``X`` after the bundles' changes, every value computed from the current state (not from
    ``X``); the state is left untouched. Values are not clamped."""
    out = X.copy()
    apply_changes(out, prepare(state, bundles, idx))
    return out


def commit(state: State, kind: Cause, bundles: Bundles, idx: np.ndarray, parts: Changes, slot: int) -> None:
    """Apply prepared changes and schedule the bundles' follow-ups (recorded in the trace as ``kind``)."""
    rows, block, extra, sets = parts
    if block is None and not extra and not sets and not bundles.follow_width and not state.trace:
        return  # nothing changes; with a trace, the firing itself is still recorded
    X = state.col.X
    before = X.copy() if state.trace else None
    apply_changes(X, parts)
    if block is not None:
        state.dirty.update(rows.tolist())
    state.dirty.update(extra)
    state.dirty.update(i for i, _, _ in sets)
    if bundles.follow_width:
        _schedule(state, bundles, idx)
    if before is not None:
        record(state, kind, tuple(bundles.names), idx, before, slot)


def apply_rule(state: State, bundles: Bundles, applies: np.ndarray, slot: int) -> None:
    """``commit(prepare(...))`` of a standing rule (one bundle) in the games where it ``applies``, in fewer
    steps: every value is computed from the state before the rule, then the constant and expression adds of
    each row are summed (in that order) and added, then the sets applied in order, as ``prepare`` does."""
    if not np.count_nonzero(applies):
        return
    c = state.compiled
    X = state.col.X
    everywhere = bool(applies.all())
    adds: list[tuple[int, np.ndarray]] = []
    sets: list[tuple[int, np.ndarray | float]] = []
    if bundles.with_exprs:
        for i, ce in bundles.expr_adds[0]:
            adds.append((i, np.where(applies, c.round_if_flag(i, np.asarray(ce(X, state.env), dtype=np.float64)), 0.0)))
        for i, ce in bundles.expr_sets[0]:  # a copy: a bare name is a view of the row it names
            sets.append((i, c.round_if_flag(i, np.array(ce(X, state.env), dtype=np.float64))))
    before = X.copy() if state.trace else None
    rows = bundles.add_rows
    if rows.size:
        block = bundles.add[:, :1] if everywhere else np.where(applies, bundles.add[:, :1], 0.0)
        if adds:
            block = np.broadcast_to(block, (rows.size, X.shape[1])).copy()
        for i, v in adds:
            r = bundles.add_pos.get(i, -1)
            if r >= 0:
                block[r] = block[r] + v
        X[rows] += block
        state.dirty.update(rows.tolist())
    extra: dict[int, np.ndarray] = {}
    for i, v in adds:
        if i not in bundles.add_pos:
            extra[i] = extra[i] + v if i in extra else 0.0 + v
    for i, d in extra.items():
        X[i] += d
        state.dirty.add(i)
    for r, i in enumerate(bundles.set_rows.tolist()):
        if bundles.set_mask[r, 0]:
            np.copyto(X[i], bundles.set_value[r, 0], where=applies)
            state.dirty.add(i)
    for i, value in sets:
        np.copyto(X[i], np.broadcast_to(value, applies.shape), where=applies)
        state.dirty.add(i)
    if bundles.follow_width or before is not None:
        idx = np.where(applies, 0, -1).astype(np.int32)
        if bundles.follow_width:
            _schedule(state, bundles, idx)
        if before is not None:
            record(state, Cause.RULE, tuple(bundles.names), idx, before, slot)


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
        np.minimum(np.maximum(X, c.lo, out=X), c.hi, out=X)  # np.clip, in two ufunc calls (it costs more)
    elif len(state.dirty) == 1:
        (i,) = state.dirty
        np.minimum(np.maximum(X[i], c.lo[i, 0], out=X[i]), c.hi[i, 0], out=X[i])
    else:
        rows = np.fromiter(state.dirty, dtype=np.intp, count=len(state.dirty))
        X[rows] = np.minimum(np.maximum(X[rows], c.lo[rows]), c.hi[rows])
    state.dirty.clear()
    if before is not None and (before != X).any():
        record(state, Cause.BOUNDS, ("bounds",), np.zeros(X.shape[1], dtype=np.int32), before, slot)


def record(state: State, kind: Cause, names: tuple[str, ...], idx: np.ndarray, before: np.ndarray, slot: int) -> None:
    """Add one entry to the trace: what ``kind`` changed since ``before``."""
    state.log.append(TraceEntry(state.turn, slot, kind, names, np.array(idx), state.col.X - before))
