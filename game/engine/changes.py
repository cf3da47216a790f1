"""Applying changes to the batched state: bundles of effects, follow-ups, clamping and the trace.

A mixin of ``State``: the methods here read and write ``self.X`` (variables x games), ``self.due`` and the
trace. Sums follow one fixed order (constants, costs, then expressions in file order, then the variable
adds the total), which the reference engine shares.
"""

from __future__ import annotations

import numpy as np
from attrs import frozen

__all__ = ["ChangeMixin", "TraceEntry", "as_bool"]


@frozen
class TraceEntry:
    """One application of changes, for "why did this change?".

    ``idx[b]`` is the bundle (event, option, branch or rule) game ``b`` used, -1 for none; ``delta`` is the
    ``(V, B)`` change it made. ``kind`` is one of news, drift, rule, event, event_branch, option, branch,
    bounds.
    """

    turn: int
    slot: int
    kind: str
    names: tuple[str, ...]
    idx: np.ndarray
    delta: np.ndarray


def as_bool(v, shape) -> np.ndarray:
    if isinstance(v, np.ndarray):
        return v if v.dtype == np.bool_ else v != 0.0
    return np.full(shape, bool(v != 0.0))


class ChangeMixin:
    def _cond(self, ce):
        if ce is None:
            return np.ones(self.X.shape[1], dtype=bool)
        return as_bool(ce.truth(self.X, self.env), (self.X.shape[1],))

    def _prepare(self, bundles, idx: np.ndarray):
        """The changes of bundle ``idx[b]`` in each game, all computed from the current state.

        Returns ``(adds, sets)``: ``adds`` maps rows to per-game deltas (the constant part first, then each
        expression in file order, as the reference engine sums them); ``sets`` is a list of
        ``(row, mask, value)`` applied in order after the adds.
        """
        c = self.compiled
        adds: dict[int, np.ndarray] = {}
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
            sets = [(i, masks[r], values[r]) for r, i in enumerate(bundles.set_rows.tolist())
                    if np.count_nonzero(masks[r])]
        for b in bundles.with_exprs:
            mask = idx == b
            if not np.count_nonzero(mask):
                continue
            for i, ce in bundles.expr_adds[b]:
                v = c.round_if_flag(i, np.asarray(ce(self.X, self.env), dtype=np.float64))
                adds[i] = adds.get(i, 0.0) + np.where(mask, v, 0.0)
            for i, ce in bundles.expr_sets[b]:
                # a copy: a bare name (`set = { a = "b" }`) compiles to a view of row b, which the adds
                # below would change before the set copies it; the value must be b's from before the bundle
                v = c.round_if_flag(i, np.array(ce(self.X, self.env), dtype=np.float64))
                sets.append((i, mask, np.broadcast_to(v, mask.shape)))
        return adds, sets

    def _commit(self, kind: str, bundles, idx: np.ndarray, parts, slot: int) -> None:
        adds, sets = parts
        if not adds and not sets and not bundles.follow_width and not self.trace:
            return  # nothing changes; with a trace, the firing itself is still recorded
        before = self.X.copy() if self.trace else None
        X = self.X
        for i, d in adds.items():
            X[i] += d
        for i, mask, value in sets:
            np.copyto(X[i], value, where=mask)
        self.dirty.update(adds)
        self.dirty.update(i for i, _, _ in sets)
        if bundles.follow_width:
            self._schedule(bundles, idx)
        if self.trace:
            self._record(kind, tuple(bundles.names), idx, before, slot)

    def _schedule(self, bundles, idx: np.ndarray) -> None:
        for j in range(bundles.follow_width):
            target = bundles.follow_event[idx, j]
            cols = np.flatnonzero(target >= 0)
            if not cols.size:
                continue
            t = target[cols]
            new_due = self.turn + bundles.follow_after[idx[cols], j]
            current = self.due[t, cols]
            upd = (current == 0) | (current > new_due)
            self.due[t[upd], cols[upd]] = new_due[upd]

    def _clamp(self, slot: int) -> None:
        """Clamp the rows changed since the last clamp (the others are within bounds already)."""
        c = self.compiled
        if not self.dirty:
            return
        if self.trace:
            before = self.X.copy()
        if len(self.dirty) * 3 > c.V:
            np.clip(self.X, c.lo, c.hi, out=self.X)
        else:
            for i in self.dirty:
                np.clip(self.X[i], c.lo[i, 0], c.hi[i, 0], out=self.X[i])
        self.dirty.clear()
        if self.trace and (before != self.X).any():
            self._record("bounds", ("bounds",), np.zeros(self.X.shape[1], dtype=np.int32), before, slot)

    def _record(self, kind, names, idx, before, slot) -> None:
        self.log.append(TraceEntry(self.turn, slot, kind, names, np.array(idx), self.X - before))
