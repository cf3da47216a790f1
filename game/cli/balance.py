"""``manila balance FILE``: every built-in policy plays headless; endings, scores, hit counts, warnings; on
request the best recipe and impulse tests."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from ..authoring.defaults import (
    DEFAULT_BALANCE_GAMES,
    DEFAULT_EXPERT_GAMES,
    DEFAULT_PASSES,
    DEFAULT_SEARCH_GAMES,
    ONE_SIDED_SHARE,
)
from ..errors import ManilaError
from ..policies import PolicyError, get_policy
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

if TYPE_CHECKING:
    from ..authoring.balance import BalanceReport, PolicyRun

HELP = "play every built-in policy headless and report endings, scores, hit counts and a dominant strategy"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "balance",
        help=HELP,
        description=HELP + ". Policies: random, greedy, balanced and "
        "prefer:SIDE for every side of the scenario, all on the same seeded games.",
    )
    p.add_argument("scenario", metavar="FILE", help="a scenario file or bundled id")
    p.add_argument(
        "--games",
        type=positive_int,
        default=DEFAULT_BALANCE_GAMES,
        metavar="N",
        help=f"games per policy ({DEFAULT_BALANCE_GAMES})",
    )
    p.add_argument("--seed", type=seed_int, default=0, metavar="S", help="the seed (0)")
    p.add_argument(
        "--workers",
        type=workers_int,
        default=os.cpu_count() or 1,
        metavar="W",
        help="worker processes (default: one per CPU)",
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help=SCHEDULER_HELP + " (instead of --workers)")
    p.add_argument(
        "--policy",
        action="append",
        metavar="P",
        dest="policies",
        help="play only this policy (repeatable); default: all built-in ones and the expert",
    )
    p.add_argument(
        "--expert-games",
        type=non_negative_int,
        default=DEFAULT_EXPERT_GAMES,
        metavar="N",
        help=f"games for expert policies, at most --games ({DEFAULT_EXPERT_GAMES}; 0: no expert "
        "unless named with --policy)",
    )
    p.add_argument(
        "--recipe",
        action="store_true",
        help="search the best fixed table 'at event E choose option k' and play it on these games",
    )
    p.add_argument(
        "--recipe-games",
        type=positive_int,
        default=DEFAULT_SEARCH_GAMES,
        metavar="N",
        help=f"search games per candidate table ({DEFAULT_SEARCH_GAMES})",
    )
    p.add_argument(
        "--recipe-passes",
        type=positive_int,
        default=DEFAULT_PASSES,
        metavar="N",
        help=f"coordinate-ascent passes at most ({DEFAULT_PASSES})",
    )
    p.add_argument(
        "--recipe-out",
        metavar="FILE.json",
        help="save the recipe found; replay it with manila sim --policy recipe:FILE.json",
    )
    p.add_argument(
        "--impulse",
        action="append",
        metavar="VAR=DELTA@TURN",
        default=[],
        help="what adding DELTA to VAR at TURN is worth in final score, with and without on the same "
        "games (repeatable); measured for each --policy (default greedy)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run, parser=p)


def run(args: argparse.Namespace) -> int:
    from ..authoring.balance import report_dict
    from ..authoring.impulse import parse_impulse

    for name in args.policies or ():
        try:
            get_policy(name)
        except PolicyError as exc:
            args.parser.error(str(exc))
    if args.recipe_out and not os.path.isdir(os.path.dirname(os.path.abspath(args.recipe_out))):
        args.parser.error(f"--recipe-out: folder {os.path.dirname(os.path.abspath(args.recipe_out))} does not exist")
    for text in args.impulse:
        try:
            parse_impulse(text)
        except ValueError as exc:
            args.parser.error(str(exc))
    cluster = scheduler_executor(args.parser, args.scheduler)
    scenario = load_for_command(args.scenario)
    check_tags(args.parser, scenario, args.policies or ())
    try:
        impulses = tuple(parse_impulse(text, scenario) for text in args.impulse)
    except ValueError as exc:
        args.parser.error(str(exc))
    try:
        with cluster as executor:
            report = _run(args, scenario, impulses, executor)
    except ManilaError:
        raise
    except Exception as exc:
        user = [name for name in args.policies or () if is_user_policy(name)]
        if not user:
            raise
        # a user's policy is user code: report its failure, not our traceback (as sim does)
        raise ManilaError(f"policy '{', '.join(user)}' failed: {type(exc).__name__}: {exc}") from None
    if args.recipe_out and report.recipe is not None:
        try:
            with open(args.recipe_out, "w", encoding="utf-8") as fh:
                fh.write(report.recipe.search.recipe.to_json())
        except OSError as exc:
            raise ManilaError(f"cannot write {args.recipe_out}: {exc.strerror or exc}") from None
    print(json.dumps(report_dict(report), indent=2) if args.json else render(report))
    return 0


def _run(args: argparse.Namespace, scenario, impulses, executor) -> BalanceReport:
    from ..authoring.balance import run_balance

    return run_balance(
        scenario,
        games=args.games,
        seed=args.seed,
        workers=args.workers,
        policies=args.policies,
        expert_games=args.expert_games,
        recipe=args.recipe,
        recipe_games=args.recipe_games,
        recipe_passes=args.recipe_passes,
        impulses=impulses,
        impulse_policies=tuple(args.policies or ("greedy",)),
        progress=Progress,
        note=_note if sys.stderr.isatty() else None,
        executor=executor,
    )


def _note(text: str) -> None:
    sys.stderr.write(f"recipe search: {text}\n")


def render(report: BalanceReport) -> str:
    s = report.scenario
    runs = list(report.runs) + ([report.recipe.held_out] if report.recipe else [])
    names = [r.policy for r in runs]
    widths = [max(8, len(n)) for n in names]
    label_w = max(24, *(len(e.title) + 2 for e in s.endings))

    def row(label: str, cells: list[str]) -> str:
        return (f"{label:<{label_w}}" + "".join(f"  {c:>{w}}" for c, w in zip(cells, widths))).rstrip()

    lines = [
        f"{s.id}: {report.games:,} games per policy, seed {report.seed} (expert policies play fewer: see 'games')",
        "",
        row("", names),
        row("games", [f"{r.games:,}" for r in runs]),
        "",
        "Endings (share of games)",
    ]
    for k, e in enumerate(s.endings):
        lines.append(row(f"  {e.title}", [f"{100 * r.end_counts[k] / r.games:.1f}%" for r in runs]))
    lines += ["", "Mean score by ending"]
    for k, e in enumerate(s.endings):
        lines.append(row(f"  {e.title}", [_num(r.ending_mean(k)) for r in runs]))
    lines += ["", "Score"]
    lines.append(row("  mean ± s.e.", [f"{r.score_mean:.2f}±{r.score_se:.2f}" for r in runs]))
    for key in ("std", "p5", "p50", "p95"):
        lines.append(row(f"  {key}", [f"{getattr(r, f'score_{key}'):.2f}" for r in runs]))
    lines.append(row("  mean length (turns)", [f"{r.mean_length:.2f}" for r in runs]))
    lines.append(row("  ended early", [f"{100 * r.early_share:.1f}%" for r in runs]))
    lines += [
        "",
        "Events: firings per game; options: share of the event's firings (* one option takes "
        f"{100 * ONE_SIDED_SHARE:.0f}% or more)",
        row("", names),
    ]
    g = 0
    for i, e in enumerate(s.events):
        lines.append(row(f"  {e.id}"[:label_w], [f"{r.event_hits[i] / r.games:.3f}{_mark(r, s, i)}" for r in runs]))
        for o in e.options:
            lines.append(row(f"    {o.id}"[:label_w], [_share(r.option_hits[g], r.event_hits[i]) for r in runs]))
            g += 1
    fired = [sum(1 for i, e in enumerate(s.events) if e.options and r.event_hits[i]) for r in runs]
    lines.append(row("  one-sided / fired", [f"{len(r.one_sided(s))}/{n}" for r, n in zip(runs, fired)]))
    never = report.never_chosen()
    option_names = [f"{e.id}.{o.id}" for e in s.events for o in e.options]
    lines += ["", f"Options no policy chose: {len(never)}"]
    lines += [f"  {option_names[g]}" for g in never]
    if report.recipe is not None:
        lines += ["", *_render_recipe(report)]
    if report.impulses:
        lines += ["", "Impulses (paired: the same games with and without)"]
        for imp in report.impulses:
            lines.append(
                f"  {imp.impulse!s:<24} {imp.policy:<12} {imp.mean:+.2f} ± {imp.se:.2f} points "
                f"(base {imp.base_mean:.2f}, {imp.games:,} games, {100 * imp.changed:.0f}% changed)"
            )
    lines += ["", "Pinned at a bound (at the end of at least 25% of a policy's games)"]
    if not report.pinned:
        lines.append("  none")
    groups: dict[tuple[str, str, float], list[str]] = {}
    for p in report.pinned:
        groups.setdefault((p.var, p.bound, p.value), []).append(f"{p.policy} {100 * p.share:.0f}%")
    for (var, bound, value), where in groups.items():
        lines.append(f"  {var} at its {bound}imum ({value:g}): {', '.join(where)}")
    lines += ["", "Warnings"]
    lines += [f"  ! {w}" for w in report.warnings()] or ["  none"]
    return "\n".join(lines)


def _render_recipe(report: BalanceReport) -> list[str]:
    assert report.recipe is not None
    f = report.recipe.search
    held = report.recipe.held_out
    lines = [
        f"Best recipe found: {held.score_mean:.2f} ± {held.score_se:.2f} on these {held.games:,} games "
        f"(held out; {f.search_mean:.2f} on the {f.search_games:,} search games of seed {f.search_seed})",
        f"  from {f.start}'s habits, {f.changes} changes, {f.passes} passes, {f.evaluations} tables tried",
    ]
    best = max((r for r in report.runs if r.policy.startswith("expert")), key=lambda r: r.score_mean, default=None)
    if best is not None:
        gap = 100 * (best.score_mean - held.score_mean) / abs(held.score_mean) if held.score_mean else float("nan")
        side = "above" if gap >= 0 else "below"
        lines.append(
            f"  {best.policy} scores {best.score_mean:.2f} ± {best.score_se:.2f} on {best.games:,} games: "
            f"{abs(gap):.1f}% {side} the recipe"
        )
    lines.append("  table (event: option); events left out take their first available option")
    lines += [f"    {event}: {option}" for event, option in f.recipe.choices]
    return lines


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _mark(r: PolicyRun, s, i: int) -> str:
    share = r.top_share(s, i)
    return "*" if s.events[i].options and share is not None and share >= ONE_SIDED_SHARE else " "


def _share(hits: int, fired: int) -> str:
    return f"{100 * hits / fired:.1f}%" if fired else "-"
