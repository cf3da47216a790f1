"""One game as a player meets it: a B = 1 engine state plus everything the interface shows.

``GameSession`` plays on the single-game engine (``game.engine.single``: the reference engine's rules with
the batched engine's trace, identical to a batched game of one to the bit, several times faster) and adds
what a player needs: the pending event and its options with costs and likely effects, a feed of what
happened, "why did this change?" breakdowns, estimates of hidden meters, text with placeholders filled in,
and the list of choices made, which (with the scenario, seed and game index) reproduces the game exactly.

>>> from game.format.scenario import load_scenario
>>> session = GameSession(load_scenario("scenarios/tutorial.toml"), seed=1)
>>> session.event.id
'union_offer'
>>> result = session.choose(1)
>>> session.choices
[1]
"""

from __future__ import annotations

import hashlib

import numpy as np

from ..engine import Cause, Game, TraceEntry
from ..engine.compiled import since
from ..engine.rng import Stream, game_key_scalar, uniform_scalar
from ..engine.single import SingleState
from ..errors import ReplayDivergence
from ..expr import evaluate, memory_key
from ..expr.template import parse_template, render_template
from ..model import EffectMode, Ending, Event, Scenario, Variable, VarKind
from ..reference import scalar_env
from . import replay, tracetext
from .advisor import AdviceBudget, consultations_of
from .optiontext import cost_words, effect_notes
from .standing import Outlook, ScorePart, conjuncts, describe, outlook, score_parts
from .views import (
    Change,
    ChoiceMade,
    ChoiceResult,
    FeedEntry,
    FeedKind,
    OptionView,
    ScoreLine,
    format_value,
    render_text,
)

# the value types of what a session shows live in .views; re-exported here, where callers meet them
__all__ = [
    "Change",
    "ChoiceMade",
    "ChoiceResult",
    "FeedEntry",
    "FeedKind",
    "GameSession",
    "OptionView",
    "ScoreLine",
    "format_value",
    "render_text",
]


