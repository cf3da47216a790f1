"""A scenario compiled once into numpy tables and expression closures.

Constant effects become rows of ``(bundles, variables)`` tables so that applying the option each game chose
is one gather; only effects written as expressions are evaluated per option. Events, options and branches
each become a *bundle*: the changes, sets and follow-ups that happen together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..expr import SINCE_NEVER, compile_numpy, compile_truth
from ..model import Effect, EffectMode, Expr, FollowUp, Scenario, ScoreOver, VarKind
from ..numeric import quantize_weight, round_half_away, round_half_away_array
from .reach import news_ranges, rule_ranges

__all__ = ["MEMORY", "Bundles", "CExpr", "Compiled", "compile_scenario", "since", "turn_env"]


class CExpr:
    """A compiled expression: ``const`` is set when it is a plain number, ``fn(X, env)`` otherwise."""

    __slots__ = ("const", "fn", "node", "text", "truth")

    def __init__(self, expr: Expr, resolve, bounds):
        self.text = expr.text
        self.node = expr.node
        self.fn, is_const = compile_numpy(expr.node, resolve, bounds)
        self.const = self.fn(None, None) if is_const else None
        self.truth = compile_truth(expr.node, resolve, bounds)  # as a condition: bool array or bool

    def __call__(self, X: np.ndarray, env: Mapping[str, float]):
        return self.const if self.const is not None else self.fn(X, env)


class Bundles:
    """Changes that happen together (an event firing, an option, a branch), as tables.

    Tables are laid out (variable, bundle) and hold only the variables some bundle touches, so applying
    the bundle each game uses is one gather per table. Column ``n`` (the last) is the null bundle: an
    index of -1 selects "nothing".
    """

    def __init__(
        self,
        names: Sequence[str],
        effects: Sequence[Sequence[Effect]],
        follows: Sequence[Sequence[FollowUp]],
        compiled: Compiled,
        costs: Sequence[Sequence[tuple[str, float]]] | None = None,
        ranges: Sequence[Mapping[str, tuple[float, float]] | None] | None = None,
    ):
        """``ranges[b]``, where given, are the values bundle ``b``'s expressions can see (see ``reach``)."""
        n, V = len(names), compiled.V
        self.names = list(names)
        add = np.zeros((V, n + 1))
        set_mask = np.zeros((V, n + 1), dtype=bool)
        set_value = np.zeros((V, n + 1))
        self.expr_adds: list[list[tuple[int, CExpr]]] = [[] for _ in range(n)]
        self.expr_sets: list[list[tuple[int, CExpr]]] = [[] for _ in range(n)]
        k = max((len(f) for f in follows), default=0)
        self.follow_event = np.full((n + 1, max(k, 1)), -1, dtype=np.int32)
        self.follow_after = np.zeros((n + 1, max(k, 1)), dtype=np.int32)
        self.follow_width = k
        for b, bundle in enumerate(effects):
            for eff in bundle:
                i = compiled.index[eff.var]
                ce = compiled.cexpr(eff.value, ranges[b] if ranges else None)
                if ce.const is not None:
                    value = compiled.round_if_flag(i, ce.const)
                    if eff.mode is EffectMode.ADD:
                        add[i, b] += value
                    else:
                        set_mask[i, b] = True
                        set_value[i, b] = value
                else:
                    (self.expr_adds if eff.mode is EffectMode.ADD else self.expr_sets)[b].append((i, ce))
            for j, fu in enumerate(follows[b]):
                self.follow_event[b, j] = compiled.event_index[fu.event]
                self.follow_after[b, j] = fu.after
        for b, cost in enumerate(costs or ()):
            for var, amount in cost:
                add[compiled.index[var], b] -= amount
        self.add_rows = np.flatnonzero(add.any(axis=1))
        self.add_pos = {int(i): r for r, i in enumerate(self.add_rows)}  # row -> its line of ``add``
        # (n + 1,) which bundles add anything / set anything from the tables (the null bundle neither)
        self.adds_any = np.append(add[:, :n].any(axis=0), False)
        self.sets_any = np.append(set_mask[:, :n].any(axis=0), False)
        self.add = np.ascontiguousarray(add[self.add_rows])
        self.set_rows = np.flatnonzero(set_mask.any(axis=1))
        self.set_mask = np.ascontiguousarray(set_mask[self.set_rows])
        self.set_value = np.ascontiguousarray(set_value[self.set_rows])
        self.with_exprs = [b for b in range(n) if self.expr_adds[b] or self.expr_sets[b]]
        # bundles that change nothing and schedule nothing can be skipped
        self.active = np.zeros(n + 1, dtype=bool)
        self.active[:n] = (
            add[:, :n].any(axis=0) | set_mask[:, :n].any(axis=0) | (self.follow_event[:n] >= 0).any(axis=1)
        )
        for b in self.with_exprs:
            self.active[b] = True
        self.empty = not self.active.any()


