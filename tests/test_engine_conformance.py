"""The batched engine against the reference engine (the executable spec), bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine import Game
from game.policies import get_policy
from game.reference import ReferenceGame

from .conftest import BUNDLED
from game.scenario import load_scenario

POLICIES = ["random", "first", "greedy", "balanced"]


def _prefer_policies(scenario):
    tags = sorted({t for e in scenario.events for o in e.options for t in o.tags if t.startswith("pro_")})
    return [f"prefer:{t}" for t in tags]


def _games_for(scenario) -> int:
    # thousands of games in all for each scenario; fewer per policy for long scenarios
    return 1000 if scenario.turns * scenario.decisions <= 24 else 200


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_batched_matches_reference_for_every_policy(path):
    scenario = load_scenario(path)
    game = Game(scenario)
    n = _games_for(scenario)
    for name in POLICIES + _prefer_policies(scenario):
        policy = get_policy(name)
        state = game.new_games(seed=11, first_game=0, count=n)
        state.run(policy)
        values = state.values()
        endings, end_turns, scores = state.endings(), state.end_turns(), state.scores()
        for i in range(n):
            ref = ReferenceGame(scenario, 11, i)
            ref.play(policy.single)
            assert ref.ending == endings[i], (name, i)
            assert ref.end_turn == end_turns[i], (name, i)
            assert ref.final_score == scores[i], (name, i)
            assert np.array_equal(np.array(ref.x), values[:, i]), (name, i)


def test_reference_and_batched_make_the_same_choices(tutorial):
    """Not only the end state: the sequence of events and options is the same."""
    game = Game(tutorial)
    policy = get_policy("random")
    for i in range(50):
        state = game.new_games(seed=3, first_game=i, count=1, trace=True)
        state.run(policy)
        batched = [(t, s, int(k[0])) for t, s, k in state.choices_made if k[0] >= 0]
        ref = ReferenceGame(tutorial, 3, i)
        ref.play(policy.single)
        assert batched == [(t, s, k) for t, s, _, k in ref.chosen]
