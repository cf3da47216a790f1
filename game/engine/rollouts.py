"""Monte Carlo look-ahead from what the player knows: rollouts of the options of pending decisions.

Each rollout starts from the game as the player sees it. Visible values, the calendar, what fired and what
was chosen are known exactly; every hidden meter is **redrawn** uniformly from the range the player is shown
(``estimate ± noise`` within the meter's bounds, whole stages for flags), never copied from the true value.
The rest of the turn's event eligibility and weights are then evaluated again from those believed values, so
no draw depends on a value the player cannot see.

Common random numbers: rollout ``r`` of a game has the same key, the same believed hidden values and so the
same future draws whichever option it tries, so options are compared on the same futures. Keys depend only
on the game's own key, the turn, the slot, ``salt`` and ``r``: results do not depend on the batch.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from attrs import frozen

from .rng import Stream, derived_keys, uniform
from .state import State, estimate_rows

__all__ = ["MAX_ROLLOUT_BATCH", "Futures", "believed_futures", "believed_values"]

# Rollout games simulated at once: bounds memory (about V + 2E numbers a game) whatever the batch size.
MAX_ROLLOUT_BATCH = 24_576


@frozen
class Futures:
    """Where ``rollouts`` futures of each (game, option) pair ended. Arrays are (pairs, rollouts).

    ``scores`` are final scores (with the ending's bonus), or the running score where a horizon stopped a
    rollout first; ``endings`` index ``scenario.endings`` (-1 where a horizon stopped the rollout);
    ``values`` (V, pairs, rollouts) are the values at the end of each rollout.
    """

    scores: np.ndarray
    endings: np.ndarray
    values: np.ndarray


def believed_values(state: State, cols: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """(V, n) the values of the games at batch columns ``cols`` as a rollout with key ``keys[i]`` believes
    them: visible values exactly, hidden ones redrawn from the player's estimate range."""
    s = state.scenario
    X = state.X[:, cols]
    est = estimate_rows(s, X, state.seed, state.games[cols], state.turn)
    out = X.copy()
    for i, v in enumerate(s.variables):
        if not v.hidden:
            continue
        lo = np.maximum(v.min, est[i] - v.noise)
        hi = np.minimum(v.max, est[i] + v.noise)
        u = uniform(keys, state.turn, Stream.BELIEF, i)
        if state.compiled.is_flag[i]:  # a stage, each whole number in the range equally likely
            first = np.ceil(lo)
            stages = np.maximum(np.floor(hi) - first + 1.0, 1.0)
            out[i] = np.minimum(first + np.floor(u * stages), np.floor(hi))
        else:
            out[i] = lo + u * (hi - lo)
    return out


def believed_futures(
    state: State,
    cols: np.ndarray,
    options: np.ndarray,
    rollouts: int,
    policy: Callable,
    horizon: int | None = None,
    salt: int = 0,
) -> Futures:
    """Play ``rollouts`` futures of each pair (game at batch column ``cols[i]``, option ``options[i]``).

    The games must have a decision pending with that option available. Each future applies the option and
    then lets ``policy`` choose, to the end of the game or until ``horizon`` more turns have ended.
    """
    cols = np.asarray(cols, dtype=np.intp)
    options = np.asarray(options, dtype=np.int64)
    n = cols.shape[0]
    V = state.compiled.V
    scores = np.zeros((n, rollouts))
    endings = np.full((n, rollouts), -1, dtype=np.int64)
    values = np.zeros((V, n, rollouts))
    per = max(1, MAX_ROLLOUT_BATCH // rollouts)
    stop = None if horizon is None else state.turn + horizon
    slot = state.slot + 1024 * salt
    for a in range(0, n, per):
        part = slice(a, min(n, a + per))
        m = part.stop - part.start
        keys = derived_keys(state.keys[cols[part]], state.turn, Stream.ROLLOUT, slot, rollouts).reshape(-1)
        take = np.repeat(cols[part], rollouts)
        future = state.spawn(take, keys)
        future.X[...] = believed_values(state, take, keys)
        future.dirty.update(range(V))
        future.redo_snapshot()
        future.apply(np.repeat(options[part], rollouts))
        while not future.over and (stop is None or future.turn <= stop):
            future.step(policy)
        scores[part] = future.scores().reshape(m, rollouts)
        endings[part] = future.endings().reshape(m, rollouts)
        values[:, part] = future.values().reshape(V, m, rollouts)
    return Futures(scores, endings, values)
