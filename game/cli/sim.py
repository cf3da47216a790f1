"""``manila sim``: seeded headless games with a policy; a readable summary or JSON."""

from __future__ import annotations

import argparse
import csv
import json
import os

from ..errors import ManilaError
from ..policies import PolicyError, get_policy, policy_names
from .common import (
    SCHEDULER_HELP,
    Progress,
    check_tags,
    is_user_policy,
    load_for_command,
    non_negative_int,
    positive_int,
    scheduler_executor,
    seed_int,
    workers_int,
)

HELP = "run seeded games headless with a policy and summarise the results"


def add_parser(sub) -> None:
    p = sub.add_parser("sim", help=HELP, description=HELP)
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="a scenario file or bundled id (default: the main scenario)"
    )
    p.add_argument("--games", type=positive_int, default=10_000, metavar="N", help="number of games (10000)")
    p.add_argument("--seed", type=seed_int, default=0, metavar="S", help="the seed (0)")
    p.add_argument(
        "--policy", default="random", metavar="P", help=f"decision policy: {', '.join(policy_names())} (random)"
    )
    p.add_argument("--first-game", type=non_negative_int, default=0, metavar="K", help="index of the first game")
    p.add_argument("--workers", type=workers_int, default=1, metavar="W", help="worker processes (1)")
    p.add_argument("--scheduler", metavar="ADDRESS", help=SCHEDULER_HELP)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--per-game", metavar="FILE.csv", help="write one CSV row per game")
    p.set_defaults(run=run, parser=p)


def run(args: argparse.Namespace) -> int:
    from ..sim.sim import run_sim, summary_dict

    try:
        get_policy(args.policy)
    except PolicyError as exc:
        args.parser.error(str(exc))
    if args.per_game:
        folder = os.path.dirname(os.path.abspath(args.per_game))
        if not os.path.isdir(folder):
            args.parser.error(f"--per-game: folder {folder} does not exist")
    if args.scheduler is not None and args.workers > 1:
        args.parser.error("--scheduler runs the games on the cluster's workers: drop --workers")
    cluster = scheduler_executor(args.parser, args.scheduler)
    scenario = load_for_command(args.scenario)
    check_tags(args.parser, scenario, [args.policy])
    user_policy = is_user_policy(args.policy)
    try:
        with cluster as executor:
            result = run_sim(
                scenario,
                games=args.games,
                seed=args.seed,
                policy=args.policy,
                first_game=args.first_game,
                workers=args.workers,
                keep_values=bool(args.per_game),
                keep_games=False,  # the summary comes from the run's tally; --per-game keeps what it writes
                progress=Progress(f"{args.policy}"),
                executor=executor,
            )
    except ManilaError:
        raise
    except Exception as exc:
        if not user_policy:
            raise
        # a user's policy is user code: report its failure, not our traceback
        raise ManilaError(f"policy '{args.policy}' failed: {type(exc).__name__}: {exc}") from None
    if args.per_game:
        write_per_game(args.per_game, result)
    summary = summary_dict(result)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(render_summary(summary))
    return 0


def write_per_game(path: str, result) -> None:
    s = result.scenario
    try:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["game", "ending", "end_turn", "score", *[v.id for v in s.variables]])
            for b in range(result.games):
                w.writerow(
                    [
                        result.first_game + b,
                        s.endings[result.endings[b]].id,
                        int(result.end_turns[b]),
                        f"{result.scores[b]:.6f}",
                        *[f"{x:.6f}" for x in result.values[:, b]],
                    ]
                )
    except OSError as exc:
        raise ManilaError(f"cannot write {path}: {exc.strerror or exc}") from None


def render_summary(d: dict) -> str:
    lines = [
        f"{d['scenario']}: {d['games']:,} games, policy {d['policy']}, seed {d['seed']}"
        + (f", first game {d['first_game']}" if d["first_game"] else ""),
        "",
        "Endings",
    ]
    width = max(len(e["title"]) for e in d["endings"].values())
    for e in d["endings"].values():
        bar = "#" * round(40 * e["share"])
        lines.append(f"  {e['title']:<{width}}  {e['count']:>9,}  {100 * e['share']:6.2f}%  {bar}")
    sc = d["score"]
    lines += [
        "",
        f"Score  mean {sc['mean']:.2f}  std {sc['std']:.2f}  p5 {sc['p5']:.2f}  p50 {sc['p50']:.2f}"
        f"  p95 {sc['p95']:.2f}",
        f"Length mean {d['mean_length']:.2f} turns, median {d['median_length']:g}",
        "",
        "Mean final values",
    ]
    items = list(d["mean_final"].items())
    for i in range(0, len(items), 3):
        lines.append("  " + "".join(f"{k:<18}{v:>9.2f}   " for k, v in items[i : i + 3]).rstrip())
    lines += ["", f"digest {d['digest']}"]
    return "\n".join(lines)
