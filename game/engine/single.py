"""The single-game engine: one game with its trace, for interactive play ("why did this change?").

The batched engine plays one game as a batch of one at about 2,000 numpy calls a turn; this engine plays the
reference engine's rules (``game.reference``) on Python floats instead, with each expression compiled once
into closures (``game.expr.compile_scalar``) and the names an expression may read kept up to date as values
change, rather than rebuilt. It records the same trace as the batched engine (the same ``TraceEntry`` at the
same points, deltas included) and gives the same results to the bit: tests/test_single_engine.py plays both
on every bundled scenario and fixture and on generated ones.

``SingleState`` has the surface of a batched ``State`` of one game that ``GameSession`` uses (``apply``,
``pending_events``, ``values``, ``log``, ``history``, ...); ``to_batch()`` gives the equivalent batched
``State`` at the same decision, for forks and the advisor's rollouts, which play many games at once.

>>> from game.format.scenario import load_scenario
>>> from game.engine import Game
>>> game = Game(load_scenario("scenarios/tutorial.toml"))
>>> single, batch = SingleState(game, seed=3, game_index=0), game.new_games(3, 0, 1, trace=True)
>>> while not single.over:
...     k = int(single.available_options()[0].argmax())
...     single.apply([k])
...     batch.apply([k])
>>> [e.kind for e in single.log] == [e.kind for e in batch.log]
True
>>> bool(single.scores()[0] == batch.scores()[0])
True
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ..expr import compile_scalar, memory_key
from ..model import Effect, EffectMode, Expr, FollowUp, ScoreOver, VarKind
from ..numeric import quantize_weight, round_half_away
from ..reference import ReferenceGame, SingleView
from .changes import Cause, TraceEntry
from .columns import Columns, Results
from .compiled import Compiled, since, turn_env
from .draws import TurnDraws
from .rng import Stream, game_key_scalar, uniform_scalar
from .state import Game, State, estimate_bounds, estimate_rows
from .view import BatchView

__all__ = ["SingleState", "SingleTables", "single_tables"]

Fn = Callable[[Mapping[str, float]], float]


class Bundle:
    """A bundle of changes as one game applies it: the constant part summed once (constants in file order,
    then costs: the order both engines sum them in), the expressions in file order, the follow-ups."""

    __slots__ = ("const_add", "const_set", "exprs", "follows")
    const_add: tuple[tuple[int, float], ...]
    const_set: tuple[tuple[int, float], ...]
    exprs: tuple[tuple[int, bool, Fn, bool], ...]
    follows: tuple[tuple[int, int], ...]

    def __init__(self, tables: SingleTables, effects: Sequence[Effect], follows: Sequence[FollowUp], costs=()):
        add: dict[int, float] = {}
        sets: dict[int, float] = {}
        for eff in effects:
            c = eff.value.constant
            if c is not None:
                i = tables.index[eff.var]
                if eff.mode is EffectMode.ADD:
                    add[i] = add.get(i, 0.0) + tables.flag_round(i, c)
                else:
                    sets[i] = tables.flag_round(i, c)
        for var, amount in costs:
            i = tables.index[var]
            add[i] = add.get(i, 0.0) - amount
        self.const_add = tuple(add.items())
        self.const_set = tuple(sets.items())
        self.exprs = tuple(
            (
                tables.index[eff.var],
                eff.mode is EffectMode.ADD,
                tables.fn(eff.value),
                tables.is_flag[tables.index[eff.var]],
            )
            for eff in effects
            if eff.value.constant is None
        )
        self.follows = tuple((tables.event_index[fu.event], fu.after) for fu in follows)


class SingleTables:
    """What the single-game engine needs of a scenario, built once per ``Game`` and shared by its games."""

    def __init__(self, game: Game):
        s = self.scenario = game.scenario
        c = self.compiled = game.compiled
        self.game = game
        self.vars = s.variables
        self.V = len(s.variables)
        self.ids = [v.id for v in s.variables]
        self.index = {v.id: i for i, v in enumerate(s.variables)}
        self.event_index = {e.id: i for i, e in enumerate(s.events)}
        self.lo = [v.min for v in s.variables]
        self.hi = [v.max for v in s.variables]
        self.is_flag = [v.kind is VarKind.FLAG for v in s.variables]
        self._fns: dict[int, tuple[Expr, Fn]] = {}  # id(expr) -> (expr kept alive, its closure)
        self.factions = [(i, v.weight) for i, v in enumerate(s.variables) if v.kind is VarKind.FACTION]
        self.faction_set = {i for i, _ in self.factions}
        self.faction_total = sum(w for _, w in self.factions)
        self.weight_fns = [
            self.fn(s.variables[i].weight_expr) if s.variables[i].weight_expr is not None else None  # type: ignore[arg-type]
            for i, _ in self.factions
        ]
        self.changing_weights = any(f is not None for f in self.weight_fns)
        # memory calls: per remembered reference, the env keys it feeds
        self.memory_calls = s.memory_calls()
        self.memory_keys: dict[str, list[tuple[str, bool]]] = {}
        for m in self.memory_calls:
            self.memory_keys.setdefault(m.ref, []).append((memory_key(m), m.fn == "since"))
        self.since_keys = [(memory_key(m), m.ref) for m in self.memory_calls if m.fn == "since"]
        self.lastings = s.lastings()
        self.lasting_index = {id(lt): k for k, lt in enumerate(self.lastings)}
        self.lasting_changes = [
            [(self.index[var], self.flag_round(self.index[var], amount)) for var, amount in lt.changes]
            for lt in self.lastings
        ]
        self.tags = c.tags
        # drift: the batched engine's rows and order
        self.has_drift = c.has_drift
        expr_rows = {i for i, _ in c.drift_exprs}
        self.drift_const = [(i, float(c.drift_const[i, 0])) for i in c.drift_rows.tolist() if i not in expr_rows]
        self.drift_exprs = [(i, float(c.drift_const[i, 0]), self.fn(s.variables[i].drift)) for i, _ in c.drift_exprs]  # type: ignore[arg-type]
        self.rules = [
            (self.fn(r.when) if r.when is not None else None, Bundle(self, r.effects, r.follow), (r.id,))
            for r in s.rules
        ]
        # events, options and branches, with the batched engine's global numbering and trace names
        self.event_names = tuple(c.event_bundles.names)
        self.option_names = tuple(c.option_bundles.names)
        self.branch_names = tuple(c.branch_bundles.names)
        self.event_branch_names = tuple(c.event_branch_bundles.names)
        self.any_event_branches = bool(c.event_branches)
        self.any_branches = bool(c.branches)
        self.cost_vars = sorted({self.index[var] for o in c.options for var, _ in o.cost})
        self.events = [EventInfo(self, e) for e in range(c.E)]
        self.scheduled_news = list(c.scheduled_news)
        self.scheduled_decisions = list(c.scheduled_decisions)
        self.random_events = list(c.random_events)
        self.score = [(self.fn(comp.value), comp.weight, comp.over is ScoreOver.TERM) for comp in s.score]
        self.early = [(k, self.fn(e.when) if e.when else None) for k, e in enumerate(s.endings) if e.early]
        self.final = [(k, self.fn(e.when) if e.when else None) for k, e in enumerate(s.endings) if not e.early]
        self.bonus = [e.bonus for e in s.endings]
        self.start_due = [e.date_turn or 0 for e in s.events]
        self.v2 = s.format >= 2

    def fn(self, expr: Expr) -> Fn:
        """The expression as closures (``compile_scalar``), compiled on first use."""
        found = self._fns.get(id(expr))
        if found is None:
            found = self._fns[id(expr)] = (expr, compile_scalar(expr.node))
        return found[1]

    def flag_round(self, i: int, v: float) -> float:
        return round_half_away(v) if self.is_flag[i] else v


class EventInfo:
    """One event as the single engine uses it: conditions and weight as closures, bundles, options."""

    __slots__ = (
        "branches",
        "bundle",
        "cooldown",
        "e",
        "event",
        "id",
        "max_fires",
        "once",
        "options",
        "weight",
        "weight_const",
        "when",
        "window",
    )

    def __init__(self, t: SingleTables, e: int):
        c = t.compiled
        ev = self.event = t.scenario.events[e]
        self.e = e
        self.id = ev.id
        self.when = t.fn(ev.when) if ev.when is not None else None
        self.weight_const = quantize_weight(ev.weight.constant) if ev.weight.constant is not None else None
        self.weight = t.fn(ev.weight)
        self.once = ev.once
        self.cooldown = ev.cooldown
        self.max_fires = ev.max_fires
        self.window = (ev.from_turn or 0, ev.until_turn or 10**9)
        self.bundle = Bundle(t, ev.effects, ev.follow)
        first = int(c.event_branch_offset[e])
        self.branches = [(t.fn(b.chance), Bundle(t, b.effects, b.follow), first + j) for j, b in enumerate(ev.branches)]
        self.options = [OptionInfo(t, e, k) for k in range(len(ev.options))]


class OptionInfo:
    __slots__ = ("available", "branches", "bundle", "cost", "g", "lasting", "option", "ref", "tags", "visible")

    def __init__(self, t: SingleTables, e: int, k: int):
        c = t.compiled
        ev = t.scenario.events[e]
        o = self.option = ev.options[k]
        self.g = g = int(c.option_offset[e]) + k
        self.ref = f"{ev.id}.{o.id}"
        self.bundle = Bundle(t, o.effects, o.follow, o.cost)
        first = int(c.branch_offset[g])
        self.branches = [(t.fn(b.chance), Bundle(t, b.effects, b.follow), first + j) for j, b in enumerate(o.branches)]
        self.available = t.fn(o.available) if o.available is not None else None
        self.visible = t.fn(o.visible) if o.visible is not None else None
        cost = {t.index[var]: amount for var, amount in o.cost}
        self.cost = [(i, cost.get(i, 0.0)) for i in t.cost_vars]
        self.lasting = t.lasting_index[id(o.lasting)] if o.lasting is not None else -1
        self.tags = o.tags


_TABLES: weakref.WeakKeyDictionary[Game, SingleTables] = weakref.WeakKeyDictionary()


def single_tables(game: Game) -> SingleTables:
    """The single engine's tables of ``game`` (built on first use, then shared)."""
    tables = _TABLES.get(game)
    if tables is None:
        tables = _TABLES[game] = SingleTables(game)
    return tables


