"""Action spaces whose ``sample()`` draws among the options available right now.

``Discrete(K)`` describes every option index, but most decisions offer fewer options, some of which may be
unaffordable; stepping with an unavailable one is an error. So that the classic
``env.step(env.action_space.sample())`` loop (and Gymnasium's ``check_env``) works, these spaces, when
linked to an environment, sample under its current action mask unless a mask is given. Everything else
(``contains``, ``n``, batching, seeding) is that of the Gymnasium space. The link is weak and is dropped when
a space is pickled (the copy is then a plain space that samples over all options).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import numpy as np
from gymnasium import spaces

__all__ = ["OptionSpace", "OptionsSpace"]


def _link(owner) -> Callable[[], np.ndarray | None]:
    ref = weakref.ref(owner)

    def current_mask() -> np.ndarray | None:
        env = ref()
        return None if env is None else env.action_masks()

    return current_mask


class OptionSpace(spaces.Discrete):
    """``Discrete(K)``: an option index of the pending decision of one game."""

    def __init__(self, n: int, owner=None, seed: int | None = None):
        super().__init__(n, seed=seed)
        self._mask_of = _link(owner) if owner is not None else None

    def sample(self, mask: np.ndarray | None = None, probability: np.ndarray | None = None) -> np.int64:
        if mask is None and probability is None and self._mask_of is not None:
            current = self._mask_of()
            if current is not None and current.any():
                mask = current.astype(np.int8)
        return super().sample(mask=mask, probability=probability)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_mask_of"] = None
        return state


class OptionsSpace(spaces.MultiDiscrete):
    """``MultiDiscrete([K] * N)``: one option index per game of a vector environment."""

    def __init__(self, n: int, num_envs: int, owner=None, seed: int | None = None):
        super().__init__(np.full(num_envs, n, dtype=np.int64), seed=seed)
        self._mask_of = _link(owner) if owner is not None else None

    def sample(self, mask=None, probability=None) -> np.ndarray:
        if mask is None and probability is None and self._mask_of is not None:
            current = self._mask_of()
            if current is not None:
                return sample_masked(self.np_random, current)
        return super().sample(mask=mask, probability=probability)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_mask_of"] = None
        return state


def sample_masked(rng: np.random.Generator, mask: np.ndarray) -> np.ndarray:
    """One option per row of an (N, K) mask, uniform among the allowed ones (0 where none is allowed)."""
    count = mask.sum(axis=1)
    j = np.floor(rng.random(mask.shape[0]) * count).astype(np.int64)
    return np.argmax(np.cumsum(mask, axis=1) > j[:, None], axis=1).astype(np.int64)
