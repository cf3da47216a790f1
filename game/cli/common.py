"""Helpers shared by the subcommands: resolving and loading a scenario, progress output."""

from __future__ import annotations

import sys

from ..errors import ManilaError, ScenarioError
from ..format.catalog import resolve_scenario
from ..format.scenario import load_scenario
from ..model import Scenario


def load_for_command(arg: str | None) -> Scenario:
    """Resolve a path or id and load it; a broken scenario becomes one ManilaError with every problem."""
    path = resolve_scenario(arg)
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise ManilaError(f"the scenario has problems (run 'manila validate {path}'):\n{exc}") from None


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
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < low or (high is not None and value > high):
        raise argparse.ArgumentTypeError(f"{rule}, not {value}")
    return value


def positive_int(text: str) -> int:
    return _whole_number(text, 1, None, "must be at least 1")


def seed_int(text: str) -> int:
    return _whole_number(text, 0, 2**64 - 1, "a seed is a whole number from 0 to 2**64-1")


def non_negative_int(text: str) -> int:
    return _whole_number(text, 0, None, "must not be negative")


__all__ = ["Progress", "load_for_command", "non_negative_int", "positive_int", "print_problems", "seed_int"]
