"""``balance``: every built-in policy plays the scenario headless; what do the results say about its design?

The policies are ``random``, the adaptive ``greedy`` and ``balanced``, the single-minded ``prefer:SIDE`` for
every side of the scenario (``scenario.sides``), and the ``expert`` (Monte Carlo look-ahead from what the player knows,
on fewer games: it costs far more). Each plays the same games (same seed, same game indices; the expert the
first of them), so differences come from the choices alone. On request, the best **recipe** (a fixed table
"at event E choose option k", ``game.authoring.recipe_search``) is searched on other games and evaluated on
these, and **impulses** (``game.authoring.impulse``) measure what a change to one variable is worth.

A **one-sided** event is one where a policy picks the same option in at least ``ONE_SIDED_SHARE`` of its
firings: for that player it is not a dilemma.

A **dominant strategy** is reported when a single-minded policy *matches or beats* the best adaptive one:
its mean score is at least the adaptive mean minus ``DOMINANCE_MARGIN`` standard deviations (a difference
that small is negligible to a player). A **pinned** meter is one that ends at its minimum or maximum in at
least ``PINNED_SHARE`` of a policy's games: a bound that is hit that often flattens every later choice.

Two more warnings: a **side without a good ending**, a side whose ``prefer:SIDE`` policy never reaches an
ending with a non-negative bonus (a player who favours that side is always punished at the end), and
**early ends**, a policy whose games end before the last turn in more than ``EARLY_SHARE`` of its games.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Executor

import numpy as np
from attrs import frozen

from ..engine import Game
from ..model import Scenario, VarKind
from ..recipe import recipe_policy
from ..sim.sim import SimResult, run_sim
from .balance_json import report_dict
from .defaults import DEFAULT_BALANCE_GAMES, DEFAULT_EXPERT_GAMES, ONE_SIDED_SHARE
from .impulse import Impulse, ImpulseResult, run_impulse
from .recipe_search import DEFAULT_PASSES, DEFAULT_SEARCH_GAMES, RecipeSearch, search_recipe

__all__ = [
    "ADAPTIVE",
    "DEFAULT_BALANCE_GAMES",
    "DEFAULT_EXPERT_GAMES",
    "DOMINANCE_MARGIN",
    "EARLY_SHARE",
    "ONE_SIDED_SHARE",
    "PINNED_SHARE",
    "BalanceReport",
    "Dominance",
    "EarlyEnds",
    "Pinned",
    "PolicyRun",
    "SideWithoutGoodEnding",
    "balance_policies",
    "report_dict",
    "run_balance",
]

ADAPTIVE = ("greedy", "balanced")
DOMINANCE_MARGIN = 0.05  # in pooled standard deviations of the score
PINNED_SHARE = 0.25
EARLY_SHARE = 0.20  # more games than this ending before the last turn is worth a warning
# Bigger chunks than ``sim.DEFAULT_CHUNK``: measured ~12% faster on the bundled scenarios, where per-turn
# Python overhead outweighs cache effects. Chunking never changes a result (counter-based randomness).
BALANCE_CHUNK = 16_384


@frozen
class PolicyRun:
    """One policy's figures. Hit counts are totals over all games; ``end_counts`` follow ``scenario.endings``."""

    policy: str
    games: int
    end_counts: tuple[int, ...]
    score_mean: float
    score_std: float
    score_p5: float
    score_p50: float
    score_p95: float
    mean_length: float
    event_hits: tuple[int, ...]
    option_hits: tuple[int, ...]
    at_min: tuple[int, ...]
    at_max: tuple[int, ...]
    digest: str
    ending_score_sums: tuple[float, ...] = ()  # sum of final scores of the games of each ending
    early_counts: tuple[int, ...] = ()  # games of each ending that ended before the last turn

    @property
    def early_share(self) -> float:
        """Share of the games that ended before the last turn."""
        return sum(self.early_counts) / self.games if self.games else 0.0

    @property
    def score_se(self) -> float:
        """Standard error of the mean score."""
        return self.score_std / math.sqrt(self.games) if self.games > 1 else float("nan")

    def ending_mean(self, k: int) -> float | None:
        """Mean final score of the games that reached ending ``k`` (None if none did)."""
        return self.ending_score_sums[k] / self.end_counts[k] if self.end_counts[k] else None

    def top_share(self, scenario: Scenario, event: int) -> float | None:
        """Share of the event's firings taken by its most chosen option (None if it never fired)."""
        fired = self.event_hits[event]
        if not fired:
            return None
        first = sum(len(e.options) for e in scenario.events[:event])
        hits = self.option_hits[first : first + len(scenario.events[event].options)]
        return max(hits, default=0) / fired

    def one_sided(self, scenario: Scenario) -> list[int]:
        """Decision events this policy answers the same way in at least ``ONE_SIDED_SHARE`` of firings."""
        return [
            i
            for i, e in enumerate(scenario.events)
            if e.options and (self.top_share(scenario, i) or 0.0) >= ONE_SIDED_SHARE
        ]


