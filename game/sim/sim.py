"""Seeded batch simulations: chunking, worker processes, summaries and digests. No printing here.

Games are split into chunks (multiples of ``BLOCK`` games) that run in this process or in worker
processes. Because randomness is counter-based, a game's result does not depend on its chunk, and the
results are gathered in game-index order.

The **digest** is a SHA-256 over the per-block SHA-256 digests of the per-game records, blocks being
``BLOCK`` consecutive games from the first one. A record is the little-endian bytes of the game index,
ending index, end turn (int64 each), the final score and the final values (float64 each). Any worker count
or chunk size gives the same digest.
"""

from __future__ import annotations

import hashlib
import math
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
from attrs import frozen

from ..engine import Game
from ..model import Scenario
from ..policies import NamedPolicy, get_policy
from .probe import Probe, ProbeCounts, observe

__all__ = ["BLOCK", "DEFAULT_CHUNK", "ChunkResult", "SimResult", "run_chunk", "run_sim", "summary_dict"]

BLOCK = 4096
DEFAULT_CHUNK = 8192


@frozen
class ChunkResult:
    first: int
    endings: np.ndarray  # (n,) int64
    end_turns: np.ndarray  # (n,) int64
    scores: np.ndarray  # (n,) float64
    value_sums: np.ndarray  # (V,) float64
    at_min: np.ndarray  # (V,) games ending with the variable at its minimum
    at_max: np.ndarray  # (V,)
    event_hits: np.ndarray  # (E,)
    option_hits: np.ndarray  # (O,)
    block_digests: tuple[bytes, ...]
    values: np.ndarray | None  # (V, n) when per-game values were asked for
    probe: ProbeCounts | None = None  # what a probe gathered along the way (``game.sim.probe``)


@frozen
class SimResult:
    scenario: Scenario
    policy: str
    seed: int
    first_game: int
    games: int
    endings: np.ndarray
    end_turns: np.ndarray
    scores: np.ndarray
    mean_values: np.ndarray
    at_min: np.ndarray
    at_max: np.ndarray
    event_hits: np.ndarray
    option_hits: np.ndarray
    digest: str
    values: np.ndarray | None = None
    probe: ProbeCounts | None = None  # with ``run_sim(probe=...)``: what it gathered, all chunks together


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
    endings = state.endings()
    end_turns = state.end_turns()
    scores = state.scores() + 0.0
    lo = game.compiled.lo
    hi = game.compiled.hi
    digests = []
    for start in range(0, count, BLOCK):
        stop = min(count, start + BLOCK)
        digests.append(
            _block_digest(
                first + start, endings[start:stop], end_turns[start:stop], scores[start:stop], values[:, start:stop]
            )
        )
    return ChunkResult(
        first=first,
        endings=endings,
        end_turns=end_turns,
        scores=scores,
        value_sums=values.sum(axis=1),
        at_min=(values <= lo).sum(axis=1),
        at_max=(values >= hi).sum(axis=1),
        event_hits=state.event_hits,
        option_hits=state.option_hits[: game.compiled.O],
        block_digests=tuple(digests),
        values=values if keep_values else None,
        probe=counts,
    )


def _block_digest(first: int, endings, end_turns, scores, values) -> bytes:
    n = endings.shape[0]
    record = np.empty((n, 4 + values.shape[0]), dtype="<f8")
    ints = record[:, :3].view("<i8")
    ints[:, 0] = np.arange(first, first + n)
    ints[:, 1] = endings
    ints[:, 2] = end_turns
    record[:, 3] = scores
    record[:, 4:] = values.T
    return hashlib.sha256(record.tobytes()).digest()


_WORKER_GAME: Game | None = None


def _worker_init(scenario: Scenario) -> None:
    global _WORKER_GAME
    # Ctrl-C reaches the whole process group: the parent stops the pool; workers must not print tracebacks
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_GAME = Game(scenario)


