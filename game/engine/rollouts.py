"""Monte Carlo look-ahead from what the player knows: rollouts of the options of pending decisions.

Each rollout starts from the game as the player sees it. Visible values, the calendar, what fired and what
was chosen are known exactly; every hidden meter is **redrawn** uniformly from the range the player is shown
(``estimate ± noise`` within the meter's bounds), never copied from the true value. Hidden *flags* are
kept: the interface shows no reading of them at all, because they are the game's bookkeeping of what the
player lived through (a deal signed, a coup that has not happened while the game goes on); a secret the
player must not know belongs in a hidden meter.
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

from ..model import Scenario, VarKind
from .changes import condition
from .rng import Stream, derived_keys, uniform
from .scoring import score_sum
from .state import BatchView, State, estimate_bounds, estimate_rows

__all__ = [
    "MAX_ROLLOUT_BATCH",
    "Futures",
    "believed_choices",
    "believed_futures",
    "believed_rows",
    "believed_values",
    "projected_scores",
]

# Rollout games simulated at once: bounds memory (about V + 2E numbers a game) whatever the batch size.
MAX_ROLLOUT_BATCH = 24_576


@frozen
class Futures:
    """Where ``rollouts`` futures of each (game, option) pair ended. Arrays are (pairs, rollouts).

    ``scores`` are final scores (with the ending's bonus), or where a horizon stopped a rollout first, the
    score projected to the end of the term (``projected_scores``); ``endings`` index ``scenario.endings``
    (-1 where a horizon stopped the rollout);
    ``values`` (V, pairs, rollouts) are the values at the end of each rollout, ``components`` what each score
    component counts there (``State.score_components``).
    """

    scores: np.ndarray
    endings: np.ndarray
    values: np.ndarray
    components: np.ndarray  # (score components, pairs, rollouts) what each counts at the end, weighted


def believed_values(state: State, cols: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """(V, n) the values of the games at batch columns ``cols`` as a rollout with key ``keys[i]`` believes
    them: visible values exactly, hidden ones redrawn from the player's estimate range."""
    s = state.scenario
    X = state.col.X[:, cols]
    low, high = estimate_bounds(s, estimate_rows(s, X, state.seed, state.col.games[cols], state.turn))
    out = X.copy()
    for i in believed_rows(s):
        lo, hi = low[i], high[i]
        out[i] = lo + uniform(keys, state.turn, Stream.BELIEF, i) * (hi - lo)
    return out


def believed_rows(scenario: Scenario) -> list[int]:
    """The variables a rollout redraws: the hidden ones the player sees as an estimate (not flags)."""
    return [i for i, v in enumerate(scenario.variables) if v.hidden and v.kind is not VarKind.FLAG]


def _believed_spawn(state: State, cols: np.ndarray, rollouts: int, salt: int) -> State:
    """``rollouts`` copies of each game at batch columns ``cols``, in the player's belief, at the decision."""
    slot = state.slot + 1024 * salt
    keys = derived_keys(state.col.keys[cols], state.turn, Stream.ROLLOUT, slot, rollouts).reshape(-1)
    take = np.repeat(cols, rollouts)
    future = state.spawn(take, keys)
    future.col.X[...] = believed_values(state, take, keys)
    future.dirty.update(range(state.compiled.V))
    future.redo_snapshot()
    return future


def believed_choices(state: State, cols: np.ndarray, rollouts: int, policy: Callable, salt: int = 0) -> np.ndarray:
    """(len(cols), rollouts) what ``policy`` would choose at the pending decision in each rollout's belief (the
    same beliefs as ``believed_futures`` with the same salt)."""
    cols = np.asarray(cols, dtype=np.intp)
    out = np.zeros((cols.shape[0], rollouts), dtype=np.int64)
    per = max(1, MAX_ROLLOUT_BATCH // rollouts)
    for a in range(0, cols.shape[0], per):
        part = slice(a, min(cols.shape[0], a + per))
        future = _believed_spawn(state, cols[part], rollouts, salt)
        view = BatchView(future)
        try:
            out[part] = np.asarray(policy(view), dtype=np.int64).reshape(-1, rollouts)
        finally:
            view.release()
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
    components = np.zeros((len(state.compiled.score), n, rollouts))
    stop = None if horizon is None else state.turn + horizon
    per = max(1, MAX_ROLLOUT_BATCH // rollouts)
    for a in range(0, n, per):
        part = slice(a, min(n, a + per))
        m = part.stop - part.start
        future = _believed_spawn(state, cols[part], rollouts, salt)
        future.apply(np.repeat(options[part], rollouts))
        while not future.over and (stop is None or future.turn <= stop):
            future.step(policy)
        scores[part] = projected_scores(future).reshape(m, rollouts)
        endings[part] = future.endings().reshape(m, rollouts)
        values[:, part] = future.values().reshape(V, m, rollouts)
        components[:, part] = future.score_components().reshape(-1, m, rollouts)
    return Futures(scores, endings, values, components)


def projected_scores(state: State) -> np.ndarray:
    """(B,) final scores for ended games; for the others, the score the term would end with if the state
    held still from now on: each component over the term counts its current value for every turn not yet
    played, and the ending is the one the current state meets (early endings first, then final ones, in
    the file's order), with its bonus. This is how a player reads the status bar and the ending they are
    heading for; the look-ahead uses it to value what a short horizon cannot see play out.
    """
    out = state.scores()
    alive = state.col.alive
    if state.over or not np.count_nonzero(alive):
        return out
    c = state.compiled
    T = state.scenario.turns
    done = state.turn - 1
    X = state.col.X
    acc = state.col.term_acc
    score = score_sum(c, X, state.env, lambda r, value: (acc[r] + value * (T - done)) / T)
    ending = np.full(X.shape[1], -1, dtype=np.int64)
    for k, when in c.early + c.final:
        hit = (ending < 0) & condition(state, when)
        ending = np.where(hit, k, ending)
    bonus = np.where(ending >= 0, c.ending_bonus[np.maximum(ending, 0)], 0.0)
    out[state.col.position[alive]] = (score + bonus)[alive]
    return out
