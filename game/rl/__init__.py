"""Gymnasium environments over the engine (the optional extra ``pip install 'manila-game[rl]'``).

Importing this package registers ``manila/<scenario id>-v0`` for every bundled scenario, so that::

    import gymnasium as gym
    import game.rl  # noqa: F401  (registers the environments)

    env = gym.make("manila/manila-2019-v0")                    # one game at a time
    envs = gym.make_vec("manila/manila-2019-v0", num_envs=256)  # 256 games on the batched engine

``make_env`` and ``make_vector_env`` do the same for any scenario file. See docs/rl.md for observations,
actions, rewards and how seeds map to the games of ``manila sim``.
"""

from __future__ import annotations

try:
    import gymnasium
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("game.rl needs gymnasium: pip install 'manila-game[rl]' (or pip install gymnasium)") from exc

from pathlib import Path

from ..engine import Game
from ..format import list_scenarios
from ..model import Scenario
from .env import ManilaEnv
from .observe import PASS_ACTION, Observer, UnavailableActionError
from .vector import ManilaVectorEnv

__all__ = [
    "PASS_ACTION",
    "ManilaEnv",
    "ManilaVectorEnv",
    "Observer",
    "UnavailableActionError",
    "env_id",
    "make_env",
    "make_vector_env",
    "register_bundled",
]

NAMESPACE = "manila"


def env_id(scenario_id: str) -> str:
    """The registered id of a bundled scenario, e.g. ``manila/manila-2019-v0``."""
    return f"{NAMESPACE}/{scenario_id}-v0"


def make_env(scenario: Scenario | Game | str | Path) -> ManilaEnv:
    """A single-game environment for a scenario, a scenario file's path or a bundled scenario's id."""
    return ManilaEnv(scenario)


def make_vector_env(scenario: Scenario | Game | str | Path, num_envs: int) -> ManilaVectorEnv:
    """A vector environment of ``num_envs`` games on the batched engine, for any scenario or scenario file."""
    return ManilaVectorEnv(scenario, num_envs)


def register_bundled() -> list[str]:
    """Register every bundled scenario (once); returns the ids."""
    ids = []
    for info in list_scenarios():
        if not info.bundled:
            continue
        name = env_id(info.id)
        if name not in gymnasium.registry:
            gymnasium.register(
                id=name,
                entry_point="game.rl.env:ManilaEnv",
                vector_entry_point="game.rl.vector:ManilaVectorEnv",
                kwargs={"scenario": str(info.path)},
            )
        ids.append(name)
    return ids


register_bundled()
