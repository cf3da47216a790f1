"""The scenario as frozen value types. No I/O here: ``scenario.py`` builds these from TOML.

A ``Scenario`` is a complete, validated definition of one game; the engine compiles it into tables.
"""

from __future__ import annotations

import enum

from attrs import field, frozen

from .expr import Node, Num

__all__ = [
    "BUILTIN_NAMES",
    "Band",
    "Branch",
    "Effect",
    "Ending",
    "Event",
    "Expr",
    "FollowUp",
    "Option",
    "Rule",
    "Scenario",
    "ScoreComponent",
    "ScoreOver",
    "VarKind",
    "Variable",
]

# Names every expression may use besides the scenario's variables.
BUILTIN_NAMES = ("turn", "turns", "year", "month", "support", "true", "false")


class VarKind(enum.Enum):
    METER = "meter"
    FACTION = "faction"
    FLAG = "flag"


@frozen
class Expr:
    """A parsed expression with the text it came from (for messages and display)."""

    text: str
    node: Node

    @property
    def constant(self) -> float | None:
        """The value if the expression is a plain number, else None."""
        return self.node.value if isinstance(self.node, Num) else None

    @classmethod
    def number(cls, value: float) -> Expr:
        return cls(repr(float(value)), Num(0, 0, float(value)))


@frozen
class Band:
    label: str
    below: float | None  # None for the last, unbounded band


@frozen
class Variable:
    """A meter, a faction's support or an integer flag; all are rows of the engine's state."""

    id: str
    kind: VarKind
    label: str
    min: float
    max: float
    start: tuple[float, float]  # drawn uniformly per game when lo < hi
    description: str = ""
    drift: Expr | None = None
    good: str = "high"
    bands: tuple[Band, ...] = ()
    hidden: bool = False
    noise: float = 10.0
    format: str = "number"
    unit: str = ""
    stages: tuple[str, ...] = ()
    ladder: bool = False
    weight: float = 0.0  # factions only: weight in `support`

    @property
    def is_integer(self) -> bool:
        return self.kind is VarKind.FLAG

    def band(self, value: float) -> str:
        """The descriptive band of a value ('' if the meter has none)."""
        for band in self.bands:
            if band.below is None or value < band.below:
                return band.label
        return ""

    def stage(self, value: float) -> str:
        """The stage name of a flag value ('' if it has none)."""
        i = int(round(value - self.min))
        return self.stages[i] if self.stages and 0 <= i < len(self.stages) else ""


@frozen
class Effect:
    """``var += value`` (mode 'add') or ``var = value`` (mode 'set')."""

    var: str
    value: Expr
    mode: str = "add"


@frozen
class FollowUp:
    event: str
    after: int


@frozen
class Branch:
    chance: Expr
    text: str = ""
    effects: tuple[Effect, ...] = ()
    follow: tuple[FollowUp, ...] = ()


@frozen
class Option:
    id: str
    label: str
    outcome: str = ""
    cite: tuple[int, ...] = ()
    available: Expr | None = None
    cost: tuple[tuple[str, float], ...] = ()
    effects: tuple[Effect, ...] = ()
    follow: tuple[FollowUp, ...] = ()
    branches: tuple[Branch, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def always_available(self) -> bool:
        return self.available is None and not self.cost


@frozen
class Event:
    id: str
    title: str
    text: str
    cite: tuple[int, ...] = ()
    when: Expr | None = None
    weight: Expr = field(factory=lambda: Expr.number(1.0))
    once: bool = False
    cooldown: int = 0
    date_turn: int | None = None  # 1-based turn on which a dated event is due
    from_turn: int | None = None
    until_turn: int | None = None
    tags: tuple[str, ...] = ()
    effects: tuple[Effect, ...] = ()
    follow: tuple[FollowUp, ...] = ()
    branches: tuple[Branch, ...] = ()  # chance branches of the firing itself (news can have them too)
    options: tuple[Option, ...] = ()

    @property
    def is_news(self) -> bool:
        """News events have no options: they fire in phase 1 and take no decision slot."""
        return not self.options

    @property
    def random(self) -> bool:
        """Whether the event can be drawn at random (decision events with a non-zero weight, no date)."""
        return bool(self.options) and self.date_turn is None and self.weight.constant != 0.0


@frozen
class Rule:
    id: str
    label: str
    when: Expr | None = None
    effects: tuple[Effect, ...] = ()
    follow: tuple[FollowUp, ...] = ()  # scheduled each turn the rule applies (an earlier pending turn is kept)


@frozen
class Ending:
    id: str
    title: str
    epilogue: str
    early: bool = False
    when: Expr | None = None
    history: str = ""
    bonus: float = 0.0


class ScoreOver(enum.Enum):
    """What a score component counts: its value on the last day, or its mean over the turns played."""

    FINAL = "final"
    TERM = "term"


@frozen
class ScoreComponent:
    """``weight x value``; with ``over = TERM`` the value is the mean of ``value`` after each turn played."""

    id: str
    label: str
    value: Expr
    weight: float = 1.0
    over: ScoreOver = ScoreOver.FINAL


@frozen
class Adviser:
    """A named adviser with a known leaning. ``weights`` say what they care about: ``(key, weight)`` pairs
    where a key is a score component id (its weighted value), a variable id (its value) or ``score`` (the
    final score with the ending's bonus). They judge every option by the mean of that sum over futures."""

    id: str
    name: str
    title: str
    leaning: str
    weights: tuple[tuple[str, float], ...]


@frozen
class Scenario:
    """A complete, validated scenario. Variables are ordered meters, factions, flags."""

    id: str
    title: str
    summary: str
    role: str
    start_year: int
    start_month: int
    turns: int
    variables: tuple[Variable, ...]
    events: tuple[Event, ...]
    endings: tuple[Ending, ...]
    score: tuple[ScoreComponent, ...]
    rules: tuple[Rule, ...] = ()
    unit: str = "month"
    decisions: int = 1
    glossary: tuple[tuple[str, str], ...] = ()
    history: tuple[tuple[int, str], ...] = ()  # (turn, what really happened), in date order
    paragraphs: tuple[str, ...] = ()
    source_title: str = ""
    version: str = "1"
    authors: tuple[str, ...] = ()
    advisers: tuple[Adviser, ...] = ()  # none declared: game.advisor's default cabinet
    consultations: int = 0  # times the advisers can be consulted a game (0: the default)
    path: str = ""
    sha256: str = ""
    format: int = 1  # the file's format version (2 enables the format-2 keys and functions)

    @property
    def months_per_turn(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.unit]

    def var_index(self, var_id: str) -> int:
        for i, v in enumerate(self.variables):
            if v.id == var_id:
                return i
        raise KeyError(var_id)

    def variable(self, var_id: str) -> Variable:
        return self.variables[self.var_index(var_id)]

    def event_index(self, event_id: str) -> int:
        for i, e in enumerate(self.events):
            if e.id == event_id:
                return i
        raise KeyError(event_id)

    def date_of(self, turn: int) -> tuple[int, int]:
        """(year, month) of a 1-based turn."""
        months = self.start_month - 1 + (turn - 1) * self.months_per_turn
        return self.start_year + months // 12, months % 12 + 1

    def date_label(self, turn: int) -> str:
        year, month = self.date_of(turn)
        return f"{MONTHS[month - 1]} {year}"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
