"""``manila bench [SCENARIO] [--json]``: measure the engine on this machine."""

from __future__ import annotations

import argparse
import json

from .common import load_for_command, positive_int, workers_int

HELP = (
    "measure engine speed: batched vs reference, B=1 traced turns (single-game engine), advisor rollouts, "
    "Gymnasium vector env, memory"
)


def add_parser(sub) -> None:
    p = sub.add_parser("bench", help=HELP, description=HELP)
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help="a scenario file or bundled id")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--games", type=positive_int, default=65_536, metavar="N", help="games for the batched measurement (65536)"
    )
    p.add_argument("--million", action="store_true", help="also time 1,000,000 games with --workers processes")
    p.add_argument("--workers", type=workers_int, default=2, metavar="W", help="workers for --million (2)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..sim.bench import run_bench

    scenario = load_for_command(args.scenario)
    figures = run_bench(scenario, batched_games=args.games, million=args.million, workers=args.workers)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{figures['scenario']}: engine benchmark (one core unless noted)")
    print(
        f"  batched engine    {figures['batched_game_turns_per_s']:>14,} game-turns/s "
        f"({figures['batched_games']:,} games, chunks of {figures['batched_chunk']:,})"
    )
    print(
        f"  reference engine  {figures['reference_game_turns_per_s']:>14,} game-turns/s "
        f"({figures['reference_games']:,} games)"
    )
    print(f"  ratio             {figures['ratio']:>14,.1f} x")
    print(
        f"  one turn at B=1   {figures['turn_ms_b1']:>14.3f} ms CPU, traced, {figures['turn_ms_b1_engine']}-game "
        f"engine ({figures['turn_ms_b1_batched']:.3f} ms on the batched engine)"
    )
    print(
        f"  advisor           {figures['advisor_ms']:>14.1f} ms "
        f"({figures['advisor_rollouts_per_option']:,} rollouts x {figures['advisor_options']} options)"
    )
    print(
        f"  consulting        {figures['advisor_consult_ms']:>14.1f} ms CPU, median "
        f"({figures['advisor_consult_rollouts']} rollouts of each option, {figures['advisor_engine']} engine, "
        f"{figures['backend']})"
    )
    if "million_games_s" in figures:
        print(f"  1,000,000 games   {figures['million_games_s']:>14.2f} s with {figures['million_workers']} workers")
    rl = figures["rl_vector_steps_per_s"]
    if isinstance(rl, int):
        print(f"  Gymnasium vector  {rl:>14,} steps/s ({figures['rl_vector_num_envs']:,} envs, random masked agent)")
    else:
        print(f"  Gymnasium vector  {rl}")
    print(f"  peak memory       {figures['peak_rss_mb']:>14.1f} MB")
    return 0
