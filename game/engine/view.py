"""What a policy sees of a batched state: the live games at the current decision, read-only.

A policy is a function ``BatchView -> (B,) option indices``; everything it may use is a public attribute or
method here, so policies never reach into the compiled tables or the state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from .lookahead import expected_scores
from .rng import Stream, uniform

if TYPE_CHECKING:
    from .state import State

__all__ = ["BatchView", "Policy"]


class BatchView:
    """The live games at the current decision. Arrays are read-only while the policy runs.

    ``X`` (V, B) values; ``pending`` (B,) event awaiting a choice (-1 for none); ``available`` (B, K)
    which of its options can be chosen; ``tags`` the sorted option tags, ``sides`` those that name the
    scenario's sides; ``tag_counts`` (tags, B) how often each game chose an option with each tag.
    """

    def __init__(self, state: State):
        self._state = state
        compiled = state.compiled
        col = state.col
        self.X = col.X
        self.pending = col.pending
        self.available = col.avail
        self.turn = state.turn
        self.slot = state.slot
        self.games = col.games
        self.columns = col.position  # each live game's position in the batch it started in
        self.scenario = state.scenario
        self.event_count = compiled.E  # events in the scenario; ``pending`` indexes them
        self.tags: list[str] = compiled.tags
        self.sides: tuple[str, ...] = state.scenario.sides  # the tags that name the sides (scenario ``sides``)
        self.tag_counts = col.tag_counts
        self._tag_matrix = compiled.tag_matrix  # (options + 1, tags); the last row, "no option", has none
        self._compiled = compiled
        self._option_ids: np.ndarray | None = None  # computed when a policy first asks
        for arr in (self.X, self.pending, self.available):
            arr.flags.writeable = False

    @property
    def option_ids(self) -> np.ndarray:
        """(B, K) the scenario-wide index of each choice of the pending event (options numbered in file
        order across events), the number of options past its last option or where nothing is pending."""
        if self._option_ids is None:
            self._option_ids = self._compiled.option_ids(self.pending)
        return self._option_ids

    def option_tags(self) -> np.ndarray:
        """(B, K, tags) 1 where choice k of game b carries the tag, 0 otherwise (and past the last option)."""
        return self._tag_matrix[self.option_ids]

    def has_tag(self, tag: str) -> np.ndarray:
        """(B, K) which choices carry ``tag`` (none if no option of the scenario has it)."""
        if tag not in self.tags:
            return np.zeros(self.available.shape, dtype=bool)
        return self._tag_matrix[self.option_ids, self.tags.index(tag)] > 0

    def uniform(self, stream: int = Stream.POLICY) -> np.ndarray:
        """Uniform draws in [0, 1) for this decision, one per game."""
        return uniform(self._state.col.keys, self.turn, stream, self.slot)

    def expected_scores(self) -> np.ndarray:
        """(B, K) score of the expected state after each option (-inf where unavailable)."""
        return expected_scores(self._state)

    def believed_futures(self, cols, options, rollouts: int, policy: Policy, horizon: int | None = None, salt: int = 0):
        """Monte Carlo rollouts of options from what the player knows (``game.engine.rollouts``); ``cols`` are
        rows of this view's arrays."""
        from .rollouts import believed_futures

        return believed_futures(self._state, cols, options, rollouts, policy, horizon, salt)

    def believed_choices(self, cols, rollouts: int, policy: Policy, salt: int = 0) -> np.ndarray:
        """What ``policy`` would choose now in each of the rollouts' beliefs (``game.engine.rollouts``)."""
        from .rollouts import believed_choices

        return believed_choices(self._state, cols, rollouts, policy, salt)

    def release(self) -> None:
        for arr in (self.X, self.pending, self.available):
            arr.flags.writeable = True


Policy = Callable[[BatchView], np.ndarray]
