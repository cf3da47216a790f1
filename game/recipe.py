"""Recipes: fixed tables "at event E choose option k", played by rote, and the ``recipe:FILE`` policy.

A recipe is what a player could memorise from a walkthrough. At each decision it picks the option its table
names for the event; where the event is not in the table or that option is unavailable, it picks the first
available option. No look-ahead, no state: if a recipe scores as well as the ``expert``, the scenario can be
solved by rote.

Saved recipes are JSON::

    {"scenario": "manila-2019", "choices": {"event_id": "option_id", ...}}

and replay with ``manila sim --policy recipe:FILE``. The search for the best recipe lives in
``game.authoring.recipe_search``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from attrs import frozen

from .model import Scenario
from .policies import NamedPolicy, PolicyError

__all__ = ["Recipe", "load_recipe", "recipe_policy", "table_choices"]


@frozen
class Recipe:
    """A recipe by ids: ``choices`` maps event ids to option ids (events left out take the first option)."""

    scenario: str
    choices: tuple[tuple[str, str], ...]

    @classmethod
    def from_table(cls, scenario: Scenario, table: np.ndarray) -> Recipe:
        """From option indices per event (-1: not in the recipe)."""
        pairs = tuple((e.id, e.options[int(k)].id) for e, k in zip(scenario.events, table) if k >= 0)
        return cls(scenario.id, pairs)

    def table(self, scenario: Scenario) -> np.ndarray:
        """(events + 1,) option index per event, -1 where the recipe says nothing (the last row: no event).

        Raises ``PolicyError`` naming the first id the scenario does not have."""
        if self.scenario != scenario.id:
            raise PolicyError(f"this recipe is for scenario '{self.scenario}', not '{scenario.id}'")
        index = {e.id: i for i, e in enumerate(scenario.events)}
        table = np.full(len(scenario.events) + 1, -1, dtype=np.int64)
        for event_id, option_id in self.choices:
            if event_id not in index:
                raise PolicyError(f"recipe: scenario '{scenario.id}' has no event '{event_id}'")
            options = [o.id for o in scenario.events[index[event_id]].options]
            if option_id not in options:
                raise PolicyError(
                    f"recipe: event '{event_id}' has no option '{option_id}' (it has: {', '.join(options) or 'none'})"
                )
            table[index[event_id]] = options.index(option_id)
        return table

    def to_json(self) -> str:
        return json.dumps({"scenario": self.scenario, "choices": dict(self.choices)}, indent=2) + "\n"


def load_recipe(path: str) -> Recipe:
    """A saved recipe; ``PolicyError`` with the reason if the file is missing or malformed."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"recipe: cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise PolicyError(f"recipe: {path} is not valid JSON: {exc}") from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("scenario"), str)
        or not isinstance(data.get("choices"), dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in data["choices"].items())
    ):
        raise PolicyError(f'recipe: {path} must hold {{"scenario": "id", "choices": {{"event_id": "option_id"}}}}')
    return Recipe(data["scenario"], tuple(data["choices"].items()))


def table_choices(view, tables: np.ndarray) -> np.ndarray:
    """(B,) each game's table choice, or its first available option. ``tables`` is (events + 1,) for all
    games or (B, events + 1) with one table per game."""
    E = view.event_count
    pend = view.pending
    safe = np.where(pend >= 0, pend, E)
    rows = np.arange(pend.shape[0])
    k = tables[safe] if tables.ndim == 1 else tables[rows, safe]
    ok = (k >= 0) & view.available[rows, np.maximum(k, 0)]
    return np.where(ok, k, np.argmax(view.available, axis=1))


def recipe_policy(recipe: Recipe, name: str) -> NamedPolicy:
    """The recipe as a policy, with its single-game twin (they agree to the bit)."""
    tables: dict[int, np.ndarray] = {}

    def table_for(scenario: Scenario) -> np.ndarray:
        key = id(scenario)
        if key not in tables:
            tables[key] = recipe.table(scenario)
        return tables[key]

    def batched(view) -> np.ndarray:
        return table_choices(view, table_for(view.scenario))

    def single(view) -> int:
        k = int(table_for(view.game.s)[view.event])
        if k >= 0 and view.available[k]:
            return k
        return view.available.index(True)

    return NamedPolicy(name, batched, single)
