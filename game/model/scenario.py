"""``Scenario``: a complete, validated definition of one game, with what the engine and the tools ask of it
(indices by id, the calendar, the range of built-in names, every expression, text and memory call)."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
from attrs import frozen

from ..expr import Memory, memory_in
from .parts import Adviser, Ending, Event, Expr, Lasting, Rule, ScoreComponent, Variable
from .vocab import TurnUnit

__all__ = ["MONTHS", "Scenario"]


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
        from ..expr.template import expressions, parse_template

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
