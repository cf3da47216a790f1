"""Look-ahead for policies: the score of the expected state after each option of the pending decision.

The expectation counts each chance branch by its probability. A component counted over the term contributes
the mean it would have if the turn ended in the expected state. The arithmetic (order of sums, clamping) is
part of the rules of the greedy policies: the reference engine's ``expected_score`` does the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .changes import apply_changes, prepare
from .scoring import score_sum

if TYPE_CHECKING:
    from .state import State

__all__ = ["expected_scores"]


# Option slots looked at side by side in one pass hold at most this many (game, option) columns: below it a
# pass costs numpy's per-call overhead, above it the size of the arrays (measured on Manila 2019: one pass of
# 5 x 256 games takes 35% less time than 5 passes; 5 x 4000 games in one pass take 40% more).
SIDE_BY_SIDE = 2048


def expected_scores(state: State) -> np.ndarray:
    """(B, K) score of the expected state after each available option (-inf where unavailable).

    The option slots some game can take are looked at over copies of the batch side by side (copy ``m``
    tries slot ``slots[m]``; as many at a time as ``SIDE_BY_SIDE`` allows), and a branch's expectation
    changes only the rows branches touch. Each (game, option) goes through the same operations in the same
    order however the slots are grouped, as in the reference engine's ``expected_score``: the scores are the
    same to the bit."""
    pend = state.col.pending
    B = pend.shape[0]
    out = np.full((B, state.compiled.K), -np.inf)
    ok_bk = state.col.avail & (pend >= 0)[:, None]
    slots = np.flatnonzero(ok_bk.any(axis=0))
    step = max(1, SIDE_BY_SIDE // max(B, 1))
    for a in range(0, slots.size, step):
        group = slots[a : a + step]
        out[:, group] = _scores_side_by_side(state, group, ok_bk[:, group])
    return out


def _scores_side_by_side(state: State, slots: np.ndarray, ok_bk: np.ndarray) -> np.ndarray:
    """(B, len(slots)) the expected scores of option slots ``slots`` (-inf where ``ok_bk`` is False)."""
    c = state.compiled
    pend = state.col.pending
    active = pend >= 0
    B = pend.shape[0]
    n = slots.size
    X = state.col.X
    ok = ok_bk.T.reshape(-1)
    base = c.option_offset[np.where(active, pend, c.E)]
    g = np.where(ok, (base[None, :] + slots[:, None]).reshape(-1), -1).astype(np.int32)
    N = g.shape[0]
    Xe = _side_by_side(X, n)
    apply_changes(Xe, prepare(state, c.option_bundles, g, n))  # the state after the option
    if c.branches:
        gs = np.where(ok, g, c.O)
        nb = np.where(ok, c.branch_offset[np.minimum(gs + 1, c.O)] - c.branch_offset[gs], 0)
        rounds = int(nb.max(initial=0))
        Xo: dict[int, np.ndarray] = {}  # rows a branch changes, as they were after the option
        cum = np.zeros(N)
        for i in range(rounds):
            has = i < nb
            j = np.where(has, c.branch_offset[gs] + i, -1).astype(np.int32)
            p = np.zeros(N)
            for jj in np.unique(j[has]):
                chance = np.minimum(np.maximum(c.branch_chance[jj](X, state.env), 0.0), 1.0)
                p = np.where(j == jj, _side_by_side(chance, n) if np.ndim(chance) else chance, p)
            nxt = np.minimum(cum + p, 1.0)
            q = nxt - cum
            cum = nxt
            rows, block, extra, sets = prepare(state, c.branch_bundles, j, n)
            changed: dict[int, np.ndarray] = {}  # row -> its value after branch j (from the option's state)
            for r, i_row in enumerate(rows.tolist()):
                changed[i_row] = _before(Xo, Xe, i_row) + block[r]  # type: ignore[index]
            for i_row, d in extra.items():
                changed[i_row] = _before(Xo, Xe, i_row) + d
            for i_row, mask, value in sets:
                xb = changed.get(i_row)
                if xb is None:
                    xb = changed[i_row] = _before(Xo, Xe, i_row).copy()
                np.copyto(xb, value, where=mask)
            for i_row, xb in changed.items():  # rows no branch changes: Xb - Xo is 0, adding q * 0 changes nothing
                Xe[i_row] = Xe[i_row] + q * (xb - Xo[i_row])
    np.minimum(np.maximum(Xe, c.lo, out=Xe), c.hi, out=Xe)
    env = {key: _side_by_side(v, n) if isinstance(v, np.ndarray) else v for key, v in state.env.items()}  # memory
    acc = state.col.term_acc
    # over the term: the mean as if this turn ended in the expected state
    score = score_sum(c, Xe, env, lambda r, value: (_side_by_side(acc[r], n) + value) / state.turn)
    return np.where(ok, score, -np.inf).reshape(n, B).T


def _side_by_side(a: np.ndarray, n: int) -> np.ndarray:
    """``n`` copies of a batch's array side by side along the game axis (the last one)."""
    return np.concatenate((a,) * n, axis=-1) if n > 1 else a.copy()


def _before(Xo: dict[int, np.ndarray], Xe: np.ndarray, row: int) -> np.ndarray:
    """Row ``row`` as it was after the option, before any branch changed it (kept on first use)."""
    kept = Xo.get(row)
    if kept is None:
        kept = Xo[row] = Xe[row].copy()
    return kept