@frozen
class RecipeReport:
    """The best recipe found, and its run on the report's own (held-out) games (policy ``recipe``)."""

    search: RecipeSearch
    held_out: PolicyRun


@frozen
class Pinned:
    policy: str
    var: str
    bound: str  # "min" or "max"
    value: float
    share: float


@frozen
class Dominance:
    """A single-minded policy that matches or beats the best adaptive one."""

    policy: str
    mean: float
    adaptive: str
    adaptive_mean: float

    def __str__(self) -> str:
        verb = "beats" if self.mean > self.adaptive_mean else "matches"
        return (
            f"dominant strategy: {self.policy} (always the same side) scores {self.mean:.2f} on average and "
            f"{verb} the best adaptive policy, {self.adaptive} ({self.adaptive_mean:.2f}): that side's "
            "choices may cost too little, or the other paths reward too little"
        )


@frozen
class SideWithoutGoodEnding:
    """A side whose single-minded policy never reaches an ending with a non-negative bonus."""

    side: str
    policy: str
    endings: tuple[tuple[str, float, float], ...]  # (title, share of the games, bonus), most frequent first

    def __str__(self) -> str:
        reached = ", ".join(f"'{title}' ({100 * share:.0f}%, bonus {bonus:g})" for title, share, bonus in self.endings)
        return (
            f"side without a good ending: {self.policy} never reaches an ending with a bonus of 0 or more; its "
            f"games end in {reached}: a player who favours {self.side} is always punished at the end"
        )


@frozen
class EarlyEnds:
    """A policy whose games end before the last turn in more than ``EARLY_SHARE`` of them."""

    policy: str
    share: float
    endings: tuple[tuple[str, float], ...]  # (title, share of all the policy's games), most frequent first

    def __str__(self) -> str:
        which = ", ".join(f"'{title}' {100 * share:.0f}%" for title, share in self.endings)
        return (
            f"early ends: {100 * self.share:.0f}% of {self.policy}'s games end before the last turn ({which}), "
            f"more than {100 * EARLY_SHARE:.0f}%: most players would not see the end of the story"
        )


@frozen
class BalanceReport:
    scenario: Scenario
    seed: int
    games: int  # per policy
    runs: tuple[PolicyRun, ...]
    pinned: tuple[Pinned, ...]
    dominant: tuple[Dominance, ...]
    recipe: RecipeReport | None = None
    impulses: tuple[ImpulseResult, ...] = ()
    sides_without_good: tuple[SideWithoutGoodEnding, ...] = ()
    early: tuple[EarlyEnds, ...] = ()

    def warnings(self) -> list[str]:
        """Every warning, in the order the report prints them."""
        return [str(w) for w in (*self.dominant, *self.sides_without_good, *self.early)]

    def run(self, policy: str) -> PolicyRun:
        return next(r for r in self.runs if r.policy == policy)

    def never_chosen(self) -> list[int]:
        """Global option indices that no policy of the report ever chose."""
        n = len(self.runs[0].option_hits) if self.runs else 0
        return [g for g in range(n) if all(r.option_hits[g] == 0 for r in self.runs)]


def balance_policies(scenario: Scenario) -> list[str]:
    return ["random", *ADAPTIVE, *(f"prefer:{t}" for t in scenario.sides)]


def run_balance(
    scenario: Scenario,
    *,
    games: int = DEFAULT_BALANCE_GAMES,
    seed: int = 0,
    workers: int = 1,
    policies: list[str] | None = None,
    expert_games: int = DEFAULT_EXPERT_GAMES,
    recipe: bool = False,
    recipe_games: int = DEFAULT_SEARCH_GAMES,
    recipe_passes: int = DEFAULT_PASSES,
    impulses: tuple[Impulse, ...] = (),
    impulse_policies: tuple[str, ...] = ("greedy",),
    progress: Callable[[str], Callable[[int, int], None] | None] | None = None,
    note: Callable[[str], None] | None = None,
    executor: Executor | None = None,
) -> BalanceReport:
    """Play ``games`` games with each policy (default: ``balance_policies`` and, unless ``expert_games`` is 0,
    the expert on ``min(games, expert_games)`` games) and assess the results.

    ``recipe`` searches the best recipe (``recipe_games`` search games, up to ``recipe_passes`` passes) and
    plays it on the report's games. Each impulse is measured for each of ``impulse_policies`` (experts on
    their smaller number of games). ``progress(policy)`` may return a ``progress(done, total)`` callback for
    that policy's run; ``note(text)`` hears how the recipe search goes. With ``executor`` (any
    ``concurrent.futures.Executor``, e.g. a Dask cluster's) the policies' games run there instead of in
    ``workers`` processes; the recipe search and the impulses run in this process.
    """
    runs = []
    game = Game(scenario)
    names = list(policies or balance_policies(scenario))
    if not policies and expert_games > 0:
        names.append("expert")

    def games_for(policy: str) -> int:
        return min(games, expert_games or games) if policy.startswith("expert") else games

    for policy in names:
        result = run_sim(
            scenario,
            games=games_for(policy),
            seed=seed,
            policy=policy,
            workers=workers,
            game=game,
            chunk=BALANCE_CHUNK,
            progress=progress(policy) if progress else None,
            executor=executor,
        )
        runs.append(_summarise(result))
    found = None
    if recipe:
        search = search_recipe(scenario, seed=seed, games=recipe_games, passes=recipe_passes, game=game, progress=note)
        held = run_sim(
            scenario,
            games=games,
            seed=seed,
            policy=recipe_policy(search.recipe, "recipe"),
            game=game,
            chunk=BALANCE_CHUNK,
            progress=progress("recipe") if progress else None,
        )
        found = RecipeReport(search, _summarise(held))
    measured = tuple(
        run_impulse(scenario, imp, policy=p, games=games_for(p), seed=seed, game=game)
        for imp in impulses
        for p in impulse_policies
    )
    return BalanceReport(
        scenario,
        seed,
        games,
        tuple(runs),
        tuple(_pinned(scenario, runs)),
        tuple(_dominance(runs)),
        found,
        measured,
        tuple(_sides_without_good(scenario, runs)),
        tuple(_early(scenario, runs)),
    )


