"""The batched engine against the reference engine (the executable spec), bit for bit.

Every bundled scenario, every built-in policy (including prefer:TAG for each pro_* tag): the same endings,
end turns, scores and final values. Policies run in two processes to use both cores.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pytest

from game.engine import Game
from game.format.scenario import load_scenario
from game.policies import get_policy
from game.reference import ReferenceGame

from .conftest import BUNDLED

POLICIES = ["random", "first", "greedy", "balanced"]


def _prefer_policies(scenario):
    tags = sorted({t for e in scenario.events for o in e.options for t in o.tags if t.startswith("pro_")})
    return [f"prefer:{t}" for t in tags]


def _games_for(scenario) -> int:
    # thousands of games per scenario in all; fewer per policy for long scenarios
    return 1000 if scenario.turns * scenario.decisions <= 24 else 200


def _mismatches(path: str, policy_name: str, seed: int, n: int) -> list[str]:
    scenario = load_scenario(path)
    policy = get_policy(policy_name)
    state = Game(scenario).new_games(seed=seed, first_game=0, count=n)
    state.run(policy)
    values = state.values()
    endings, end_turns, scores = state.endings(), state.end_turns(), state.scores()
    bad = []
    for i in range(n):
        ref = ReferenceGame(scenario, seed, i)
        ref.play(policy.single)
        if (
            ref.ending != endings[i]
            or ref.end_turn != end_turns[i]
            or ref.final_score != scores[i]
            or not np.array_equal(np.array(ref.x), values[:, i])
        ):
            bad.append(
                f"{policy_name} game {i}: reference ending {ref.ending} turn {ref.end_turn} score "
                f"{ref.final_score!r}; batched {endings[i]} turn {end_turns[i]} score {scores[i]!r}"
            )
    return bad


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_batched_matches_reference_for_every_policy(path):
    scenario = load_scenario(path)
    n = _games_for(scenario)
    names = POLICIES + _prefer_policies(scenario)
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("fork")) as pool:
        results = list(pool.map(_mismatches, [str(path)] * len(names), names, [11] * len(names), [n] * len(names)))
    problems = [p for r in results for p in r]
    assert not problems, "\n".join(problems[:10])


AUTHORING = Path(__file__).parent / "data" / "authoring"
EXTRA = [AUTHORING / name for name in ("radar-deal.toml", "static_flaws.toml", "sim_flaws.toml", "dominant.toml")]
EXTRA.append(Path(__file__).parent / "data" / "engine" / "long_quiet.toml")  # 600 turns, one decision


@pytest.mark.parametrize("path", EXTRA, ids=lambda p: p.stem)
def test_small_and_odd_scenarios_agree_too(path):
    """Scenarios with dead events, lapsing follow-ups and a single variable exercise the edges."""
    scenario = load_scenario(path)
    for name in ("random", "greedy", "balanced", *_prefer_policies(scenario)):
        assert not _mismatches(str(path), name, 5, 300), name


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


def test_a_broken_engine_would_be_caught(tutorial, monkeypatch):
    """The comparison can fail: perturb one rule of the batched engine and the games differ."""
    import game.engine.state as state_module

    original = state_module.State._end_turn

    def skewed(self):
        self.col.X[0] += 1e-9  # a tiny drift the reference does not have
        self.dirty.add(0)
        original(self)

    monkeypatch.setattr(state_module.State, "_end_turn", skewed)
    state = Game(tutorial).new_games(seed=11, count=20)
    state.run(get_policy("random"))
    ref = [ReferenceGame(tutorial, 11, i) for i in range(20)]
    for r in ref:
        r.play(get_policy("random").single)
    assert any(r.x[0] != state.values()[0, i] for i, r in enumerate(ref))


@pytest.mark.parametrize("full", [False, True], ids=["starter", "full"])
def test_the_starter_scenarios_agree(tmp_path, full):
    """`manila new` and `manila new --full` (every format-2 feature, sides named in [scenario])."""
    from game.authoring.starter import starter_text

    path = tmp_path / "starter.toml"
    path.write_text(starter_text("starter", full))
    scenario = load_scenario(path)
    for name in ("random", "greedy", *(f"prefer:{side}" for side in scenario.sides)):
        assert not _mismatches(str(path), name, 8, 300), name
