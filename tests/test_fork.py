"""Forks and advice: Monte Carlo look-ahead never touches the game it looks at, and is reproducible."""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np
import pytest

from game.engine import Columns, Game
from game.format import load_scenario
from game.play import GameSession, advise
from game.policies import get_policy

DATA = Path(__file__).parent / "data" / "engine"


def _picture(state) -> dict:
    """Everything a fork or the advisor could disturb, copied."""
    return {
        "col": state.col.copy(),
        "results": attrs.evolve(
            state.results, **{f.name: getattr(state.results, f.name).copy() for f in attrs.fields(type(state.results))}
        ),
        "due_now": [(e, now.copy()) for e, now in state.draws.due_now],
        "excluded": [(p.copy(), w.copy()) for p, w in state.draws.excluded],
        "cum": state.draws.cum.copy(),
        "hits": (state.event_hits.copy(), state.option_hits.copy()),
        "scalars": (
            state.turn,
            state.slot,
            state.over,
            state.B0,
            len(state.log),
            len(state.history),
            len(state.choices_made),
            set(state.dirty),
        ),
        "values": state.values(),
        "scores": state.scores(),
        "endings": state.endings(),
        "pending": state.pending_events(),
        "available": state.available_options(),
    }


def _same(a, b) -> bool:
    if isinstance(a, Columns):
        return all(np.array_equal(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(Columns))
    if attrs.has(type(a)):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def _mid_game(tutorial, trace=False, count=6):
    """A batch some decisions into the game, with a few games already over on other seeds' luck."""
    state = Game(tutorial).new_games(seed=3, count=count, trace=trace)
    policy = get_policy("random")
    for _ in range(5):
        state.step(policy)
    assert not state.over
    return state


def test_the_picture_can_tell_states_apart(tutorial):
    state = _mid_game(tutorial)
    before = _picture(state)
    state.step(get_policy("random"))
    assert not _same(before, _picture(state))


def test_fork_leaves_the_state_untouched(tutorial):
    state = _mid_game(tutorial)
    game = int(np.flatnonzero(state.pending_events() >= 0)[0])
    before = _picture(state)
    batch = state.fork(game, 50, salt=1)
    batch.run(get_policy("random"))
    assert _same(before, _picture(state))


def test_a_fork_shares_no_per_game_array(tutorial):
    state = _mid_game(tutorial)
    batch = state.fork(0, 4)
    for f in attrs.fields(Columns):
        assert not np.shares_memory(getattr(batch.col, f.name), getattr(state.col, f.name)), f.name
    for (_, mine), (_, theirs) in zip(batch.draws.due_now, state.draws.due_now):
        assert not np.shares_memory(mine, theirs)


def test_a_fork_starts_from_the_game_present(tutorial):
    state = _mid_game(tutorial)
    batch = state.fork(2, 3)
    assert batch.turn == state.turn and batch.slot == state.slot
    for b in range(3):
        assert np.array_equal(batch.values()[:, b], state.values()[:, 2])
        assert batch.pending_events()[b] == state.pending_events()[2]
        assert np.array_equal(batch.available_options()[b], state.available_options()[2])


def test_forks_are_reproducible_and_salted(tutorial):
    state = _mid_game(tutorial)

    def rollout(salt):
        batch = state.fork(1, 40, salt)
        batch.run(get_policy("random"))
        return batch.scores(), batch.endings()

    first, again, other = rollout(5), rollout(5), rollout(6)
    assert _same(first, again)
    assert not _same(first, other)


def test_fork_refuses_a_game_not_in_play(tutorial):
    state = _mid_game(tutorial)
    with pytest.raises(ValueError, match="not in play"):
        state.fork(99, 2)


def test_compaction_keeps_every_column_array_aligned():
    state = Game(load_scenario(DATA / "coin.toml")).new_games(seed=8, count=400)
    policy = get_policy("random")
    compacted = False
    while not state.over:
        state.step(policy)
        widths = {np.shape(getattr(state.col, f.name))[f.metadata["game_axis"]] for f in attrs.fields(Columns)}
        assert len(widths) == 1, widths
        compacted |= widths.pop() < 400
    assert compacted  # the run exercised compaction


def test_advise_leaves_the_session_untouched_and_repeats(tutorial):
    session = GameSession(tutorial, seed=4)
    session.choose(next(v.index for v in session.options() if v.available))

    # the session plays on the single-game engine: picture its batched equivalent, and its trace
    def picture():
        state = session.state
        return _picture(state.to_batch()), len(state.log), len(state.history), len(state.choices_made)

    before = picture()
    first = advise(session.state, 0, rollouts=60, salt=len(session.choices))
    assert _same(before, picture())
    again = advise(session.state, 0, rollouts=60, salt=len(session.choices))
    assert first == again
    assert [a.option for a in first] == [k for k, ok in enumerate(session.state.available_options()[0]) if ok]
    assert all(abs(sum(a.endings) - 1.0) < 1e-9 for a in first)


def test_advice_on_a_session_equals_advice_on_its_replay(tutorial):
    """Forking the live game gives the same advice as forking a private replay of it (what the dialog
    used to do)."""
    session = GameSession(tutorial, seed=4)
    for _ in range(3):
        if session.over:
            break
        session.choose(next(v.index for v in session.options() if v.available))
    copy = GameSession.replay(tutorial, session.seed, session.game_index, list(session.choices))
    assert advise(session.state, 0, 30, salt=3) == advise(copy.state, 0, 30, salt=3)


def test_an_observer_sees_every_moment_of_its_games_and_none_of_their_forks(tutorial):
    from game.engine import Moment

    seen: list[tuple[int, Moment, int]] = []
    game = Game(tutorial)
    state = game.new_games(3, 0, 4, observer=lambda s, m: seen.append((s.turn, m, int(s.col.alive.sum()))))
    assert seen[:2] == [(1, Moment.NEWS, 4), (1, Moment.DECISIONS, 4)]
    before = len(seen)
    fork = state.fork(0, 16)
    assert fork.observer is None
    fork.run(get_policy("random"))
    assert len(seen) == before
    state.run(get_policy("first"))
    moments = [m for _t, m, _n in seen]
    assert moments == [Moment.NEWS, Moment.DECISIONS, Moment.TURN_END] * tutorial.turns
    assert [t for t, _m, _n in seen] == [t for t in range(1, tutorial.turns + 1) for _ in range(3)]
