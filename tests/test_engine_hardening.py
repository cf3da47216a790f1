"""Engine cases found by the hardening attack (issue 10): results that differed between the engines."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from game.engine import Game
from game.format import load_scenario_text
from game.policies import get_policy
from game.reference import ReferenceGame

HEAD = """
format = 1
[scenario]
id = "t"
title = "T"
summary = "S"
role = "R"
start = "2000-01"
turns = {turns}
"""

TAIL = """
[[endings]]
id = "end"
title = "End"
epilogue = "Done."
[[score]]
id = "s"
label = "S"
value = "budget_before"
"""


def _both(text: str, games: int = 3, policy: str = "first"):
    """Final values of the batched and the reference engine for the same games."""
    scenario = load_scenario_text(text)
    pol = get_policy(policy)
    state = Game(scenario).new_games(seed=3, count=games)
    state.run(pol)
    refs = []
    for i in range(games):
        ref = ReferenceGame(scenario, 3, i)
        ref.play(pol.single)
        refs.append(ref)
    return scenario, state, refs


SET_READS_BEFORE = {
    "option": """
[[events]]
id = "e"
title = "E"
text = "E"
date = 1
[[events.options]]
id = "o"
label = "O"
effects = { budget = -10 }
set = { budget_before = "budget" }
""",
    "rule": """
[[rules]]
id = "r"
label = "R"
effects = { budget = -10 }
set = { budget_before = "budget" }
""",
    "event effects": """
[[events]]
id = "e"
title = "E"
text = "E"
date = 1
effects = { budget = -10 }
set = { budget_before = "budget" }
[[events.options]]
id = "o"
label = "O"
""",
    "option branch": """
[[events]]
id = "e"
title = "E"
text = "E"
date = 1
[[events.options]]
id = "o"
label = "O"
  [[events.options.branches]]
  chance = 1
  text = "B"
  effects = { budget = -10 }
  set = { budget_before = "budget" }
""",
    "news branch": """
[[events]]
id = "e"
title = "E"
text = "E"
date = 1
  [[events.branches]]
  chance = 1
  text = "B"
  effects = { budget = -10 }
  set = { budget_before = "budget" }
""",
}


@pytest.mark.parametrize("where", list(SET_READS_BEFORE))
def test_set_reads_the_value_from_before_the_bundle(where):
    """`set = { a = "b" }` in a bundle that also changes b copies the old b (docs: "Evaluation")."""
    meters = """
[meters.budget]
label = "Budget"
start = 50
[meters.budget_before]
label = "Before"
start = 0
"""
    text = HEAD.format(turns=1) + meters + SET_READS_BEFORE[where] + TAIL
    scenario, state, refs = _both(text)
    i_before = [v.id for v in scenario.variables].index("budget_before")
    i_budget = [v.id for v in scenario.variables].index("budget")
    values = state.values()
    assert values[i_before].tolist() == [50.0] * 3
    assert values[i_budget].tolist() == [40.0] * 3
    for i, ref in enumerate(refs):
        assert ref.x == values[:, i].tolist()


OVERFLOW = """
[meters.m]
label = "M"
min = 0
max = 1
start = 1
drift = 1000000000
[meters.out]
label = "Out"
min = -100
max = 100
start = 0
[meters.q]
label = "Q"
min = 0
max = 1
start = 0
[meters.budget_before]
label = "B"
start = 0
{where}
[[events]]
id = "e"
title = "E"
text = "E"
[[events.options]]
id = "o"
label = "O"
effects = {{ out = "m" }}
"""

BIG = " * ".join(["m"] * 40)
Q = " * ".join(["q"] * 40)

OVERFLOW_PLACES = {
    "rule effect": f"""
[[rules]]
id = "r"
label = "R"
effects = {{ out = "({BIG}) * 0" }}
""",
    "rule when": f"""
[[rules]]
id = "r"
label = "R"
when = "({BIG}) * 0"
effects = {{ out = 1 }}
""",
    "rule set": f"""
[[rules]]
id = "r"
label = "R"
set = {{ out = "({BIG}) * 0 + 7" }}
""",
    "comparison of an overflowing product": f"""
[[rules]]
id = "r"
label = "R"
when = "({BIG}) > 1 or ({BIG}) * 0 != 0"
effects = {{ out = 1 }}
""",
    "second rule sees the first": f"""
[[rules]]
id = "r1"
label = "R1"
effects = {{ q = 1000000000 }}
[[rules]]
id = "r2"
label = "R2"
effects = {{ budget_before = "({Q}) * 0" }}
""",
    "news after news": f"""
[[events]]
id = "n1"
title = "N1"
text = "N1"
date = 2
effects = {{ q = 1000000000 }}
[[events]]
id = "n2"
title = "N2"
text = "N2"
date = 2
effects = {{ budget_before = "({Q}) * 0 + 3" }}
""",
}


@pytest.mark.parametrize("where", list(OVERFLOW_PLACES))
def test_values_outside_bounds_before_clamping_never_give_nan(where):
    """Rules and news see values before clamping; the compiler must not trust the declared bounds there."""
    text = HEAD.format(turns=3) + OVERFLOW.format(where=OVERFLOW_PLACES[where]) + TAIL
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overflow is expected inside; numpy must not warn about it
        _scenario, state, refs = _both(text, games=4, policy="random")
    values = state.values()
    assert np.isfinite(values).all()
    assert np.isfinite(state.scores()).all()
    json.dumps(state.scores().tolist(), allow_nan=False)
    for i, ref in enumerate(refs):
        assert ref.x == values[:, i].tolist(), where
        assert ref.final_score == state.scores()[i]