def _summarise(r: SimResult) -> PolicyRun:
    s = r.scenario
    assert r.scores is not None and r.endings is not None and r.end_turns is not None  # run with keep_games
    p5, p50, p95 = np.percentile(r.scores, [5, 50, 95])
    return PolicyRun(
        policy=r.policy,
        games=r.games,
        end_counts=tuple(int(n) for n in np.bincount(r.endings, minlength=len(s.endings))),
        score_mean=float(r.scores.mean()),
        score_std=float(r.scores.std()),
        score_p5=float(p5),
        score_p50=float(p50),
        score_p95=float(p95),
        mean_length=float(r.end_turns.mean()),
        event_hits=tuple(int(n) for n in r.event_hits),
        option_hits=tuple(int(n) for n in r.option_hits),
        at_min=tuple(int(n) for n in r.at_min),
        at_max=tuple(int(n) for n in r.at_max),
        digest=r.digest,
        ending_score_sums=tuple(float(x) for x in np.bincount(r.endings, weights=r.scores, minlength=len(s.endings))),
        early_counts=tuple(int(n) for n in np.bincount(r.endings[r.end_turns < s.turns], minlength=len(s.endings))),
    )


def _pinned(s: Scenario, runs: list[PolicyRun]) -> list[Pinned]:
    out = []
    for i, v in enumerate(s.variables):
        if v.kind is VarKind.FLAG:  # flags resting at a stage are normal
            continue
        for run in runs:
            for bound, counts, value in (("min", run.at_min, v.min), ("max", run.at_max, v.max)):
                share = counts[i] / run.games
                if share >= PINNED_SHARE:
                    out.append(Pinned(run.policy, v.id, bound, value, share))
    return out


def _dominance(runs: list[PolicyRun]) -> list[Dominance]:
    adaptive = [r for r in runs if r.policy in ADAPTIVE]
    if not adaptive:
        return []
    best = max(adaptive, key=lambda r: r.score_mean)
    out = []
    for r in runs:
        if not r.policy.startswith("prefer:"):
            continue
        pooled = math.sqrt((r.score_std**2 + best.score_std**2) / 2)
        if r.score_mean >= best.score_mean - DOMINANCE_MARGIN * pooled:
            out.append(Dominance(r.policy, r.score_mean, best.policy, best.score_mean))
    return out


def _sides_without_good(s: Scenario, runs: list[PolicyRun]) -> list[SideWithoutGoodEnding]:
    out = []
    for side in s.sides:
        run = next((r for r in runs if r.policy == f"prefer:{side}"), None)
        if run is None:
            continue
        reached = [k for k, n in enumerate(run.end_counts) if n]
        if reached and all(s.endings[k].bonus < 0 for k in reached):
            reached.sort(key=lambda k: -run.end_counts[k])
            endings = tuple((s.endings[k].title, run.end_counts[k] / run.games, s.endings[k].bonus) for k in reached)
            out.append(SideWithoutGoodEnding(side, run.policy, endings))
    return out


def _early(s: Scenario, runs: list[PolicyRun]) -> list[EarlyEnds]:
    out = []
    for run in runs:
        if run.early_share > EARLY_SHARE:
            ks = sorted((k for k, n in enumerate(run.early_counts) if n), key=lambda k: -run.early_counts[k])
            endings = tuple((s.endings[k].title, run.early_counts[k] / run.games) for k in ks)
            out.append(EarlyEnds(run.policy, run.early_share, endings))
    return out
