"""The batched turn engine: the state of B games in numpy arrays, advanced one decision at a time.

``Game`` is the immutable, compiled definition; ``Game.new_games`` creates a ``State`` that always rests at
a decision point (or at the end). ``State.apply(choices)`` applies one choice per game and runs the engine
on to the next decision. The interactive game is simply B = 1.

A turn runs in four phases (docs/scenario-format.md, "How a turn runs"):

1. scheduled news events fire;
2. drift and standing rules apply;
3. eligibility and weights are evaluated once; each decision slot fires the first due decision event or
   draws one by weight, then the chosen option (costs, effects, one chance branch, follow-ups) applies;
4. values are clamped, the score computed, early endings checked, and at the last turn the final ending
   chosen.

Layout is (variable, game): ``X`` is ``(V, B)``. Every per-game array lives in one ``Columns`` record
(``state.col``), so forks and compaction take them all at once. Games that end stay in the arrays (masked
by ``alive``) until a quarter of the columns are dead, then the columns are compacted; results of ended
games live in ``state.results``, indexed by the game's position in the original batch.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

from ..model import DocEnum, Scenario
from .changes import Cause, TraceEntry, apply_rule, clamp, commit, condition, prepare, record
from .columns import Columns, Results
from .compiled import MEMORY, Compiled, compile_scenario, turn_env
from .draws import TurnDraws, draw_event, snapshot
from .memory import end_lastings, remember, roll_chances, start_lastings, within_limits
from .options import availability, option_branches, pick_branch, visible_now
from .rng import Stream, game_keys, uniform
from .scoring import score_sum
from .view import BatchView, Policy

__all__ = [
    "BatchView",
    "Game",
    "Moment",
    "Observer",
    "Policy",
    "State",
    "TraceEntry",
    "estimate_bounds",
    "estimate_rows",
]


class Moment(DocEnum):
    """Where in a turn an observer (``Game.new_games(observer=...)``) looks at the games. It may read the
    state, never change it."""

    NEWS = "news", "phase 1 begins: the values scheduled news events are checked against"
    DECISIONS = "decisions", "phase 3 begins: the values decision events' eligibility and weights are taken from"
    TURN_END = "turn end", "phase 4 begins: the values after the turn's last decision, before score and endings"


Observer = Callable[["State", Moment], None]


def estimate_rows(scenario: Scenario, X: np.ndarray, seed: int, games: np.ndarray, turn: int) -> np.ndarray:
    """(V, B) ``X`` as the player sees it at ``turn``: each hidden meter as its value plus a noise drawn once per
    (game, turn, meter), clipped to the meter's bounds. ``games`` are the game indices of the columns."""
    X = X.copy()
    keys = game_keys(seed, games)
    for i, v in enumerate(scenario.variables):
        if v.hidden and v.noise > 0:
            u = uniform(keys, turn, Stream.ESTIMATE, i)
            X[i] = np.clip(X[i] + v.noise * (2.0 * u - 1.0), v.min, v.max)
    return X


