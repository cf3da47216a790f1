"""Options and chance: which options of each game's pending event can be chosen, and which chance branch
happens (of the chosen option, or of an event as it fires)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from .changes import as_bool
from .rng import Stream, uniform

if TYPE_CHECKING:
    from .compiled import CExpr
    from .state import State

__all__ = ["availability", "option_branches", "pick_branch", "visible_now"]


def availability(state: State) -> np.ndarray:
    """(B, K) which choices of the pending event each game can make: the event has the option, the costs
    leave every meter paid from at or above its floor, and the option's ``available`` condition holds."""
    c = state.compiled
    X = state.col.X
    pend = state.col.pending
    ids = c.option_ids(pend)
    avail = ids < c.O
    if c.cost_rows.size:
        held = X[c.cost_rows].T  # (B, Vc)
        for k in range(c.K):
            avail[:, k] &= ((held - c.cost_table[ids[:, k]]) >= c.cost_floor).all(axis=1)
    if c.option_available:
        pending = _present(pend, c.E)
        for g, ce in c.option_available:
            e = c.option_event[g]
            if not pending[e]:  # only the options of events pending somewhere
                continue
            mask = pend == e
            k = g - c.option_offset[e]
            avail[:, k] &= ~mask | as_bool(ce.truth(X, state.env), mask.shape)
    if c.option_visible:
        avail &= visible_now(state)
    return avail


def visible_now(state: State) -> np.ndarray:
    """(B, K) which options of each game's pending event are offered at all (format 2 ``visible``): an option
    that is not is unavailable too, and the interface does not show it."""
    c = state.compiled
    pend = state.col.pending
    shown = np.ones((pend.shape[0], c.K), dtype=bool)
    pending = _present(pend, c.E) if c.option_visible else None
    for g, ce in c.option_visible:
        e = c.option_event[g]
        if pending is not None and pending[e]:
            mask = pend == e
            k = g - c.option_offset[e]
            shown[:, k] &= ~mask | as_bool(ce.truth(state.col.X, state.env), mask.shape)
    return shown


def _present(idx: np.ndarray, n: int) -> list[bool]:
    """Which of ``0 .. n - 1`` occur in ``idx`` (-1 entries, "none", are left out): one pass over the batch
    instead of one comparison per candidate."""
    seen = np.zeros(n + 1, dtype=bool)
    seen[idx] = True  # -1 marks the last entry
    return seen[:n].tolist()


def option_branches(state: State, g: np.ndarray) -> np.ndarray:
    """The chance branch of the chosen option ``g[b]`` in each game (-1 for none)."""
    c = state.compiled
    if not c.branches:
        return np.full(g.shape, -1, dtype=np.int32)
    return pick_branch(
        state,
        g,
        c.branch_offset,
        c.branch_chance,
        c.options_with_branches,
        lambda: uniform(state.col.keys, state.turn, Stream.BRANCH, state.slot),
    )


def pick_branch(
    state: State,
    owner: np.ndarray,
    offsets,
    chances: list[CExpr],
    owners_with: list[int],
    draw: Callable[[], np.ndarray],
) -> np.ndarray:
    """One uniform draw per game (``draw()``, made only when some game's owner has branches) picks at most one
    branch of its owner (option or event): the first whose cumulative chance exceeds the draw; chances are
    clamped to 0..1 and capped at a total of 1."""
    X = state.col.X
    branch = np.full(owner.shape, -1, dtype=np.int32)
    present = _present(owner, len(offsets) - 1)
    u = None
    for o in owners_with:
        if not present[o]:  # only owners some game has
            continue
        if u is None:
            u = draw()
        mask = owner == o
        cum: np.ndarray | float = 0.0
        for j in range(offsets[o], offsets[o + 1]):
            ce = chances[j]
            if ce.const is not None:
                p = min(max(ce.const, 0.0), 1.0)
            else:
                p = np.minimum(np.maximum(ce(X, state.env), 0.0), 1.0)
            nxt = (
                np.minimum(cum + p, 1.0)
                if isinstance(p, np.ndarray) or isinstance(cum, np.ndarray)
                else min(cum + p, 1.0)
            )
            hit = mask & (u >= cum) & (u < nxt)
            branch = np.where(hit, j, branch)
            cum = nxt
    return branch
