"""``ManilaVectorEnv``: N games stepped together on the batched engine, with Gymnasium's next-step autoreset.

The games that start together (all N at ``reset``, and those restarted on the same step) share one engine
``State``, a *cohort*; each step applies one batched decision to every cohort. Because the games of a
batch move in step with each other, a game that has no decision where others of its cohort decide takes a
*pass* step (see ``game.rl.observe``): its mask allows only action 0, and nothing happens to it. Its
choices, results and score are still exactly those of the same game played alone.

Seeding: ``reset(seed=s)`` gives env ``i`` game ``i`` of seed ``s``; when its game ends, env ``i`` goes on
with game ``i + N``, then ``i + 2N``, ... So after every env has finished ``k`` episodes, games
``0 .. kN - 1`` of ``manila sim --seed s`` have been played, each identical to the simulator's (same
choices give the same bits). ``reset(options={"first_game": g})`` starts env ``i`` at game ``g + i``; a
``reset()`` without a seed continues each env with its next game.

Autoreset follows Gymnasium 1.x's ``AutoresetMode.NEXT_STEP``: the step on which a game ends returns its
final observation with ``terminated`` True and the final results in the info (``score``, ``ending``,
``end_turn``, ``final_values``, each with its ``_key`` mask); on the next step that env's action is ignored
and it starts its next game (reward 0, ``terminated`` False).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from gymnasium.error import ResetNeeded
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from ..engine import BatchView, Game, Policy, State
from ..model import Scenario
from .env import check_game_index, check_seed, load_game, seed_from
from .observe import Observer, UnavailableActionError
from .spaces import OptionSpace, OptionsSpace

__all__ = ["ManilaVectorEnv"]


class _Cohort:
    """Games started on the same step: one engine state; ``column[p]`` is the env that owns position ``p``
    (-1 once that game has ended and its env has been told)."""

    def __init__(self, state: State, columns: np.ndarray):
        self.state = state
        self.column = columns.astype(np.int64)

    def owned(self) -> np.ndarray:
        return np.flatnonzero(self.column >= 0)


class ManilaVectorEnv(VectorEnv):
    """``num_envs`` games of a scenario on the batched engine. Actions: one option index per env."""

    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def __init__(
        self,
        scenario: Scenario | Game | str | Path = "manila-2019",
        num_envs: int = 1,
        autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
    ):
        if isinstance(num_envs, bool) or not isinstance(num_envs, (int, np.integer)) or num_envs < 1:
            raise ValueError(f"num_envs must be a positive integer, got {num_envs!r}")
        if AutoresetMode(autoreset_mode) is not AutoresetMode.NEXT_STEP:
            raise ValueError(f"only AutoresetMode.NEXT_STEP is supported, got {autoreset_mode!r}")
        self.game = load_game(scenario)
        self.scenario = self.game.scenario
        self.num_envs = N = int(num_envs)
        self.observer = Observer(self.game)
        K = self.game.compiled.K
        self.single_observation_space = self.observer.space
        self.single_action_space = OptionSpace(K)
        self.observation_space = batch_space(self.single_observation_space, N)
        self.action_space = OptionsSpace(K, N, owner=self)
        self.game_seed: int | None = None
        self._cohorts: list[_Cohort] = []
        self._owner: list[_Cohort | None] = [None] * N
        self._position = np.zeros(N, dtype=np.int64)
        self._game = np.full(N, -1, dtype=np.int64)  # the game each env plays
        self._next = np.arange(N, dtype=np.int64)  # the game each env plays next
        self._score = np.zeros(N)
        self._mask = np.zeros((N, K), dtype=bool)
        self._over = np.zeros(N, dtype=bool)  # its game has ended: the env restarts on the next step

    # ------------------------------------------------------------------ Gymnasium API
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        check_seed(seed)
        super().reset(seed=seed)
        self.game_seed, fresh = seed_from(self, seed, self.game_seed)
        options = dict(options or {})
        if "reset_mask" in options:
            raise ValueError(
                "partial resets (options['reset_mask']) are not supported: the games of a batch "
                "move together; reset all envs, or let finished games restart by themselves"
            )
        if "first_game" in options:
            first = check_game_index(options.pop("first_game"))
            self._next = first + np.arange(self.num_envs, dtype=np.int64)
        elif fresh:
            self._next = np.arange(self.num_envs, dtype=np.int64)
        if options:
            raise ValueError(f"unknown reset options {sorted(options)}; the only one is 'first_game'")
        self._cohorts = []
        self._start(np.arange(self.num_envs))
        obs, info = self._observe(np.zeros(self.num_envs, dtype=bool))
        info["seed"] = self.game_seed
        return obs, info

    def step(self, actions):
        if not self._cohorts and not self._over.any():
            raise ResetNeeded("call reset() before step()")
        N = self.num_envs
        actions = np.asarray(actions)
        if actions.shape != (N,):
            raise ValueError(f"expected {N} actions (one per env), got an array of shape {actions.shape}")
        if not np.issubdtype(actions.dtype, np.integer):
            raise UnavailableActionError(f"actions are option indices (integers), got dtype {actions.dtype}")
        k = actions.astype(np.int64)
        self._check(k)
        for cohort in self._cohorts:
            if cohort.state.over:
                continue
            choices = np.zeros(cohort.state.count, dtype=np.int64)
            owned = cohort.owned()
            choices[owned] = k[cohort.column[owned]]
            cohort.state.apply(choices)
        rewards = np.zeros(N)
        terminated = np.zeros(N, dtype=bool)
        for cohort in self._cohorts:
            owned = cohort.owned()
            cols = cohort.column[owned]
            scores = cohort.state.scores()[owned]
            rewards[cols] = scores - self._score[cols]
            self._score[cols] = scores
            terminated[cols] = cohort.state.endings()[owned] >= 0
        restart = np.flatnonzero(self._over)
        if restart.size:
            self._start(restart)
        obs, info = self._observe(terminated)
        return obs, rewards, terminated, np.zeros(N, dtype=bool), info

    def action_masks(self) -> np.ndarray:
        """(N, K) the options each env may choose now (all False for an env that restarts next step)."""
        return self._mask.copy()

    def policy_actions(self, policy: Policy) -> np.ndarray:
        """(N,) the options a batched engine policy (``game.policies.get_policy(...)``) chooses now.

        Driving the envs with these actions plays exactly the games ``manila sim --policy NAME`` plays.
        """
        out = np.zeros(self.num_envs, dtype=np.int64)
        for cohort in self._cohorts:
            state = cohort.state
            if state.over:
                continue
            view = BatchView(state)
            try:
                live = np.asarray(policy(view), dtype=np.int64).reshape(-1)
            finally:
                view.release()
            chosen = np.zeros(state.count, dtype=np.int64)
            chosen[view.columns] = live
            chosen[state.pending_events() < 0] = 0
            owned = cohort.owned()
            out[cohort.column[owned]] = chosen[owned]
        out[self._over] = 0
        return out

    def close_extras(self, **kwargs) -> None:
        self._cohorts = []
        self._owner = [None] * self.num_envs

    # ------------------------------------------------------------------ internals
    def _start(self, cols: np.ndarray) -> None:
        """Start the next game of each env in ``cols`` in one new cohort."""
        assert self.game_seed is not None
        games = self._next[cols].copy()
        self._next[cols] += self.num_envs
        state = State(self.game, self.game_seed, games, False)
        cohort = _Cohort(state, cols)
        self._cohorts.append(cohort)
        for col in cols.tolist():
            self._owner[col] = cohort
        self._position[cols] = np.arange(cols.shape[0])
        self._game[cols] = games
        self._score[cols] = state.scores()
        self._over[cols] = False

    def _check(self, k: np.ndarray) -> None:
        """Every env that plays must choose an action its mask allows; nothing changes otherwise."""
        K = self._mask.shape[1]
        inside = (k >= 0) & (k < K)
        ok = np.zeros(k.shape, dtype=bool)
        ok[inside] = self._mask[np.flatnonzero(inside), k[inside]]
        bad = np.flatnonzero(~self._over & ~ok)
        if bad.size:
            i = int(bad[0])
            cohort = self._owner[i]
            assert cohort is not None
            why = self.observer.explain_unavailable(cohort.state, int(self._position[i]), int(k[i]), self._mask[i])
            more = f" (and {bad.size - 1} other envs)" if bad.size > 1 else ""
            raise UnavailableActionError(f"env {i}{more}: {why}")

    def _observe(self, terminated: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """The observations of every env; envs whose game ended are released from their cohorts."""
        N = self.num_envs
        space = self.observer.space
        obs = {key: np.zeros((N, *(sub.shape or ())), dtype=sub.dtype) for key, sub in space.spaces.items()}
        V = len(self.scenario.variables)
        ended = np.zeros(N, dtype=bool)
        score = np.zeros(N)
        ending = np.full(N, -1, dtype=np.int64)
        end_turn = np.zeros(N, dtype=np.int64)
        final_values = np.zeros((N, V))
        for cohort in self._cohorts:
            owned = cohort.owned()
            cols = cohort.column[owned]
            part, mask = self.observer.observe(cohort.state, owned)
            for key, value in part.items():
                obs[key][cols] = value
            self._mask[cols] = mask
            endings = cohort.state.endings()[owned]
            done = endings >= 0
            if done.any():
                at, where = cols[done], owned[done]
                ended[at] = True
                score[at] = cohort.state.scores()[where]
                ending[at] = endings[done]
                end_turn[at] = cohort.state.end_turns()[where]
                final_values[at] = cohort.state.values()[:, where].T
                cohort.column[where] = -1
        self._over = ended
        self._cohorts = [c for c in self._cohorts if c.owned().size]
        every = np.ones(N, dtype=bool)
        info: dict[str, Any] = {
            "action_mask": self._mask.copy(),
            "_action_mask": every,
            "game": self._game.copy(),
            "_game": every.copy(),
        }
        if terminated.any():
            for key, value in (
                ("score", score),
                ("ending", ending),
                ("end_turn", end_turn),
                ("final_values", final_values),
            ):
                info[key] = value
                info[f"_{key}"] = terminated.copy()
        return obs, info
