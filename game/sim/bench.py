"""Measurements of the engine's speed on this machine (``manila bench``). No printing here."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable

import numpy as np

from ..engine import Game, State
from ..engine.single import SingleState
from ..model import Scenario
from ..play.advisor import DEFAULT_ROLLOUTS, advise, consult
from ..policies import get_policy
from ..reference import ReferenceGame
from .sim import run_sim

__all__ = ["rl_vector_figures", "run_bench"]


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0


def _b1_turn_ms(start: Callable[[int], State | SingleState], policy, seconds: float = 1.0) -> tuple[float, int]:
    """CPU milliseconds per turn of games ``start(0), start(1), ...`` played to the end with ``policy``
    (for ``seconds`` of CPU time and at least 3 games), and the number of games."""
    warm = start(10_000)
    warm.run(policy)
    turns = games = 0
    begin = time.process_time()
    while time.process_time() - begin < seconds or games < 3:
        state = start(games)
        state.run(policy)
        turns += int(state.end_turns()[0])
        games += 1
    return 1000 * (time.process_time() - begin) / turns, games


def rl_vector_figures(
    scenario: Scenario, *, num_envs: int = 1024, seconds: float = 3.0, seed: int = 0, game: Game | None = None
) -> dict:
    """Steps per second of the Gymnasium vector environment (``game.rl``) with a random masked agent.

    The clock starts after one episode's worth of steps, once finished games have restarted and the
    batch holds games at different stages, as in training. Without gymnasium the figure says so.
    """
    try:
        from ..rl import ManilaVectorEnv
        from ..rl.spaces import sample_masked
    except ImportError:
        return {"rl_vector_steps_per_s": "not measured: gymnasium is not installed (pip install 'manila-game[rl]')"}
    env = ManilaVectorEnv(game or scenario, num_envs)
    rng = np.random.default_rng(seed)
    _, info = env.reset(seed=seed)
    warm_up = scenario.turns * scenario.decisions + 1
    steps = 0
    start = time.perf_counter()
    while steps < warm_up or time.perf_counter() - start < seconds:
        if steps == warm_up:
            start = time.perf_counter()
        _, _, _, _, info = env.step(sample_masked(rng, info["action_mask"]))
        steps += 1
    rate = (steps - warm_up) * num_envs / (time.perf_counter() - start)
    return {"rl_vector_steps_per_s": round(rate), "rl_vector_num_envs": num_envs}


def run_bench(
    scenario: Scenario,
    *,
    batched_games: int = 65_536,
    chunk: int = 8192,
    reference_seconds: float = 2.0,
    rollouts: int = 1000,
    million: bool = False,
    workers: int = 2,
    seed: int = 0,
    consult_repeats: int = 10,
) -> dict:
    """Measure the batched and reference engines, B = 1 latency and the advisor; returns a dict of figures.

    ``turn_ms_b1`` is one traced turn at B = 1 on the engine interactive play runs (``turn_ms_b1_engine``: the
    single-game engine), ``turn_ms_b1_batched`` the same games on the batched engine, both in CPU time.
    ``advisor_ms`` is ``rollouts`` futures of each option of the first decision (wall time, as before);
    ``advisor_consult_ms`` the median CPU time of ``consult_repeats`` consultations as a player makes them.
    ``backend`` names the array backend of the batched engine (numpy: there is no other yet)."""
    game = Game(scenario)
    policy = get_policy("random")
    # warm up (first calls allocate and import)
    game.new_games(seed, 0, 256).run(policy)

    turns = 0
    start = time.perf_counter()
    for first in range(0, batched_games, chunk):
        state = game.new_games(seed, first, min(chunk, batched_games - first))
        state.run(policy)
        turns += int(state.end_turns().sum())
    batched_s = time.perf_counter() - start
    batched_rate = turns / batched_s

    ref_turns = 0
    ref_games = 0
    start = time.perf_counter()
    while time.perf_counter() - start < reference_seconds or ref_games < 20:
        ref = ReferenceGame(scenario, seed, ref_games)
        ref.play(policy.single)
        ref_turns += ref.end_turn
        ref_games += 1
    ref_rate = ref_turns / (time.perf_counter() - start)

    # B = 1: the interactive game, one turn at a time, with its trace, on the engine play runs (the single-game
    # engine) and, for comparison, on the batched engine as a batch of one; CPU time
    turn_ms, b1_games = _b1_turn_ms(lambda g: SingleState(game, seed, g), policy)
    turn_ms_batched, _ = _b1_turn_ms(lambda g: game.new_games(seed, g, 1, trace=True), policy)

    # the advisor: rollouts of every option of the first decision to the end of the game
    state = game.new_games(seed, 0, 1, trace=True)
    advise(state, 0, rollouts)  # warm-up
    start = time.perf_counter()
    repeats = 3
    for r in range(repeats):
        advise(state, 0, rollouts, salt=r)
    advisor_ms = 1000 * (time.perf_counter() - start) / repeats
    options = int(state.available_options()[0].sum())
    # the advisers as a player consults them (DEFAULT_ROLLOUTS futures of each option): median CPU time
    session = SingleState(game, seed, 0)
    consult(session, 0)
    cpu = []
    for r in range(consult_repeats):
        start = time.process_time()
        consult(session, 0, salt=r)
        cpu.append(time.process_time() - start)
    consult_ms = 1000 * statistics.median(cpu)

    figures = {
        "scenario": scenario.id,
        "batched_game_turns_per_s": round(batched_rate),
        "batched_games": batched_games,
        "batched_chunk": chunk,
        "reference_game_turns_per_s": round(ref_rate),
        "reference_games": ref_games,
        "ratio": round(batched_rate / ref_rate, 1),
        "turn_ms_b1": round(turn_ms, 3),
        "turn_ms_b1_engine": "single",
        "turn_ms_b1_batched": round(turn_ms_batched, 3),
        "turn_b1_games": b1_games,
        "advisor_ms": round(advisor_ms, 1),
        "advisor_consult_ms": round(consult_ms, 1),
        "advisor_consult_rollouts": DEFAULT_ROLLOUTS,
        "advisor_engine": "batched",
        "backend": "numpy",
        "advisor_options": options,
        "advisor_rollouts_per_option": rollouts,
        "peak_rss_mb": 0.0,
    }
    if million:
        start = time.perf_counter()
        run_sim(scenario, games=1_000_000, seed=seed, workers=workers, game=game, keep_games=False)
        figures["million_games_s"] = round(time.perf_counter() - start, 2)
        figures["million_workers"] = workers
    figures.update(rl_vector_figures(scenario, seed=seed, game=game))
    figures["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    figures["mean_game_length"] = round(turns / batched_games, 2)
    return figures
