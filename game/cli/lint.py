"""``manila lint FILE...``: what is valid but probably wrong; exit 0 when clean, 1 with warnings."""

from __future__ import annotations

import argparse

from ..authoring.defaults import CODES, DEFAULT_LINT_GAMES
from .common import positive_int, print_problems, seed_int, workers_int

HELP = "report what is valid but probably wrong: events that never fire, meters never changed, ..."


def add_parser(sub) -> None:
    checks = "; ".join(f"{code}: {what}" for code, what in CODES.items())
    p = sub.add_parser(
        "lint",
        help=HELP,
        description=f"{HELP} Each warning is FILE:LINE: key.path: message "
        f"[code]. Static checks are certain; simulated ones play seeded games with the random "
        f"and prefer:SIDE policies (one per side of the scenario). Checks: {checks}.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario .toml files (or bundled ids)")
    p.add_argument(
        "--games",
        type=positive_int,
        default=DEFAULT_LINT_GAMES,
        metavar="N",
        help=f"simulated games in all, split between the policies ({DEFAULT_LINT_GAMES})",
    )
    p.add_argument("--seed", type=seed_int, default=0, metavar="S", help="the seed of the simulated games (0)")
    p.add_argument("--workers", type=workers_int, default=1, metavar="W", help="worker processes (1)")
    p.add_argument("--no-sim", action="store_true", help="static checks only, no simulated games")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..authoring.lint import lint_scenario
    from ..errors import ScenarioError
    from ..format.catalog import resolve_scenario
    from ..format.scenario import load_scenario

    dirty = 0
    for name in args.files:
        path = resolve_scenario(name)
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            dirty += 1
            print_problems(path, exc, ": not a valid scenario, fix these first")
            continue
        findings = lint_scenario(
            scenario, games=args.games, seed=args.seed, workers=args.workers, simulate=not args.no_sim
        )
        for finding in findings:
            print(finding)
        n = len(findings)
        print(f"{path}: {n} warning{'s' if n != 1 else ''}" if n else f"{path}: no warnings")
        dirty += bool(findings)
    return 1 if dirty else 0