def estimate_bounds(scenario: Scenario, est: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(V, B) low and high ends of the range the player sees around estimates ``est`` (``estimate_rows``): the
    estimate +- the meter's noise, within its bounds, so the range always holds the true value. Rows of
    variables that are not hidden are the values themselves."""
    noise = np.array([v.noise if v.hidden else 0.0 for v in scenario.variables]).reshape(-1, 1)
    lo = np.array([v.min for v in scenario.variables]).reshape(-1, 1)
    hi = np.array([v.max for v in scenario.variables]).reshape(-1, 1)
    return np.maximum(lo, est - noise), np.minimum(hi, est + noise)


class Game:
    """A scenario compiled for play. Immutable; create states with ``new_games``.

    >>> from game.format.scenario import load_scenario
    >>> game = Game(load_scenario("scenarios/tutorial.toml"))
    >>> state = game.new_games(seed=1, count=4)
    >>> while not state.over:
    ...     state.apply(np.zeros(4, dtype=np.int64))  # always the first option (always available)
    >>> state.endings().shape
    (4,)
    """

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.compiled = compile_scenario(scenario)

    def new_games(
        self, seed: int, first_game: int = 0, count: int = 1, *, trace: bool = False, observer: Observer | None = None
    ) -> State:
        """Start games ``first_game .. first_game + count - 1`` of ``seed``; trace records every change;
        ``observer(state, moment)`` is called at each ``Moment`` of every turn (never in forks)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        if not 0 <= seed < 2**64 or first_game < 0:
            raise ValueError("seed and first_game must be non-negative (seed below 2**64)")
        return State(self, seed, np.arange(first_game, first_game + count, dtype=np.int64), trace, observer)


class State:
    """B games at a decision point. Public methods index games by their position in the batch.

    The per-game arrays are in ``col`` (compacted as games end), the results of ended games in ``results``
    (never compacted), this turn's decision tables in ``draws``; the rest is shared by the whole batch.
    """

    game: Game
    scenario: Scenario
    compiled: Compiled
    seed: int
    trace: bool
    B0: int  # games in the batch
    batch_games: np.ndarray  # (B0,) game index of each position in the batch (never compacted)
    col: Columns
    results: Results
    draws: TurnDraws
    dirty: set[int]  # rows changed since the last clamp
    event_hits: np.ndarray  # (E,) how often each event fired (all games)
    option_hits: np.ndarray  # (O + 1,) how often each option was chosen
    turn: int
    slot: int
    env: dict[str, float]  # the built-in names of the current turn
    over: bool
    log: list[TraceEntry]  # with trace: every change, in order
    history: list[np.ndarray]  # with trace: the values at the start and after each turn
    score_history: list[np.ndarray]  # with trace: (components, B) what each component counted, per turn
    choices_made: list[tuple[int, int, np.ndarray]]  # with trace: (turn, slot, local choice per game)
    observer: Observer | None  # looks at the live games at each Moment of a turn (read only)

    def __init__(self, game: Game, seed: int, games: np.ndarray, trace: bool, observer: Observer | None = None):
        self.game = game
        self.scenario = game.scenario
        c = self.compiled = game.compiled
        self.seed = seed
        self.trace = trace
        B = self.B0 = len(games)
        self.batch_games = games
        keys = game_keys(seed, games)
        # starting values: ranges are drawn per game from the START stream (slot = variable)
        X = np.repeat(c.start_lo.reshape(-1, 1), B, axis=1)
        for i in np.flatnonzero(c.start_hi > c.start_lo):
            u = uniform(keys, 0, Stream.START, int(i))
            X[i] = c.start_lo[i] + u * (c.start_hi[i] - c.start_lo[i])
        self.col = Columns.start(c, B, X=X, keys=keys, games=games)
        self.results = Results.empty(c.V, B, c.T, c.R)
        self.dirty = set()
        self.event_hits = np.zeros(c.E, dtype=np.int64)
        self.option_hits = np.zeros(c.O + 1, dtype=np.int64)
        self.turn = 0
        self.slot = 0
        self.over = False
        self.log = []
        self.history = [X.copy()] if trace else []
        self.score_history = [np.zeros((len(c.score), B))] if trace else []
        self.choices_made = []
        self.observer = observer
        self._begin_turn(1)
        self._open_slot()

    # ================================================================== public surface
    @property
    def count(self) -> int:
        return self.B0

    def pending_events(self) -> np.ndarray:
        """(B,) index of the event awaiting a decision in each game, -1 where none (or the game is over)."""
        out = np.full(self.B0, -1, dtype=np.int32)
        out[self.col.position] = np.where(self.col.alive, self.col.pending, -1)
        return out

    def available_options(self) -> np.ndarray:
        """(B, K) which options of the pending event can be chosen."""
        out = np.zeros((self.B0, self.compiled.K), dtype=bool)
        out[self.col.position] = self.col.avail & self.col.alive[:, None]
        return out

    def apply(self, choices) -> None:
        """Apply one choice (an option index within the pending event) per game, then run on.

        Choices of games without a pending decision are ignored. Raises ``ValueError`` for a choice that is
        not available, and changes nothing in that case.
        """
        if self.over:
            raise ValueError("all games are over")
        choices = np.asarray(choices, dtype=np.int64).reshape(-1)
        if choices.shape != (self.B0,):
            raise ValueError(f"expected {self.B0} choices, got {choices.shape[0]}")
        local = choices[self.col.position]
        bad = self._first_unavailable(local)
        if bad >= 0:
            b = int(self.col.position[bad])
            raise ValueError(f"game {b}: option {int(choices[b])} is not available")
        self._apply_choices(np.where(self.col.pending >= 0, local, 0))

    def _first_unavailable(self, local: np.ndarray) -> int:
        """The first live column whose choice is out of range or unavailable, or -1."""
        active = self.col.pending >= 0
        inside = active & (local >= 0) & (local < self.compiled.K)
        ok = np.zeros_like(active)
        ok[inside] = self.col.avail[np.flatnonzero(inside), local[inside]]
        wrong = np.flatnonzero(active & ~ok)
        return int(wrong[0]) if wrong.size else -1

    def run(self, policy: Policy) -> None:
        """Play every game to its end with a policy."""
        while not self.over:
            self.step(policy)

    def step(self, policy: Policy) -> None:
        """One decision for every game, chosen by ``policy``."""
        view = BatchView(self)
        try:
            choices = np.asarray(policy(view), dtype=np.int64).reshape(-1)
        finally:
            view.release()
        if choices.shape != self.col.pending.shape:
            raise ValueError(f"policy returned {choices.shape} choices for {self.col.pending.shape[0]} games")
        if self._first_unavailable(choices) >= 0:
            raise ValueError("policy chose an unavailable option")
        self._apply_choices(np.where(self.col.pending >= 0, choices, 0))

    def values(self) -> np.ndarray:
        """(V, B) the variables: final values for ended games, current values for the others."""
        out = self.results.X.copy()
        live = self.col.position[self.col.alive]
        out[:, live] = self.col.X[:, self.col.alive]
        return out

    def endings(self) -> np.ndarray:
        """(B,) index into ``scenario.endings`` for ended games, -1 while a game goes on."""
        return self.results.ending.astype(np.int64)

    def end_turns(self) -> np.ndarray:
        """(B,) the turn on which each game ended (0 while it goes on)."""
        return self.results.end_turn.astype(np.int64)

    def scores(self) -> np.ndarray:
        """(B,) final score (with the ending's bonus) for ended games, the running score otherwise."""
        out = self.results.score.copy()
        out[self.col.position[self.col.alive]] = self.col.score[self.col.alive]
        return out

    def memory(self) -> np.ndarray:
        """(R, B) the memory rows: final for ended games, current for the others."""
        out = self.results.mem.copy()
        out[:, self.col.position[self.col.alive]] = self.col.mem[:, self.col.alive]
        return out

    def visible_options(self) -> np.ndarray:
        """(B, K) which options of the pending event are offered (an option whose ``visible`` fails is not)."""
        out = np.zeros((self.B0, self.compiled.K), dtype=bool)
        out[self.col.position] = visible_now(self) & self.col.alive[:, None]
        return out

    def score_values(self) -> np.ndarray:
        """(components, B) each score component's value now (or at the end), unweighted and not averaged."""
        X = self.values()
        env = turn_env(self.scenario, max(1, min(self.turn, self.scenario.turns)))
        env[MEMORY] = self.memory()
        rows = [
            np.broadcast_to(np.asarray(ce(X, env), dtype=np.float64), (self.B0,)).copy()
            for ce, _w in self.compiled.score
        ]
        return np.array(rows).reshape(len(rows), self.B0)

    def score_components(self) -> np.ndarray:
        """(components, B) what each component counts now, weighted: ``weight x value`` for components
        over the final day; ``weight x`` the mean after each completed turn for those over the term (0
        before the first turn ends). Ended games give their final counts."""
        c = self.compiled
        out = self.score_values()
        for k, (_ce, w) in enumerate(c.score):
            r = c.score_term_row[k]
            if r < 0:
                out[k] = w * out[k]
                continue
            acc = self.results.term[r].copy()
            acc[self.col.position[self.col.alive]] = self.col.term_acc[r][self.col.alive]
            ended = self.results.ending >= 0
            done = np.where(ended, self.results.end_turn, self.turn - 1).astype(np.float64)
            out[k] = w * np.divide(acc, done, out=np.zeros_like(acc), where=done > 0)
        return out

    def estimates(self, turn: int | None = None) -> np.ndarray:
        """(V, B) what the player sees: hidden meters as value + noise (a fixed draw per turn and meter)."""
        return estimate_rows(
            self.scenario, self.values(), self.seed, self.batch_games, self.turn if turn is None else turn
        )

    def estimate_ranges(self, turn: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(V, B) the ranges the player sees for hidden meters at ``turn`` (see ``estimate_bounds``)."""
        return estimate_bounds(self.scenario, self.estimates(turn))

    def fork(self, game: int, copies: int, salt: int = 0) -> State:
        """``copies`` copies of one live game, each with its own random future (for Monte Carlo look-ahead).

        The copies share the game's present exactly; their keys are derived from (seed, game, turn, slot,
        salt), so the rollouts are reproducible but differ from each other and from the game itself. This
        state is left untouched: the copies own every array they may change.
        """
        j = np.flatnonzero(self.col.position == game)
        if not j.size or not self.col.alive[j[0]]:
            raise ValueError(f"game {game} is not in play")
        rollout_seed = int(uniform(self.col.keys[j], self.turn, Stream.ROLLOUT, self.slot * 7919 + salt)[0] * 2**53)
        return self.spawn(np.full(copies, j[0]), game_keys(rollout_seed, np.arange(copies)))

    def spawn(self, take: np.ndarray, keys: np.ndarray) -> State:
        """Copies of the live games at batch columns ``take`` (repeats allowed; ``col`` order, not game
        indices), the copy ``i`` drawing its future from ``keys[i]``. The copies are a new batch with no
        trace and no results yet; each remembers its parent's game index in ``col.games``. This state is
        left untouched: the copies own every array they may change."""
        take = np.asarray(take, dtype=np.intp)
        copies = take.shape[0]
        other = copy.copy(self)
        other.col = self.col.take(take)
        other.draws = self.draws.take(take)
        other.col.keys = np.asarray(keys, dtype=np.uint64).reshape(-1)
        other.col.position = np.arange(copies)
        other.batch_games = other.col.games
        other.B0 = copies
        other.results = Results.empty(self.compiled.V, copies, self.compiled.T, self.compiled.R)
        other._bind_env()
        other.trace = False
        other.observer = None  # forks imagine futures; what they do is nobody's record
        other.log, other.history, other.score_history, other.choices_made = [], [], [], []
        other.dirty = set(self.dirty)
        other.event_hits = np.zeros_like(self.event_hits)
        other.option_hits = np.zeros_like(self.option_hits)
        return other

    def shift(self, var: int, delta: float) -> None:
        """Add ``delta`` to variable ``var`` in every live game (clamped to its bounds), for impulse tests."""
        X = self.col.X
        X[var] += self.compiled.round_if_flag(var, float(delta))
        np.clip(X[var], self.compiled.lo[var, 0], self.compiled.hi[var, 0], out=X[var])

    def redo_snapshot(self) -> None:
        """Evaluate the rest of this turn's eligibility and weights again from the present values.

        For look-ahead from a belief: after the values were replaced (say, hidden meters redrawn from the
        player's estimate), the turn's draws must not depend on the values the snapshot was taken from.
        Events that already fired this turn stay excluded.
        """
        self.draws = snapshot(self, self.turn)
        draws = self.draws
        if draws.ids.size:
            fired = self.col.last_fired[draws.ids] == self.turn  # (n, B)
            draws.weights[fired] = 0
            np.cumsum(draws.weights, axis=0, out=draws.cum)

    # ================================================================== turn phases
    def _begin_turn(self, turn: int) -> None:
        c = self.compiled
        self.turn = turn
        self.env = turn_env(self.scenario, turn)
        self._bind_env()
        if c.L:
            end_lastings(self, turn)
            clamp(self, 0)
        if c.chance_events:
            roll_chances(self, turn)
        if self.observer is not None:
            self.observer(self, Moment.NEWS)
        # phase 1: scheduled news
        if c.scheduled_news:
            D = self.col.due[c.news_rows]
            hits = (D > 0) & (turn >= D)
            for n in np.flatnonzero(hits.any(axis=1)):
                e = c.scheduled_news[n]
                hit = hits[n]
                self.col.due[e] = np.where(hit, 0, self.col.due[e])
                fire = hit & condition(self, c.event_when[e]) & self.col.alive
                if c.once[e]:
                    fire &= self.col.last_fired[e] < 0
                if c.v2:
                    fire &= within_limits(self, e, turn)
                if np.count_nonzero(fire):
                    self.event_hits[e] += int(fire.sum())
                    self.col.last_fired[e] = np.where(fire, turn, self.col.last_fired[e])
                    idx = np.where(fire, e, -1).astype(np.int32)
                    if c.R:
                        remember(self, c.mem_event_row, idx)
                    self._fire(Cause.NEWS, idx, 1000 + e, 0)
        clamp(self, 0)
        # phase 2: drift and standing rules
        if c.has_drift:
            before = self.col.X.copy() if self.trace else None
            expr_deltas = [
                (i, c.drift_const[i, 0] + c.round_if_flag(i, np.asarray(ce(self.col.X, self.env), dtype=np.float64)))
                for i, ce in c.drift_exprs
            ]
            const_rows = [r for r in c.drift_rows.tolist() if r not in dict(c.drift_exprs)]
            for r in const_rows:
                self.col.X[r] += c.drift_const[r, 0]
            for i, d in expr_deltas:
                self.col.X[i] += d
            self.dirty.update(const_rows)
            self.dirty.update(i for i, _ in expr_deltas)
            if self.trace:
                record(self, Cause.DRIFT, ("drift",), np.zeros(self.col.X.shape[1], dtype=np.int32), before, 0)
        for _rule, when, bundles in c.rules:
            apply_rule(self, bundles, condition(self, when), 0)
        clamp(self, 0)
        # phase 3: eligibility snapshot
        if self.observer is not None:
            self.observer(self, Moment.DECISIONS)
        self.draws = snapshot(self, turn)
        self.slot = 0

    def _open_slot(self) -> None:
        """Fill decision slots until some game has a decision pending, ending turns as needed."""
        c = self.compiled
        while True:
            overflow = self.slot >= self.scenario.decisions
            if overflow and not (c.v2 and any(np.count_nonzero(now) for _e, now in self.draws.due_now)):
                self._end_turn()
                if self.over:
                    return
                self._begin_turn(self.turn + 1)  # a loop, not recursion: long quiet stretches are fine
                continue
            turn = self.turn
            B = self.col.X.shape[1]
            pend = np.full(B, -1, dtype=np.int32)
            for e, now in self.draws.due_now:  # the first due event in file order
                take = now & (pend < 0)
                if np.count_nonzero(take):
                    pend = np.where(take, e, pend).astype(np.int32)
                    now &= ~take
            need = (pend < 0) & self.col.alive
            if self.draws.ids.size and not overflow and np.count_nonzero(need):
                pend = np.where(need, draw_event(self, need), pend).astype(np.int32)
            if not np.count_nonzero(pend >= 0):
                self.slot += 1
                continue
            cols = np.flatnonzero(pend >= 0)
            self.event_hits += np.bincount(pend[cols], minlength=c.E)
            self.col.last_fired[pend[cols], cols] = turn
            self.col.due[pend[cols], cols] = 0
            if c.R:
                remember(self, c.mem_event_row, pend)
            if self.draws.ids.size:
                pos = self.draws.position[np.where(pend >= 0, pend, c.E)]
                w = np.where(pos >= 0, self.draws.weights[np.maximum(pos, 0), np.arange(B)], 0)
                self.draws.excluded.append((pos, w))
            if self.trace or not c.event_bundles.empty or c.event_branches:
                self._fire(Cause.EVENT, pend, self.slot, self.slot)
            clamp(self, self.slot)
            self.col.pending = pend
            self.col.avail = availability(self)
            return

    def _apply_choices(self, local: np.ndarray) -> None:
        """Apply local option indices for the pending games, then move to the next decision."""
        c = self.compiled
        pend = self.col.pending
        active = pend >= 0
        g = np.where(active, c.option_offset[np.where(active, pend, c.E)] + local, -1).astype(np.int32)
        if self.trace:
            self.choices_made.append((self.turn, self.slot, np.where(active, local, -1)))
        if c.R:
            remember(self, c.mem_option_row, g)
        branch = option_branches(self, g)
        opt_parts = prepare(self, c.option_bundles, g)
        # no branch happened anywhere: nothing to apply (the trace still records the empty branch)
        br_parts = prepare(self, c.branch_bundles, branch) if c.branches and (self.trace or branch.max() >= 0) else None
        commit(self, Cause.OPTION, c.option_bundles, g, opt_parts, self.slot)
        if br_parts is not None:
            commit(self, Cause.BRANCH, c.branch_bundles, branch, br_parts, self.slot)
        if c.L:
            start_lastings(self, g)
        hits = np.bincount(g + 1, minlength=c.O + 1)  # entry 0: no option (-1), the last of option_hits
        self.option_hits[: c.O] += hits[1:]
        self.option_hits[c.O] += hits[0]
        if c.tags:
            self.col.tag_counts += c.tag_matrix[g].T
        clamp(self, self.slot)
        self.col.pending = np.full(self.col.X.shape[1], -1, dtype=np.int32)
        self.slot += 1
        self._open_slot()

    def _fire(self, kind: Cause, idx: np.ndarray, draw_slot: int, slot: int) -> None:
        """Event ``idx[b]`` fires in each game: its effects and one of its own chance branches, both computed
        from the state before either applies."""
        c = self.compiled
        branch = None
        if c.event_branches:
            u = lambda: uniform(self.col.keys, self.turn, Stream.EVENT_BRANCH, draw_slot)  # noqa: E731
            branch = pick_branch(self, idx, c.event_branch_offset, c.event_branch_chance, c.events_with_branches, u)
        parts = prepare(self, c.event_bundles, idx)
        if branch is not None and not self.trace and branch.max() < 0:
            branch = None  # no branch happened anywhere: nothing to apply
        branch_parts = prepare(self, c.event_branch_bundles, branch) if branch is not None else None
        commit(self, kind, c.event_bundles, idx, parts, slot)
        if branch_parts is not None:
            commit(self, Cause.EVENT_BRANCH, c.event_branch_bundles, branch, branch_parts, slot)

    def _end_turn(self) -> None:
        c = self.compiled
        turn = self.turn
        if self.observer is not None:
            self.observer(self, Moment.TURN_END)
        acc = self.col.term_acc

        def counted(r: int, value: np.ndarray) -> np.ndarray:  # over the term: the mean after each turn played
            acc[r] += value
            return acc[r] / turn

        parts: list[np.ndarray] = []
        score = score_sum(c, self.col.X, self.env, counted, parts if self.trace else None)
        self.col.score = score
        if self.trace:
            self.score_history.append(np.array(parts).reshape(len(parts), -1))
        ending = np.full(self.col.X.shape[1], -1, dtype=np.int16)
        checks = c.early + (c.final if turn >= self.scenario.turns else [])
        for k, when in checks:
            hit = (ending < 0) & self.col.alive & condition(self, when)
            ending = np.where(hit, k, ending).astype(np.int16)
        ended = ending >= 0
        if self.trace:
            self.history.append(self.col.X.copy())
        if np.count_nonzero(ended):
            cols = self.col.position[ended]
            self.results.X[:, cols] = self.col.X[:, ended]
            if c.T:
                self.results.term[:, cols] = self.col.term_acc[:, ended]
            if c.R:
                self.results.mem[:, cols] = self.col.mem[:, ended]
            self.results.ending[cols] = ending[ended]
            self.results.end_turn[cols] = turn
            self.results.score[cols] = score[ended] + c.ending_bonus[ending[ended]]
            self.col.alive &= ~ended
        if not np.count_nonzero(self.col.alive):
            self.over = True
            self.col.pending[:] = -1
            return
        dead = int((~self.col.alive).sum())
        if not self.trace and dead * 4 > self.col.alive.shape[0]:
            self._compact()

    def _compact(self) -> None:
        """Drop the columns of ended games (their results are kept in ``results``)."""
        self.col = self.col.take(np.flatnonzero(self.col.alive))
        self._bind_env()

    def _bind_env(self) -> None:
        """Point the env's memory entry at this state's memory array (a fresh dict: copies share none)."""
        if self.compiled.R:
            self.env = {**self.env, MEMORY: self.col.mem}
