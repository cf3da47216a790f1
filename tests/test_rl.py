"""The Gymnasium environments (game.rl): the API checker, agreement with `manila sim`, returns equal to
scores, seeding, what observations hide, clear errors for unavailable actions, and a long random run."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

gym = pytest.importorskip("gymnasium", reason="game.rl needs the optional extra: pip install -e '.[rl]'")

from gymnasium.utils.env_checker import check_env  # noqa: E402

from game.engine import Game  # noqa: E402
from game.format import load_scenario, load_scenario_text  # noqa: E402
from game.policies import get_policy  # noqa: E402
from game.rl import ManilaEnv, ManilaVectorEnv, UnavailableActionError, env_id, make_env, make_vector_env  # noqa: E402
from game.rl.spaces import sample_masked  # noqa: E402
from game.sim.sim import run_sim  # noqa: E402
from game.sim.tally import block_digest  # noqa: E402

from .conftest import BUNDLED, SCENARIOS, bundled_scenarios  # noqa: E402

IDS = [s.id for s in bundled_scenarios()]


@pytest.fixture(scope="module")
def games():
    return {s.id: Game(s) for s in bundled_scenarios()}


def play_vector(env: ManilaVectorEnv, episodes_each: int, choose, seed: int):
    """Run until games 0 .. episodes_each * N - 1 have ended; per-game results and summed rewards."""
    want = episodes_each * env.num_envs
    _, info = env.reset(seed=seed)
    returns = np.zeros(env.num_envs)
    results = {}
    while len([g for g in results if g < want]) < want:
        _, rewards, terminated, truncated, info = env.step(choose(env, info))
        assert not truncated.any()
        returns += rewards
        for i in np.flatnonzero(terminated):
            results[int(info["game"][i])] = (
                int(info["ending"][i]),
                int(info["end_turn"][i]),
                float(info["score"][i]),
                info["final_values"][i].copy(),
                returns[i],
            )
            returns[i] = 0.0
    return [results[g] for g in range(want)]


def digest(results) -> str:
    endings, end_turns, scores, values, _ = (np.array(x) for x in zip(*results))
    h = hashlib.sha256()
    h.update(block_digest(0, endings, end_turns, scores + 0.0, values.T + 0.0))
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------- registration
def test_every_bundled_scenario_is_registered():
    for scenario_id in IDS:
        spec = gym.spec(env_id(scenario_id))
        assert spec.vector_entry_point is not None
    assert "manila/manila-2019-v0" in gym.registry


@pytest.mark.parametrize("scenario_id", IDS)
def test_check_env_passes(scenario_id):
    env = gym.make(env_id(scenario_id))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the checker's warnings count as failures too
        check_env(env.unwrapped)
    vec = gym.make_vec(env_id(scenario_id), num_envs=3)
    assert isinstance(vec, ManilaVectorEnv) and vec.num_envs == 3


def test_any_scenario_file_makes_either_env():
    path = SCENARIOS / "tutorial.toml"
    assert make_env(path).scenario.id == "tutorial"
    assert make_vector_env(str(path), 5).num_envs == 5
    with pytest.raises(Exception, match="no such file"):
        make_env("missing/nowhere.toml")


# ---------------------------------------------------------------------------------------------- agreement
@pytest.mark.parametrize("scenario_id", IDS)
@pytest.mark.parametrize("policy", ["random", "greedy"])
def test_vector_env_agrees_with_sim_digest(games, scenario_id, policy):
    """Driven by a built-in policy, the vector env plays exactly the games of `manila sim` (same digest),
    and each episode's return is the game's score."""
    game = games[scenario_id]
    env = ManilaVectorEnv(game, 96)
    chosen = get_policy(policy)
    results = play_vector(env, 2, lambda e, info: e.policy_actions(chosen), seed=11)
    sim = run_sim(game.scenario, games=192, seed=11, policy=policy, game=game)
    assert digest(results) == sim.digest
    returns = np.array([r[4] for r in results])
    np.testing.assert_allclose(returns, sim.scores, rtol=0, atol=1e-9)


def test_masks_alone_reproduce_the_first_policy(games):
    """Through the public API only (the action mask), 'first available' plays the sim's `first` games."""
    game = games["manila-2019"]
    env = ManilaVectorEnv(game, 64)
    results = play_vector(env, 1, lambda e, info: np.argmax(info["action_mask"], axis=1), seed=5)
    assert digest(results) == run_sim(game.scenario, games=64, seed=5, policy="first", game=game).digest


def test_single_env_episodes_are_the_sims_games_and_returns_equal_scores(games):
    game = games["tutorial"]
    sim = run_sim(game.scenario, games=12, seed=9, policy="random", game=game, keep_values=True)
    env = ManilaEnv(game)
    policy = get_policy("random")
    for g in range(12):
        _, info = env.reset(seed=9) if g == 0 else env.reset()
        assert info["game"] == g
        total, terminated = 0.0, False
        while not terminated:
            _, reward, terminated, truncated, info = env.step(env.policy_action(policy))
            assert not truncated
            total += reward
        assert info["score"] == sim.scores[g]
        assert total == pytest.approx(sim.scores[g], abs=1e-9)
        assert info["ending"] == sim.endings[g] and info["end_turn"] == sim.end_turns[g]
        np.testing.assert_array_equal(info["final_values"], sim.values[:, g])


