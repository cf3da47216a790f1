"""The advisers: advice from the player's belief only, named advisers who disagree, a limited number of
consultations, and their declaration in scenario files."""

from __future__ import annotations

import numpy as np
import pytest

from game.authoring.starter import starter_text
from game.engine import Game
from game.engine import rollouts as rollouts_module
from game.errors import ScenarioError
from game.format.scenario import load_scenario_text
from game.play.advisor import AdviceBudget, advisers_of, consult, consultations_of, default_advisers
from game.policies import get_policy

from .conftest import SCENARIOS

TUTORIAL_TEXT = (SCENARIOS / "tutorial.toml").read_text(encoding="utf-8")


def _decision(game: Game, steps: int):
    state = game.new_games(6, 2, 1)
    for _ in range(steps):
        state.step(get_policy("greedy"))
    return state


def test_advice_never_depends_on_a_hidden_value_the_player_cannot_see(tutorial, monkeypatch):
    game = Game(tutorial)
    state = _decision(game, 3)
    i = next(k for k, v in enumerate(tutorial.variables) if v.hidden)
    v = tutorial.variables[i]
    truth = float(state.col.X[i, 0])
    other = state.spawn(np.zeros(1, dtype=np.intp), state.col.keys.copy())  # the same game, same future
    other.col.X[i, 0] = truth + v.noise if truth + v.noise <= v.max else truth - v.noise
    real = rollouts_module.estimate_rows

    def estimate_of_the_original(s, X, seed, games, turn):  # the player's reading stays what it was
        X = X.copy()
        X[i] = truth
        return real(s, X, seed, games, turn)

    monkeypatch.setattr(rollouts_module, "estimate_rows", estimate_of_the_original)
    a, b = consult(state, 0, 32), consult(other, 0, 32)
    assert a == b
    # with the true value copied into the futures (a leak), the advice would differ
    monkeypatch.setattr(rollouts_module, "believed_values", lambda st, cols, keys: st.col.X[:, cols].copy())
    assert consult(state, 0, 32).options != consult(other, 0, 32).options


def test_advisers_of_the_tutorial_disagree_somewhere(tutorial):
    assert [a.id for a in advisers_of(tutorial)] == ["admiral", "envoy", "whip"]
    assert consultations_of(tutorial) == 3
    game = Game(tutorial)
    state = game.new_games(1, 0, 1)
    disagreements = 0
    while not state.over:
        c = consult(state, 0, 32)
        assert len(c.opinions) == 3
        for o in c.opinions:
            assert o.reasons and all(r.endswith((".", ")")) or r.endswith("\u201d") for r in o.reasons)
            assert state.available_options()[0][o.option]
            assert o.utilities[o.option] == max(o.utilities)
        disagreements += len({o.option for o in c.opinions}) > 1
        state.step(get_policy("greedy"))
    assert disagreements > 0


def test_a_scenario_without_advisers_gets_a_default_cabinet():
    scenario = load_scenario_text(starter_text("fair"), "fair.toml")
    assert scenario.advisers == ()
    cabinet = default_advisers(scenario)
    assert advisers_of(scenario) == cabinet
    assert 2 <= len(cabinet) <= 4
    assert len({a.weights for a in cabinet}) == len(cabinet)  # different leanings
    assert consultations_of(scenario) > 0


def test_consultations_are_limited_and_asking_again_is_free():
    budget = AdviceBudget(2)
    assert budget.spend(0) and budget.spend(0) and budget.left == 1
    assert budget.spend(3) and budget.left == 0
    assert budget.can_ask(3) and not budget.can_ask(4)
    assert not budget.spend(4) and budget.used == 2
    assert AdviceBudget(1).paid == set()  # each budget has its own record


@pytest.mark.parametrize(
    ("block", "path", "message"),
    [
        (
            '[[advisers]]\nid = "a"\nname = "A"\ntitle = "T"\nleaning = "L"\nweights = { securty = 1 }\n',
            "advisers[0].weights.securty",
            "did you mean 'security'",
        ),
        (
            '[[advisers]]\nid = "a"\nname = "A"\ntitle = "T"\nleaning = "L"\n',
            "advisers[0]",
            "missing required key 'weights'",
        ),
        (
            '[[advisers]]\nid = "a"\nname = "A"\ntitle = "T"\nleaning = "L"\nweights = { score = "x" }\n',
            "advisers[0].weights.score",
            "must be a number",
        ),
        ("[advice]\nconsultations = -1\n", "advice.consultations", ""),
        ("[advice]\nconsults = 2\n", "advice.consults", ""),
    ],
)
def test_broken_advisers_are_reported_with_their_key_path(block, path, message):
    text = TUTORIAL_TEXT[: TUTORIAL_TEXT.index("[advice]")] + block
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "t.toml", SCENARIOS)
    problem = next(p for p in info.value.problems if p.path == path)
    assert message in problem.message
    assert problem.line is not None


def test_too_many_advisers():
    one = '[[advisers]]\nid = "a{n}"\nname = "A"\ntitle = "T"\nleaning = "L"\nweights = {{ score = 1 }}\n'
    text = TUTORIAL_TEXT[: TUTORIAL_TEXT.index("[advice]")] + "".join(one.format(n=n) for n in range(5))
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "t.toml", SCENARIOS)
    assert any("too many" in p.message for p in info.value.problems)


def test_advice_options_are_the_available_ones(tutorial):
    state = _decision(Game(tutorial), 1)
    c = consult(state, 0, 8)
    assert [o.option for o in c.options] == list(np.flatnonzero(state.available_options()[0]))
