"""The fixed names and closed vocabularies of a scenario: built-in names, the side prefix, the placeholder
pattern, and the enums of kinds, directions, formats, units, modes and score counting."""

from __future__ import annotations

import enum
import re

__all__ = [
    "BUILTIN_NAMES",
    "PLACEHOLDER_RE",
    "SIDE_PREFIX",
    "DocEnum",
    "EffectMode",
    "Good",
    "ScoreOver",
    "TurnUnit",
    "ValueFormat",
    "VarKind",
]

# A placeholder in a text: ``{{`` or ``}}`` (literal braces), ``{name}`` (group 1 is the name), or an
# unmatched brace (group 1 is None). The loader checks them, the session fills them in, lint finds
# braces in texts that are shown as written.
PLACEHOLDER_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")

# Without a ``sides`` declaration, the sides of a scenario are the option tags that start with this.
SIDE_PREFIX = "pro_"

# Names every expression may use besides the scenario's variables.
BUILTIN_NAMES = ("turn", "turns", "year", "month", "support", "true", "false")


class DocEnum(enum.Enum):
    """An enum whose members document themselves: ``NAME = "value", "what it means"`` (``member.__doc__``).
    Members are looked up by their value as written in files: ``Good("low") is Good.LOW``."""

    def __new__(cls, value: str, doc: str = ""):
        member = object.__new__(cls)
        member._value_ = value
        member.__doc__ = doc
        return member


class VarKind(DocEnum):
    METER = "meter", "a value the player watches move within bounds (may be hidden behind an estimate)"
    FACTION = "faction", "a group's support from 0 to 100; their weighted mean is ``support``"
    FLAG = "flag", "a whole-number state (a stage, a count, a switch); changes are rounded half away from zero"


class Good(DocEnum):
    """Which direction of a meter is good news for the player (colours and arrows only)."""

    HIGH = "high", "higher is better"
    LOW = "low", "lower is better"
    NONE = "none", "neither: changes are shown without judgement"


class ValueFormat(DocEnum):
    """How a meter's value is written for the player."""

    NUMBER = "number", "a whole number, with the meter's unit if it has one"
    PERCENT = "percent", "a whole number with a % sign"
    MONEY = "money", "one decimal with thousands separators, with the meter's unit"


class TurnUnit(DocEnum):
    """How long one turn lasts."""

    MONTH = "month", "one month per turn"
    QUARTER = "quarter", "three months per turn"
    YEAR = "year", "twelve months per turn"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.value]

    @property
    def plural(self) -> str:
        return f"{self.value}s"


class EffectMode(DocEnum):
    """What an effect does to its variable."""

    ADD = "add", "adds the value (written under ``effects``)"
    SET = "set", "replaces the value (written under ``set``), after every add of the same change"


class ScoreOver(enum.Enum):
    """What a score component counts: its value on the last day, or its mean over the turns played."""

    FINAL = "final"
    TERM = "term"
