"""Look-ahead for policies: the score of the expected state after each option of the pending decision.

The expectation counts each chance branch by its probability. A component counted over the term contributes
the mean it would have if the turn ended in the expected state. The arithmetic (order of sums, clamping) is
part of the rules of the greedy policies: the reference engine's ``expected_score`` does the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .changes import preview

if TYPE_CHECKING:
    from .state import State

__all__ = ["expected_scores"]


def expected_scores(state: State) -> np.ndarray:
    """(B, K) score of the expected state after each available option (-inf where unavailable)."""
    c = state.compiled
    X = state.col.X
    pend = state.col.pending
    active = pend >= 0
    B = pend.shape[0]
    out = np.full((B, c.K), -np.inf)
    base = c.option_offset[np.where(active, pend, c.E)]
    for k in range(c.K):
        ok = state.col.avail[:, k] & active
        if not np.count_nonzero(ok):
            continue
        g = np.where(ok, base + k, -1).astype(np.int32)
        Xo = preview(state, c.option_bundles, g, X)
        Xe = Xo.copy()
        if c.branches:
            gs = np.where(ok, g, c.O)
            nb = c.branch_offset[np.minimum(gs + 1, c.O)] - c.branch_offset[gs]
            nb = np.where(ok, nb, 0)
            cum = np.zeros(B)
            for i in range(int(nb.max(initial=0))):
                has = i < nb
                j = np.where(has, c.branch_offset[gs] + i, -1).astype(np.int32)
                p = np.zeros(B)
                for jj in np.unique(j[has]):
                    m = j == jj
                    p = np.where(m, np.clip(c.branch_chance[jj](X, state.env), 0.0, 1.0), p)
                nxt = np.minimum(cum + p, 1.0)
                q = nxt - cum
                cum = nxt
                Xb = preview(state, c.branch_bundles, j, Xo)
                Xe = Xe + q * (Xb - Xo)
        np.clip(Xe, c.lo, c.hi, out=Xe)
        score = np.zeros(B)
        for j, (ce, w) in enumerate(c.score):
            value = np.asarray(ce(Xe, state.env), dtype=np.float64)
            r = c.score_term_row[j]
            if r >= 0:  # over the term: the mean as if this turn ended in the expected state
                value = (state.col.term_acc[r] + value) / state.turn
            score = score + w * value
        out[:, k] = np.where(ok, score, -np.inf)
    return out
