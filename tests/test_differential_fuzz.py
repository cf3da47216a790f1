"""Differential fuzz: random valid scenarios run in the batched and the reference engine, compared bit for bit.

Scenarios come from ``tests/scenario_gen.py``; hypothesis shrinks a failing one to a minimal file, which the
failure message prints in full (and writes to ``$MANILA_FUZZ_OUT`` when set). In CI a fixed, derandomized
set of examples runs; set ``MANILA_FUZZ_EXAMPLES=5000`` (for instance) for a longer, randomized hunt.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings

from game.engine import Game
from game.format.scenario import load_scenario_text
from game.model import EffectMode, VarKind
from game.policies import get_policy
from game.reference import ReferenceGame

from .scenario_gen import scenarios

LONG = int(os.environ.get("MANILA_FUZZ_EXAMPLES", "0"))
EXAMPLES = LONG or 120
GAMES = 6
POLICIES = ("random", "greedy", "balanced", "prefer:pro_a")

BARE = """format = 1
[scenario]
id = "bare"
title = "Bare"
summary = "S"
role = "R"
start = "2000-01"
turns = 1
[meters.m0]
label = "M"
start = 0
[[events]]
id = "e"
title = "E"
text = "E"
[[endings]]
id = "end"
title = "End"
epilogue = "."
[[score]]
id = "s"
label = "S"
value = 0
"""

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _differences(text: str, seed: int) -> list[str]:
    scenario = load_scenario_text(text, "fuzz.toml")
    game = Game(scenario)
    c = game.compiled
    out = []
    for name in POLICIES:
        policy = get_policy(name)
        state = game.new_games(seed=seed, count=GAMES)
        state.run(policy)
        values, endings, turns, scores = state.values(), state.endings(), state.end_turns(), state.scores()
        hits = np.zeros(c.O + 1, dtype=np.int64)
        for i in range(GAMES):
            ref = ReferenceGame(scenario, seed, i)
            ref.play(policy.single)
            for _turn, _slot, e, k in ref.chosen:
                hits[c.option_offset[e] + k] += 1
            got = (int(endings[i]), int(turns[i]), float(scores[i]), values[:, i].tolist())
            want = (ref.ending, ref.end_turn, ref.final_score, list(ref.x))
            if not np.isfinite(scores[i]) or not np.isfinite(values[:, i]).all():
                out.append(f"{name} game {i}: batched result is not finite: {got}")
            if got != want:
                out.append(f"{name} game {i}: batched (ending, end turn, score, values) {got}\n    reference {want}")
        if not np.array_equal(hits[: c.O], state.option_hits[: c.O]):
            out.append(
                f"{name}: options chosen differ: batched {state.option_hits[: c.O].tolist()}, "
                f"reference {hits[: c.O].tolist()}"
            )
    return out


@FUZZ
@given(text=scenarios())
def test_random_scenarios_agree_in_both_engines(text):
    problems = _differences(text, seed=7)
    if problems:
        target = os.environ.get("MANILA_FUZZ_OUT")
        if target:
            Path(target).write_text(text)
        raise AssertionError("the engines differ on this scenario:\n" + text + "\n" + "\n".join(problems[:6]))


def test_the_generator_writes_valid_scenarios_using_the_whole_format():
    """Every generated file loads, and between them the examples use every construct of the format."""
    seen: set[str] = set()

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(text=scenarios())
    def collect(text):
        s = load_scenario_text(text, "fuzz.toml")
        seen.update(k for k, v in _constructs(s, text).items() if v)

    collect()
    missing = set(_constructs(load_scenario_text(BARE, "bare.toml"), BARE)) - seen
    assert not missing


def _constructs(s, text: str) -> dict[str, bool]:
    options = [o for e in s.events for o in e.options]
    return {
        "hidden meter": any(v.hidden and v.kind is VarKind.METER for v in s.variables),
        "start range": any(v.start[0] < v.start[1] for v in s.variables),
        "drift": any(v.drift is not None for v in s.variables),
        "ladder": any(v.kind is VarKind.FLAG and v.ladder for v in s.variables),
        "faction": any(v.kind is VarKind.FACTION for v in s.variables),
        "support": "support" in text,
        "rule when": any(r.when for r in s.rules),
        "rule set": any(e.mode is EffectMode.SET for r in s.rules for e in r.effects),
        "rule follow": any(r.follow for r in s.rules),
        "news": any(e.is_news for e in s.events),
        "decision": any(e.options for e in s.events),
        "date": any(e.date_turn for e in s.events),
        "window": any(e.from_turn for e in s.events),
        "once": any(e.once for e in s.events),
        "cooldown": any(e.cooldown for e in s.events),
        "weight expression": any(e.weight.constant is None for e in s.events),
        "event effects": any(e.effects for e in s.events),
        "event branches": any(e.branches for e in s.events),
        "event follow": any(e.follow for e in s.events),
        "available": any(o.available for o in options),
        "cost": any(o.cost for o in options),
        "option set": any(e.mode is EffectMode.SET for o in options for e in o.effects),
        "option branches": any(o.branches for o in options),
        "option follow": any(o.follow for o in options),
        "branch follow": any(b.follow for o in options for b in o.branches),
        "tags": any(o.tags for o in options),
        "early ending": any(e.early for e in s.endings),
        "bonus": any(e.bonus for e in s.endings),
        "several decisions": s.decisions > 1,
        "score over the term": 'over = "term"' in text,
        "overflowing product": " * ".join(["m0"] * 12) in text,
        "extreme constant": "1000000000" in text,
    }
