"""The scenario as frozen value types. No I/O here: ``game.format`` builds these from TOML.

A ``Scenario`` is a complete, validated definition of one game; the engine compiles it into tables.
``vocab`` holds the fixed names and enums, ``parts`` the value types a scenario is made of, ``scenario``
the ``Scenario`` itself; every name is imported from here (``from game.model import Scenario``).
"""

from .parts import (
    Adviser,
    Band,
    Branch,
    Effect,
    Ending,
    Event,
    Expr,
    FollowUp,
    Lasting,
    Option,
    Rule,
    ScoreComponent,
    Variable,
)
from .scenario import Scenario
from .vocab import (
    BUILTIN_NAMES,
    PLACEHOLDER_RE,
    SIDE_PREFIX,
    DocEnum,
    EffectMode,
    Good,
    ScoreOver,
    TurnUnit,
    ValueFormat,
    VarKind,
)

__all__ = [
    "BUILTIN_NAMES",
    "PLACEHOLDER_RE",
    "SIDE_PREFIX",
    "Adviser",
    "Band",
    "Branch",
    "DocEnum",
    "Effect",
    "EffectMode",
    "Ending",
    "Event",
    "Expr",
    "FollowUp",
    "Good",
    "Lasting",
    "Option",
    "Rule",
    "Scenario",
    "ScoreComponent",
    "ScoreOver",
    "TurnUnit",
    "ValueFormat",
    "VarKind",
    "Variable",
]
