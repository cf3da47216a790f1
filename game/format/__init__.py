"""The scenario format: TOML files -> ``Scenario`` values, at the edge.

``keys`` is the vocabulary (version, allowed keys, size limits); ``toml_reader`` reads typed tables and
remembers where each key was written (``lines``); ``scenario_reader`` reads the values only scenarios have,
and ``variable_reader``, ``event_reader`` and ``section_reader`` read the parts of a scenario; ``scenario``
checks the whole and reports every problem with file, line and key path;
``catalog`` finds the bundled scenarios and resolves a path or id. Nothing here runs the game.
"""

from .catalog import BUNDLED_DIR, DEFAULT_ID, ScenarioInfo, list_scenarios, resolve_scenario
from .scenario import FORMAT_VERSION, LIMITS, load_scenario, load_scenario_bytes, load_scenario_text

__all__ = [
    "BUNDLED_DIR",
    "DEFAULT_ID",
    "FORMAT_VERSION",
    "LIMITS",
    "ScenarioInfo",
    "list_scenarios",
    "load_scenario",
    "load_scenario_bytes",
    "load_scenario_text",
    "resolve_scenario",
]
