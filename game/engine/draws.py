"""Choosing events for decision slots: the eligibility snapshot and weighted draws.

Weights are quantised to integer thousandths and summed into cumulative rows in file order, so draws are
exact at any batch size; each slot draws with a binary search over the rows, less the weights of events
already fired this turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from attrs import define

from ..numeric import quantize_weights
from .changes import condition
from .memory import within_limits
from .rng import Stream, uniform

if TYPE_CHECKING:
    from .state import State

__all__ = ["TurnDraws", "draw_event", "snapshot"]


@define
class TurnDraws:
    """The decision tables of the current turn (rebuilt by ``snapshot`` when a turn begins).

    ``due_now`` lists, in file order, each scheduled decision event with the games where it is due now (the
    masks are cleared as the events fire). Random events: ``ids`` are the eligible events, ``cum`` and
    ``weights`` their cumulative and own quantised weights ``(rows, B)``, ``position[e]`` the row of event
    ``e`` (-1 if not drawable), and ``excluded`` the (row, weight) per game of each event fired this turn.
    """

    due_now: list[tuple[int, np.ndarray]]
    ids: np.ndarray
    position: np.ndarray
    cum: np.ndarray
    weights: np.ndarray
    excluded: list[tuple[np.ndarray, np.ndarray]]

    def take(self, index: np.ndarray) -> TurnDraws:
        """The tables of the games at ``index`` (new arrays; the per-event ones are shared, read-only)."""
        return TurnDraws(
            due_now=[(e, now[index]) for e, now in self.due_now],
            ids=self.ids,
            position=self.position,
            cum=np.take(self.cum, index, axis=1),
            weights=np.take(self.weights, index, axis=1),
            excluded=[(p[index], w[index]) for p, w in self.excluded],
        )


def snapshot(state: State, turn: int) -> TurnDraws:
    """Evaluate eligibility and weights once for the turn's decision slots.

    Due decision events whose condition fails now lapse. Random events' quantised weights are summed into
    cumulative rows (file order, skipping rows that are zero in every game), so each slot draws with a
    binary search; events fired earlier in the turn are subtracted on the fly.
    """
    c = state.compiled
    col = state.col
    B = col.X.shape[1]
    due_now: list[tuple[int, np.ndarray]] = []
    if len(c.scheduled_decisions):
        D = col.due[c.scheduled_rows]
        hit = (D > 0) & (turn >= D)
        for s in np.flatnonzero(hit.any(axis=1)):
            e = c.scheduled_decisions[s]
            ok = condition(state, c.event_when[e])
            if c.once[e]:
                ok = ok & (col.last_fired[e] < 0)
            if c.v2:
                ok = ok & within_limits(state, e, turn)
            col.due[e] = np.where(hit[s] & ~ok, 0, D[s])
            now = hit[s] & ok & col.alive
            if np.count_nonzero(now):
                due_now.append((e, now))
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
            # no decision event has fired yet this turn, so only once and cooldown can rule one out; they are
            # checked first, and the condition only where they leave some game
            ok = None
            if c.once[e]:
                ok = col.last_fired[e] < 0
            elif c.cooldown[e]:
                ok = (turn - col.last_fired[e]) > c.cooldown[e]
            if c.max_fires[e]:
                limit = col.mem[c.mem_event_row[e]] < c.max_fires[e]
                ok = limit if ok is None else ok & limit
            if ok is not None and not np.count_nonzero(ok):
                continue
            when = condition(state, c.event_when[e])
            ok = when if ok is None else when & ok
            if not np.count_nonzero(ok):
                continue
            wc = c.event_weight[e]
            w = weights[len(ids)]
            if wc.const is not None:
                np.multiply(ok, c.random_const_weight[r], out=w)
            else:
                np.multiply(quantize_weights(np.asarray(wc(col.X, state.env))), ok, out=w)
            acc = np.add(acc, w, out=cum[len(ids)])
            ids.append(e)
    n = len(ids)
    draw_ids = np.array(ids, dtype=np.int32)
    position = np.full(c.E + 1, -1, dtype=np.int64)
    position[draw_ids] = np.arange(n)
    return TurnDraws(due_now, draw_ids, position, cum[:n], weights[:n], [])


# Draws over tables of at most this many entries (events x games) compare every row at once; larger ones
# search (binary search is fewer operations per game, and the table need not be copied).
SMALL_DRAW = 65_536


def draw_event(state: State, need: np.ndarray) -> np.ndarray:
    """Weighted draw among the eligible random events, excluding those fired earlier this turn."""
    draws = state.draws
    n = draws.cum.shape[0]
    B = need.shape[0]
    total = draws.cum[-1].copy()
    for _pos, w in draws.excluded:
        total -= w
    u = uniform(state.col.keys, state.turn, Stream.EVENT, state.slot)
    r = (u * total).astype(np.int64)
    if n * B <= SMALL_DRAW:  # the whole table at once: fewer numpy calls than the search, for small batches
        cum = draws.cum
        if draws.excluded:
            rows = np.arange(n)[:, None]
            cum = cum.copy()
            for pos, w in draws.excluded:
                cum -= w * (rows >= pos)
        lo = np.argmax(cum > r, axis=0)  # the first row above r: where cum' first exceeds it
        return np.where(need & (total > 0), draws.ids[lo], -1).astype(np.int32)
    lo = np.zeros(B, dtype=np.int64)
    hi = np.full(B, n - 1, dtype=np.int64)
    flat = draws.cum.reshape(-1)
    cols = np.arange(B)
    while True:  # smallest m with cum'[m] > r (cum' = cum less the excluded weights)
        open_ = lo < hi
        if not np.count_nonzero(open_):
            break
        mid = (lo + hi) >> 1
        v = flat[mid * B + cols]
        for pos, w in draws.excluded:
            v = v - w * (pos <= mid)
        go = v > r
        hi = np.where(open_ & go, mid, hi)
        lo = np.where(open_ & ~go, mid + 1, lo)
    return np.where(need & (total > 0), draws.ids[lo], -1).astype(np.int32)
