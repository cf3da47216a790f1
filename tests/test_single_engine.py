"""The single-game engine against the batched engine, bit for bit: results, traces and the state at every
decision, on every bundled scenario, the engine fixtures (format 2's memory, lasting effects and expiry among
them) and generated scenarios (``tests/scenario_gen.py``)."""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from game.engine import BatchView, Cause, Columns, Game
from game.engine.single import SingleState
from game.format.scenario import load_scenario, load_scenario_text
from game.play import GameSession, advise
from game.policies import get_policy

from .conftest import BUNDLED
from .scenario_gen import scenarios

DATA = Path(__file__).resolve().parent / "data"
FIXTURES = [
    *BUNDLED,
    *sorted((DATA / "engine").glob("*.toml")),
    DATA / "golden" / "ledger.toml",
    DATA / "ux" / "harbour.toml",
]
POLICIES = ("random", "greedy", "first", "balanced")


def _bits(a: np.ndarray) -> np.ndarray:
    return (np.asarray(a, dtype=np.float64) + 0.0).view(np.int64)  # -0.0 and 0.0 alike, NaN caught


def _same_floats(a, b) -> bool:
    return np.shape(a) == np.shape(b) and np.array_equal(_bits(a), _bits(b))


def _choice(batch, policy) -> int:
    view = BatchView(batch)
    try:
        return int(np.asarray(policy(view)).reshape(-1)[0])
    finally:
        view.release()


def _check_batch_copy(single: SingleState, batch, where: str) -> None:
    """``to_batch()`` holds what the batched engine holds at this decision: every column and the draws."""
    copy = single.to_batch()
    for f in attrs.fields(Columns):
        a, b = getattr(copy.col, f.name), getattr(batch.col, f.name)
        assert a.dtype == b.dtype and np.array_equal(a, b), f"{where}: column {f.name}: {a} != {b}"
    d, e = copy.draws, batch.draws
    assert [k for k, now in d.due_now if now[0]] == [k for k, now in e.due_now if now[0]], where
    assert np.array_equal(d.ids, e.ids) and np.array_equal(d.cum, e.cum) and np.array_equal(d.weights, e.weights)
    assert sum(int(w[0]) for _p, w in d.excluded) == sum(int(w[0]) for _p, w in e.excluded), where
    assert (copy.turn, copy.slot, copy.over) == (batch.turn, batch.slot, batch.over), where
    assert np.array_equal(copy.event_hits, batch.event_hits) and np.array_equal(copy.option_hits, batch.option_hits)


def play_both(game: Game, seed: int, index: int, policy_name: str, check_copies: bool = True) -> SingleState:
    """Play one game in both engines with the same choices, comparing at every decision and at the end."""
    policy = get_policy(policy_name)
    single = SingleState(game, seed, index)
    batch = game.new_games(seed, index, 1, trace=True)
    n = 0
    while not batch.over:
        where = f"{game.scenario.id} seed {seed} game {index} {policy_name}, decision {n} (turn {batch.turn})"
        assert not single.over, where
        assert single.pending_events()[0] == batch.pending_events()[0], where
        assert np.array_equal(single.available_options(), batch.available_options()), where
        assert np.array_equal(single.visible_options(), batch.visible_options()), where
        assert _same_floats(single.values(), batch.values()), where
        assert _same_floats(single.memory(), batch.memory()), where
        assert _same_floats(single.score_components(), batch.score_components()), where
        assert (single.turn, single.slot) == (batch.turn, batch.slot), where
        if check_copies:
            _check_batch_copy(single, batch, where)
        k = _choice(batch, policy)
        single.apply([k])
        batch.apply([k])
        n += 1
    where = f"{game.scenario.id} seed {seed} game {index} {policy_name}"
    assert single.over, where
    for name in ("endings", "end_turns", "scores", "values", "memory", "score_values", "score_components"):
        assert _same_floats(getattr(single, name)(), getattr(batch, name)()), f"{where}: {name}"
    assert len(single.log) == len(batch.log), where
    for a, b in zip(single.log, batch.log):
        assert (a.turn, a.slot, a.kind, a.names) == (b.turn, b.slot, b.kind, b.names), f"{where}: {a.kind} {b.kind}"
        assert a.idx.dtype == b.idx.dtype and np.array_equal(a.idx, b.idx), f"{where}: {a.kind} turn {a.turn}"
        assert _same_floats(a.delta, b.delta), f"{where}: {a.kind} turn {a.turn} delta"
    for mine, theirs in ((single.history, batch.history), (single.score_history, batch.score_history)):
        assert len(mine) == len(theirs) and all(_same_floats(a, b) for a, b in zip(mine, theirs)), where
    assert [(t, s, int(k[0])) for t, s, k in single.choices_made] == [
        (t, s, int(k[0])) for t, s, k in batch.choices_made
    ]
    return single


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
@pytest.mark.parametrize("policy", POLICIES)
def test_single_engine_matches_the_batched_engine(path, policy):
    game = Game(load_scenario(path))
    long = game.scenario.turns * game.scenario.decisions > 24
    for index in range(3 if long else 8):
        play_both(game, seed=11, index=index, policy_name=policy, check_copies=index < 2)


