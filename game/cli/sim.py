"""``manila sim``: seeded headless games with a policy; a readable summary or JSON."""

from __future__ import annotations

import argparse
import csv
import json
import os

from ..errors import ManilaError, did_you_mean
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
    p.add_argument(
        "--per-game",
        metavar="FILE.csv",
        help="write one CSV row per game: its ending, end turn, score, final values, turns without a decision "
        "and how often each event fired (columns fired:EVENT)",
    )
    p.add_argument(
        "--trace",
        action="append",
        default=[],
        metavar="VAR",
        help="a meter's, faction's or flag's mean, minimum and maximum at the end of every turn over the games "
        "still in play, and the turns with no decision (repeatable, or VAR,VAR)",
    )
    p.set_defaults(run=run, parser=p)


def run(args: argparse.Namespace) -> int:
    from ..sim.probe import Probe, trace_dict
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
    traced = _traced(args, scenario)
    probe = Probe(trace=traced, per_game=bool(args.per_game)) if traced or args.per_game else None
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
                probe=probe,
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
    if traced:
        assert probe is not None and result.probe is not None
        summary.update(trace_dict(scenario, probe, result.probe))
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(render_summary(summary))
        if traced:
            print("\n" + render_trace(summary))
    return 0


def _traced(args: argparse.Namespace, scenario) -> tuple[int, ...]:
    """The variable indices of ``--trace`` (a usage error names an unknown one, with a suggestion)."""
    ids = [v.id for v in scenario.variables]
    out: list[int] = []
    for text in args.trace:
        for name in (part.strip() for part in text.split(",")):
            if name not in ids:
                args.parser.error(
                    f"--trace: '{scenario.id}' has no meter, faction or flag '{name}'{did_you_mean(name, ids)}"
                )
            if ids.index(name) not in out:
                out.append(ids.index(name))
    return tuple(out)


def write_per_game(path: str, result) -> None:
    """One row per game: ending, end turn, score, final values, turns without a decision (``quiet_turns``) and
    one ``fired:EVENT`` column per event of the scenario, in file order (how often it fired in that game)."""
    s = result.scenario
    counts = result.probe
    try:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(
                [
                    "game",
                    "ending",
                    "end_turn",
                    "score",
                    *[v.id for v in s.variables],
                    "quiet_turns",
                    *[f"fired:{e.id}" for e in s.events],
                ]
            )
            for b in range(result.games):
                w.writerow(
                    [
                        result.first_game + b,
                        s.endings[result.endings[b]].id,
                        int(result.end_turns[b]),
                        f"{result.scores[b]:.6f}",
                        *[f"{x:.6f}" for x in result.values[:, b]],
                        int(counts.quiet_turns[b]),
                        *[int(n) for n in counts.fires[:, b]],
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


def render_trace(d: dict) -> str:
    """The ``--trace`` tables: each variable per turn, then the turns with nothing on the desk."""
    lines: list[str] = []
    for var, t in d["trace"].items():
        width = max(len(r["date"]) for r in t["turns"])
        lines += [
            f"Trace of {var} ({t['label']}): over the games in play at the end of each turn",
            f"  {'turn':>5}  {'':<{width}}  {'games':>9}  {'mean':>10}  {'min':>10}  {'max':>10}",
        ]
        for r in t["turns"]:
            turn = str(r["turn"]) if r["turn"] else "start"
            lines.append(
                f"  {turn:>5}  {r['date'] if r['turn'] else '':<{width}}  {r['games']:>9,}  {r['mean']:>10.2f}"
                f"  {r['min']:>10.2f}  {r['max']:>10.2f}"
            )
        lines.append("")
    q = d["quiet"]
    empty = [r for r in q["turns"] if r["no_decision"]]
    lines.append(
        f"Turns with nothing on the desk: {q['per_game']:.2f} per game on average, of "
        f"{q['turns_played_per_game']:.2f} turns played" + ("" if empty else " (none)")
    )
    if empty:
        width = max(len(r["date"]) for r in empty)
        lines.append(f"  {'turn':>5}  {'':<{width}}  {'games':>9}  {'no decision':>11}")
        for r in empty:
            lines.append(
                f"  {r['turn']:>5}  {r['date']:<{width}}  {r['games']:>9,}  {r['no_decision']:>11,}"
                f"  {100 * r['share']:5.1f}%"
            )
    return "\n".join(lines)
