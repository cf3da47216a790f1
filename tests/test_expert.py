"""The expert policy: sees only what the player sees, is deterministic at any batch size, and plays well."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine import BatchView, Game
from game.engine import rollouts as rollouts_module
from game.engine.rollouts import believed_futures, believed_values, projected_scores
from game.engine.state import estimate_rows
from game.expert import ExpertSpec, expert_choices, parse_expert
from game.policies import PolicyError, get_policy


def _at_decision(game: Game, seed: int, game_index: int, steps: int):
    """A single game after ``steps`` greedy decisions (at a pending decision)."""
    state = game.new_games(seed, game_index, 1)
    greedy = get_policy("greedy")
    for _ in range(steps):
        state.step(greedy)
    assert state.pending_events()[0] >= 0
    return state


def _with_hidden(state, hidden: list[int], values: list[float]):
    other = state.spawn(np.zeros(1, dtype=np.intp), state.col.keys.copy())  # the same game, same future
    for i, v in zip(hidden, values):
        other.col.X[i, 0] = v
    return other


def _futures(state, rollouts=16):
    options = np.flatnonzero(state.available_options()[0])
    cols = np.zeros(options.shape[0], dtype=np.intp)
    return believed_futures(state, cols, options, rollouts, get_policy("greedy"))


def _choice(state):
    view = BatchView(state)
    try:
        return expert_choices(view, 16, get_policy("greedy"), None)
    finally:
        view.release()


def test_advice_ignores_true_hidden_values_the_player_cannot_see(tutorial, monkeypatch):
    game = Game(tutorial)
    hidden = [i for i, v in enumerate(tutorial.variables) if v.hidden]
    assert hidden, "the tutorial has a hidden meter"
    state = _at_decision(game, seed=3, game_index=11, steps=2)
    seen = estimate_rows(tutorial, state.col.X, state.seed, state.col.games, state.turn)
    truth = [float(state.col.X[i, 0]) for i in hidden]
    v = tutorial.variables[hidden[0]]
    # another true value, far away but still inside the range the player is shown
    lo, hi = max(v.min, seen[hidden[0], 0] - v.noise), min(v.max, seen[hidden[0], 0] + v.noise)
    other_value = lo if abs(truth[0] - lo) > abs(truth[0] - hi) else hi
    assert abs(other_value - truth[0]) > v.noise / 2
    changed = _with_hidden(state, hidden[:1], [other_value])

    # the player's estimate is held fixed: what the estimate function returns for the changed game is the
    # estimate of the original one
    real_estimates = rollouts_module.estimate_rows

    def same_estimate(s, X, seed, games, turn):
        X = X.copy()
        for i, t in zip(hidden, truth):
            X[i] = t
        return real_estimates(s, X, seed, games, turn)

    monkeypatch.setattr(rollouts_module, "estimate_rows", same_estimate)
    keys = np.arange(1, 9, dtype=np.uint64)
    assert np.array_equal(
        believed_values(state, np.zeros(8, dtype=np.intp), keys),
        believed_values(changed, np.zeros(8, dtype=np.intp), keys),
    )
    a, b = _futures(state), _futures(changed)
    assert np.array_equal(a.scores, b.scores) and np.array_equal(a.endings, b.endings)
    assert np.array_equal(_choice(state), _choice(changed))

    # the test has teeth: an oracle that copied the true values would see a difference ...
    monkeypatch.setattr(rollouts_module, "believed_values", lambda st, cols, keys: st.col.X[:, cols].copy())
    leak_a, leak_b = _futures(state), _futures(changed)
    assert not np.array_equal(leak_a.scores, leak_b.scores)
    # ... and so does a change of the estimate itself
    monkeypatch.undo()
    moved = _futures(changed)
    assert not np.array_equal(a.scores, moved.scores)


def test_believed_values_stay_in_the_range_the_player_is_shown(tutorial):
    game = Game(tutorial)
    state = _at_decision(game, seed=1, game_index=0, steps=1)
    keys = np.arange(1, 2001, dtype=np.uint64)
    cols = np.zeros(keys.shape[0], dtype=np.intp)
    believed = believed_values(state, cols, keys)
    seen = estimate_rows(tutorial, state.col.X, state.seed, state.col.games, state.turn)
    for i, v in enumerate(tutorial.variables):
        if v.hidden:
            lo, hi = max(v.min, seen[i, 0] - v.noise), min(v.max, seen[i, 0] + v.noise)
            assert believed[i].min() >= lo and believed[i].max() <= hi
            assert believed[i].max() - believed[i].min() > 0.9 * (hi - lo)  # spread over the whole range
        else:
            assert (believed[i] == state.col.X[i, 0]).all()


def test_expert_is_the_same_at_any_batch_size(tutorial):
    game = Game(tutorial)
    policy = get_policy("expert:rollouts=4,horizon=4")
    whole = game.new_games(seed=4, first_game=20, count=12)
    whole.run(policy)
    for first, count in ((20, 1), (21, 5), (26, 6)):
        part = game.new_games(seed=4, first_game=first, count=count)
        part.run(policy)
        at = slice(first - 20, first - 20 + count)
        assert np.array_equal(part.scores(), whole.scores()[at])
        assert np.array_equal(part.endings(), whole.endings()[at])
        assert np.array_equal(part.values(), whole.values()[:, at])


def test_expert_beats_greedy_on_the_tutorial(tutorial):
    game = Game(tutorial)
    results = {}
    for name in ("greedy", "expert"):
        state = game.new_games(seed=8, first_game=0, count=200)
        state.run(get_policy(name))
        results[name] = state.scores()
    diff = results["expert"] - results["greedy"]  # the same games: a paired comparison
    assert diff.mean() > 3 * diff.std() / np.sqrt(diff.shape[0])


@pytest.mark.parametrize(
    ("name", "spec"),
    [
        ("expert", ExpertSpec()),
        ("expert:64", ExpertSpec(rollouts=64)),
        ("expert:rollouts=5,policy=balanced,horizon=end", ExpertSpec(5, "balanced", None)),
        ("expert:horizon=3", ExpertSpec(horizon=3)),
        ("expert:policy=greedy+prefer:pro_north", ExpertSpec(policy="greedy+prefer:pro_north")),
        ("expert:policy=sides + balanced", ExpertSpec(policy="sides+balanced")),
    ],
)
def test_expert_names(name, spec):
    assert parse_expert(name) == spec
    assert get_policy(name).name == name


@pytest.mark.parametrize(
    "name",
    [
        "expert:0",
        "expert:x",
        "expert:policy=expert",
        "expert:policy=greedy+expert:4",
        "expert:policy=nope",
        "expert:policy=greedy+nope",
        "expert:speed=3",
        "expert:horizon=soon",
    ],
)
def test_bad_expert_names(name):
    with pytest.raises(PolicyError):
        get_policy(name)


def test_a_stopped_future_is_scored_as_if_the_state_held_to_the_end(tutorial):
    """projected_scores: each term part counts its current value for every turn not yet played, plus the
    bonus of the ending the state meets now; an ended game keeps its final score."""
    game = Game(tutorial)
    state = game.new_games(seed=2, first_game=0, count=6)
    greedy = get_policy("greedy")
    while state.turn <= 4:
        state.step(greedy)
    projected = projected_scores(state)
    c = state.compiled
    T, done = tutorial.turns, state.turn - 1
    values = state.score_values()
    for b in range(6):
        expected = 0.0
        for k, (_ce, w) in enumerate(c.score):
            r = c.score_term_row[k]
            v = values[k, b]
            if r >= 0:
                v = (state.col.term_acc[r][b] + v * (T - done)) / T
            expected += w * v
        heading = next(
            (
                e
                for e in [e for e in tutorial.endings if e.early] + [e for e in tutorial.endings if not e.early]
                if e.when is None or bool(c.cexpr(e.when).truth(state.col.X[:, b : b + 1], state.env)[0])
            ),
            None,
        )
        expected += heading.bonus if heading is not None else 0.0
        assert projected[b] == pytest.approx(expected, rel=1e-12)
    state.run(greedy)
    assert np.array_equal(projected_scores(state), state.scores())


def test_several_rollout_policies_value_each_option_by_its_best_line(tutorial):
    """Policy switching: with [greedy, first], each option is worth the better of its two means, so the
    expert's gain over its default can only grow, and with the same policy twice nothing changes."""
    state = _at_decision(Game(tutorial), seed=5, game_index=3, steps=2)
    greedy, first = get_policy("greedy"), get_policy("first")
    view = BatchView(state)
    try:
        once = expert_choices(view, 8, greedy, 4)
        twice = expert_choices(view, 8, [greedy, greedy], 4)
        both = expert_choices(view, 8, [greedy, first], 4, margin=0.0)
    finally:
        view.release()
    assert np.array_equal(once, twice)
    options = np.flatnonzero(state.available_options()[0])
    cols = np.zeros(options.shape[0], dtype=np.intp)
    means = np.max(
        [believed_futures(state, cols, options, 8, p, 4).scores.mean(axis=1) for p in (greedy, first)], axis=0
    )
    assert means[list(options).index(both[0])] == pytest.approx(means.max())


def test_the_default_expert_tries_every_side(tutorial):
    assert parse_expert("expert").policy == "greedy+sides"
    game = Game(tutorial)
    state = game.new_games(seed=1, first_game=0, count=3)
    state.run(get_policy("expert:rollouts=2,horizon=2"))
    assert (state.endings() >= 0).all()
