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

Layout is (variable, game): ``X`` is ``(V, B)``. Games that end stay in the arrays (masked by ``alive``)
until a quarter of the columns are dead, then the arrays are compacted; results of ended games live in
arrays indexed by the game's position in the original batch.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

from ..model import Scenario
from .changes import ChangeMixin, TraceEntry
from .changes import as_bool as _as_bool
from .compiled import compile_scenario, turn_env
from .draws import EventDrawMixin
from .lookahead import expected_scores
from .rng import Stream, game_keys, uniform

__all__ = ["BatchView", "Game", "Policy", "State", "TraceEntry", "estimate_rows"]

NEVER = -1_000_000


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


class Game:
    """A scenario compiled for play. Immutable; create states with ``new_games``.

    >>> from game.scenario import load_scenario
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

    def new_games(self, seed: int, first_game: int = 0, count: int = 1, *, trace: bool = False) -> State:
        """Start games ``first_game .. first_game + count - 1`` of ``seed``; trace records every change."""
        if count < 1:
            raise ValueError("count must be at least 1")
        if not 0 <= seed < 2**64 or first_game < 0:
            raise ValueError("seed and first_game must be non-negative (seed below 2**64)")
        return State(self, seed, np.arange(first_game, first_game + count, dtype=np.int64), trace)


class BatchView:
    """What a policy sees: the live games at the current decision (read-only arrays)."""

    def __init__(self, state: State):
        self._state = state
        self.compiled = state.compiled
        self.X = state.X
        self.pending = state.pending
        self.available = state.avail
        self.turn = state.turn
        self.slot = state.slot
        self.games = state.games
        self.columns = state.cols  # each live game's position in the batch it started in
        self.tags = state.tags  # sorted option tags; rows of tag_counts, columns of tag_matrix
        self.tag_counts = state.tag_counts  # (tags, B) how often each game chose an option with each tag
        self.tag_matrix = state.tag_matrix  # (options + 1, tags) 1 where an option has a tag
        for arr in (self.X, self.pending, self.available):
            arr.flags.writeable = False

    def uniform(self, stream: int = Stream.POLICY) -> np.ndarray:
        """Uniform draws in [0, 1) for this decision, one per game."""
        return uniform(self._state.keys, self.turn, stream, self.slot)

    def expected_scores(self) -> np.ndarray:
        """(B, K) score of the expected state after each option (-inf where unavailable)."""
        return expected_scores(self._state)

    def believed_futures(self, cols, options, rollouts: int, policy: Policy, horizon: int | None = None,
                         salt: int = 0):
        """Monte Carlo rollouts of options from what the player knows (``game.engine.rollouts``); ``cols`` are
        rows of this view's arrays."""
        from .rollouts import believed_futures

        return believed_futures(self._state, cols, options, rollouts, policy, horizon, salt)

    def release(self) -> None:
        for arr in (self.X, self.pending, self.available):
            arr.flags.writeable = True


Policy = Callable[[BatchView], np.ndarray]


