"""Hostile scenario files (issue 10, cases 3-6): each is refused with a clear message and bounded work.

Times are not asserted here (speed is measured, never asserted); each case is sized so that the unbounded
code it guards against would fail the assertion on the message or take minutes.
"""

from __future__ import annotations

import pytest

from game.errors import ScenarioError, did_you_mean, suggestion_budget
from game.format import load_scenario_text

HEAD = """format = 1
[scenario]
id = "t"
title = "T"
summary = "S"
role = "R"
start = "2000-01"
turns = 12
[meters.m]
label = "M"
start = 0
"""

TAIL = """[[endings]]
id = "end"
title = "End"
epilogue = "."
[[score]]
id = "s"
label = "S"
value = "m"
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "hostile.toml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    "key",
    [
        '"\\"".' + ".".join(["a"] * 3000),  # a quoted first part with an escaped quote
        "'x'." + ".".join(["a"] * 3000),
        '"a.b".' + " . ".join(["a"] * 3000),  # spaces around the dots
    ],
)
def test_deep_dotted_keys_are_refused_before_parsing(key):
    assert _problems(f"{key} = 1\n") == ["hostile.toml:1: key nested too deeply (more than 32 dotted parts)"]


def test_deep_dotted_keys_inside_inline_tables_are_refused():
    text = HEAD + "x = { b = 1, " + ".".join(["a"] * 3000) + " = 1 }\n"
    assert _problems(text) == ["hostile.toml:12: key nested too deeply (more than 32 dotted parts)"]


def test_a_quoted_key_with_dots_inside_is_not_deep():
    """Dots inside a quoted key are not separators; 33 of them are fine."""
    text = HEAD.replace("[meters.m]", '[meters.m]\n"' + "." * 40 + '" = 1')
    assert any("unknown key" in p for p in _problems(text))


def test_many_unknown_keys_are_listed_up_to_a_limit_with_a_count():
    problems = _problems(HEAD + "".join(f"zq{i} = 1\n" for i in range(3000)) + TAIL)
    assert len(problems) == 201
    assert problems[-1] == "hostile.toml: ... and 2,800 more problems (only the first 200 are listed)"


def test_suggestions_are_bounded_per_load():
    with suggestion_budget(2):
        made = [did_you_mean("mx", ["m", "mm"]) for _ in range(5)]
    assert made == [" (did you mean 'm'?)"] * 2 + [""] * 3
    assert did_you_mean("mx", ["m"]) == " (did you mean 'm'?)"  # outside a load: no budget
    assert did_you_mean("m" * 41, ["m" * 40]) == ""  # longer than any id


def test_follow_ups_to_many_events_are_checked_by_lookup():
    """30,000 follow-ups over 1,000 events load (membership was a list scan per follow-up)."""
    events = "".join(
        f'[[events]]\nid = "e{i}"\ntitle = "E"\ntext = "E"\nfollow = ['
        + ", ".join(f'{{ event = "e{(i * 31 + j) % 1000}", after = 1 }}' for j in range(30))
        + "]\n"
        for i in range(1000)
    )
    scenario = load_scenario_text(HEAD + events + TAIL, "many.toml")
    assert sum(len(e.follow) for e in scenario.events) == 30000
