"""Seeded batch simulations: chunking, executors, streaming tallies and digests. No printing here.

Games are split into chunks (multiples of ``BLOCK`` games) that run in this process, in worker processes, or
on any ``concurrent.futures.Executor`` (a Dask cluster's, for one: ``game.sim.cluster``). Because randomness
is counter-based, a game's result does not depend on its chunk; chunks are folded into a ``Tally`` in
game-index order as they arrive, so a run keeps no per-game arrays unless asked (``keep_games``).

The **digest** is a SHA-256 over the per-block SHA-256 digests of the per-game records, blocks being
``BLOCK`` consecutive games from the first one. A record is the little-endian bytes of the game index,
ending index, end turn (int64 each), the final score and the final values (float64 each). Any worker count,
chunk size or executor gives the same digest, and the same summary.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
from attrs import frozen

from ..engine import Game
from ..model import Scenario
from ..policies import NamedPolicy, get_policy
from .probe import Probe, ProbeCounts, observe
from .tally import BLOCK, ChunkFigures, Tally, chunk_figures

__all__ = [
    "BLOCK",
    "DEFAULT_CHUNK",
    "MAX_IN_FLIGHT",
    "ChunkResult",
    "SimResult",
    "WorkerError",
    "run_chunk",
    "run_sim",
    "summary_dict",
]

DEFAULT_CHUNK = 8192
# Chunks submitted to an executor ahead of the one being folded in: enough to keep a cluster of this many
# workers busy, few enough that results finished early (about 200 KB a chunk) cannot pile up.
MAX_IN_FLIGHT = 64


@frozen
class ChunkResult:
    """One chunk's figures, and its final values (V, n) when they were asked for."""

    figures: ChunkFigures
    values: np.ndarray | None
    probe: ProbeCounts | None = None  # what a probe gathered along the way (``game.sim.probe``)


@frozen
class SimResult:
    """A run's figures (``tally``) and, when kept, its per-game arrays in game order."""

    scenario: Scenario
    policy: str
    seed: int
    first_game: int
    games: int
    tally: Tally
    endings: np.ndarray | None = None  # (games,) with keep_games (the default) or keep_values
    end_turns: np.ndarray | None = None
    scores: np.ndarray | None = None
    values: np.ndarray | None = None  # (V, games) with keep_values
    probe: ProbeCounts | None = None  # with ``run_sim(probe=...)``: what it gathered, all chunks together

    @property
    def digest(self) -> str:
        return self.tally.digest

    @property
    def mean_values(self) -> np.ndarray:
        return self.tally.mean_values()

    @property
    def at_min(self) -> np.ndarray:
        return self.tally.at_min

    @property
    def at_max(self) -> np.ndarray:
        return self.tally.at_max

    @property
    def event_hits(self) -> np.ndarray:
        return self.tally.event_hits

    @property
    def option_hits(self) -> np.ndarray:
        return self.tally.option_hits


def run_chunk(
    game: Game,
    policy_name: str | NamedPolicy,
    seed: int,
    first: int,
    count: int,
    keep_values: bool,
    probe: Probe | None = None,
) -> ChunkResult:
    """Play games ``first .. first+count-1`` to the end and summarise them (and gather what ``probe`` asks)."""
    policy = policy_name if isinstance(policy_name, NamedPolicy) else get_policy(policy_name)
    observer, counts = observe(game, probe, count) if probe is not None else (None, None)
    state = game.new_games(seed, first, count, observer=observer)
    state.run(policy)
    values = state.values() + 0.0  # +0.0 turns any -0.0 into 0.0 so records hash identically
    figures = chunk_figures(
        first,
        state.endings(),
        state.end_turns(),
        state.scores() + 0.0,
        values,
        game.compiled.lo,
        game.compiled.hi,
        state.event_hits,
        state.option_hits[: game.compiled.O],
    )
    return ChunkResult(figures, values if keep_values else None, counts)


_WORKER_GAME: Game | None = None


def _worker_init(scenario: Scenario) -> None:
    global _WORKER_GAME
    # Ctrl-C reaches the whole process group: the parent stops the pool; workers must not print tracebacks
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_GAME = Game(scenario)


class WorkerError(RuntimeError):
    """A failure inside a worker, carried back as text (the original may not be picklable)."""


def _worker_chunk(args) -> ChunkResult:
    assert _WORKER_GAME is not None
    try:
        return run_chunk(_WORKER_GAME, *args)
    except Exception as exc:  # e.g. a user policy raising an exception that cannot be pickled
        raise WorkerError(f"{type(exc).__name__}: {exc}") from None


_GAMES: dict[object, Game] = {}  # scenarios compiled in this process for executor tasks (a few at most)


def _executor_chunk(args) -> ChunkResult:
    """One chunk on any executor's worker: the task carries the scenario, compiled once per process."""
    scenario, *task = args
    key = scenario.sha256 or scenario
    game = _GAMES.get(key)
    if game is None:
        if len(_GAMES) >= 4:
            _GAMES.clear()
        game = _GAMES[key] = Game(scenario)
    try:
        return run_chunk(game, *task)
    except Exception as exc:
        raise WorkerError(f"{type(exc).__name__}: {exc}") from None