def test_single_and_vector_envs_observe_a_game_alike(games):
    """Game 3 seen alone and as env 3 of a batch: the same observations at every decision (the batch adds
    pass steps only)."""
    game = games["tutorial"]
    single = ManilaEnv(game)
    obs, info = single.reset(seed=2, options={"game": 3})
    alone = [obs]
    done = False
    while not done:
        obs, _, done, _, info = single.step(int(np.argmax(info["action_mask"])))
        alone.append(obs)
    vec = ManilaVectorEnv(game, 8)
    obs, info = vec.reset(seed=2)
    batched = [{k: v[3] for k, v in obs.items()}]
    passes = 0
    while True:
        obs, _, terminated, _, info = vec.step(np.argmax(info["action_mask"], axis=1))
        row = {k: v[3] for k, v in obs.items()}
        if row["options"] == 0 and not terminated[3]:
            passes += 1
            continue
        batched.append(row)
        if terminated[3]:
            break
    assert len(alone) == len(batched)
    for a, b in zip(alone, batched):
        for key in a:
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)


# ---------------------------------------------------------------------------------------------- seeding
def test_seeding_follows_gymnasium_rules(games):
    env = ManilaEnv(games["manila-2019"])
    a, info_a = env.reset(seed=123)
    b, info_b = env.reset(seed=123)
    assert info_a["game"] == info_b["game"] == 0
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    _, info = env.reset()
    assert info["game"] == 1 and info["seed"] == 123
    _, info = env.reset(options={"game": 40})
    assert info["game"] == 40
    fresh = ManilaEnv(games["manila-2019"])
    _, info = fresh.reset()
    assert isinstance(info["seed"], int)
    with pytest.raises(ValueError, match="seed"):
        fresh.reset(seed=-1)
    with pytest.raises(ValueError, match="unknown reset options"):
        fresh.reset(options={"gmae": 1})


def test_vector_seeding_maps_envs_to_games(games):
    env = ManilaVectorEnv(games["tutorial"], 4)
    _, info = env.reset(seed=3)
    assert info["game"].tolist() == [0, 1, 2, 3]
    _, info = env.reset(seed=3, options={"first_game": 100})
    assert info["game"].tolist() == [100, 101, 102, 103]
    _, info = env.reset()
    assert info["game"].tolist() == [104, 105, 106, 107]
    with pytest.raises(ValueError, match="reset_mask"):
        env.reset(options={"reset_mask": np.ones(4, dtype=bool)})


# ---------------------------------------------------------------------------------------------- what is seen
def test_observations_hold_estimates_not_hidden_values(games):
    game = games["manila-2019"]
    env = ManilaEnv(game)
    hidden = {v.id for v in game.scenario.variables if v.hidden}
    ids = env.observer.ids
    assert hidden and not hidden & set(ids["meters"] + ids["flags"])
    assert set(ids["estimates"]) == {v.id for v in game.scenario.variables if v.hidden and v.kind.value != "flag"}
    _, info = env.reset(seed=4)
    for _ in range(10):
        obs, _, _, _, info = env.step(int(np.argmax(info["action_mask"])))
        truth = env.state.values()[:, 0]
        for j, var_id in enumerate(ids["estimates"]):
            lo, hi = obs["estimates"][j]
            value = truth[game.scenario.var_index(var_id)]
            assert lo - 1e-4 <= value <= hi + 1e-4 and hi > lo  # a range around the value, not the value
    assert obs["turn"] == env.state.turn
    assert obs["options"] == len(game.scenario.events[obs["event"]].options)


def test_pass_steps_allow_only_action_zero(games):
    env = ManilaVectorEnv(games["tutorial"], 64)
    _, info = env.reset(seed=1)
    for _ in range(12):
        obs, _, _, _, info = env.step(np.argmax(info["action_mask"], axis=1))
        waiting = np.flatnonzero((obs["options"] == 0) & info["action_mask"].any(axis=1))
        if waiting.size:
            break
    i = int(waiting[0])
    assert info["action_mask"][i].tolist() == [True, False, False]
    actions = np.argmax(info["action_mask"], axis=1)
    actions[i] = 1
    with pytest.raises(UnavailableActionError, match=f"env {i}.*no decision at this step"):
        env.step(actions)


# ---------------------------------------------------------------------------------------------- errors
def test_an_unavailable_action_is_a_clear_error_and_changes_nothing(games):
    game = games["manila-2019"]
    env = ManilaEnv(game)
    _, info = env.reset(seed=8)
    for _ in range(200):  # find a decision with an unavailable option
        if not info["action_mask"].all():
            break
        _, _, done, _, info = env.step(int(np.argmax(info["action_mask"])))
        if done:
            env.reset()
    blocked = int(np.flatnonzero(~info["action_mask"])[0])
    before = env.state.values().copy()
    with pytest.raises(UnavailableActionError, match=f"action {blocked} is not available.*available ones are"):
        env.step(blocked)
    with pytest.raises(UnavailableActionError, match="integer"):
        env.step(1.5)
    np.testing.assert_array_equal(env.state.values(), before)
    env.step(int(np.argmax(info["action_mask"])))  # still playable


