"""The parts a scenario is made of, as frozen value types: expressions, variables, effects, follow-ups,
branches, lasting changes, options, events, rules, endings, score components and advisers."""

from __future__ import annotations

from attrs import field, frozen

from ..expr import Node, Num
from .vocab import EffectMode, Good, ScoreOver, ValueFormat, VarKind

__all__ = [
    "Adviser",
    "Band",
    "Branch",
    "Effect",
    "Ending",
    "Event",
    "Expr",
    "FollowUp",
    "Lasting",
    "Option",
    "Rule",
    "ScoreComponent",
    "Variable",
]


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
