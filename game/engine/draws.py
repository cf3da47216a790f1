"""Choosing events for decision slots: the eligibility snapshot and weighted draws.

A mixin of ``State``. Weights are quantised to integer thousandths and summed into cumulative rows in file
order, so draws are exact at any batch size; each slot draws with a binary search over the rows, less the
weights of events already fired this turn.
"""

from __future__ import annotations

import numpy as np

from .rng import Stream, uniform

__all__ = ["EventDrawMixin", "quantize"]


def quantize(w) -> np.ndarray | int:
    """Event weights in thousandths, as integers: sums and draws are then exact at any batch size."""
    if isinstance(w, np.ndarray):
        return np.floor(np.clip(w, 0.0, 1e6) * 1000.0).astype(np.int64)
    return int(np.floor(min(max(float(w), 0.0), 1e6) * 1000.0))


class EventDrawMixin:
    def _snapshot(self, turn: int) -> None:
        """Evaluate eligibility and weights once for the turn's decision slots.

        Due decision events whose condition fails now lapse. Random events' quantised weights are summed
        into cumulative rows ``self.cum`` (file order, skipping rows that are zero in every game), so each
        slot draws with a binary search; events fired earlier in the turn are subtracted on the fly.
        """
        c = self.compiled
        B = self.X.shape[1]
        S = len(c.scheduled_decisions)
        self.due_now: list[tuple[int, np.ndarray]] = []  # (event, games where it is due now), file order
        if S:
            rows = c.scheduled_rows
            D = self.due[rows]
            hit = (D > 0) & (turn >= D)
            for s in np.flatnonzero(hit.any(axis=1)):
                e = c.scheduled_decisions[s]
                ok = self._cond(c.event_when[e])
                if c.once[e]:
                    ok = ok & (self.last_fired[e] < 0)
                if c.v2:
                    ok = ok & self._within_limits(e, turn)
                self.due[e] = np.where(hit[s] & ~ok, 0, D[s])
                now = hit[s] & ok & self.alive
                if np.count_nonzero(now):
                    self.due_now.append((e, now))
        R = len(c.random_events)
        ids = []
        cum = np.empty((R, B), dtype=np.int64)
        weights = np.empty((R, B), dtype=np.int64)
        if R:
            acc = np.zeros(B, dtype=np.int64)
            for r, e in enumerate(c.random_events):
                lo, hi = c.random_window[r]
                if turn < lo or turn > hi:
                    continue
                ok = self._cond(c.event_when[e])
                # no decision event has fired yet this turn, so only once and cooldown can rule one out
                if c.once[e]:
                    ok &= self.last_fired[e] < 0
                elif c.cooldown[e]:
                    ok &= (turn - self.last_fired[e]) > c.cooldown[e]
                if c.max_fires[e]:
                    ok &= self.mem[c.mem_event_row[e]] < c.max_fires[e]
                if not np.count_nonzero(ok):
                    continue
                wc = c.event_weight[e]
                w = weights[len(ids)]
                if wc.const is not None:
                    np.multiply(ok, c.random_const_weight[r], out=w)
                else:
                    np.multiply(quantize(wc(self.X, self.env)), ok, out=w)
                acc = np.add(acc, w, out=cum[len(ids)])
                ids.append(e)
        n = len(ids)
        self.draw_ids = np.array(ids, dtype=np.int32)
        self.cum = cum[:n]
        self.draw_w = weights[:n]
        self.draw_pos = np.full(c.E + 1, -1, dtype=np.int64)
        self.draw_pos[self.draw_ids] = np.arange(len(ids))
        self.excluded: list[tuple[np.ndarray, np.ndarray]] = []  # (position, weight) of events fired

    def _draw_event(self, need: np.ndarray) -> np.ndarray:
        """Weighted draw among the eligible random events, excluding those fired earlier this turn."""
        n = self.cum.shape[0]
        B = need.shape[0]
        total = self.cum[-1].copy()
        for _pos, w in self.excluded:
            total -= w
        u = uniform(self.keys, self.turn, Stream.EVENT, self.slot)
        r = (u * total).astype(np.int64)
        lo = np.zeros(B, dtype=np.int64)
        hi = np.full(B, n - 1, dtype=np.int64)
        flat = self.cum.reshape(-1)
        cols = np.arange(B)
        while True:  # smallest m with cum'[m] > r (cum' = cum less the excluded weights)
            open_ = lo < hi
            if not np.count_nonzero(open_):
                break
            mid = (lo + hi) >> 1
            v = flat[mid * B + cols]
            for pos, w in self.excluded:
                v = v - w * (pos <= mid)
            go = v > r
            hi = np.where(open_ & go, mid, hi)
            lo = np.where(open_ & ~go, mid + 1, lo)
        return np.where(need & (total > 0), self.draw_ids[lo], -1).astype(np.int32)