class GameSession:
    """A single game, driven one choice at a time."""

    def __init__(self, scenario: Scenario, seed: int = 0, game_index: int = 0, game: Game | None = None):
        self.scenario = scenario
        self.game = game or Game(scenario)
        self.seed = seed
        self.game_index = game_index
        self.state = SingleState(self.game, seed, game_index)
        self.choices: list[int] = []
        self.made: list[ChoiceMade] = []  # the same choices by id (turn, event, option)
        self.advice = AdviceBudget(consultations_of(scenario))  # the advisers' time this game
        self.feed: list[FeedEntry] = []
        self._logged = 0
        self._index = {v.id: i for i, v in enumerate(scenario.variables)}
        self._parts_before: np.ndarray | None = None  # weighted score parts when the last choice was made
        self._first_seen = self.values().copy()  # what the player saw at the first decision
        self._sync_feed()

    # ------------------------------------------------------------------ replay
    @classmethod
    def replay(
        cls, scenario: Scenario, seed: int, game_index: int, choices: list[int], game: Game | None = None
    ) -> GameSession:
        """Rebuild a game from its choices; raises ``ReplayDivergence`` when a choice no longer applies."""
        session = cls(scenario, seed, game_index, game)
        divergence = session.play_choices(choices)
        if divergence is not None:
            raise divergence
        return session

    def play_choices(self, choices) -> ReplayDivergence | None:
        """Make ``choices`` (0-based option numbers) in order while they apply (``game.play.replay``)."""
        return replay.play_choices(self, choices)

    def play_choices_by_id(self, made: list[ChoiceMade]) -> ReplayDivergence | None:
        """Make the choices ``made`` (by event and option id) in order while they apply, for a scenario file
        edited since they were made (``game.play.replay``)."""
        return replay.play_choices_by_id(self, made)

    # ------------------------------------------------------------------ where the game stands
    @property
    def turn(self) -> int:
        return min(self.state.turn, self.scenario.turns)

    @property
    def slot(self) -> int:
        return self.state.slot

    @property
    def date_label(self) -> str:
        return self.scenario.date_label(self.turn)

    @property
    def over(self) -> bool:
        return self.state.over

    @property
    def event(self) -> Event | None:
        e = int(self.state.pending_events()[0])
        return self.scenario.events[e] if e >= 0 else None

    @property
    def ending(self) -> Ending | None:
        k = int(self.state.endings()[0])
        return self.scenario.endings[k] if k >= 0 else None

    @property
    def end_turn(self) -> int:
        return int(self.state.end_turns()[0])

    @property
    def score(self) -> float:
        return float(self.state.scores()[0])

    def score_breakdown(self) -> list[tuple[str, float]]:
        """(label, weighted value) of each score component, plus the ending's bonus once the game is over."""
        parts = self.state.score_components()[:, 0]
        out = [(c.label, float(v)) for c, v in zip(self.scenario.score, parts)]
        if self.ending is not None and self.ending.bonus:
            out.append((f"Ending: {self.ending.title}", self.ending.bonus))
        return out

    @property
    def running_score(self) -> float:
        """The score as it stands now: the sum of the parts while the game goes on, the final score after."""
        return self.score if self.over else float(self._parts_now().sum())

    def _parts_now(self) -> np.ndarray:
        """What each score component adds to the score now (``ScoreLine.counts``)."""
        return np.asarray(self.state.score_components()[:, 0], dtype=np.float64)

    def score_view(self) -> list[ScorePart]:
        """Each score component as ``score_lines`` counts it now, with its change since the last decision and
        its formula (see ``game.play.standing``)."""
        return score_parts(self.scenario.score, [line.counts for line in self.score_lines()], self._parts_before)

    def player_env(self) -> dict[str, float]:
        """``scalar_env`` with each hidden meter at the middle of the player's estimate (never its true value)."""
        values = self.values().copy()
        for i, var in enumerate(self.scenario.variables):
            if var.hidden and var.kind is not VarKind.FLAG:
                lo, hi = self.estimate(var.id)
                values[i] = (lo + hi) / 2
        return self.scalar_env(values)

    def outlook(self) -> Outlook:
        """The ending ahead if the term ended now, what would change it, and the early endings that threaten."""
        return outlook(self.scenario, self.player_env())

    def score_lines(self) -> list[ScoreLine]:
        """Each score component: its value now, what it counts and its change over the last completed turn."""
        values = self.state.score_values()[:, 0]
        counts = self.state.score_components()[:, 0]
        hist = self.state.score_history
        change = hist[-1][:, 0] - hist[-2][:, 0] if len(hist) >= 2 else np.zeros(len(values))
        return [
            ScoreLine(c.id, c.label, c.over, c.weight, float(v), float(n), float(d))
            for c, v, n, d in zip(self.scenario.score, values, counts, change)
        ]

    def values(self) -> np.ndarray:
        """(V,) true values (for hidden meters too: use ``shown`` for what the player may see)."""
        return self.state.values()[:, 0]

    def value_seen_first(self, var_id: str) -> float:
        """A variable as it stood at the first decision (after turn 1's news), where the player began."""
        return float(self._first_seen[self._index[var_id]])

    def value(self, var_id: str) -> float:
        return float(self.values()[self._index[var_id]])

    def variable(self, var_id: str) -> Variable:
        return self.scenario.variables[self._index[var_id]]

    def estimate(self, var_id: str) -> tuple[float, float]:
        """The range the player sees for a hidden meter (it always contains the true value)."""
        lo, hi = self.state.estimate_ranges()
        i = self._index[var_id]
        return float(lo[i, 0]), float(hi[i, 0])

    def shown(self, var_id: str) -> str:
        """A variable's value as the interface shows it (an estimate range for hidden meters)."""
        var = self.variable(var_id)
        if var.hidden:
            lo, hi = self.estimate(var_id)
            return f"{format_value(var, lo)}–{format_value(var, hi)}"
        return format_value(var, self.value(var_id))

    def history(self, var_id: str) -> list[float]:
        """The variable at the start and after each completed turn."""
        i = self._index[var_id]
        return [float(x[i, 0]) for x in self.state.history]

    def render(self, text: str, variant_turn: int | None = None) -> str:
        """A text for the player now: placeholders filled; in format 2, conditions, variants and values too
        (a ``{one of}`` draws from this game's random numbers: the same variant all turn, another next).
        ``variant_turn`` draws the variant of that turn instead: the feed gives each entry the variant of the
        turn it happened in, so news that came back in quiet months (shown together) is not told alike."""
        estimates = {v.id: self.estimate(v.id) for v in self.scenario.variables if v.hidden}
        score = self.running_score  # {score} is the score the status bar shows, not the last turn's
        if self.scenario.format < 2 or "{" not in text:
            return render_text(text, self.scenario, self.values(), self.turn, score, estimates)
        values, turn = self.values(), self.turn
        drawn = turn if variant_turn is None else variant_turn
        env = self.scalar_env()
        key = game_key_scalar(self.seed, self.game_index)
        return render_template(
            parse_template(text),
            lambda name: render_text(f"{{{name}}}", self.scenario, values, turn, score, estimates),
            lambda node: evaluate(node, env),
            lambda slot: uniform_scalar(key, drawn, Stream.TEXT, slot),
        )

    def scalar_env(self, values: np.ndarray | None = None) -> dict[str, float]:
        """Every name an expression may use, for this game now: variables (true values, or ``values``), the
        turn's built-ins, ``support`` and the memory calls the scenario uses."""
        memory = self.state.memory()[:, 0]
        rows = self.state.compiled.mem_rows
        turn = float(self.turn)
        calls = {
            memory_key(m): (
                since(float(memory[rows[m.ref] + 1]), turn) if m.fn == "since" else float(memory[rows[m.ref]])
            )
            for m in self.scenario.memory_calls()
        }
        x = self.values() if values is None else values
        return scalar_env(self.scenario, self.turn, [float(v) for v in x], calls)

    def options(self) -> list[OptionView]:
        event = self.event
        if event is None:
            return []
        avail = self.state.available_options()[0]
        shown = self.state.visible_options()[0]
        values = self.values()
        out = []
        for k, option in enumerate(event.options):
            if not shown[k]:
                continue  # format 2: not offered at all (its index is kept by the options after it)
            reason = ""
            if not avail[k]:
                short = [
                    f"{format_value(self.variable(var), amount)} of {self.variable(var).label.lower()} "
                    f"(you have {format_value(self.variable(var), float(values[self._index[var]]))})"
                    for var, amount in option.cost
                    if values[self._index[var]] - amount < self.variable(var).min
                ]
                reason = f"needs {', '.join(short)}" if short else self._unmet(option.available) or "not possible now"
            effects: dict[str, float] = {}
            uncertain: list[str] = []
            for eff in option.effects:
                var = self.variable(eff.var)
                if var.hidden:
                    continue
                if eff.value.constant is not None and eff.mode is EffectMode.ADD:
                    effects[eff.var] = effects.get(eff.var, 0.0) + eff.value.constant
                elif eff.var not in uncertain:
                    uncertain.append(eff.var)
            for branch in option.branches:
                for eff in branch.effects:
                    if not self.variable(eff.var).hidden and eff.var not in uncertain and eff.var not in effects:
                        uncertain.append(eff.var)
            costs = tuple((self.variable(var).label, amount) for var, amount in option.cost)
            out.append(
                OptionView(
                    k,
                    option,
                    bool(avail[k]),
                    reason,
                    costs,
                    tuple((v, d) for v, d in effects.items() if d),
                    tuple(uncertain),
                    self.render(option.label),
                    self.render(option.hint),
                    effect_notes(self.scenario, option, values),
                    cost_words(self.scenario, option),
                )
            )
        return out

    def option_view(self, k) -> OptionView | None:
        """The view of option ``k`` (0-based index in the event) if it is offered now, else None (no such
        option, or not visible: format 2 hides options whose ``visible`` fails; the others keep their
        numbers)."""
        if isinstance(k, bool) or not isinstance(k, int):
            return None
        return next((v for v in self.options() if v.index == k), None)

    def _unmet(self, condition) -> str:
        """The parts of an availability condition that fail now, in the player's words ('' if it cannot be
        said without revealing a hidden value, or is not a simple comparison)."""
        if condition is None:
            return ""
        env = self.scalar_env()
        parts = []
        for atom in conjuncts(condition.node):
            if evaluate(atom, env) != 0.0:
                continue
            words = describe(self.scenario, atom, env)
            if not words or "cannot read" in words:
                return ""
            parts.append(words)
        return "only when " + " and ".join(parts) if parts else ""

    def choose(self, k: int) -> ChoiceResult:
        """Choose option ``k`` (0-based) of the pending event; raises ValueError if it is not available."""
        event = self.event
        if event is None:
            raise ValueError("no decision is pending")
        option = event.options[k] if 0 <= k < len(event.options) else None
        if option is None:
            raise ValueError(f"there is no option {k + 1}")
        before_log = len(self.state.log)
        parts = self._parts_now()
        turn = self.turn
        self.state.apply(np.array([k]))
        self._parts_before = parts
        self.choices.append(k)
        self.made.append(ChoiceMade(turn, event.id, option.id))
        branch_text = ""
        for entry in self.state.log[before_log:]:
            if entry.kind is Cause.BRANCH and entry.idx[0] >= 0:
                branch_text = self.state.compiled.branches[int(entry.idx[0])].text
                break
        result = ChoiceResult(self.render(option.label), self.render(option.outcome), self.render(branch_text))
        self._sync_feed()
        return result

    # ------------------------------------------------------------------ explanations
    def changes(self, var_id: str, turn: int | None = None) -> list[Change]:
        """Why a variable moved in a turn (default: the latest turn with changes), largest causes first."""
        return tracetext.changes(self.state.log, self._index[var_id], turn, self._source_label)

    def _source_label(self, entry: TraceEntry) -> str:
        return tracetext.source_label(self.scenario, self.state.compiled, entry, self.render)

    def _told(self, text: str, turn: int) -> str:
        """A text as it read in ``turn`` (its ``{one of}`` variant of that turn), for the feed."""
        return self.render(text, variant_turn=turn)

    def _sync_feed(self) -> None:
        """Turn new trace entries into feed lines (events fired, choices, chance outcomes, the ending)."""
        log = self.state.log
        self.feed.extend(tracetext.feed_entries(self.scenario, self.state.compiled, log[self._logged :], self._told))
        self._logged = len(log)
        if self.over and not any(f.kind is FeedKind.ENDING for f in self.feed):
            ending = self.ending
            self.feed.append(
                FeedEntry(self.end_turn, self.scenario.date_label(self.end_turn), FeedKind.ENDING, ending.title, "")
            )

    # ------------------------------------------------------------------ verification
    def snapshot(self) -> dict:
        """A JSON-ready picture of the game now (what a save stores to verify its replay)."""
        ending = self.ending
        event = self.event
        return {
            "turn": self.turn,
            "slot": self.slot,
            "over": self.over,
            "pending_event": event.id if event else None,
            "ending": ending.id if ending else None,
            "score": float(self.score),
            "values": {v.id: float(x) for v, x in zip(self.scenario.variables, self.values())},
            "choices": len(self.choices),
        }

    def turn_digests(self) -> list[str]:
        """SHA-256 (first 16 hex digits) of the values after each completed turn: where a replay diverges."""
        return [
            hashlib.sha256((x[:, 0] + 0.0).astype("<f8").tobytes()).hexdigest()[:16] for x in self.state.history[1:]
        ]
