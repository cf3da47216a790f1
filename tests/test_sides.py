"""Sides: declared in ``[scenario] sides``, or (format-1 files without the key) the ``pro_*`` option tags."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from game.authoring import balance_policies
from game.authoring.lint import lint_policies
from game.engine import Game
from game.errors import ScenarioError
from game.format import load_scenario_text
from game.policies import get_policy
from game.reference import ReferenceGame

# Every turn: lean east (+1 mood), lean west (+2 mood) or stay home (+0). ``west`` is always the greedy
# choice; a policy that balances east against west must alternate.
TWO_CAPITALS = textwrap.dedent("""
    format = 1
    [scenario]
    id = "two-capitals"
    title = "Two capitals"
    summary = "East or west, every month."
    role = "Envoy"
    start = "2030-01"
    turns = 6
    {sides}
    [meters.mood]
    label = "Mood"
    start = 50
    [[events]]
    id = "ask"
    title = "Both ask"
    text = "Both capitals ask for a favour."
    [[events.options]]
    id = "east"
    label = "Lean east."
    tags = ["east"]
    effects = {{ mood = 1 }}
    [[events.options]]
    id = "west"
    label = "Lean west."
    tags = ["west"]
    effects = {{ mood = 2 }}
    [[events.options]]
    id = "home"
    label = "Stay home."
    tags = ["pro_home"]
    [[endings]]
    id = "end"
    title = "The end"
    epilogue = "Mood {{mood}}."
    [[score]]
    id = "mood"
    label = "Mood"
    value = "mood"
""")


def _scenario(sides: str = ""):
    return load_scenario_text(TWO_CAPITALS.format(sides=sides), "two-capitals.toml")


def test_without_a_declaration_the_sides_are_the_pro_tags():
    assert _scenario().sides == ("pro_home",)


def test_declared_sides_are_kept_in_order():
    scenario = _scenario('sides = ["west", "east"]')
    assert scenario.sides == ("west", "east")
    assert balance_policies(scenario) == ["random", "greedy", "balanced", "prefer:west", "prefer:east"]
    assert lint_policies(scenario) == ["random", "prefer:west", "prefer:east"]


def test_a_side_must_be_an_option_tag():
    with pytest.raises(ScenarioError) as exc:
        _scenario('sides = ["eats", "west", "west"]')
    problems = {p.path: (p.message, p.line) for p in exc.value.problems}
    message, line = problems["scenario.sides[0]"]
    assert "no option is tagged 'eats'" in message and "did you mean 'east'" in message
    assert line == 10  # the line of the declaration
    assert "listed twice" in problems["scenario.sides[2]"][0]


def _balanced_choices(scenario) -> list[int]:
    state = Game(scenario).new_games(seed=1, count=1, trace=True)
    state.run(get_policy("balanced"))
    return [int(choice[0]) for _, _, choice in state.choices_made]


@pytest.mark.parametrize(
    "sides, expected",
    [
        ("", [1, 1, 1, 1, 1, 1]),  # the only side (pro_home) is never worth it: greedy all the way
        ('sides = ["east", "west"]', [1, 0, 1, 0, 1, 0]),  # west, then the penalty (2) outweighs +1 more mood
    ],
)
def test_balanced_spreads_its_favours_over_the_declared_sides(sides, expected):
    scenario = _scenario(sides)
    assert _balanced_choices(scenario) == expected
    reference = ReferenceGame(scenario, 1, 0)
    reference.play(get_policy("balanced").single)
    assert [k for _, _, _, k in reference.chosen] == expected
    state = Game(scenario).new_games(seed=1, count=1)
    state.run(get_policy("balanced"))
    assert np.array_equal(state.values()[:, 0], np.array(reference.x))
