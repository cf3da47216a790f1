"""The score: the one definition of how the components add up, shared by the turn's end, the greedy
look-ahead and the rollouts' projection.

A component over the final day counts its value now. A component over the term counts what ``counted(r,
value)`` makes of the value for its row ``r`` of the term accumulators: the mean after each turn played
(at the turn's end), the mean as if this turn ended in an expected state (the look-ahead), or the mean as
if the state held to the end (a rollout stopped by its horizon). Components are added in file order, each
``weight x value``: the order of the sums is part of the rules, so every caller gets the same bits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .compiled import Compiled

__all__ = ["score_sum"]


def score_sum(
    c: Compiled,
    X: np.ndarray,
    env: dict,
    counted: Callable[[int, np.ndarray], np.ndarray],
    parts: list[np.ndarray] | None = None,
) -> np.ndarray:
    """(B,) the weighted sum of the score components on values ``X``; ``parts`` (if given) receives each
    component's weighted count."""
    score = np.zeros(X.shape[1])
    for k, (ce, w) in enumerate(c.score):
        value = np.asarray(ce(X, env), dtype=np.float64)
        r = c.score_term_row[k]
        if r >= 0:
            value = counted(r, value)
        score = score + w * value
        if parts is not None:
            parts.append(np.broadcast_to(w * value, score.shape))
    return score