def _in_order(executor: Executor, fn: Callable, tasks: Iterable, absorb: Callable[[ChunkResult], None]) -> None:
    """Run ``fn`` on each task with ``executor``, at most ``MAX_IN_FLIGHT`` at a time, and hand the results to
    ``absorb`` in task order. On any failure (or Ctrl-C) the tasks not yet started are cancelled."""
    todo = iter(tasks)
    pending: deque[Future] = deque()
    try:
        for task in todo:
            pending.append(executor.submit(fn, task))
            if len(pending) >= MAX_IN_FLIGHT:
                break
        while pending:
            result = pending.popleft().result()
            task = next(todo, None)
            if task is not None:
                pending.append(executor.submit(fn, task))
            absorb(result)
    except BaseException:
        for future in pending:
            future.cancel()
        raise


def run_sim(
    scenario: Scenario,
    *,
    games: int,
    seed: int,
    policy: str | NamedPolicy = "random",
    first_game: int = 0,
    workers: int = 1,
    chunk: int = DEFAULT_CHUNK,
    keep_values: bool = False,
    keep_games: bool = True,
    progress: Callable[[int, int], None] | None = None,
    game: Game | None = None,
    executor: Executor | None = None,
    probe: Probe | None = None,
) -> SimResult:
    """Run ``games`` games and fold their results in, in game-index order.

    The chunks run in this process, in ``workers`` worker processes, or on ``executor`` (any
    ``concurrent.futures.Executor``, e.g. a Dask client's; ``workers`` is then ignored): the results are the
    same. ``keep_games`` keeps the per-game endings, end turns and scores (``keep_values`` the final values
    too); without them a run of any length keeps only its ``Tally``.

    ``progress(done, total)`` is called after each chunk. ``policy`` is a policy name (see
    ``game.policies``); it is resolved here first so that a bad name fails before any work starts. A policy
    object (``NamedPolicy``, e.g. a recipe found in this process) plays in this process. ``probe`` gathers
    figures along the way (``SimResult.probe``) without changing any game.
    """
    if games < 1:
        raise ValueError("games must be at least 1")
    if isinstance(policy, NamedPolicy):
        workers, executor = 1, None
    else:
        get_policy(policy)
    chunk = max(BLOCK, (chunk // BLOCK) * BLOCK)
    starts = range(first_game, first_game + games, chunk)
    tasks = ((policy, seed, s, min(chunk, first_game + games - s), keep_values, probe) for s in starts)
    workers = min(workers, len(starts))  # never more processes than chunks to run
    tally = Tally.empty(
        games,
        endings=len(scenario.endings),
        turns=scenario.turns,
        variables=len(scenario.variables),
        events=len(scenario.events),
        options=sum(len(e.options) for e in scenario.events),
    )
    kept: list[ChunkResult] = []
    probed: list[ProbeCounts] = []

    def absorb(r: ChunkResult) -> None:
        tally.add(r.figures)
        if r.probe is not None:  # merged in game order, as the chunks come
            probed[:] = [r.probe if not probed else probed[0].merge(r.probe)]
        if keep_games or keep_values:
            kept.append(r)
        if progress:
            progress(tally.games, games)

    if executor is not None:
        _in_order(executor, _executor_chunk, ((scenario, *t) for t in tasks), absorb)
    elif workers <= 1:
        game = game or Game(scenario)
        for t in tasks:
            absorb(run_chunk(game, *t))
    else:
        ctx = get_context("fork" if os.name == "posix" else "spawn")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(scenario,))
        try:
            _in_order(pool, _worker_chunk, tasks, absorb)
        except BaseException:  # Ctrl-C or a failed chunk: drop the queued chunks instead of running them all
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    per_game: dict[str, np.ndarray] = {}
    if kept:
        per_game = {
            "endings": np.concatenate([r.figures.endings for r in kept]),
            "end_turns": np.concatenate([r.figures.end_turns for r in kept]),
            "scores": np.concatenate([r.figures.scores for r in kept]),
        }
    if keep_values:
        per_game["values"] = np.concatenate([r.values for r in kept], axis=1)
    return SimResult(
        scenario=scenario,
        policy=policy.name if isinstance(policy, NamedPolicy) else policy,
        seed=seed,
        first_game=first_game,
        games=games,
        tally=tally,
        probe=probed[0] if probed else None,
        **per_game,
    )


def summary_dict(result: SimResult) -> dict:
    """The figures of a run as plain JSON-ready data (from its tally: the same whether or not the per-game
    arrays were kept). Score percentiles are exact for runs of up to ``tally.EXACT_SCORES`` games and
    within 2**-16 of the score's size beyond."""
    s = result.scenario
    t = result.tally
    counts = t.endings
    p5, p50, p95 = t.percentiles((5, 50, 95))
    return {
        "scenario": s.id,
        "policy": result.policy,
        "seed": result.seed,
        "first_game": result.first_game,
        "games": result.games,
        "endings": {
            e.id: {"title": e.title, "count": int(counts[k]), "share": round(counts[k] / result.games, 6)}
            for k, e in enumerate(s.endings)
        },
        "score": {
            "mean": round(float(t.score_mean), 6),
            "std": round(float(t.score_std()), 6),
            "p5": round(float(p5), 6),
            "p50": round(float(p50), 6),
            "p95": round(float(p95), 6),
        },
        "mean_length": round(t.mean_length(), 6),
        "median_length": t.median_length(),
        "mean_final": {v.id: round(float(x), 6) for v, x in zip(s.variables, t.mean_values())},
        "digest": result.digest,
    }
