"""``ManilaEnv``: one game at a time as a Gymnasium environment (the engine with a batch of one).

Each step is one decision: the action is an option index of the pending event. The reward is the change of
the engine's score (``State.scores()``), so an episode's return is the game's final score, ending bonus
included (up to floating-point rounding of the differences; ``info["score"]`` is exact).

Seeding: ``reset(seed=s)`` starts game 0 of seed ``s``; each later ``reset()`` starts the next game of the
same seed (1, 2, ...), so episode ``k`` after ``reset(seed=s)`` is game ``k`` of ``manila sim --seed s``.
``reset(options={"game": i})`` starts game ``i``. A first ``reset()`` without a seed draws one from
Gymnasium's entropy-seeded generator (``info["seed"]`` tells which).
"""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from ..engine import BatchView, Game, Policy, State
from ..format import load_scenario, resolve_scenario
from ..model import Scenario
from .observe import Observer, UnavailableActionError
from .spaces import OptionSpace

__all__ = ["ManilaEnv", "check_game_index", "check_seed", "load_game", "seed_from"]

SEED_LIMIT = 2**64


def load_game(scenario: Scenario | Game | str | Path) -> Game:
    """A compiled game from a scenario, a scenario file or a bundled scenario's id."""
    if isinstance(scenario, Game):
        return scenario
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(resolve_scenario(str(scenario)))
    return Game(scenario)


def check_seed(seed: Any) -> None:
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < SEED_LIMIT
    ):
        raise ValueError(f"seed must be an integer from 0 to 2**64 - 1, got {seed!r}")


def seed_from(env, seed: int | None, current: int | None) -> tuple[int, bool]:
    """The game seed after ``reset(seed=...)`` and whether it is new, by Gymnasium's rules: a given seed
    restarts the sequence of games; none keeps the current seed, or draws one from the environment's
    entropy-seeded generator the first time."""
    if seed is not None:
        return int(seed), True
    if current is None:
        return int(env.np_random.integers(0, 2**63)), True
    return current, False


def check_game_index(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"options['game'] must be a non-negative integer, got {value!r}")
    return int(value)


class ManilaEnv(gym.Env):
    """One game of a scenario. Observations: see ``game.rl.observe``; actions: ``Discrete(K)``."""

    metadata = {"render_modes": []}

    def __init__(self, scenario: Scenario | Game | str | Path = "manila-2019"):
        self.game = load_game(scenario)
        self.scenario = self.game.scenario
        self.observer = Observer(self.game)
        self.observation_space = self.observer.space
        self.action_space = OptionSpace(self.game.compiled.K, owner=self)
        self.game_seed: int | None = None
        self.game_index = -1
        self.state: State | None = None
        self._mask = np.zeros(self.game.compiled.K, dtype=bool)
        self._score = 0.0

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        check_seed(seed)
        super().reset(seed=seed)
        self.game_seed, fresh = seed_from(self, seed, self.game_seed)
        options = dict(options or {})
        if "game" in options:
            self.game_index = check_game_index(options.pop("game"))
        else:
            self.game_index = 0 if fresh else self.game_index + 1
        if options:
            raise ValueError(f"unknown reset options {sorted(options)}; the only one is 'game'")
        self.state = self.game.new_games(self.game_seed, self.game_index, 1)
        self._score = float(self.state.scores()[0])
        obs, info = self._observe()
        info["seed"] = self.game_seed
        return obs, info

    def step(self, action):
        state = self.state
        if state is None:
            raise gym.error.ResetNeeded("call reset() before step()")
        if state.over:
            raise gym.error.ResetNeeded("the game is over; call reset() to start the next one")
        try:
            k = operator.index(action)
        except TypeError:
            raise UnavailableActionError(f"an action is an option index (an integer), got {action!r}") from None
        if not 0 <= k < self._mask.shape[0] or not self._mask[k]:
            raise UnavailableActionError(self.observer.explain_unavailable(state, 0, action, self._mask))
        state.apply(np.array([k]))
        score = float(state.scores()[0])
        reward, self._score = score - self._score, score
        obs, info = self._observe()
        return obs, reward, bool(state.over), False, info

    def action_masks(self) -> np.ndarray:
        """The options that may be chosen now (as sb3-contrib's MaskablePPO asks for them)."""
        return self._mask.copy()

    def policy_action(self, policy: Policy) -> int:
        """The option a batched engine policy (e.g. ``game.policies.get_policy("greedy")``) would choose now."""
        if self.state is None or self.state.over:
            raise gym.error.ResetNeeded("no decision is pending; call reset()")
        view = BatchView(self.state)
        try:
            return int(np.asarray(policy(view)).reshape(-1)[0])
        finally:
            view.release()

    def _observe(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        assert self.state is not None
        obs, mask = self.observer.observe(self.state, np.zeros(1, dtype=np.intp))
        self._mask = mask[0]
        info: dict[str, Any] = {"action_mask": mask[0].copy(), "game": self.game_index}
        if self.state.over:
            ending = int(self.state.endings()[0])
            info.update(
                score=float(self.state.scores()[0]),
                ending=ending,
                end_turn=int(self.state.end_turns()[0]),
                ending_id=self.scenario.endings[ending].id,
                final_values=self.state.values()[:, 0].copy(),
            )
        return {key: value[0] for key, value in obs.items()}, info
