"""Impulse tests: what is a change to one variable at one turn worth in final score?

``VAR=DELTA@TURN`` adds ``DELTA`` to ``VAR`` (clamped to its bounds) in every game still running when turn
``TURN`` reaches its first decision, then the policy plays on. The same games are played with and without the
impulse (common random numbers: same seed, same game indices), so the paired difference of final scores
measures the impulse alone; its standard error is that of the mean paired difference. Games that ended
before the turn count with a difference of 0.
"""

from __future__ import annotations

import math
import re

import numpy as np
from attrs import frozen

from ..engine import Game
from ..model import Scenario
from ..policies import get_policy

__all__ = ["Impulse", "ImpulseResult", "parse_impulse", "run_impulse"]

_FORM = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([-+]?[0-9]*\.?[0-9]+)\s*@\s*([0-9]+)\s*$")
CHUNK = 4096


@frozen
class Impulse:
    var: str
    delta: float
    turn: int

    def __str__(self) -> str:
        return f"{self.var}={self.delta:+g}@{self.turn}"


@frozen
class ImpulseResult:
    impulse: Impulse
    policy: str
    games: int
    base_mean: float
    mean: float  # mean of (score with the impulse - score without), paired by game
    se: float
    changed: float  # share of games whose final score changed at all


def parse_impulse(text: str, scenario: Scenario | None = None) -> Impulse:
    """``VAR=DELTA@TURN``; ``ValueError`` with the reason (naming the scenario's variables if it has no VAR)."""
    m = _FORM.match(text)
    if not m:
        raise ValueError(f"impulse '{text}' is not VAR=DELTA@TURN, e.g. approval=10@5")
    impulse = Impulse(m.group(1), float(m.group(2)), int(m.group(3)))
    if scenario is not None:
        ids = [v.id for v in scenario.variables]
        if impulse.var not in ids:
            raise ValueError(
                f"impulse '{text}': the scenario has no variable '{impulse.var}' (it has: {', '.join(ids)})"
            )
        if not 1 <= impulse.turn <= scenario.turns:
            raise ValueError(f"impulse '{text}': the turn must be from 1 to {scenario.turns}")
    return impulse


def run_impulse(
    scenario: Scenario, impulse: Impulse, *, policy: str, games: int, seed: int, game: Game | None = None
) -> ImpulseResult:
    """Play ``games`` games of ``seed`` with ``policy`` with and without the impulse; the paired difference."""
    game = game or Game(scenario)
    var = game.compiled.index[impulse.var]
    play = get_policy(policy)
    base, diff = [], []
    for first in range(0, games, CHUNK):
        n = min(CHUNK, games - first)
        without = game.new_games(seed, first, n)
        without.run(play)
        with_ = game.new_games(seed, first, n)
        shifted = False
        while not with_.over:
            if not shifted and with_.turn >= impulse.turn:
                with_.shift(var, impulse.delta)
                shifted = True
            with_.step(play)
        base.append(without.scores())
        diff.append(with_.scores() - without.scores())
    b = np.concatenate(base)
    d = np.concatenate(diff)
    se = float(d.std(ddof=1) / math.sqrt(games)) if games > 1 else float("nan")
    return ImpulseResult(
        impulse, policy, games, float(b.mean()), float(d.mean()), se, float(np.count_nonzero(d) / games)
    )
