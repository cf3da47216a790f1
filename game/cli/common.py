"""Helpers shared by the subcommands: resolving and loading a scenario, progress output.

Every subcommand module is imported to build the parser, so ``manila --help`` pays for each one's imports:
they import the domain (the loader, the engine, numpy) inside ``run``, and only this light module at the top.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from ..errors import ManilaError, ScenarioError, did_you_mean

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ..model import Scenario

SCHEDULER_HELP = (
    "run the games on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786); the same results "
    "as here. Needs pip install 'manila-game[cluster]', here and on the workers"
)


def load_for_command(arg: str | None) -> Scenario:
    """Resolve a path or id and load it; a broken scenario becomes one ManilaError with every problem."""
    from ..format.catalog import resolve_scenario
    from ..format.scenario import load_scenario

    path = resolve_scenario(arg)
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise ManilaError(f"the scenario has problems (run 'manila validate {path}'):\n{exc}") from None


def scheduler_executor(parser: argparse.ArgumentParser, address: str | None) -> AbstractContextManager[Executor | None]:
    """``with`` the Dask cluster's executor for ``--scheduler ADDRESS`` (None without one). Without Dask
    installed this is a usage error, raised here, before any work starts."""
    if address is None:
        return contextlib.nullcontext()
    from ..sim.cluster import ClusterUnavailable, cluster_executor

    try:
        return cluster_executor(address)
    except ClusterUnavailable as exc:
        parser.error(str(exc))


def check_tags(parser, scenario: Scenario, policies) -> None:
    """``prefer:TAG`` with a tag no option of the scenario carries is a usage error listing the known tags."""
    tags = sorted({t for e in scenario.events for o in e.options for t in o.tags})
    for name in policies:
        if name.startswith("prefer:") and name.split(":", 1)[1] not in tags:
            tag = name.split(":", 1)[1]
            parser.error(
                f"no option of '{scenario.id}' is tagged '{tag}'{did_you_mean(tag, tags)}; "
                f"known tags: {', '.join(tags) or 'none'}"
            )


def is_user_policy(name: str) -> bool:
    """A ``module:function`` policy: user code, whose failures are reported, not shown as our traceback."""
    return ":" in name and not name.startswith(("prefer:", "recipe:"))


def print_problems(name, exc: ScenarioError, suffix: str = "") -> None:
    """Every problem of a broken scenario, then a count line naming the file."""
    for problem in exc.problems:
        print(problem)
    n = len(exc.problems)
    print(f"{name}: {n} problem{'s' if n != 1 else ''}{suffix}")


class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str):
        self.label = label
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
        sys.stderr.flush()
        if done >= total:
            sys.stderr.write("\r" + " " * (width + len(self.label) + 40) + "\r")
            sys.stderr.flush()


def _whole_number(text: str, low: int, high: int | None, rule: str) -> int:
    if len(text) > 40:  # int() of a huge string is slow, and no valid value is that long
        raise argparse.ArgumentTypeError(f"'{text[:20]}...' is too long for a whole number")
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < low or (high is not None and value > high):
        raise argparse.ArgumentTypeError(f"{rule}, not {value}")
    return value


MAX_COUNT = 10**9  # games, rollouts, passes: more would not finish, and would exhaust memory first
MAX_INDEX = 2**62  # game indices: first game + count stays within int64
MAX_WORKERS = 64


def positive_int(text: str) -> int:
    return _whole_number(text, 1, MAX_COUNT, f"must be at least 1 (and at most {MAX_COUNT:,})")


def workers_int(text: str) -> int:
    return _whole_number(text, 1, MAX_WORKERS, f"worker processes: a whole number from 1 to {MAX_WORKERS}")


def seed_int(text: str) -> int:
    return _whole_number(text, 0, 2**64 - 1, "a seed is a whole number from 0 to 2**64-1")


def non_negative_int(text: str) -> int:
    return _whole_number(text, 0, MAX_INDEX, "must not be negative (and at most 2**62)")


__all__ = [
    "SCHEDULER_HELP",
    "Progress",
    "check_tags",
    "is_user_policy",
    "load_for_command",
    "non_negative_int",
    "positive_int",
    "print_problems",
    "scheduler_executor",
    "seed_int",
    "workers_int",
]
