"""The scenario as frozen value types. No I/O here: ``scenario.py`` builds these from TOML.

A ``Scenario`` is a complete, validated definition of one game; the engine compiles it into tables.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator

import attrs
from attrs import field, frozen

from .expr import Memory, Node, Num, memory_in

__all__ = [
    "BUILTIN_NAMES",
    "PLACEHOLDER_RE",
    "SIDE_PREFIX",
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
    good: Good = Good.HIGH
    bands: tuple[Band, ...] = ()
    hidden: bool = False
    noise: float = 10.0
    format: ValueFormat = ValueFormat.NUMBER
    unit: str = ""
    stages: tuple[str, ...] = ()
    ladder: bool = False
    weight: float = 0.0  # factions only: weight in `support`
    weight_expr: Expr | None = None  # format 2, factions: a weight that changes (negative counts as 0)

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
    """``var += value`` (``EffectMode.ADD``) or ``var = value`` (``EffectMode.SET``)."""

    var: str
    value: Expr
    mode: EffectMode = EffectMode.ADD


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
class Lasting:
    """Format 2: changes that hold for ``turns`` turns and then end by themselves (taken back, as written).

    Applying it again while it lasts does not add it twice: its end moves to ``turns`` turns from then.
    """

    id: str  # "event" or "event.option": where it comes from (unique)
    label: str  # what "why did this change?" names
    turns: int
    changes: tuple[tuple[str, float], ...]  # (variable, amount), constants only


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
    visible: Expr | None = None  # format 2: where this fails the option is not offered at all
    hint: str = ""  # format 2: shown with the option (say, what its hidden effects touch)
    lasting: Lasting | None = None  # format 2: changes that end by themselves

    @property
    def always_available(self) -> bool:
        return self.available is None and not self.cost and self.visible is None


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
    max_fires: int = 0  # format 2: fires at most this often per game, however it comes (0: no limit)
    chance: Expr | None = None  # format 2: each turn, due with this probability (clamped to 0..1)

    @property
    def is_news(self) -> bool:
        """News events have no options: they fire in phase 1 and take no decision slot."""
        return not self.options

    @property
    def random(self) -> bool:
        """Whether the event can be drawn at random (decision events with a non-zero weight, no date)."""
        return bool(self.options) and self.date_turn is None and self.chance is None and self.weight.constant != 0.0


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
    unit: TurnUnit = TurnUnit.MONTH
    decisions: int = 1
    glossary: tuple[tuple[str, str], ...] = ()
    history: tuple[tuple[int, str], ...] = ()  # (turn, what really happened), in date order
    paragraphs: tuple[str, ...] = ()
    source_title: str = ""
    version: str = "1"
    authors: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()  # option tags naming the sides the player can favour (see ``SIDE_PREFIX``)
    advisers: tuple[Adviser, ...] = ()  # none declared: game.advisor's default cabinet
    consultations: int = 0  # times the advisers can be consulted a game (0: the default)
    path: str = ""
    sha256: str = ""
    format: int = 1  # the file's format version (2 enables the format-2 keys and functions)

    @property
    def months_per_turn(self) -> int:
        return self.unit.months

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

    def builtin_bounds(self, support: tuple[float, float] = (0.0, 100.0)) -> dict[str, tuple[float, float]]:
        """The range of each built-in name over the whole game (``support``: the factions' mean, 0 to 100
        unless the caller knows better)."""
        last_year = self.date_of(self.turns)[0]
        return {
            "turn": (1.0, float(self.turns)),
            "turns": (float(self.turns),) * 2,
            "year": (float(self.start_year), float(last_year)),
            "month": (1.0, 12.0),
            "support": support,
            "true": (1.0, 1.0),
            "false": (0.0, 0.0),
        }

    def date_label(self, turn: int) -> str:
        year, month = self.date_of(turn)
        return f"{MONTHS[month - 1]} {year}"

    def expressions(self) -> Iterator[Expr]:
        """Every expression in the scenario (conditions, weights, effects, chances, score values)."""
        stack: list[object] = [self]
        while stack:
            obj = stack.pop()
            if isinstance(obj, Expr):
                yield obj
            elif isinstance(obj, tuple):
                stack.extend(obj)
            elif attrs.has(type(obj)):
                stack.extend(getattr(obj, f.name) for f in attrs.fields(type(obj)))  # type: ignore[arg-type]

    def texts(self) -> Iterator[str]:
        """Every text that may hold placeholders (and, in format 2, expressions): the fields players read."""
        for e in self.events:
            yield e.title
            yield e.text
            for b in e.branches:
                yield b.text
            for o in e.options:
                yield o.label
                yield o.outcome
                yield o.hint
                for b in o.branches:
                    yield b.text
        for end in self.endings:
            yield end.epilogue
            yield end.history
        for _turn, text in self.history:
            yield text

    def lastings(self) -> list[Lasting]:
        """Every lasting effect (options have them), in file order."""
        return [o.lasting for e in self.events for o in e.options if o.lasting]

    def memory_calls(self) -> list[Memory]:
        """The distinct memory calls (fired, chosen, since) the scenario uses, sorted by their key; in
        expressions and, in format 2, in texts."""
        from .expr.template import expressions, parse_template

        nodes = [e.node for e in self.expressions()]
        if self.format >= 2:
            nodes += [node for text in self.texts() if "{" in text for _t, node in expressions(parse_template(text))]
        found = {(m.fn, m.event, m.option): m for node in nodes for m in memory_in(node)}
        return [found[k] for k in sorted(found)]


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
