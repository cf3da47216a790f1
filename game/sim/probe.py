"""What simulated games looked like along the way, not only at their end.

A ``Probe`` says what to gather while games run: per-turn statistics of some variables (``manila sim
--trace``), the turns in which a game had no decision to make, how often each event fired in each game
(``--per-game``), and in how many games some conditions held at a given moment of each turn (``manila
lint`` asks which clause of a condition blocks it). ``ProbeCounts`` are the figures of one chunk of games;
chunks are added up with ``merge``, in game order, so worker counts and chunk sizes never change them.

Observing only reads the state (``Game.new_games(observer=...)``): the games, their digest and every other
figure are exactly those of a run without a probe.

>>> from game.format.scenario import load_scenario
>>> from game.sim import run_sim
>>> scenario = load_scenario("scenarios/tutorial.toml")
>>> probe = Probe(trace=(scenario.var_index("approval"),), per_game=True)
>>> counts = run_sim(scenario, games=64, seed=1, policy="first", probe=probe).probe
>>> int(counts.seen[MOMENTS.index(Moment.TURN_END), 1])  # every game is in play at the end of turn 1
64
>>> counts.fires.shape == (len(scenario.events), 64)
True
"""

from __future__ import annotations

import numpy as np
from attrs import define, frozen

from ..engine import Game, Moment, State
from ..engine.changes import condition
from ..expr import Node
from ..model import Expr, Scenario

__all__ = ["MOMENTS", "Probe", "ProbeCounts", "Watch", "observe", "trace_dict"]

MOMENTS = tuple(Moment)  # rows of ``ProbeCounts.seen``, in the order a turn meets them


@frozen
class Watch:
    """A condition to count: at ``moment`` of every turn, in how many games in play it holds."""

    node: Node
    moment: Moment
    text: str = ""  # as written, for messages


@frozen
class Probe:
    """What to gather. ``trace``: variable indices whose mean, minimum and maximum over the games in play are
    kept for the start and the end of every turn. ``watches``: conditions to count. ``per_game``: how often
    each event fired in each game, and each game's turns without a decision."""

    trace: tuple[int, ...] = ()
    watches: tuple[Watch, ...] = ()
    per_game: bool = False


@define
class ProbeCounts:
    """The figures of some games; column ``t`` of a per-turn array is turn ``t`` (column 0: the start).

    ``seen[m, t]`` games in play at moment ``MOMENTS[m]`` of turn ``t`` (``seen[2, 0]``: games started);
    ``held[w, t]`` of those, games where watch ``w`` held; ``trace_sum``, ``trace_min``, ``trace_max``
    ``(traced, T + 1)`` over the games in play at the end of each turn (and at the start); ``quiet[t]`` games
    that had no decision in turn ``t``; with ``per_game``, ``fires`` ``(events, games)`` and ``quiet_turns``
    ``(games,)``.
    """

    seen: np.ndarray
    held: np.ndarray
    trace_sum: np.ndarray
    trace_min: np.ndarray
    trace_max: np.ndarray
    quiet: np.ndarray
    fires: np.ndarray | None = None
    quiet_turns: np.ndarray | None = None

    @classmethod
    def empty(cls, probe: Probe, turns: int, events: int, games: int) -> ProbeCounts:
        k = len(probe.trace)
        return cls(
            seen=np.zeros((len(MOMENTS), turns + 1), dtype=np.int64),
            held=np.zeros((len(probe.watches), turns + 1), dtype=np.int64),
            trace_sum=np.zeros((k, turns + 1)),
            trace_min=np.full((k, turns + 1), np.inf),
            trace_max=np.full((k, turns + 1), -np.inf),
            quiet=np.zeros(turns + 1, dtype=np.int64),
            fires=np.zeros((events, games), dtype=np.int16) if probe.per_game else None,  # at most one a turn
            quiet_turns=np.zeros(games, dtype=np.int64) if probe.per_game else None,
        )

    def merge(self, later: ProbeCounts) -> ProbeCounts:
        """These games and ``later`` ones (per-game arrays are joined in that order)."""
        return ProbeCounts(
            seen=self.seen + later.seen,
            held=self.held + later.held,
            trace_sum=self.trace_sum + later.trace_sum,
            trace_min=np.minimum(self.trace_min, later.trace_min),
            trace_max=np.maximum(self.trace_max, later.trace_max),
            quiet=self.quiet + later.quiet,
            fires=None if self.fires is None or later.fires is None else np.hstack([self.fires, later.fires]),
            quiet_turns=(
                None
                if self.quiet_turns is None or later.quiet_turns is None
                else np.concatenate([self.quiet_turns, later.quiet_turns])
            ),
        )

    @property
    def games(self) -> int:
        return int(self.seen[MOMENTS.index(Moment.TURN_END), 0])