class Compiled:
    """All tables and closures the batched engine needs; built once per scenario."""

    def __init__(self, scenario: Scenario):
        s = self.scenario = scenario
        self.V = len(s.variables)
        self.index = {v.id: i for i, v in enumerate(s.variables)}
        self.event_index = {e.id: i for i, e in enumerate(s.events)}
        self.lo = np.array([v.min for v in s.variables]).reshape(-1, 1)
        self.hi = np.array([v.max for v in s.variables]).reshape(-1, 1)
        self.is_flag = np.array([v.kind is VarKind.FLAG for v in s.variables])
        self.start_lo = np.array([v.start[0] for v in s.variables])
        self.start_hi = np.array([v.start[1] for v in s.variables])
        self.factions = [(i, v.weight) for i, v in enumerate(s.variables) if v.kind is VarKind.FACTION]
        self.faction_weight = sum(w for _, w in self.factions)
        self.faction_weight_exprs: list = []  # format 2: per faction, a compiled weight or None (set below)
        self.bounds: dict[str, tuple[float, float]] = {v.id: (v.min, v.max) for v in s.variables}
        self.bounds.update(s.builtin_bounds())

        # memory (format 2): two rows of State.mem (count, last turn) for each event and option a memory
        # call names; none at all when the scenario uses no memory call
        self.mem_rows: dict[str, int] = {}
        for m in s.memory_calls():
            self.mem_rows.setdefault(f"{m.event}.{m.option}" if m.option else m.event, 2 * len(self.mem_rows))
        for e in s.events:  # max_fires counts with the same rows
            if e.max_fires:
                self.mem_rows.setdefault(e.id, 2 * len(self.mem_rows))
        self.R = 2 * len(self.mem_rows)

        # per-turn drift: constants in one column, expressions separately
        self.drift_const = np.zeros((self.V, 1))
        self.drift_exprs: list[tuple[int, CExpr]] = []
        for i, v in enumerate(s.variables):
            if v.drift is not None:
                ce = self.cexpr(v.drift)
                if ce.const is not None:
                    self.drift_const[i, 0] = self.round_if_flag(i, ce.const)
                else:
                    self.drift_exprs.append((i, ce))
        self.has_drift = bool(self.drift_const.any()) or bool(self.drift_exprs)
        if any(v.weight_expr is not None for v in s.variables):
            self.faction_weight_exprs = [
                self.cexpr(s.variables[i].weight_expr) if s.variables[i].weight_expr is not None else None
                for i, _ in self.factions
            ]

        # rules and news events see values before clamping: their expressions are compiled for the ranges
        # the values can really have there (reach.py), not for the declared bounds
        seen = rule_ranges(s, self.bounds)
        self.rules = [
            (
                r,
                self.cexpr(r.when, seen[k]) if r.when else None,
                Bundles([r.id], [r.effects], [r.follow], self, ranges=[seen[k]]),
            )
            for k, r in enumerate(s.rules)
        ]
        news = news_ranges(s, self.bounds)
        self.drift_rows = np.flatnonzero(self.drift_const[:, 0])

        # events
        E = self.E = len(s.events)
        self.event_when = [self.cexpr(e.when, news.get(i)) if e.when else None for i, e in enumerate(s.events)]
        self.event_weight = [self.cexpr(e.weight) for e in s.events]
        self.event_bundles = Bundles(
            [e.id for e in s.events],
            [e.effects for e in s.events],
            [e.follow for e in s.events],
            self,
            ranges=[news.get(i) for i in range(E)],
        )
        # chance branches of events themselves: a global numbering, contiguous per event
        self.event_branch_offset = np.zeros(E + 1, dtype=np.int32)
        event_branches, names, branch_seen = [], [], []
        for i, e in enumerate(s.events):
            self.event_branch_offset[i] = len(event_branches)
            event_branches.extend(e.branches)
            branch_seen.extend([news.get(i)] * len(e.branches))
            names.extend(f"{e.id}#{k + 1}" for k in range(len(e.branches)))
        self.event_branch_offset[E] = len(event_branches)
        self.event_branches = event_branches
        self.event_branch_chance = [self.cexpr(b.chance, r) for b, r in zip(event_branches, branch_seen)]
        self.events_with_branches = [i for i, e in enumerate(s.events) if e.branches]
        self.event_branch_bundles = Bundles(
            names, [b.effects for b in event_branches], [b.follow for b in event_branches], self, ranges=branch_seen
        )
        targets = {fu.event for e in s.events for fu in e.follow}
        targets.update(fu.event for e in s.events for b in e.branches for fu in b.follow)
        targets.update(fu.event for r in s.rules for fu in r.follow)
        for e in s.events:
            for o in e.options:
                targets.update(fu.event for fu in o.follow)
                for b in o.branches:
                    targets.update(fu.event for fu in b.follow)
        self.schedulable = [
            i for i, e in enumerate(s.events) if e.id in targets or e.date_turn is not None or e.chance is not None
        ]
        # format 2: events due each turn with a chance (they then fire as scheduled ones do)
        self.chance_events = [
            (i, self.cexpr(e.chance), e.from_turn or 0, e.until_turn or 10**9)
            for i, e in enumerate(s.events)
            if e.chance is not None
        ]
        # format 2: cooldown holds for scheduled events too; max_fires for every way an event comes
        self.v2 = s.format >= 2
        self.scheduled_decisions = [i for i in self.schedulable if not s.events[i].is_news]
        self.scheduled_news = [i for i in self.schedulable if s.events[i].is_news]
        self.random_events = [i for i, e in enumerate(s.events) if e.random]
        self.scheduled_rows = np.array(self.scheduled_decisions, dtype=np.intp)
        self.news_rows = np.array(self.scheduled_news, dtype=np.intp)
        self.random_rows = np.array(self.random_events, dtype=np.intp)
        self.random_const_weight = [
            quantize_weight(self.event_weight[e].const) if self.event_weight[e].const is not None else 0
            for e in self.random_events
        ]
        self.random_window = [(s.events[e].from_turn or 0, s.events[e].until_turn or 10**9) for e in self.random_events]
        self.dated = [(i, e.date_turn) for i, e in enumerate(s.events) if e.date_turn is not None]
        self.once = np.array([e.once for e in s.events])
        self.cooldown = np.array([e.cooldown for e in s.events], dtype=np.int32)
        self.max_fires = np.array([e.max_fires for e in s.events], dtype=np.int32)

        # options: a global numbering, contiguous per event
        self.option_offset = np.zeros(E + 1, dtype=np.int32)
        self.option_count = np.zeros(E + 1, dtype=np.int32)  # row E: "no event" has no options
        options, option_event = [], []
        for i, e in enumerate(s.events):
            self.option_offset[i] = len(options)
            self.option_count[i] = len(e.options)
            for o in e.options:
                options.append(o)
                option_event.append(i)
        self.option_offset[E] = len(options)
        self.options = options
        self.O = len(options)
        self.K = max(1, int(self.option_count.max()) if E else 1)
        self.option_event = np.array(option_event, dtype=np.int32)
        # memory rows by event / global option index (-1: not remembered; the last entry is "none")
        self.mem_event_row = np.array([self.mem_rows.get(e.id, -1) for e in s.events] + [-1], dtype=np.intp)
        self.mem_option_row = np.array(
            [self.mem_rows.get(f"{s.events[option_event[g]].id}.{o.id}", -1) for g, o in enumerate(options)] + [-1],
            dtype=np.intp,
        )
        self.option_bundles = Bundles(
            [f"{s.events[option_event[g]].id}.{o.id}" for g, o in enumerate(options)],
            [o.effects for o in options],
            [o.follow for o in options],
            self,
            costs=[o.cost for o in options],
        )
        self.option_available = [(g, self.cexpr(o.available)) for g, o in enumerate(options) if o.available]
        # format 2: an option that is not visible is not offered (to policies, it is simply unavailable)
        self.option_visible = [(g, self.cexpr(o.visible)) for g, o in enumerate(options) if o.visible]
        cost_vars = sorted({self.index[var] for o in options for var, _ in o.cost})
        self.cost_rows = np.array(cost_vars, dtype=np.intp)
        self.cost_table = np.zeros((self.O + 1, len(cost_vars)))
        for g, o in enumerate(options):
            for var, amount in o.cost:
                self.cost_table[g, cost_vars.index(self.index[var])] = amount
        self.cost_floor = self.lo[self.cost_rows, 0] if cost_vars else np.zeros(0)

        # format 2: lasting effects of options, each with its own row of Columns.until
        self.lastings = s.lastings()
        self.L = len(self.lastings)
        lasting_of = {lt.id: k for k, lt in enumerate(self.lastings)}
        self.option_lasting = np.array(
            [lasting_of.get(f"{s.events[option_event[g]].id}.{o.id}", -1) for g, o in enumerate(options)] + [-1],
            dtype=np.intp,
        )
        self.lasting_changes = [
            [(self.index[var], float(self.round_if_flag(self.index[var], amount))) for var, amount in lt.changes]
            for lt in self.lastings
        ]

        # option tags: policies count how often each game chose each tag
        self.tags = sorted({t for o in options for t in o.tags})
        self.tag_matrix = np.zeros((self.O + 1, len(self.tags)), dtype=np.int32)
        for g, o in enumerate(options):
            for t in o.tags:
                self.tag_matrix[g, self.tags.index(t)] = 1

        # branches: a global numbering, contiguous per option
        self.branch_offset = np.zeros(self.O + 1, dtype=np.int32)
        branches, branch_option = [], []
        for g, o in enumerate(options):
            self.branch_offset[g] = len(branches)
            for b in o.branches:
                branches.append(b)
                branch_option.append(g)
        self.branch_offset[self.O] = len(branches)
        self.branches = branches
        self.branch_chance = [self.cexpr(b.chance) for b in branches]
        self.options_with_branches = [g for g, o in enumerate(options) if o.branches]
        branch_names = [
            f"{self.option_bundles.names[g]}#{j - self.branch_offset[g] + 1}" for j, g in enumerate(branch_option)
        ]
        self.branch_bundles = Bundles(branch_names, [b.effects for b in branches], [b.follow for b in branches], self)

        # endings and score
        self.early = [(k, self.cexpr(e.when) if e.when else None) for k, e in enumerate(s.endings) if e.early]
        self.final = [(k, self.cexpr(e.when) if e.when else None) for k, e in enumerate(s.endings) if not e.early]
        self.ending_bonus = np.array([e.bonus for e in s.endings])
        self.score = [(self.cexpr(c.value), c.weight) for c in s.score]
        # components counted over the term keep a running sum per game: row score_term_row[k] of term_acc
        self.score_term_row = []
        for c in s.score:
            self.score_term_row.append(sum(r >= 0 for r in self.score_term_row) if c.over is ScoreOver.TERM else -1)
        self.T = sum(r >= 0 for r in self.score_term_row)

    # ------------------------------------------------------------------ helpers
    def resolve(self, name: str):
        if ":" in name:  # a memory call: fn:event or fn:event.option
            fn, _, ref = name.partition(":")
            r = self.mem_rows[ref]
            if fn == "since":
                return lambda X, env: since(env[MEMORY][r + 1], env["turn"])
            return lambda X, env: env[MEMORY][r]
        if name in self.index:
            i = self.index[name]
            return lambda X, env: X[i]
        if name == "support":
            return self.support
        if name in ("true", "false"):
            value = 1.0 if name == "true" else 0.0
            return lambda X, env: value
        return lambda X, env: env[name]

    def support(self, X, env):
        """Weighted mean faction support, summed in file order (both engines use this order)."""
        if self.faction_weight_exprs:
            return self.changing_support(X, env)
        if not self.factions or self.faction_weight == 0:
            return 0.0
        (i0, w0), *rest = self.factions
        acc = w0 * X[i0]
        for i, w in rest:
            acc = acc + w * X[i]
        return acc / self.faction_weight

    def changing_support(self, X, env):
        """Format 2: the weighted mean with weights that are expressions (each at least 0): the weighted sum
        and the total weight are summed in file order, then divided (0 where the total is 0)."""
        acc = total = None
        for (i, w), ce in zip(self.factions, self.faction_weight_exprs):
            if ce is not None:
                w = np.maximum(ce(X, env), 0.0)
            acc = w * X[i] if acc is None else acc + w * X[i]
            total = w if total is None else total + w
        total = np.broadcast_to(np.asarray(total, dtype=np.float64), np.shape(acc))
        out = np.zeros(np.shape(acc))
        np.divide(acc, total, out=out, where=total != 0.0)
        return out

    def option_ids(self, pending: np.ndarray) -> np.ndarray:
        """(B, K) the global option index of each choice of each game's pending event (-1 for none); ``O``
        (the null row of the option tables) past the event's last option and where nothing is pending."""
        safe = np.where(pending >= 0, pending, self.E)
        k = np.arange(self.K)[None, :]
        return np.where(k < self.option_count[safe][:, None], self.option_offset[safe][:, None] + k, self.O)

    def cexpr(self, expr: Expr, ranges: Mapping[str, tuple[float, float]] | None = None) -> CExpr:
        """Compile for values within ``ranges`` (the declared bounds unless given)."""
        return CExpr(expr, self.resolve, self.bounds if ranges is None else ranges)

    def round_if_flag(self, i: int, value):
        """Flags hold whole numbers: round half away from zero."""
        if not self.is_flag[i]:
            return value
        if isinstance(value, np.ndarray):
            return round_half_away_array(value)
        return round_half_away(float(value))


MEMORY = "@memory"  # the key of the (R, B) memory array in an engine's env (no scenario name has '@')


def since(last, turn):
    """Turns since the last time (``last`` = 0: never, which gives SINCE_NEVER)."""
    if isinstance(last, np.ndarray):
        return np.where(last > 0.0, turn - last, SINCE_NEVER)
    return turn - last if last > 0.0 else SINCE_NEVER


def turn_env(scenario: Scenario, turn: int) -> dict[str, float]:
    """The built-in names of a turn: turn, turns, year, month."""
    year, month = scenario.date_of(turn)
    return {"turn": float(turn), "turns": float(scenario.turns), "year": float(year), "month": float(month)}


def compile_scenario(scenario: Scenario) -> Compiled:
    return Compiled(scenario)
