"""Format 2: each feature's loader checks, its rules in both engines, and the probe scenario that uses them
all, where the batched and reference engines must agree to the bit over thousands of games."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.engine import Game
from game.errors import ScenarioError
from game.format import load_scenario, load_scenario_text
from game.policies import get_policy
from game.reference import ReferenceGame

PROBE = Path(__file__).parent / "data" / "engine" / "probe_v2.toml"

MINI = '''\
format = {fmt}

[scenario]
id = "mini"
title = "Mini"
summary = "A tiny scenario."
role = "Tester"
start = "2030-01"
turns = 6

[meters.ties]
label = "Ties"
start = 50
drift = 2

[[events]]
id = "offer"
title = "Offer"
text = "{text}"

  [[events.options]]
  id = "yes"
  label = "Yes."
  effects = {{ ties = 5 }}

  [[events.options]]
  id = "no"
  label = "No."
{option_extra}

[[endings]]
id = "end"
title = "End"
epilogue = "Done."

[[score]]
id = "ties"
label = "Ties"
value = "{value}"
{score_extra}
'''


def mini(fmt: int = 2, *, text: str = "An offer.", option_extra: str = "", value: str = "ties",
         score_extra: str = "") -> str:
    return MINI.format(fmt=fmt, text=text, option_extra=option_extra, value=value, score_extra=score_extra)


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "mini.toml")
    return [f"{p.line}: {p.path}: {p.message}" for p in info.value.problems]


def agree(scenario, policy_name: str, seed: int, n: int) -> list[int]:
    """Games (indices) where the two engines differ."""
    policy = get_policy(policy_name)
    state = Game(scenario).new_games(seed=seed, count=n)
    state.run(policy)
    values, endings, turns, scores = state.values(), state.endings(), state.end_turns(), state.scores()
    bad = []
    for i in range(n):
        ref = ReferenceGame(scenario, seed, i)
        ref.play(policy.single)
        if (ref.ending != endings[i] or ref.end_turn != turns[i] or ref.final_score != scores[i]
                or not np.array_equal(np.array(ref.x), values[:, i])):
            bad.append(i)
    return bad


# ------------------------------------------------------------------------------------------ format gate
def test_format_1_and_2_both_load_and_format_3_does_not():
    assert load_scenario_text(mini(1), "mini.toml").format == 1
    assert load_scenario_text(mini(2), "mini.toml").format == 2
    (message,) = problems(mini(3))
    assert "format 3 is not supported" in message


def test_a_format_2_key_in_a_format_1_file_says_how_to_enable_it():
    (message,) = problems(mini(1, score_extra='over = "term"'))
    assert message.startswith("40: score[0].over:")
    assert "write 'format = 2'" in message


# ------------------------------------------------------------------------------------- score over the term
def test_over_must_be_final_or_term_with_a_suggestion():
    (message,) = problems(mini(score_extra='over = "terms"'))
    assert "score[0].over" in message and "did you mean 'term'" in message


def test_a_term_component_counts_the_mean_after_each_turn_played():
    scenario = load_scenario_text(mini(score_extra='over = "term"'), "mini.toml")
    state = Game(scenario).new_games(seed=1, count=3, trace=True)
    state.run(get_policy("first"))
    ties = [float(x[0, 0]) for x in state.history[1:]]  # ties after each turn
    assert len(ties) == 6
    assert ties != [ties[-1]] * 6  # the value moves, so mean and final differ
    assert state.scores()[0] == pytest.approx(sum(ties) / 6)
    assert state.scores()[0] != pytest.approx(ties[-1])
    final = load_scenario_text(mini(), "mini.toml")
    other = Game(final).new_games(seed=1, count=3)
    other.run(get_policy("first"))
    assert other.scores()[0] == pytest.approx(ties[-1])


def test_a_term_score_counts_only_the_turns_played_when_the_game_ends_early():
    text = mini(score_extra='over = "term"').replace(
        '[[endings]]\nid = "end"', '[[endings]]\nid = "early"\ntitle = "Early"\nearly = true\nwhen = "turn == 3"\n'
        'epilogue = "Early."\n\n[[endings]]\nid = "end"')
    scenario = load_scenario_text(text, "mini.toml")
    state = Game(scenario).new_games(seed=1, count=1, trace=True)
    state.run(get_policy("first"))
    assert state.end_turns()[0] == 3
    ties = [float(x[0, 0]) for x in state.history[1:4]]
    assert state.scores()[0] == pytest.approx(sum(ties) / 3)


def test_the_session_shows_what_each_component_counts_and_its_change():
    from game.play import GameSession

    scenario = load_scenario_text(mini(score_extra='over = "term"'), "mini.toml")
    session = GameSession(scenario, seed=1)
    (line,) = session.score_lines()
    assert line.counts == 0.0  # nothing played yet
    session.choose(0)  # turn 1: +5, then the turn ends (drift +2 came first)
    session.choose(0)
    (line,) = session.score_lines()
    history = [float(x[0, 0]) for x in session.state.history[1:]]
    assert line.counts == pytest.approx(sum(history) / len(history))
    assert line.change == pytest.approx(line.counts - history[0])
    assert line.value == session.value("ties")


@pytest.mark.parametrize("policy", ["random", "greedy", "balanced", "prefer:pro_a"])
def test_the_probe_scenario_agrees_in_both_engines(policy):
    scenario = load_scenario(PROBE)
    assert agree(scenario, policy, 21, 600) == []
