"""``manila validate FILE... [--coverage]``: check scenario files and report every problem at once."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..errors import ManilaError, ScenarioError
from .common import print_problems

if TYPE_CHECKING:
    from ..model import Scenario

HELP = "check scenario files; list every problem as FILE:LINE: key.path: message"


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help=HELP, description=HELP)
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario .toml files or ids of bundled scenarios")
    p.add_argument(
        "--coverage", action="store_true", help="list, for each source paragraph, the events and options that cite it"
    )
    p.set_defaults(run=run)


def coverage_lines(scenario: Scenario) -> list[str]:
    """One line per source paragraph with what cites it, then ``coverage: C/T paragraphs``."""
    cited: dict[int, list[str]] = {n: [] for n in range(1, len(scenario.paragraphs) + 1)}
    for event in scenario.events:
        for n in event.cite:
            cited[n].append(event.id)
        for option in event.options:
            for n in option.cite:
                cited[n].append(f"{event.id}.{option.id}")
    lines = []
    for n, text in enumerate(scenario.paragraphs, 1):
        start = text if len(text) <= 60 else text[:57] + "..."
        who = ", ".join(cited[n]) if cited[n] else "NOT CITED"
        lines.append(f"  {n:>3}  {start}\n       cited by: {who}")
    covered = sum(1 for refs in cited.values() if refs)
    lines.append(f"coverage: {covered}/{len(scenario.paragraphs)} paragraphs")
    return lines


def _path_of(name: str) -> str:
    """A file, or a scenario id as every other command accepts (``manila validate tutorial``)."""
    from ..format.catalog import resolve_scenario

    try:
        return str(resolve_scenario(name))
    except ManilaError:
        return name  # the loader then says what is wrong with it as a file


def run(args: argparse.Namespace) -> int:
    from ..format.scenario import load_scenario

    failed = 0
    for name in args.files:
        try:
            scenario = load_scenario(_path_of(name))
        except ScenarioError as exc:
            failed += 1
            print_problems(name, exc)
            continue
        options = sum(len(e.options) for e in scenario.events)
        follows = sum(
            len(e.follow)
            + sum(len(b.follow) for b in e.branches)
            + sum(len(o.follow) + sum(len(b.follow) for b in o.branches) for o in e.options)
            for e in scenario.events
        ) + sum(len(r.follow) for r in scenario.rules)
        print(
            f"{name}: ok — '{scenario.title}' ({scenario.id}): {len(scenario.variables)} variables, "
            f"{len(scenario.events)} events, {options} options, {follows} follow-ups, "
            f"{len(scenario.endings)} endings, {scenario.turns} turns"
        )
        if args.coverage:
            if not scenario.paragraphs:
                print("  (no source text: set scenario.source to measure coverage)")
                print("coverage: 0/0 paragraphs")
            else:
                print("\n".join(coverage_lines(scenario)))
    return 1 if failed else 0