class WorkerError(RuntimeError):
    """A failure inside a worker process, carried back as text (the original may not be picklable)."""


def _worker_chunk(args) -> ChunkResult:
    assert _WORKER_GAME is not None
    try:
        return run_chunk(_WORKER_GAME, *args)
    except Exception as exc:  # e.g. a user policy raising an exception that cannot be pickled
        raise WorkerError(f"{type(exc).__name__}: {exc}") from None


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
    progress: Callable[[int, int], None] | None = None,
    game: Game | None = None,
    probe: Probe | None = None,
) -> SimResult:
    """Run ``games`` games and gather their results in game-index order.

    ``progress(done, total)`` is called after each chunk. ``policy`` is a policy name (see
    ``game.policies``); it is resolved here first so that a bad name fails before any work starts. A policy
    object (``NamedPolicy``, e.g. a recipe found in this process) plays in this process. ``probe`` gathers
    figures along the way (``SimResult.probe``) without changing any game.
    """
    if games < 1:
        raise ValueError("games must be at least 1")
    if isinstance(policy, NamedPolicy):
        workers = 1
    else:
        get_policy(policy)
    chunk = max(BLOCK, (chunk // BLOCK) * BLOCK)
    starts = list(range(first_game, first_game + games, chunk))
    tasks = [(policy, seed, s, min(chunk, first_game + games - s), keep_values, probe) for s in starts]
    workers = min(workers, len(tasks))  # never more processes than chunks to run
    results: list[ChunkResult] = []
    done = 0
    if workers <= 1 or len(tasks) == 1:
        game = game or Game(scenario)
        for t in tasks:
            results.append(run_chunk(game, *t))
            done += t[3]
            if progress:
                progress(done, games)
    else:
        ctx = get_context("fork" if os.name == "posix" else "spawn")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(scenario,))
        try:
            for r in pool.map(_worker_chunk, tasks):
                results.append(r)
                done += r.endings.shape[0]
                if progress:
                    progress(done, games)
        except BaseException:  # Ctrl-C or a failed chunk: drop the queued chunks instead of running them all
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    h = hashlib.sha256()
    for r in results:
        for d in r.block_digests:
            h.update(d)
    probed = None
    for r in results:
        if r.probe is not None:
            probed = r.probe if probed is None else probed.merge(r.probe)
    V = len(scenario.variables)
    sums = np.array([math.fsum(r.value_sums[i] for r in results) for i in range(V)])
    return SimResult(
        scenario=scenario,
        policy=policy.name if isinstance(policy, NamedPolicy) else policy,
        seed=seed,
        first_game=first_game,
        games=games,
        endings=np.concatenate([r.endings for r in results]),
        end_turns=np.concatenate([r.end_turns for r in results]),
        scores=np.concatenate([r.scores for r in results]),
        mean_values=sums / games,
        at_min=sum(r.at_min for r in results),
        at_max=sum(r.at_max for r in results),
        event_hits=sum(r.event_hits for r in results),
        option_hits=sum(r.option_hits for r in results),
        digest=h.hexdigest(),
        values=np.concatenate([r.values for r in results], axis=1) if keep_values else None,
        probe=probed,
    )


def summary_dict(result: SimResult) -> dict:
    """The figures of a run as plain JSON-ready data."""
    s = result.scenario
    counts = np.bincount(result.endings, minlength=len(s.endings))
    scores = result.scores
    p5, p50, p95 = np.percentile(scores, [5, 50, 95])
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
            "mean": round(float(scores.mean()), 6),
            "std": round(float(scores.std()), 6),
            "p5": round(float(p5), 6),
            "p50": round(float(p50), 6),
            "p95": round(float(p95), 6),
        },
        "mean_length": round(float(result.end_turns.mean()), 6),
        "median_length": float(np.median(result.end_turns)),
        "mean_final": {v.id: round(float(result.mean_values[i]), 6) for i, v in enumerate(s.variables)},
        "digest": result.digest,
    }