def test_format2_fixture_exercises_memory_lasting_effects_and_expiry():
    game = Game(load_scenario(DATA / "engine" / "probe_v2.toml"))
    kinds = set()
    for index in range(6):
        kinds |= {e.kind for e in play_both(game, 3, index, "random").log}
    assert {Cause.LASTING, Cause.EXPIRY, Cause.NEWS, Cause.RULE, Cause.BRANCH} <= kinds
    assert game.compiled.R > 0  # remembers events and options (memory functions)


@pytest.mark.parametrize("policy", ["random", "greedy", "balanced", "prefer:pro_us"])
def test_single_policies_play_as_the_batched_ones(policy):
    """``run`` with a policy's single-game twin chooses as the batched policy does (greedy's look-ahead too)."""
    game = Game(load_scenario(BUNDLED[0]))
    for index in range(3):
        single = SingleState(game, 5, index)
        single.run(get_policy(policy))
        batch = game.new_games(5, index, 1, trace=True)
        batch.run(get_policy(policy))
        assert [k[0] for *_, k in single.choices_made] == [k[0] for *_, k in batch.choices_made]
        assert _same_floats(single.values(), batch.values()) and single.scores()[0] == batch.scores()[0]


def test_the_batched_copy_plays_on_as_the_batched_engine():
    """From ``to_batch()`` at any decision, the batched engine finishes the game exactly as it would have."""
    game = Game(load_scenario(DATA / "engine" / "probe_v2.toml"))
    policy = get_policy("random")
    whole = game.new_games(2, 4, 1)
    whole.run(policy)
    single = SingleState(game, 2, 4)
    while not single.over:
        copy = single.to_batch()
        copy.run(policy)
        assert _same_floats(copy.values(), whole.values()) and copy.scores()[0] == whole.scores()[0]
        assert copy.endings()[0] == whole.endings()[0] and copy.end_turns()[0] == whole.end_turns()[0]
        single.step(policy)
    assert _same_floats(single.values(), whole.values())


def test_session_plays_on_the_single_engine_and_advice_leaves_it_alone(tutorial):
    session = GameSession(tutorial, seed=4)
    assert isinstance(session.state, SingleState)
    session.choose(next(v.index for v in session.options() if v.available))

    def picture():
        copy = session.state.to_batch()
        return copy.col.copy(), copy.draws.cum.copy(), len(session.state.log), len(session.state.history)

    before = picture()
    first = advise(session.state, 0, rollouts=40, salt=1)
    after = picture()
    assert all(np.array_equal(getattr(before[0], f.name), getattr(after[0], f.name)) for f in attrs.fields(Columns))
    assert np.array_equal(before[1], after[1]) and before[2:] == after[2:]
    batch = Game(tutorial).new_games(4, 0, 1, trace=True)  # the same game on the batched engine
    batch.apply([session.choices[0]])
    assert advise(batch, 0, rollouts=40, salt=1) == first


def test_unavailable_choices_are_refused_and_change_nothing(tutorial):
    single = SingleState(Game(tutorial), 1, 0)
    log, values = len(single.log), single.values()
    for bad in (-1, 99):
        with pytest.raises(ValueError, match="not available"):
            single.apply([bad])
    with pytest.raises(ValueError, match="expected 1 choices"):
        single.apply([0, 0])
    assert len(single.log) == log and np.array_equal(single.values(), values)


FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(text=scenarios())
def test_generated_scenarios_agree_in_both_engines_with_traces(text):
    game = Game(load_scenario_text(text, "fuzz.toml"))
    for policy in ("random", "greedy", "prefer:pro_a"):
        for index in range(3):
            play_both(game, seed=7, index=index, policy_name=policy, check_copies=index == 0)