class _Observer:
    """Counts into a ``ProbeCounts`` at each moment of each turn of one batch (``Game.new_games``)."""

    def __init__(self, game: Game, probe: Probe, counts: ProbeCounts):
        self.probe = probe
        self.counts = counts
        compiled = game.compiled
        self.watches = [
            (MOMENTS.index(w.moment), compiled.cexpr(Expr(w.text or "watch", w.node))) for w in probe.watches
        ]
        self.trace = np.array(probe.trace, dtype=np.intp)
        self.decisions = np.array([i for i, e in enumerate(game.scenario.events) if e.options], dtype=np.intp)

    def __call__(self, state: State, moment: Moment) -> None:
        c = self.counts
        turn = state.turn
        alive = state.col.alive
        live = int(np.count_nonzero(alive))
        m = MOMENTS.index(moment)
        c.seen[m, turn] += live
        for w, (wm, ce) in enumerate(self.watches):
            if wm == m:
                c.held[w, turn] += int(np.count_nonzero(condition(state, ce) & alive))
        if moment is Moment.NEWS and turn == 1:  # the values the games start with
            self._trace(state.col.X[:, alive], 0)
        if moment is not Moment.TURN_END:
            return
        self._trace(state.col.X[:, alive], turn)
        fired = state.col.last_fired[:, alive] == turn  # an event fires at most once a turn
        quiet = ~fired[self.decisions].any(axis=0) if self.decisions.size else np.ones(live, dtype=bool)
        c.quiet[turn] += int(np.count_nonzero(quiet))
        if c.fires is not None and c.quiet_turns is not None:
            where = state.col.position[alive]
            c.fires[:, where] += fired
            c.quiet_turns[where] += quiet

    def _trace(self, X: np.ndarray, column: int) -> None:
        if not self.trace.size or not X.shape[1]:
            return
        rows = X[self.trace]
        c = self.counts
        c.trace_sum[:, column] += rows.sum(axis=1)
        c.trace_min[:, column] = np.minimum(c.trace_min[:, column], rows.min(axis=1))
        c.trace_max[:, column] = np.maximum(c.trace_max[:, column], rows.max(axis=1))


def observe(game: Game, probe: Probe, games: int) -> tuple[_Observer, ProbeCounts]:
    """An observer for a batch of ``games`` games (pass it to ``Game.new_games``) and the counts it fills."""
    counts = ProbeCounts.empty(probe, game.scenario.turns, len(game.scenario.events), games)
    counts.seen[MOMENTS.index(Moment.TURN_END), 0] = games
    return _Observer(game, probe, counts), counts


def trace_dict(scenario: Scenario, probe: Probe, counts: ProbeCounts) -> dict:
    """The traced variables and the turns without a decision as JSON-ready data (``manila sim --trace``).

    ``trace.VAR.turns``: for the start (turn 0) and the end of each turn, the games in play then and the
    variable's mean, minimum and maximum over them (turns no game reached are left out). ``quiet``: per
    turn, the games that had no decision in it; ``per_game``, the mean number of such turns per game.
    """
    end = MOMENTS.index(Moment.TURN_END)
    played = [t for t in range(scenario.turns + 1) if counts.seen[end, t] > 0]
    trace = {}
    for k, i in enumerate(probe.trace):
        var = scenario.variables[i]
        rows = []
        for t in played:
            n = int(counts.seen[end, t])
            rows.append(
                {
                    "turn": t,
                    "date": scenario.date_label(max(t, 1)) if t else "start",
                    "games": n,
                    "mean": round(float(counts.trace_sum[k, t] / n), 6),
                    "min": round(float(counts.trace_min[k, t]), 6),
                    "max": round(float(counts.trace_max[k, t]), 6),
                }
            )
        trace[var.id] = {"label": var.label, "turns": rows}
    games = counts.games
    turns_played = int(counts.seen[end, 1:].sum())
    quiet = {
        "per_game": round(float(counts.quiet.sum() / games), 6) if games else 0.0,
        "turns_played_per_game": round(turns_played / games, 6) if games else 0.0,
        "turns": [
            {
                "turn": t,
                "date": scenario.date_label(t),
                "games": int(counts.seen[end, t]),
                "no_decision": int(counts.quiet[t]),
                "share": round(float(counts.quiet[t] / counts.seen[end, t]), 6),
            }
            for t in played
            if t
        ],
    }
    return {"trace": trace, "quiet": quiet}
