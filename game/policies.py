"""Built-in decision policies for headless play, and loading of user policies.

A policy is a function of a read-only ``BatchView`` (the live games at one decision) that returns one
option index per game: ``choices[b]`` in ``0 .. K-1`` and available in ``view.available[b]``. Games with
no pending decision (``view.pending[b] == -1``) may get any value. Randomness must come from
``view.uniform()``, which is a pure function of (seed, game, turn, slot), so a policy never breaks
reproducibility::

    import numpy as np

    def first_available(view):
        return np.argmax(view.available, axis=1)

Load your own with ``manila sim --policy mymodule:first_available`` (the module must be importable, e.g.
a file ``mymodule.py`` in the current directory).

Each built-in policy also has a single-game twin (``Policy.single``) used by the reference engine; the two
agree to the bit, which the tests check.

Built-ins:

- ``random``: uniform among the available options.
- ``first``: always the first available option.
- ``greedy``: the option whose expected outcome has the best score right away.
- ``prefer:TAG``: the first available option tagged TAG (e.g. ``prefer:pro_us``), else random.
- ``balanced``: adaptive; weighs each option's immediate score against how often its side (the scenario's
  ``sides``: declared, or its ``pro_*`` tags) has already been favoured, so it spreads its favours across
  the capitals.
- ``expert``: Monte Carlo look-ahead from what the player knows (``game.expert``); ``expert:64`` or
  ``expert:rollouts=64,policy=balanced,horizon=end`` set its rollouts.
- ``recipe:FILE``: a fixed table "at event E choose option k" saved as JSON (``game.recipe``), e.g. the
  best one ``manila balance --recipe`` found.
"""

from __future__ import annotations

import importlib
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

if TYPE_CHECKING:  # the batched policies import numpy where they run: listing the names needs none
    import numpy as np

__all__ = ["BALANCE_PENALTY", "NamedPolicy", "PolicyError", "get_policy", "policy_names"]

# Score points an option loses for each time its side was favoured more than the least-favoured side.
BALANCE_PENALTY = 2.0


class PolicyError(ValueError):
    """An unknown or unloadable policy name."""


@frozen
class NamedPolicy:
    """A batched policy with its name and (for built-ins) its single-game twin."""

    name: str
    batched: Callable
    single: Callable | None = None

    def __call__(self, view):
        return self.batched(view)


# ---------------------------------------------------------------------------------------------- random
def _random_batched(view) -> np.ndarray:
    import numpy as np

    avail = view.available
    count = avail.sum(axis=1)
    j = np.floor(view.uniform() * count).astype(np.int64)
    return np.argmax(np.cumsum(avail, axis=1) > j[:, None], axis=1)


def _random_single(view) -> int:
    avail = [k for k, ok in enumerate(view.available) if ok]
    return avail[int(math.floor(view.uniform() * len(avail)))]


def _first_batched(view) -> np.ndarray:
    import numpy as np

    return np.argmax(view.available, axis=1)


def _first_single(view) -> int:
    return view.available.index(True)


# ---------------------------------------------------------------------------------------------- greedy
def _greedy_batched(view) -> np.ndarray:
    import numpy as np

    return np.argmax(view.expected_scores(), axis=1)


def _greedy_single(view) -> int:
    scores = view.expected_scores()
    return scores.index(max(scores))


# ---------------------------------------------------------------------------------------------- prefer
def _prefer(tag: str) -> NamedPolicy:
    def batched(view) -> np.ndarray:
        import numpy as np

        tagged = view.available & view.has_tag(tag)
        fallback = _random_batched(view)
        return np.where(tagged.any(axis=1), np.argmax(tagged, axis=1), fallback)

    def single(view) -> int:
        for k, ok in enumerate(view.available):
            if ok and tag in view.options[k].tags:
                return k
        return _random_single(view)

    return NamedPolicy(f"prefer:{tag}", batched, single)


# ---------------------------------------------------------------------------------------------- balanced
def _balanced_batched(view) -> np.ndarray:
    import numpy as np

    sides = [i for i, t in enumerate(view.tags) if t in view.sides]  # rows of tag_counts
    scores = view.expected_scores()
    if not sides:
        return np.argmax(scores, axis=1)
    counts = view.tag_counts[sides].astype(np.float64)  # (S, B)
    least = counts.min(axis=0)
    option_tags = view.option_tags()  # (B, K, tags)
    shape = option_tags.shape[:2]
    most = np.full(shape, -np.inf)
    tagged_any = np.zeros(shape, dtype=bool)
    for s, t in enumerate(sides):
        tagged = option_tags[:, :, t] > 0
        most = np.where(tagged, np.maximum(most, counts[s][:, None]), most)
        tagged_any |= tagged
    load = np.where(tagged_any, most, least[:, None])
    value = scores - BALANCE_PENALTY * (load - least[:, None])
    return np.argmax(value, axis=1)


def _balanced_single(view) -> int:
    game = view.game
    sides = [t for t in game.tags if t in view.sides]
    scores = view.expected_scores()
    if not sides:
        return scores.index(max(scores))
    counts = {t: float(game.tag_counts[t]) for t in sides}
    least = min(counts.values())
    values = []
    for k, option in enumerate(view.options):
        mine = [counts[t] for t in option.tags if t in counts]
        load = max(mine) if mine else least
        values.append(scores[k] - BALANCE_PENALTY * (load - least))
    return values.index(max(values))


BUILTINS: dict[str, NamedPolicy] = {
    "random": NamedPolicy("random", _random_batched, _random_single),
    "first": NamedPolicy("first", _first_batched, _first_single),
    "greedy": NamedPolicy("greedy", _greedy_batched, _greedy_single),
    "balanced": NamedPolicy("balanced", _balanced_batched, _balanced_single),
}


def policy_names() -> list[str]:
    return [*BUILTINS, "expert[:N]", "prefer:TAG", "recipe:FILE", "module:function"]


def get_policy(name: str) -> NamedPolicy:
    """A built-in policy by name, ``prefer:TAG``, or a user policy as ``module:function``."""
    if name in BUILTINS:
        return BUILTINS[name]
    if name == "expert" or name.startswith("expert:"):
        from .expert import expert_policy  # expert plays rollouts with the other policies

        return expert_policy(name)
    if name.startswith("recipe:"):
        from .recipe import load_recipe, recipe_policy

        path = name.split(":", 1)[1]
        if not path:
            raise PolicyError("recipe: needs a file, e.g. recipe:best.json (written by manila balance --recipe)")
        return recipe_policy(load_recipe(path), name)
    if name.startswith("prefer:"):
        tag = name.split(":", 1)[1]
        if not tag:
            raise PolicyError("prefer: needs a tag, e.g. prefer:pro_us")
        return _prefer(tag)
    if ":" in name:
        module_name, _, attr = name.partition(":")
        if str(Path.cwd()) not in sys.path:
            sys.path.insert(0, str(Path.cwd()))
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
            raise PolicyError(f"cannot import policy module '{module_name}': {exc}") from None
        fn = getattr(module, attr, None)
        if not callable(fn):
            raise PolicyError(f"module '{module_name}' has no function '{attr}'")
        return NamedPolicy(name, fn, None)
    raise PolicyError(f"unknown policy '{name}'; choose one of: {', '.join(policy_names())}")
