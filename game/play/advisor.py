"""The in-game advisor: Monte Carlo rollouts of each option of the current decision to the end of the game.

It uses the same batched engine as everything else: the current game is forked into ``rollouts`` copies per
option (each with its own random future), the option is applied, and a policy plays every copy to the end.
"""

from __future__ import annotations

import numpy as np
from attrs import frozen

from ..engine import State
from ..policies import get_policy

__all__ = ["OptionAdvice", "advise"]


@frozen
class OptionAdvice:
    option: int
    mean_score: float
    score_p10: float
    score_p90: float
    endings: tuple[float, ...]  # share of rollouts that reached each ending
    mean_values: tuple[float, ...]  # mean final value of each variable


def advise(state: State, game: int = 0, rollouts: int = 1000, policy: str = "random",
           salt: int = 0) -> list[OptionAdvice]:
    """Advice for each available option of ``game``'s pending decision (an empty list if none)."""
    event = int(state.pending_events()[game])
    if event < 0:
        return []
    available = state.available_options()[game]
    options = [k for k in range(available.shape[0]) if available[k]]
    batch = state.fork(game, rollouts * len(options), salt)
    batch.apply(np.repeat(np.array(options), rollouts))
    batch.run(get_policy(policy))
    scores = batch.scores()
    endings = batch.endings()
    values = batch.values()
    n_end = len(state.scenario.endings)
    out = []
    for i, k in enumerate(options):
        part = slice(i * rollouts, (i + 1) * rollouts)
        sc = scores[part]
        counts = np.bincount(endings[part], minlength=n_end) / rollouts
        out.append(OptionAdvice(k, float(sc.mean()), float(np.percentile(sc, 10)), float(np.percentile(sc, 90)),
                                tuple(float(c) for c in counts), tuple(float(v) for v in values[:, part].mean(axis=1))))
    return out