def test_vector_env_rejects_bad_actions_before_changing_anything(games):
    env = ManilaVectorEnv(games["manila-2019"], 4)
    _, info = env.reset(seed=0)
    actions = np.argmax(info["action_mask"], axis=1)
    actions[2] = 99
    with pytest.raises(UnavailableActionError, match="env 2: action 99 is not available"):
        env.step(actions)
    with pytest.raises(ValueError, match="expected 4 actions"):
        env.step(actions[:3])
    good = np.argmax(info["action_mask"], axis=1)
    obs, rewards, *_ = env.step(good)
    fresh = ManilaVectorEnv(games["manila-2019"], 4)
    fresh.reset(seed=0)
    obs_fresh, rewards_fresh, *_ = fresh.step(good)
    np.testing.assert_array_equal(rewards, rewards_fresh)
    for key in obs:
        np.testing.assert_array_equal(obs[key], obs_fresh[key])


def test_stepping_an_ended_game_asks_for_a_reset(games):
    env = ManilaEnv(games["tutorial"])
    _, info = env.reset(seed=0)
    done = False
    while not done:
        _, _, done, _, info = env.step(int(np.argmax(info["action_mask"])))
    assert not info["action_mask"].any()
    with pytest.raises(gym.error.ResetNeeded):
        env.step(0)


def test_action_space_samples_available_options(games):
    env = ManilaEnv(games["manila-2019"])
    env.action_space.seed(0)
    _, info = env.reset(seed=1)
    for _ in range(30):
        action = env.action_space.sample()
        assert info["action_mask"][action]
        _, _, done, _, info = env.step(action)
        if done:
            break


# ---------------------------------------------------------------------------------------------- long run
@pytest.mark.parametrize(
    ("path", "episodes", "num_envs"),
    [
        (SCENARIOS / "tutorial.toml", 10_000, 1000),
        (SCENARIOS / "manila_2019.toml", 600, 300),
    ],
)
def test_random_masked_agent_runs_many_episodes(path, episodes, num_envs):
    assert path in BUNDLED
    env = make_vector_env(path, num_envs)
    space = env.single_observation_space
    rng = np.random.default_rng(0)
    obs, info = env.reset(seed=2026)
    returns = np.zeros(num_envs)
    finished = 0
    steps = 0
    while finished < episodes:
        mask = info["action_mask"]
        actions = sample_masked(rng, mask)
        obs, rewards, terminated, _, info = env.step(actions)
        steps += 1
        returns += rewards
        if steps % 25 == 0:
            assert all({k: v[i] for k, v in obs.items()} in space for i in range(0, num_envs, 97))
        for i in np.flatnonzero(terminated):
            assert returns[i] == pytest.approx(info["score"][i], abs=1e-9)
            assert obs["options"][i] == 0 and not info["action_mask"][i].any()
            returns[i] = 0.0
        finished += int(terminated.sum())
    assert finished >= episodes


# ---------------------------------------------------------------------------------------------- the docs
def test_docs_example_trains_a_better_policy():
    """docs/rl.md's training example runs as written and beats the random agent."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "rl.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    example = next(b for b in blocks if "REINFORCE" in b)
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, "-c", example], capture_output=True, text=True, timeout=600, env=env, cwd=root
    )
    assert out.returncode == 0, out.stderr
    found = re.search(r"mean score: random ([\d.]+) -> trained ([\d.]+)", out.stdout)
    assert found, out.stdout
    assert float(found.group(2)) > float(found.group(1)) + 10


def test_a_scenario_without_hidden_meters_has_an_empty_estimates_box():
    text = (SCENARIOS / "tutorial.toml").read_text(encoding="utf-8").replace("hidden = true", "hidden = false")
    scenario = load_scenario_text(text, "open.toml", SCENARIOS)
    env = make_env(scenario)
    assert env.observation_space["estimates"].shape == (0, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env, skip_render_check=True)
    flat = gym.wrappers.FlattenObservation(make_env(scenario))
    obs, _ = flat.reset(seed=1)
    assert obs.shape == flat.observation_space.shape


def test_returns_follow_scores_counted_over_the_term():
    """With a component scored over the term (format 2), the running score moves every turn; the rewards
    still sum to the final score and the games stay those of the simulator."""
    game = Game(load_scenario(SCENARIOS / "tutorial.toml"))  # counts its stability over the term
    assert any(c.over.value == "term" for c in game.scenario.score)
    env = ManilaVectorEnv(game, 64)
    chosen = get_policy("random")
    results = play_vector(env, 1, lambda e, info: e.policy_actions(chosen), seed=3)
    sim = run_sim(game.scenario, games=64, seed=3, policy="random", game=game)
    assert digest(results) == sim.digest
    np.testing.assert_allclose([r[4] for r in results], sim.scores, rtol=0, atol=1e-9)
