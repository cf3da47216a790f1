"""``manila balance FILE``: every built-in policy plays headless; endings, scores, hit counts, warnings."""

from __future__ import annotations

import argparse
import json
import os

from ..authoring.balance import DEFAULT_BALANCE_GAMES, BalanceReport, report_dict, run_balance
from ..policies import PolicyError, get_policy
from .common import Progress, load_for_command, positive_int, seed_int

HELP = "play every built-in policy headless and report endings, scores, hit counts and a dominant strategy"


def add_parser(sub) -> None:
    p = sub.add_parser("balance", help=HELP, description=HELP + ". Policies: random, greedy, balanced and "
                       "prefer:SIDE for every side of the scenario, all on the same seeded games.")
    p.add_argument("scenario", metavar="FILE", help="a scenario file or bundled id")
    p.add_argument("--games", type=positive_int, default=DEFAULT_BALANCE_GAMES, metavar="N",
                   help=f"games per policy ({DEFAULT_BALANCE_GAMES})")
    p.add_argument("--seed", type=seed_int, default=0, metavar="S", help="the seed (0)")
    p.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1, metavar="W",
                   help="worker processes (default: one per CPU)")
    p.add_argument("--policy", action="append", metavar="P", dest="policies",
                   help="play only this policy (repeatable); default: all built-in ones")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run, parser=p)


def run(args: argparse.Namespace) -> int:
    for name in args.policies or ():
        try:
            get_policy(name)
        except PolicyError as exc:
            args.parser.error(str(exc))
    scenario = load_for_command(args.scenario)
    report = run_balance(scenario, games=args.games, seed=args.seed, workers=args.workers,
                         policies=args.policies, progress=Progress)
    print(json.dumps(report_dict(report), indent=2) if args.json else render(report))
    return 0


def render(report: BalanceReport) -> str:
    s = report.scenario
    runs = report.runs
    names = [r.policy for r in runs]
    widths = [max(8, len(n)) for n in names]
    label_w = max(24, *(len(e.title) + 2 for e in s.endings))

    def row(label: str, cells: list[str]) -> str:
        return (f"{label:<{label_w}}" + "".join(f"  {c:>{w}}" for c, w in zip(cells, widths))).rstrip()

    lines = [f"{s.id}: {report.games:,} games per policy, seed {report.seed}", "",
             row("Endings", names)]
    for k, e in enumerate(s.endings):
        lines.append(row(f"  {e.title}", [f"{100 * r.end_counts[k] / r.games:.1f}%" for r in runs]))
    lines += ["", "Score"]
    for key in ("mean", "std", "p5", "p50", "p95"):
        lines.append(row(f"  {key}", [f"{getattr(r, f'score_{key}'):.2f}" for r in runs]))
    lines.append(row("  mean length (turns)", [f"{r.mean_length:.2f}" for r in runs]))
    lines += ["", "Events: firings per game; options: share of the event's firings", row("", names)]
    g = 0
    for i, e in enumerate(s.events):
        lines.append(row(f"  {e.id}"[:label_w], [f"{r.event_hits[i] / r.games:.3f}" for r in runs]))
        for o in e.options:
            lines.append(row(f"    {o.id}"[:label_w], [_share(r.option_hits[g], r.event_hits[i]) for r in runs]))
            g += 1
    lines += ["", "Pinned at a bound (at the end of at least 25% of a policy's games)"]
    if not report.pinned:
        lines.append("  none")
    groups: dict[tuple[str, str, float], list[str]] = {}
    for p in report.pinned:
        groups.setdefault((p.var, p.bound, p.value), []).append(f"{p.policy} {100 * p.share:.0f}%")
    for (var, bound, value), where in groups.items():
        lines.append(f"  {var} at its {bound}imum ({value:g}): {', '.join(where)}")
    lines += ["", "Warnings"]
    lines += [f"  ! {d}" for d in report.dominant] or ["  none"]
    return "\n".join(lines)


def _share(hits: int, fired: int) -> str:
    return f"{100 * hits / fired:.1f}%" if fired else "-"
