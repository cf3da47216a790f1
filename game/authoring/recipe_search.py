"""The search for the best recipe (a fixed table "at event E choose option k"): can the scenario be solved by
rote?

1. **Starts:** each built-in policy's habits as a table (per event, the option it chose most often), for
   ``first``, ``greedy``, ``balanced`` and ``prefer:SIDE`` for every side of the scenario: the lines a
   player would try first, one for each way the scenario can be played.
2. **Coordinate ascent from each start:** event by event (the most frequent first), every option of the
   event is tried in the current table, on the same search games (common random numbers: all candidates
   play the same game indices in one batch), and the best mean is kept. Passes repeat until one changes
   nothing or ``passes`` is reached. Climbing from several starts finds the best of several local optima
   (one ascent from greedy's habits alone stays on greedy's side of the game); the best climb wins.
3. **Honest report:** the search games are seed ``seed + 1``; the found recipe is then evaluated on the
   held-out games (``seed`` itself, the same games the other policies of ``manila balance`` play), whose
   mean is not inflated by the search's selection.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np
from attrs import frozen

from ..engine import Game, State
from ..model import Scenario
from ..policies import get_policy
from ..recipe import Recipe, table_choices
from .defaults import DEFAULT_PASSES, DEFAULT_SEARCH_GAMES

__all__ = ["DEFAULT_PASSES", "DEFAULT_SEARCH_GAMES", "RecipeSearch", "evaluate_tables", "policy_table", "search_recipe"]

START_POLICIES = ("first", "greedy", "balanced")
MAX_EVAL_BATCH = 32_768  # candidate games simulated at once


@frozen
class RecipeSearch:
    recipe: Recipe
    start: str  # the built-in policy whose habits were the starting table
    search_seed: int
    search_games: int
    search_mean: float  # on the search games (optimistic: the search chose on them)
    evaluations: int  # candidate tables evaluated
    passes: int
    changes: int  # options changed from the starting table


def evaluate_tables(game: Game, tables: np.ndarray, seed: int, games: int) -> tuple[np.ndarray, np.ndarray]:
    """Play games ``0 .. games-1`` of ``seed`` with each table of ``tables`` (C, events + 1).

    Returns ``(scores, event_hits)``: scores (C, games) on the same games for every table, and the firings
    of each event summed over all tables.
    """
    C = tables.shape[0]
    per = max(1, MAX_EVAL_BATCH // games)
    scores = np.zeros((C, games))
    hits = np.zeros(game.compiled.E, dtype=np.int64)
    for a in range(0, C, per):
        part = tables[a : a + per]
        state = State(game, seed, np.tile(np.arange(games, dtype=np.int64), part.shape[0]), False)

        def policy(view, part=part):
            return table_choices(view, part[view.columns // games])

        state.run(policy)
        scores[a : a + part.shape[0]] = state.scores().reshape(part.shape[0], games)
        hits += state.event_hits
    return scores, hits


def policy_table(game: Game, policy: str, seed: int, games: int) -> np.ndarray:
    """(events + 1,) the option ``policy`` chose most often at each event (-1 where the event never fired)."""
    c = game.compiled
    state = game.new_games(seed, 0, games)
    state.run(get_policy(policy))
    table = np.full(c.E + 1, -1, dtype=np.int64)
    for e in range(c.E):
        hits = state.option_hits[c.option_offset[e] : c.option_offset[e] + c.option_count[e]]
        if hits.sum():
            table[e] = int(np.argmax(hits))
    return table


def search_recipe(
    scenario: Scenario,
    *,
    seed: int,
    games: int = DEFAULT_SEARCH_GAMES,
    passes: int = DEFAULT_PASSES,
    start_policies: tuple[str, ...] = START_POLICIES,
    game: Game | None = None,
    progress: Callable[[str], None] | None = None,
) -> RecipeSearch:
    """Coordinate ascent for the best recipe on ``games`` search games of seed ``seed + 1``."""
    game = game or Game(scenario)
    search_seed = (seed + 1) % 2**64
    if start_policies == START_POLICIES:
        start_policies = START_POLICIES + tuple(f"prefer:{side}" for side in scenario.sides)
    starts = np.array([policy_table(game, p, search_seed, games) for p in start_policies])
    scores, _ = evaluate_tables(game, starts, search_seed, games)
    means = scores.mean(axis=1)
    evaluations = len(start_policies)
    found: RecipeSearch | None = None
    for i in np.argsort(-means, kind="stable"):
        table, current, climbed, done = _ascend(game, starts[i].copy(), float(means[i]), search_seed, games, passes)
        evaluations += climbed
        if progress:
            progress(f"from {start_policies[i]}'s habits ({means[i]:.2f}): {current:.2f} after {done} passes")
        if found is None or current > found.search_mean:
            found = RecipeSearch(
                Recipe.from_table(scenario, table[:-1]),
                start_policies[i],
                search_seed,
                games,
                current,
                0,
                done,
                int(np.count_nonzero(table != starts[i])),
            )
    assert found is not None
    return attrs.evolve(found, evaluations=evaluations)


def _ascend(
    game: Game, table: np.ndarray, current: float, search_seed: int, games: int, passes: int
) -> tuple[np.ndarray, float, int, int]:
    """Coordinate ascent from ``table``: (the table, its mean, tables evaluated, passes made)."""
    c = game.compiled
    evaluations = 0
    done = 0
    while done < passes:
        done += 1
        changed = 0
        _, hits = evaluate_tables(game, table[None, :], search_seed, games)
        for e in np.argsort(-hits, kind="stable"):
            if hits[e] == 0 or c.option_count[e] < 2:
                continue
            n = int(c.option_count[e])
            candidates = np.repeat(table[None, :], n, axis=0)
            candidates[:, e] = np.arange(n)
            scores, _ = evaluate_tables(game, candidates, search_seed, games)
            evaluations += n
            means = scores.mean(axis=1)
            k = int(np.argmax(means))
            if means[k] > current + 1e-9 and k != table[e]:
                table[e] = k
                current = float(means[k])
                changed += 1
        if not changed:
            break
    return table, current, evaluations, done