class State(EventDrawMixin, ChangeMixin):
    """B games at a decision point. Public methods index games by their position in the batch."""

    def __init__(self, game: Game, seed: int, games: np.ndarray, trace: bool):
        self.game = game
        self.scenario = game.scenario
        c = self.compiled = game.compiled
        self.seed = seed
        self.trace = trace
        B = self.B0 = len(games)
        self.batch_games = games  # game index of each position in the batch (never compacted)
        self.games = games
        self.cols = np.arange(B)
        self.keys = game_keys(seed, games)
        # starting values: ranges are drawn per game from the START stream (slot = variable)
        X = np.repeat(c.start_lo.reshape(-1, 1), B, axis=1)
        for i in np.flatnonzero(c.start_hi > c.start_lo):
            u = uniform(self.keys, 0, Stream.START, int(i))
            X[i] = c.start_lo[i] + u * (c.start_hi[i] - c.start_lo[i])
        self.X = X
        self.last_fired = np.full((c.E, B), NEVER, dtype=np.int32)
        self.due = np.zeros((c.E, B), dtype=np.int32)
        for e, turn in c.dated:
            self.due[e] = turn
        self.tags = c.tags
        self.tag_matrix = c.tag_matrix
        self.tag_counts = np.zeros((len(self.tags), B), dtype=np.int32)
        self.alive = np.ones(B, dtype=bool)
        self.dirty: set[int] = set()  # rows changed since the last clamp
        self.event_hits = np.zeros(c.E, dtype=np.int64)  # how often each event fired (all games)
        self.option_hits = np.zeros(c.O + 1, dtype=np.int64)  # how often each option was chosen
        self.pending = np.full(B, -1, dtype=np.int32)
        self.avail = np.zeros((B, c.K), dtype=bool)
        self.score = np.zeros(B)
        self.res_X = np.zeros((c.V, B))
        self.res_ending = np.full(B, -1, dtype=np.int16)
        self.res_end_turn = np.zeros(B, dtype=np.int16)
        self.res_score = np.zeros(B)
        # score components counted over the term: running sums per game (no rows when none is)
        self.term_acc = np.zeros((c.T, B))
        self.res_term = np.zeros((c.T, B))
        self.turn = 0
        self.slot = 0
        self.over = False
        self.log: list[TraceEntry] = []
        self.history: list[np.ndarray] = [X.copy()] if trace else []
        self.score_history: list[np.ndarray] = [np.zeros((len(c.score), B))] if trace else []
        self.choices_made: list[tuple[int, int, np.ndarray]] = []
        self._begin_turn(1)
        self._open_slot()

    # ================================================================== public surface
    @property
    def count(self) -> int:
        return self.B0

    def pending_events(self) -> np.ndarray:
        """(B,) index of the event awaiting a decision in each game, -1 where none (or the game is over)."""
        out = np.full(self.B0, -1, dtype=np.int32)
        out[self.cols] = np.where(self.alive, self.pending, -1)
        return out

    def available_options(self) -> np.ndarray:
        """(B, K) which options of the pending event can be chosen."""
        out = np.zeros((self.B0, self.compiled.K), dtype=bool)
        out[self.cols] = self.avail & self.alive[:, None]
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
        local = choices[self.cols]
        bad = self._first_unavailable(local)
        if bad >= 0:
            b = int(self.cols[bad])
            raise ValueError(f"game {b}: option {int(choices[b])} is not available")
        self._apply_choices(np.where(self.pending >= 0, local, 0))

    def _first_unavailable(self, local: np.ndarray) -> int:
        """The first live column whose choice is out of range or unavailable, or -1."""
        active = self.pending >= 0
        inside = active & (local >= 0) & (local < self.compiled.K)
        ok = np.zeros_like(active)
        ok[inside] = self.avail[np.flatnonzero(inside), local[inside]]
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
        if choices.shape != self.pending.shape:
            raise ValueError(f"policy returned {choices.shape} choices for {self.pending.shape[0]} games")
        if self._first_unavailable(choices) >= 0:
            raise ValueError("policy chose an unavailable option")
        self._apply_choices(np.where(self.pending >= 0, choices, 0))

    def values(self) -> np.ndarray:
        """(V, B) the variables: final values for ended games, current values for the others."""
        out = self.res_X.copy()
        live = self.cols[self.alive]
        out[:, live] = self.X[:, self.alive]
        return out

    def endings(self) -> np.ndarray:
        """(B,) index into ``scenario.endings`` for ended games, -1 while a game goes on."""
        return self.res_ending.astype(np.int64)

    def end_turns(self) -> np.ndarray:
        """(B,) the turn on which each game ended (0 while it goes on)."""
        return self.res_end_turn.astype(np.int64)

    def scores(self) -> np.ndarray:
        """(B,) final score (with the ending's bonus) for ended games, the running score otherwise."""
        out = self.res_score.copy()
        out[self.cols[self.alive]] = self.score[self.alive]
        return out

    def score_values(self) -> np.ndarray:
        """(components, B) each score component's value now (or at the end), unweighted and not averaged."""
        X = self.values()
        env = turn_env(self.scenario, max(1, min(self.turn, self.scenario.turns)))
        rows = [np.broadcast_to(np.asarray(ce(X, env), dtype=np.float64), (self.B0,)).copy()
                for ce, _w in self.compiled.score]
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
            acc = self.res_term[r].copy()
            live = self.cols[self.alive]
            acc[live] = self.term_acc[r][self.alive]
            done = np.where(self.res_ending >= 0, self.res_end_turn, self.turn - 1).astype(np.float64)
            out[k] = w * np.divide(acc, done, out=np.zeros_like(acc), where=done > 0)
        return out

    def estimates(self, turn: int | None = None) -> np.ndarray:
        """(V, B) what the player sees: hidden meters as value + noise (a fixed draw per turn and meter)."""
        return estimate_rows(self.scenario, self.values(), self.seed, self.batch_games,
                             self.turn if turn is None else turn)

    def clone(self) -> State:
        """An independent copy (for look-ahead)."""
        other = copy.copy(self)
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray):
                setattr(other, name, value.copy())
            elif isinstance(value, (list, set)):
                setattr(other, name, type(value)(value))
        other.due_now = [(e, now.copy()) for e, now in self.due_now]  # updated in place during the turn
        return other

    def fork(self, game: int, copies: int, salt: int = 0) -> State:
        """``copies`` copies of one live game, each with its own random future (for Monte Carlo look-ahead).

        The copies share the game's present exactly; their keys are derived from (seed, game, turn, slot,
        salt), so the rollouts are reproducible but differ from each other and from the game itself.
        """
        j = np.flatnonzero(self.cols == game)
        if not j.size or not self.alive[j[0]]:
            raise ValueError(f"game {game} is not in play")
        rollout_seed = int(uniform(self.keys[j], self.turn, Stream.ROLLOUT, self.slot * 7919 + salt)[0] * 2**53)
        return self.spawn(np.full(copies, j[0]), game_keys(rollout_seed, np.arange(copies)))

    def spawn(self, take: np.ndarray, keys: np.ndarray) -> State:
        """Copies of the live games at batch columns ``take`` (repeats allowed; ``self.cols`` order, not game
        indices), the copy ``i`` drawing its future from ``keys[i]``. The copies are a new batch with no
        trace and no results yet; each remembers its parent's game index in ``games``."""
        take = np.asarray(take, dtype=np.intp)
        copies = take.shape[0]
        other = copy.copy(self)
        for name in ("X", "last_fired", "due", "tag_counts", "term_acc"):
            setattr(other, name, np.ascontiguousarray(getattr(self, name)[:, take]))
        for name in ("score", "pending", "avail", "alive"):
            setattr(other, name, getattr(self, name)[take].copy())
        other.keys = np.asarray(keys, dtype=np.uint64).reshape(-1)
        other.games = self.games[take].copy()
        other.batch_games = other.games
        other.cols = np.arange(copies)
        other.B0 = copies
        other.trace = False
        other.log, other.history, other.choices_made = [], [], []
        other.dirty = set(self.dirty)
        other.res_X = np.zeros((self.compiled.V, copies))
        other.res_ending = np.full(copies, -1, dtype=np.int16)
        other.res_end_turn = np.zeros(copies, dtype=np.int16)
        other.res_score = np.zeros(copies)
        other.res_term = np.zeros((self.compiled.T, copies))
        other.event_hits = np.zeros_like(self.event_hits)
        other.option_hits = np.zeros_like(self.option_hits)
        other.cum = np.ascontiguousarray(self.cum[:, take])
        other.draw_w = np.ascontiguousarray(self.draw_w[:, take])
        other.excluded = [(p[take].copy(), w[take].copy()) for p, w in self.excluded]
        other.due_now = [(e, now[take].copy()) for e, now in self.due_now]
        return other

    def shift(self, var: int, delta: float) -> None:
        """Add ``delta`` to variable ``var`` in every live game (clamped to its bounds), for impulse tests."""
        self.X[var] += self.compiled.round_if_flag(var, float(delta))
        np.clip(self.X[var], self.compiled.lo[var, 0], self.compiled.hi[var, 0], out=self.X[var])

    def redo_snapshot(self) -> None:
        """Evaluate the rest of this turn's eligibility and weights again from the present values.

        For look-ahead from a belief: after the values were replaced (say, hidden meters redrawn from the
        player's estimate), the turn's draws must not depend on the values the snapshot was taken from.
        Events that already fired this turn stay excluded.
        """
        self._snapshot(self.turn)
        if self.draw_ids.size:
            fired = self.last_fired[self.draw_ids] == self.turn  # (n, B)
            self.draw_w[fired] = 0
            np.cumsum(self.draw_w, axis=0, out=self.cum)

    # ================================================================== turn phases
    def _begin_turn(self, turn: int) -> None:
        c = self.compiled
        self.turn = turn
        self.env = turn_env(self.scenario, turn)
        # phase 1: scheduled news
        if c.scheduled_news:
            D = self.due[c.news_rows]
            hits = (D > 0) & (turn >= D)
            for n in np.flatnonzero(hits.any(axis=1)):
                e = c.scheduled_news[n]
                hit = hits[n]
                self.due[e] = np.where(hit, 0, self.due[e])
                fire = hit & self._cond(c.event_when[e]) & self.alive
                if c.once[e]:
                    fire &= self.last_fired[e] < 0
                if np.count_nonzero(fire):
                    self.event_hits[e] += int(fire.sum())
                    self.last_fired[e] = np.where(fire, turn, self.last_fired[e])
                    idx = np.where(fire, e, -1).astype(np.int32)
                    self._fire("news", idx, 1000 + e, 0)
        self._clamp(0)
        # phase 2: drift and standing rules
        if c.has_drift:
            before = self.X.copy() if self.trace else None
            expr_deltas = [(i, c.drift_const[i, 0] + c.round_if_flag(i, np.asarray(ce(self.X, self.env),
                                                                                   dtype=np.float64)))
                           for i, ce in c.drift_exprs]
            const_rows = [r for r in c.drift_rows.tolist() if r not in dict(c.drift_exprs)]
            for r in const_rows:
                self.X[r] += c.drift_const[r, 0]
            for i, d in expr_deltas:
                self.X[i] += d
            self.dirty.update(const_rows)
            self.dirty.update(i for i, _ in expr_deltas)
            if self.trace:
                self._record("drift", ("drift",), np.zeros(self.X.shape[1], dtype=np.int32), before, 0)
        for _rule, when, bundles in c.rules:
            applies = self._cond(when)
            if isinstance(applies, np.ndarray) and not np.count_nonzero(applies):
                continue
            idx = np.where(applies, 0, -1).astype(np.int32)
            self._commit("rule", bundles, idx, self._prepare(bundles, idx), 0)
        self._clamp(0)
        # phase 3: eligibility snapshot
        self._snapshot(turn)
        self.slot = 0

    def _open_slot(self) -> None:
        """Fill decision slots until some game has a decision pending, ending turns as needed."""
        c = self.compiled
        while True:
            if self.slot >= self.scenario.decisions:
                self._end_turn()
                if self.over:
                    return
                self._begin_turn(self.turn + 1)  # a loop, not recursion: long quiet stretches are fine
                continue
            turn = self.turn
            B = self.X.shape[1]
            pend = np.full(B, -1, dtype=np.int32)
            for e, now in self.due_now:  # the first due event in file order
                take = now & (pend < 0)
                if np.count_nonzero(take):
                    pend = np.where(take, e, pend).astype(np.int32)
                    now &= ~take
            need = (pend < 0) & self.alive
            if self.draw_ids.size and np.count_nonzero(need):
                pend = np.where(need, self._draw_event(need), pend).astype(np.int32)
            if not np.count_nonzero(pend >= 0):
                self.slot += 1
                continue
            cols = np.flatnonzero(pend >= 0)
            self.event_hits += np.bincount(pend[cols], minlength=c.E)
            self.last_fired[pend[cols], cols] = turn
            self.due[pend[cols], cols] = 0
            if self.draw_ids.size:
                pos = self.draw_pos[np.where(pend >= 0, pend, c.E)]
                w = np.where(pos >= 0, self.draw_w[np.maximum(pos, 0), np.arange(B)], 0)
                self.excluded.append((pos, w))
            if self.trace or not c.event_bundles.empty or c.event_branches:
                self._fire("event", pend, self.slot, self.slot)
            self._clamp(self.slot)
            self.pending = pend
            self._availability()
            return

    def _availability(self) -> None:
        c = self.compiled
        pend = self.pending
        safe = np.where(pend >= 0, pend, c.E)
        count = c.option_count[safe]
        offset = c.option_offset[safe]
        avail = np.arange(c.K)[None, :] < count[:, None]
        if c.cost_rows.size:
            held = self.X[c.cost_rows].T  # (B, Vc)
            for k in range(c.K):
                g = np.where(k < count, offset + k, c.O)
                avail[:, k] &= ((held - c.cost_table[g]) >= c.cost_floor).all(axis=1)
        for g, ce in c.option_available:
            e = c.option_event[g]
            mask = pend == e
            if np.count_nonzero(mask):
                k = g - c.option_offset[e]
                avail[:, k] &= ~mask | _as_bool(ce.truth(self.X, self.env), mask.shape)
        self.avail = avail

    def _apply_choices(self, local: np.ndarray) -> None:
        """Apply local option indices for the pending games, then move to the next decision."""
        c = self.compiled
        pend = self.pending
        active = pend >= 0
        g = np.where(active, c.option_offset[np.where(active, pend, c.E)] + local, -1).astype(np.int32)
        if self.trace:
            self.choices_made.append((self.turn, self.slot, np.where(active, local, -1)))
        branch = self._pick_branches(g)
        opt_parts = self._prepare(c.option_bundles, g)
        br_parts = self._prepare(c.branch_bundles, branch) if c.branches else None
        self._commit("option", c.option_bundles, g, opt_parts, self.slot)
        if br_parts is not None:
            self._commit("branch", c.branch_bundles, branch, br_parts, self.slot)
        self.option_hits += np.bincount(g + 1, minlength=c.O + 1)[np.r_[1:c.O + 1, 0]]
        if self.tags:
            self.tag_counts += self.tag_matrix[g].T
        self._clamp(self.slot)
        self.pending = np.full(self.X.shape[1], -1, dtype=np.int32)
        self.slot += 1
        self._open_slot()

    def _pick_branches(self, g: np.ndarray) -> np.ndarray:
        """The chance branch of the chosen option in each game (-1 for none)."""
        c = self.compiled
        if not c.branches:
            return np.full(g.shape, -1, dtype=np.int32)
        u = uniform(self.keys, self.turn, Stream.BRANCH, self.slot)
        return self._pick(g, c.branch_offset, c.branch_chance, c.options_with_branches, u)

    def _fire(self, kind: str, idx: np.ndarray, draw_slot: int, slot: int) -> None:
        """Event ``idx[b]`` fires in each game: its effects and one of its own chance branches, both computed
        from the state before either applies."""
        c = self.compiled
        branch = None
        if c.event_branches:
            u = uniform(self.keys, self.turn, Stream.EVENT_BRANCH, draw_slot)
            branch = self._pick(idx, c.event_branch_offset, c.event_branch_chance, c.events_with_branches, u)
        parts = self._prepare(c.event_bundles, idx)
        branch_parts = self._prepare(c.event_branch_bundles, branch) if branch is not None else None
        self._commit(kind, c.event_bundles, idx, parts, slot)
        if branch_parts is not None:
            self._commit("event_branch", c.event_branch_bundles, branch, branch_parts, slot)

    def _pick(self, owner: np.ndarray, offsets, chances, owners_with: list[int], u: np.ndarray) -> np.ndarray:
        """One uniform draw per game picks at most one branch of its owner (option or event): the first
        whose cumulative chance exceeds the draw; chances are clamped to 0..1 and capped at a total of 1."""
        branch = np.full(owner.shape, -1, dtype=np.int32)
        for o in owners_with:
            mask = owner == o
            if not np.count_nonzero(mask):
                continue
            cum = 0.0
            for j in range(offsets[o], offsets[o + 1]):
                ce = chances[j]
                if ce.const is not None:
                    p = min(max(ce.const, 0.0), 1.0)
                else:
                    p = np.minimum(np.maximum(ce(self.X, self.env), 0.0), 1.0)
                nxt = np.minimum(cum + p, 1.0) if isinstance(p, np.ndarray) or isinstance(cum, np.ndarray) \
                    else min(cum + p, 1.0)
                hit = mask & (u >= cum) & (u < nxt)
                branch = np.where(hit, j, branch)
                cum = nxt
        return branch

    def _end_turn(self) -> None:
        c = self.compiled
        turn = self.turn
        score = np.zeros(self.X.shape[1])
        parts = []
        for k, (ce, w) in enumerate(c.score):
            value = np.asarray(ce(self.X, self.env), dtype=np.float64)
            r = c.score_term_row[k]
            if r >= 0:  # counted over the term: the mean of the values after each turn played
                self.term_acc[r] += value
                value = self.term_acc[r] / turn
            score = score + w * value
            if self.trace:
                parts.append(np.broadcast_to(w * value, score.shape))
        self.score = score
        if self.trace:
            self.score_history.append(np.array(parts).reshape(len(parts), -1))
        ending = np.full(self.X.shape[1], -1, dtype=np.int16)
        checks = c.early + (c.final if turn >= self.scenario.turns else [])
        for k, when in checks:
            hit = (ending < 0) & self.alive & self._cond(when)
            ending = np.where(hit, k, ending).astype(np.int16)
        ended = ending >= 0
        if self.trace:
            self.history.append(self.X.copy())
        if np.count_nonzero(ended):
            cols = self.cols[ended]
            self.res_X[:, cols] = self.X[:, ended]
            if c.T:
                self.res_term[:, cols] = self.term_acc[:, ended]
            self.res_ending[cols] = ending[ended]
            self.res_end_turn[cols] = turn
            self.res_score[cols] = score[ended] + c.ending_bonus[ending[ended]]
            self.alive &= ~ended
        if not np.count_nonzero(self.alive):
            self.over = True
            self.pending[:] = -1
            return
        dead = int((~self.alive).sum())
        if not self.trace and dead * 4 > self.alive.shape[0]:
            self._compact()

    def _compact(self) -> None:
        keep = np.flatnonzero(self.alive)
        self.X = np.ascontiguousarray(self.X[:, keep])
        self.keys = self.keys[keep]
        self.games = self.games[keep]
        self.cols = self.cols[keep]
        self.last_fired = np.ascontiguousarray(self.last_fired[:, keep])
        self.due = np.ascontiguousarray(self.due[:, keep])
        self.tag_counts = np.ascontiguousarray(self.tag_counts[:, keep])
        self.term_acc = np.ascontiguousarray(self.term_acc[:, keep])
        self.score = self.score[keep]
        self.pending = self.pending[keep]
        self.avail = self.avail[keep]
        self.alive = self.alive[keep]