class SingleState(ReferenceGame):
    """One game at a decision point (or at its end), advanced one choice at a time, with the trace.

    Methods that return arrays return them as a batched ``State`` of one game would (``(V, 1)`` values,
    ``(1,)`` endings, ...). The reference engine's single-game policies (``NamedPolicy.single``) play it
    directly; others see the equivalent batched state.
    """

    def __init__(self, game: Game, seed: int, game_index: int = 0, *, trace: bool = True):
        t = self.tables = single_tables(game)
        s = self.s = self.scenario = game.scenario
        self.game = game
        self.compiled: Compiled = game.compiled
        self.seed = seed
        self.game_index = game_index
        self.trace = trace
        self.key = game_key_scalar(seed, game_index)
        # the reference engine's attributes (its helper methods and SingleView read them)
        self.vars = s.variables
        self.index = t.index
        self.events = s.events
        self.event_index = t.event_index
        self.tags = t.tags
        self.tag_counts = dict.fromkeys(t.tags, 0)
        self.cost_vars = t.cost_vars
        self.scheduled_news = t.scheduled_news
        self.scheduled_decisions = t.scheduled_decisions
        self.random_events = t.random_events
        self.memory_calls = t.memory_calls
        self.lastings = t.lastings
        self.until = [0] * len(t.lastings)
        self.happened: dict[str, tuple[float, float]] = {}
        self.chosen: list[tuple[int, int, int, int]] = []
        self.last_fired = [-1_000_000] * len(s.events)
        self.due = list(t.start_due)
        self.term_acc = [0.0] * sum(over for _, _, over in t.score)
        self.turn = 0
        self.ending: int | None = None
        self.end_turn = 0
        self.score = 0.0
        self.final_score = 0.0
        start = []
        for i, v in enumerate(s.variables):
            lo, hi = v.start
            start.append(lo + uniform_scalar(self.key, 0, Stream.START, i) * (hi - lo) if hi > lo else lo)
        self._x = start
        self._env: dict[str, float] = {}
        self._rebuild_env()
        # the batched State's bookkeeping
        self.B0 = 1
        self.batch_games = np.array([game_index], dtype=np.int64)
        self.slot = 0
        self.over = False
        self.pending = -1
        self.avail: list[bool] = []
        self.event_hits = [0] * len(s.events)
        self.option_hits = [0] * self.compiled.O
        self.log: list[TraceEntry] = []
        self.history: list[np.ndarray] = [self._column(start)] if trace else []
        self.score_history: list[np.ndarray] = [np.zeros((len(t.score), 1))] if trace else []
        self.choices_made: list[tuple[int, int, np.ndarray]] = []
        self._due_now: list[int] = []
        self._eligible: list[tuple[int, int]] = []  # (event, quantised weight) drawable this turn
        self._fired: list[int] = []  # decision events fired this turn, in order
        self._begin_turn(1)
        self._open_slot()

    # ================================================================== names an expression may read
    @property  # type: ignore[override]
    def x(self) -> list[float]:
        return self._x

    @x.setter
    def x(self, values: list[float]) -> None:
        """Any assignment: the env follows every value that changed (the engine's own paths say which)."""
        old = self._x
        self._set_x(values, [i for i in range(len(values)) if values[i] is not old[i]])

    def _set_x(self, values: list[float], changed) -> None:
        self._x = values
        env, ids = self._env, self.tables.ids
        faction = False
        for i in changed:
            env[ids[i]] = values[i]
            faction = faction or i in self.tables.faction_set
        if faction or self.tables.changing_weights:
            env["support"] = self._support(values, env)

    def _support(self, x: Sequence[float], env: Mapping[str, float]) -> float:
        """``reference.faction_support``, with the weights' closures."""
        t = self.tables
        if t.changing_weights:
            acc: float | None = None
            total: float | None = None
            for (i, w), fn in zip(t.factions, t.weight_fns):
                if fn is not None:
                    w = max(fn(env), 0.0)
                acc = w * x[i] if acc is None else acc + w * x[i]
                total = w if total is None else total + w
            assert acc is not None and total is not None
            return acc / total if total != 0.0 else 0.0
        if not t.factions or t.faction_total == 0:
            return 0.0
        (i0, w0), *rest = t.factions
        acc0 = w0 * x[i0]
        for i, w in rest:
            acc0 = acc0 + w * x[i]
        return acc0 / t.faction_total

    def _rebuild_env(self) -> None:
        env = self._env
        env.clear()
        env.update(turn_env(self.s, self.turn))
        for name, value in zip(self.tables.ids, self._x):
            env[name] = value
        env["true"], env["false"] = 1.0, 0.0
        for m in self.memory_calls:
            count, last = self.happened.get(m.ref, (0.0, 0.0))
            env[memory_key(m)] = since(last, float(self.turn)) if m.fn == "since" else count
        env["support"] = self._support(self._x, env)

    def env(self, x: Sequence[float] | None = None) -> dict[str, float]:
        if x is None:
            return self._env
        env = dict(self._env)
        for name, value in zip(self.tables.ids, x):
            env[name] = value
        env["support"] = self._support(x, env)
        return env

    def value(self, expr: Expr, x: Sequence[float] | None = None) -> float:
        return self.tables.fn(expr)(self.env(x))

    def remember(self, ref: str) -> None:
        count, _last = self.happened.get(ref, (0.0, 0.0))
        self.happened[ref] = (count + 1.0, float(self.turn))
        keys = self.tables.memory_keys.get(ref)
        if keys:
            env = self._env
            for key, is_since in keys:
                env[key] = 0.0 if is_since else count + 1.0  # since(now, now) = 0
            if self.tables.changing_weights:
                env["support"] = self._support(self._x, env)

    def _new_turn_env(self, turn: int) -> None:
        env = self._env
        env.update(turn_env(self.s, turn))
        for key, ref in self.tables.since_keys:
            env[key] = since(self.happened.get(ref, (0.0, 0.0))[1], float(turn))
        if self.tables.changing_weights:
            env["support"] = self._support(self._x, env)

    def score_of(self, env, *, commit: bool) -> float:
        """``ReferenceGame.score_of`` with the components' closures."""
        score = 0.0
        r = 0
        for fn, w, over_term in self.tables.score:
            value = fn(env)
            if over_term:
                total = self.term_acc[r] + value
                if commit:
                    self.term_acc[r] = total
                value = total / self.turn
                r += 1
            score = score + w * value
        return score

    # ================================================================== changes and the trace
    def prepare(self, effects, costs=(), x=None):
        """The reference engine's ``prepare`` of a model bundle (look-ahead: ``expected_score``)."""
        if x is not None:
            return super().prepare(effects, costs, x)
        return self._prepare(Bundle(self.tables, effects, (), costs))

    def _prepare(self, bundle: Bundle) -> tuple[dict[int, float], dict[int, float]]:
        delta = dict(bundle.const_add)
        sets = dict(bundle.const_set)
        if bundle.exprs:
            env = self._env
            for i, is_add, fn, flag in bundle.exprs:
                v = fn(env)
                if flag:
                    v = round_half_away(v)
                if is_add:
                    delta[i] = delta.get(i, 0.0) + v
                else:
                    sets[i] = v
        return delta, sets

    def _commit(self, parts, bundle: Bundle, kind: Cause, names: tuple[str, ...], idx: int, slot: int) -> None:
        delta, sets = parts
        before = self._x
        if delta or sets:
            x = list(before)
            for i, d in delta.items():
                x[i] = x[i] + d
            for i, v in sets.items():
                x[i] = v
            self._set_x(x, {*delta, *sets})
        due, turn = self.due, self.turn
        for e, after in bundle.follows:
            new_due = turn + after
            if due[e] == 0 or due[e] > new_due:
                due[e] = new_due
        if self.trace:
            self._record(kind, names, idx, before, slot)

    def _record(self, kind: Cause, names: tuple[str, ...], idx: int, before: list[float], slot: int, dtype=np.int32):
        delta = (np.array(self._x) - np.array(before)).reshape(-1, 1)
        self.log.append(TraceEntry(self.turn, slot, kind, names, np.array([idx], dtype=dtype), delta))

    def _clamp(self, slot: int) -> None:
        x, lo, hi = self._x, self.tables.lo, self.tables.hi
        changed = [i for i in range(len(x)) if x[i] < lo[i] or x[i] > hi[i]]
        if not changed:
            return
        new = list(x)
        for i in changed:
            new[i] = min(max(x[i], lo[i]), hi[i])
        self._set_x(new, changed)
        if self.trace:
            self._record(Cause.BOUNDS, ("bounds",), 0, x, slot)

    @staticmethod
    def _column(values: Sequence[float]) -> np.ndarray:
        return np.array(values, dtype=np.float64).reshape(-1, 1)

    # ================================================================== a turn, phase by phase
    def _begin_turn(self, turn: int) -> None:
        t = self.tables
        self.turn = turn
        self._new_turn_env(turn)
        if self.lastings:
            self._end_lastings(turn)
            self._clamp(0)
        if self.compiled.chance_events:
            self.roll_chances()
        # phase 1: scheduled news, in file order
        due, events, v2 = self.due, t.events, t.v2
        for e in t.scheduled_news:
            if 0 < due[e] <= turn:
                due[e] = 0
                info = events[e]
                if (
                    (info.when is None or info.when(self._env) != 0.0)
                    and not (info.once and self.last_fired[e] >= 0)
                    and (not v2 or self.within_limits(e))
                ):
                    self.event_hits[e] += 1
                    self.last_fired[e] = turn
                    self.remember(info.id)
                    self._fire(Cause.NEWS, info, 1000 + e, 0)
        self._clamp(0)
        # phase 2: drift (every expression from the values before any drift), then the rules in file order
        if t.has_drift:
            before = self._x
            env = self._env
            exprs = [(i, c + (round_half_away(fn(env)) if t.is_flag[i] else fn(env))) for i, c, fn in t.drift_exprs]
            x = list(before)
            for i, c in t.drift_const:
                x[i] = x[i] + c
            for i, d in exprs:
                x[i] = x[i] + d
            self._set_x(x, [i for i, _ in t.drift_const] + [i for i, _ in exprs])
            if self.trace:
                self._record(Cause.DRIFT, ("drift",), 0, before, 0)
        for when, bundle, names in t.rules:
            if when is None or when(self._env) != 0.0:
                self._commit(self._prepare(bundle), bundle, Cause.RULE, names, 0, 0)
        self._clamp(0)
        # phase 3: the eligibility snapshot
        self._snapshot(turn)
        self.slot = 0

    def _snapshot(self, turn: int) -> None:
        t = self.tables
        due, env, v2 = self.due, self._env, t.v2
        self._due_now = []
        for e in t.scheduled_decisions:
            if 0 < due[e] <= turn:
                info = t.events[e]
                ok = (info.when is None or info.when(env) != 0.0) and not (info.once and self.last_fired[e] >= 0)
                if ok and v2:
                    ok = self.within_limits(e)
                if ok:
                    self._due_now.append(e)
                else:
                    due[e] = 0
        eligible = []
        for e in t.random_events:
            info = t.events[e]
            lo, hi = info.window
            if turn < lo or turn > hi:
                continue
            lf = self.last_fired[e]
            if info.once:
                if lf >= 0:
                    continue
            elif info.cooldown and not (turn - lf) > info.cooldown:
                continue
            if info.max_fires and self.happened.get(info.id, (0.0, 0.0))[0] >= info.max_fires:
                continue
            if info.when is not None and info.when(env) == 0.0:
                continue
            w = info.weight_const if info.weight_const is not None else quantize_weight(info.weight(env))
            eligible.append((e, w))
        self._eligible = eligible
        self._fired = []

    def _draw(self) -> int:
        """A weighted draw among this turn's eligible events, less those fired already (-1 if none)."""
        turn, last_fired = self.turn, self.last_fired
        cums, total = [], 0
        for e, w in self._eligible:
            if last_fired[e] != turn:
                total += w
            cums.append(total)
        if total <= 0:
            return -1
        r = int(uniform_scalar(self.key, turn, Stream.EVENT, self.slot) * total)
        k = sum(1 for c in cums if c <= r)
        return self._eligible[min(k, len(cums) - 1)][0]

    def _open_slot(self) -> None:
        """Fill decision slots until a decision is pending, ending turns as needed (``State._open_slot``)."""
        t = self.tables
        while True:
            overflow = self.slot >= self.s.decisions
            if overflow and not (t.v2 and self._due_now):
                self._end_turn()
                if self.over:
                    return
                self._begin_turn(self.turn + 1)
                continue
            if self._due_now:
                e = self._due_now.pop(0)
            elif self._eligible and not overflow:
                e = self._draw()
            else:
                e = -1
            if e < 0:
                self.slot += 1
                continue
            info = t.events[e]
            self.event_hits[e] += 1
            self.last_fired[e] = self.turn
            self.due[e] = 0
            self._fired.append(e)
            self.remember(info.id)
            self._fire(Cause.EVENT, info, self.slot, self.slot)
            self._clamp(self.slot)
            self.pending = e
            self.avail = self._available(info)
            return

    def _fire(self, kind: Cause, info: EventInfo, draw_slot: int, slot: int) -> None:
        """An event fires: its effects and one of its own branches, both from the state before either."""
        t = self.tables
        branch = None
        if info.branches:
            branch = self._pick(info.branches, uniform_scalar(self.key, self.turn, Stream.EVENT_BRANCH, draw_slot))
        parts = self._prepare(info.bundle)
        branch_parts = self._prepare(branch[1]) if branch is not None else ({}, {})
        if self.trace or info.bundle.const_add or info.bundle.const_set or info.bundle.exprs or info.bundle.follows:
            self._commit(parts, info.bundle, kind, t.event_names, info.e, slot)
        if t.any_event_branches:
            self._commit(branch_parts, branch[1] if branch else _NO_BUNDLE, Cause.EVENT_BRANCH,
                         t.event_branch_names, branch[2] if branch else -1, slot)  # fmt: skip

    def _pick(self, branches, u: float):
        """``ReferenceGame.pick_branch``: the branch (chance, bundle, global index) the draw ``u`` falls in."""
        cum = 0.0
        env = self._env
        for branch in branches:
            p = min(max(branch[0](env), 0.0), 1.0)
            nxt = min(cum + p, 1.0)
            if cum <= u < nxt:
                return branch
            cum = nxt
        return None

    def _available(self, info: EventInfo) -> list[bool]:
        x, lo, env = self._x, self.tables.lo, self._env
        out = []
        for o in info.options:
            ok = all(x[i] - amount >= lo[i] for i, amount in o.cost)
            ok = (
                ok and (o.available is None or o.available(env) != 0.0) and (o.visible is None or o.visible(env) != 0.0)
            )
            out.append(ok)
        return out

    def _choose(self, k: int) -> None:
        """``State._apply_choices`` for this game's choice ``k``."""
        t = self.tables
        e = self.pending
        info = t.events[e]
        o = info.options[k]
        turn, slot = self.turn, self.slot
        if self.trace:
            self.choices_made.append((turn, slot, np.array([k], dtype=np.int64)))
        self.chosen.append((turn, slot, e, k))
        self.remember(o.ref)
        branch = None
        if o.branches:
            branch = self._pick(o.branches, uniform_scalar(self.key, turn, Stream.BRANCH, slot))
        opt_parts = self._prepare(o.bundle)
        br_parts = self._prepare(branch[1]) if branch is not None else ({}, {})
        self._commit(opt_parts, o.bundle, Cause.OPTION, t.option_names, o.g, slot)
        if t.any_branches:
            self._commit(br_parts, branch[1] if branch else _NO_BUNDLE, Cause.BRANCH, t.branch_names,
                         branch[2] if branch else -1, slot)  # fmt: skip
        if o.lasting >= 0:
            self._start_lasting(o.lasting, slot)
        self.option_hits[o.g] += 1
        for tag in o.tags:
            self.tag_counts[tag] += 1
        self._clamp(slot)
        self.pending = -1
        self.avail = []
        self.slot += 1
        self._open_slot()

    def _start_lasting(self, k: int, slot: int) -> None:
        """Format 2: a lasting effect begins (or, in effect already, lasts ``turns`` more turns from now)."""
        before = self._x
        new = self.until[k] == 0
        if new:
            x = list(before)
            for i, amount in self.tables.lasting_changes[k]:
                x[i] = x[i] + amount
            self._set_x(x, [i for i, _ in self.tables.lasting_changes[k]])
        self.until[k] = self.turn + self.lastings[k].turns
        if self.trace:
            self._record(Cause.LASTING, (self.lastings[k].label,), 0 if new else -1, before, slot, np.int64)

    def _end_lastings(self, turn: int) -> None:
        """Format 2: lasting effects whose time is up end at the start of the turn, taken back as written."""
        for k in range(len(self.lastings)):
            if self.until[k] != turn:
                continue
            before = self._x
            x = list(before)
            for i, amount in self.tables.lasting_changes[k]:
                x[i] = x[i] - amount
            self._set_x(x, [i for i, _ in self.tables.lasting_changes[k]])
            self.until[k] = 0
            if self.trace:
                self._record(Cause.EXPIRY, (self.lastings[k].label,), 0, before, 0, np.int64)

    def _end_turn(self) -> None:
        t = self.tables
        turn, env = self.turn, self._env
        score = 0.0
        parts = []
        r = 0
        for fn, w, over_term in t.score:
            value = fn(env)
            if over_term:
                self.term_acc[r] += value
                value = self.term_acc[r] / turn
                r += 1
            score = score + w * value
            parts.append(w * value)
        self.score = score
        if self.trace:
            self.score_history.append(np.array(parts, dtype=np.float64).reshape(-1, 1))
        ending = -1
        for k, when in t.early + (t.final if turn >= self.s.turns else []):
            if when is None or when(env) != 0.0:
                ending = k
                break
        if self.trace:
            self.history.append(self._column(self._x))
        if ending >= 0:
            self.ending = ending
            self.end_turn = turn
            self.final_score = score + t.bonus[ending]
            self.over = True
            self.pending = -1

    # ================================================================== the batched State's surface
    @property
    def count(self) -> int:
        return 1

    def apply(self, choices) -> None:  # type: ignore[override]  # State.apply (ReferenceGame.apply is a helper)
        """Apply the choice (an option index within the pending event), then run on to the next decision."""
        if self.over:
            raise ValueError("all games are over")
        local = np.asarray(choices, dtype=np.int64).reshape(-1)
        if local.shape != (1,):
            raise ValueError(f"expected 1 choices, got {local.shape[0]}")
        k = int(local[0])
        if not (0 <= k < len(self.avail)) or not self.avail[k]:
            raise ValueError(f"game 0: option {k} is not available")
        self._choose(k)

    def run(self, policy) -> None:
        """Play to the end with a policy (its single-game twin when it has one)."""
        while not self.over:
            self.step(policy)

    def step(self, policy) -> None:
        single = getattr(policy, "single", None)
        if single is not None:
            k = int(single(SingleView(self, self.pending, list(self.avail), self.slot)))
        else:
            batch = self.to_batch()
            view = BatchView(batch)
            try:
                k = int(np.asarray(policy(view), dtype=np.int64).reshape(-1)[0])
            finally:
                view.release()
        if not (0 <= k < len(self.avail)) or not self.avail[k]:
            raise ValueError("policy chose an unavailable option")
        self._choose(k)

    def pending_events(self) -> np.ndarray:
        return np.array([self.pending], dtype=np.int32)

    def available_options(self) -> np.ndarray:
        out = np.zeros((1, self.compiled.K), dtype=bool)
        out[0, : len(self.avail)] = self.avail
        return out

    def visible_options(self) -> np.ndarray:
        out = np.ones((1, self.compiled.K), dtype=bool)
        if self.pending >= 0:
            for k, o in enumerate(self.tables.events[self.pending].options):
                if o.visible is not None:
                    out[0, k] = o.visible(self._env) != 0.0
        elif self.over:
            out[:] = False
        return out

    def values(self) -> np.ndarray:
        return self._column(self._x)

    def endings(self) -> np.ndarray:
        return np.array([-1 if self.ending is None else self.ending], dtype=np.int64)

    def end_turns(self) -> np.ndarray:
        return np.array([self.end_turn], dtype=np.int64)

    def scores(self) -> np.ndarray:
        return np.array([self.final_score if self.over else self.score])

    def memory(self) -> np.ndarray:
        rows = self.compiled.mem_rows
        out = np.zeros((self.compiled.R, 1))
        for ref, r in rows.items():
            count, last = self.happened.get(ref, (0.0, 0.0))
            out[r, 0], out[r + 1, 0] = count, last
        return out

    def score_values(self) -> np.ndarray:
        """(components, 1) each score component's value now (or at the end), unweighted."""
        env = self._env
        turn = max(1, min(self.turn, self.s.turns))
        if turn != self.turn:
            env = dict(env)
            env.update(turn_env(self.s, turn))
            for key, ref in self.tables.since_keys:
                env[key] = since(self.happened.get(ref, (0.0, 0.0))[1], float(turn))
        return np.array([fn(env) for fn, _, _ in self.tables.score], dtype=np.float64).reshape(-1, 1)

    def score_components(self) -> np.ndarray:
        """(components, 1) what each component counts now, weighted (``State.score_components``)."""
        out = self.score_values()
        done = self.end_turn if self.over else self.turn - 1
        r = 0
        for k, (_fn, w, over_term) in enumerate(self.tables.score):
            if not over_term:
                out[k] = w * out[k]
                continue
            out[k, 0] = w * (self.term_acc[r] / done) if done > 0 else w * 0.0
            r += 1
        return out

    def estimates(self, turn: int | None = None) -> np.ndarray:
        return estimate_rows(self.s, self.values(), self.seed, self.batch_games, self.turn if turn is None else turn)

    def estimate_ranges(self, turn: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        return estimate_bounds(self.s, self.estimates(turn))

    def fork(self, game: int, copies: int, salt: int = 0) -> State:
        if game != 0:
            raise ValueError(f"game {game} is not in play")
        return self.to_batch().fork(0, copies, salt)

    # ================================================================== the equivalent batched state
    def to_batch(self) -> State:
        """A batched ``State`` of this one game at the same point, as the batched engine would hold it (no
        trace): the same columns, this turn's draw tables and counts. Changing it leaves this game alone."""
        c, s = self.compiled, self.s
        col = Columns(
            X=self.values(),
            keys=np.array([self.key], dtype=np.uint64),
            games=np.array([self.game_index], dtype=np.int64),
            position=np.arange(1),
            last_fired=np.array(self.last_fired, dtype=np.int32).reshape(-1, 1),
            due=np.array(self.due, dtype=np.int32).reshape(-1, 1),
            tag_counts=np.array([self.tag_counts[tag] for tag in c.tags], dtype=np.int32).reshape(-1, 1),
            score=np.array([self.score]),
            pending=np.array([self.pending], dtype=np.int32),
            avail=self.available_options(),
            alive=np.array([not self.over]),
            term_acc=np.array(self.term_acc, dtype=np.float64).reshape(-1, 1),
            mem=self.memory(),
            until=np.array(self.until, dtype=np.int32).reshape(-1, 1),
        )
        state = State.__new__(State)
        state.game, state.scenario, state.compiled = self.game, s, c
        state.seed, state.trace, state.B0 = self.seed, False, 1
        state.observer = None  # a copy to imagine futures from: nobody's record
        state.batch_games = self.batch_games.copy()
        state.col = col
        state.results = Results.empty(c.V, 1, c.T, c.R)
        if self.over:
            state.results.X[:, 0] = self._x
            state.results.ending[0] = self.ending
            state.results.end_turn[0] = self.end_turn
            state.results.score[0] = self.final_score
            state.results.term[:, 0] = self.term_acc
            state.results.mem[:, 0] = col.mem[:, 0]
        state.dirty = set()
        state.event_hits = np.array(self.event_hits, dtype=np.int64)
        state.option_hits = np.array([*self.option_hits, 0], dtype=np.int64)
        state.turn, state.slot, state.over = self.turn, self.slot, self.over
        state.env = turn_env(s, self.turn)
        state._bind_env()
        state.log, state.history, state.score_history, state.choices_made = [], [], [], []
        ids = [e for e, _ in self._eligible]
        weights = np.array([w for _, w in self._eligible], dtype=np.int64).reshape(-1, 1)
        position = np.full(c.E + 1, -1, dtype=np.int64)
        position[ids] = np.arange(len(ids))
        excluded = []
        for e in self._fired:
            pos = int(position[e])
            excluded.append((np.array([pos]), np.array([weights[pos, 0] if pos >= 0 else 0], dtype=np.int64)))
        state.draws = TurnDraws(
            due_now=[(e, np.ones(1, dtype=bool)) for e in self._due_now],
            ids=np.array(ids, dtype=np.int32),
            position=position,
            cum=np.cumsum(weights, axis=0),
            weights=weights,
            excluded=excluded,
        )
        return state


_NO_BUNDLE = Bundle.__new__(Bundle)
_NO_BUNDLE.const_add, _NO_BUNDLE.const_set, _NO_BUNDLE.exprs, _NO_BUNDLE.follows = (), (), (), ()
