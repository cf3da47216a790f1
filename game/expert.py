"""The ``expert`` policy: Monte Carlo look-ahead that sees only what the player sees.

At each decision, for each available option, the expert plays ``rollouts`` futures of the game from the
player's belief (every hidden meter redrawn from the range the player is shown; see
``game.engine.rollouts``), applies the option, lets a fast policy play on, and picks the option with the
best mean final score. Rollout ``r`` is the same future for every option (common random numbers), and the
choice is a pure function of (seed, game, turn, slot): the same at any batch size.

Names: ``expert`` (the defaults), ``expert:64`` (64 rollouts an option), or key=value settings after the
colon, comma-separated: ``expert:rollouts=32,policy=balanced,horizon=12``. ``policy`` is the policy of the
later choices in rollouts (any policy name except an expert); ``horizon`` stops rollouts after that many
more turns and scores them there (``horizon=end``, the default, plays to the end).
"""

from __future__ import annotations

import numpy as np
from attrs import frozen

from .policies import NamedPolicy, PolicyError, get_policy

__all__ = [
    "DEFAULT_HORIZON",
    "DEFAULT_ROLLOUTS",
    "DEFAULT_ROLLOUT_POLICY",
    "ExpertSpec",
    "expert_policy",
    "parse_expert",
]

DEFAULT_ROLLOUTS = 8
DEFAULT_ROLLOUT_POLICY = "greedy"
DEFAULT_HORIZON: int | None = 6
MAX_ROLLOUTS = 4096


@frozen
class ExpertSpec:
    rollouts: int = DEFAULT_ROLLOUTS
    policy: str = DEFAULT_ROLLOUT_POLICY
    horizon: int | None = DEFAULT_HORIZON

    @property
    def name(self) -> str:
        horizon = "end" if self.horizon is None else str(self.horizon)
        return f"expert:rollouts={self.rollouts},policy={self.policy},horizon={horizon}"


def parse_expert(name: str) -> ExpertSpec:
    """``expert``, ``expert:N`` or ``expert:rollouts=N,policy=P,horizon=H|end``; ``PolicyError`` if bad."""
    head, _, rest = name.partition(":")
    if head != "expert":
        raise PolicyError(f"not an expert policy: '{name}'")
    settings: dict = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = part.partition("=")
        if not eq:
            key, value = "rollouts", part
        key = key.strip()
        value = value.strip()
        if key == "rollouts":
            if not value.isdigit() or not 1 <= int(value) <= MAX_ROLLOUTS:
                raise PolicyError(f"expert: rollouts must be a whole number from 1 to {MAX_ROLLOUTS}, not '{value}'")
            settings["rollouts"] = int(value)
        elif key == "policy":
            if value.startswith("expert"):
                raise PolicyError(
                    "expert: rollouts need a fast policy (greedy, balanced, first, recipe:FILE, ...), not an expert"
                )
            get_policy(value)
            settings["policy"] = value
        elif key == "horizon":
            if value == "end":
                settings["horizon"] = None
            elif value.isdigit():
                settings["horizon"] = int(value)
            else:
                raise PolicyError(f"expert: horizon must be a number of turns or 'end', not '{value}'")
        else:
            raise PolicyError(
                f"expert: unknown setting '{key}' (rollouts, policy, horizon); "
                "e.g. expert:rollouts=16,policy=greedy,horizon=6"
            )
    return ExpertSpec(**settings)


def expert_policy(name: str) -> NamedPolicy:
    spec = parse_expert(name)
    later = get_policy(spec.policy)

    def batched(view) -> np.ndarray:
        return expert_choices(view, spec.rollouts, later, spec.horizon)

    return NamedPolicy(name, batched, None)


def expert_choices(view, rollouts: int, later, horizon: int | None, salt: int = 0) -> np.ndarray:
    """(B,) the option with the best mean rollout score in each game with a pending decision (the first
    such option on a tie); 0 elsewhere."""
    B, K = view.available.shape
    cols, options = np.nonzero(view.available & (view.pending >= 0)[:, None])
    choices = np.zeros(B, dtype=np.int64)
    if not cols.size:
        return choices
    futures = view.believed_futures(cols, options, rollouts, later, horizon, salt)
    total = np.zeros(cols.shape[0])
    for r in range(rollouts):  # a fixed order of summation: the same bits at any batch size
        total += futures.scores[:, r]
    means = np.full((B, K), -np.inf)
    means[cols, options] = total / rollouts
    live = np.unique(cols)
    choices[live] = np.argmax(means[live], axis=1)
    return choices
