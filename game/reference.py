"""The reference engine: the rules of the game, one game at a time, in plain Python floats.

This is the executable specification. It is written for clarity, not speed, directly from the model (not
from the batched engine's tables), and tests require the batched engine to agree with it to the bit on
thousands of games. Where the batched engine's arithmetic has a particular order (sums of constant effects,
the weighted faction mean, the score), this module follows the same order: that order is part of the rules.

>>> from game.format.scenario import load_scenario
>>> from game.policies import get_policy
>>> scenario = load_scenario("scenarios/tutorial.toml")
>>> game = ReferenceGame(scenario, seed=1, game_index=0)
>>> game.play(get_policy("random").single)  # the single-game twin of the policy
>>> game.ending is not None
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .engine.compiled import since, turn_env
from .engine.rng import Stream, game_key_scalar, uniform_scalar
from .expr import evaluate, memory_key
from .model import Effect, EffectMode, Expr, FollowUp, Scenario, ScoreOver, VarKind
from .numeric import quantize_weight, round_half_away

__all__ = ["ReferenceGame", "SingleView", "faction_support", "scalar_env"]

NEVER = -1_000_000


def faction_support(scenario: Scenario, x: Sequence[float], env=None) -> float:
    """The weighted mean of the factions' values, summed in file order (0 without factions or weights).

    Format 2 weights may be expressions (evaluated in ``env``; a negative weight counts as 0): then the
    weighted sum and the total weight are both summed in file order, then divided."""
    factions = [(i, v.weight) for i, v in enumerate(scenario.variables) if v.kind is VarKind.FACTION]
    exprs = [scenario.variables[i].weight_expr for i, _ in factions]
    if any(e is not None for e in exprs):
        acc: float | None = None
        weight_sum: float | None = None
        for (i, w), expr in zip(factions, exprs):
            if expr is not None:
                w = max(evaluate(expr.node, env or {}), 0.0)
            acc = w * x[i] if acc is None else acc + w * x[i]
            weight_sum = w if weight_sum is None else weight_sum + w
        assert acc is not None and weight_sum is not None  # at least one faction has an expression
        return acc / weight_sum if weight_sum != 0.0 else 0.0
    total = sum(w for _, w in factions)
    if not factions or total == 0:
        return 0.0
    acc = factions[0][1] * x[factions[0][0]]
    for i, w in factions[1:]:
        acc = acc + w * x[i]
    return acc / total


def scalar_env(
    scenario: Scenario, turn: int, x: Sequence[float], memory: dict[str, float] | None = None
) -> dict[str, float]:
    """Every name an expression may use in one game with values ``x`` on ``turn``: the turn's built-ins,
    each variable, ``true``/``false``, the memory calls' values (format 2) and ``support``."""
    env = turn_env(scenario, turn)
    for v, value in zip(scenario.variables, x):
        env[v.id] = value
    env["true"], env["false"] = 1.0, 0.0
    env.update(memory or {})
    env["support"] = faction_support(scenario, x, env)
    return env


class ReferenceGame:
    """One game of a scenario. ``play(policy)`` runs it to the end with a single-game policy."""

    def __init__(self, scenario: Scenario, seed: int, game_index: int):
        self.s = scenario
        self.seed = seed
        self.game_index = game_index
        self.key = game_key_scalar(seed, game_index)
        self.vars = scenario.variables
        self.index = {v.id: i for i, v in enumerate(self.vars)}
        self.events = scenario.events
        self.event_index = {e.id: i for i, e in enumerate(self.events)}
        self._version = 0
        self._env: dict[str, float] = {}
        self._env_key: tuple[int, int] | None = None
        start = []
        for i, v in enumerate(self.vars):
            lo, hi = v.start
            if hi > lo:
                u = uniform_scalar(self.key, 0, Stream.START, i)
                start.append(lo + u * (hi - lo))
            else:
                start.append(lo)
        self.x = start
        self.last_fired = [NEVER] * len(self.events)
        self.due = [0] * len(self.events)
        for e, ev in enumerate(self.events):
            if ev.date_turn is not None:
                self.due[e] = ev.date_turn
        self.tags = sorted({t for ev in self.events for o in ev.options for t in o.tags})
        self.tag_counts = dict.fromkeys(self.tags, 0)
        self.targets = {fu.event for ev in self.events for fu in _all_follows(ev)}
        self.targets.update(fu.event for rule in scenario.rules for fu in rule.follow)
        self.cost_vars = sorted({self.index[var] for ev in self.events for o in ev.options for var, _ in o.cost})
        scheduled = [ev.id in self.targets or ev.date_turn is not None or ev.chance is not None for ev in self.events]
        self.scheduled_news = [e for e, ev in enumerate(self.events) if ev.is_news and scheduled[e]]
        self.scheduled_decisions = [e for e, ev in enumerate(self.events) if ev.options and scheduled[e]]
        self.random_events = [e for e, ev in enumerate(self.events) if ev.random]
        self.turn = 0
        self.ending: int | None = None
        self.end_turn = 0
        self.score = 0.0
        self.final_score = 0.0
        self.term_acc = [0.0] * sum(c.over is ScoreOver.TERM for c in scenario.score)
        # memory (format 2): (count, last turn) of every event and option, by "event" / "event.option"
        self.memory_calls = scenario.memory_calls()
        self.lastings = scenario.lastings()
        self.until = [0] * len(self.lastings)  # the turn each lasting effect ends (0: not in effect)
        self.happened: dict[str, tuple[float, float]] = {}
        self.chosen: list[tuple[int, int, int, int]] = []  # (turn, slot, event, option)

    # ------------------------------------------------------------------ expressions
    def env(self, x: Sequence[float] | None = None) -> dict[str, float]:
        if x is None:
            # the state changes only by assigning self.x, which bumps the version
            key = (self._version, self.turn)
            if self._env_key != key:
                self._env = self._make_env(self.x)
                self._env_key = key
            return self._env
        return self._make_env(x)

    @property
    def x(self) -> list[float]:
        return self._x

    @x.setter
    def x(self, values: list[float]) -> None:
        self._x = values
        self._version += 1

    def _make_env(self, x: Sequence[float]) -> dict[str, float]:
        return scalar_env(self.s, self.turn, x, self.memory_values())

    def memory_values(self) -> dict[str, float]:
        """Format 2: the value of each memory call the scenario uses, now."""
        out = {}
        for m in self.memory_calls:
            count, last = self.happened.get(m.ref, (0.0, 0.0))
            out[memory_key(m)] = since(last, float(self.turn)) if m.fn == "since" else count
        return out

    def remember(self, ref: str) -> None:
        """An event fired or an option was chosen now (recorded before its own effects are computed)."""
        count, _last = self.happened.get(ref, (0.0, 0.0))
        self.happened[ref] = (count + 1.0, float(self.turn))
        self._version += 1  # the env depends on it

    def value(self, expr: Expr, x: Sequence[float] | None = None) -> float:
        return evaluate(expr.node, self.env(x))

    def holds(self, expr: Expr | None) -> bool:
        return expr is None or self.value(expr) != 0.0

    def flag_round(self, i: int, v: float) -> float:
        return round_half_away(v) if self.vars[i].kind is VarKind.FLAG else v

    # ------------------------------------------------------------------ changes
    def prepare(self, effects: Sequence[Effect], costs=(), x=None):
        """Deltas and sets of a bundle, all computed from the state ``x`` (default: now)."""
        x = self.x if x is None else x
        env = self.env(x)
        delta: dict[int, float] = {}
        sets: dict[int, float] = {}
        for eff in effects:  # constants first, in file order (as the batched tables sum them)
            c = eff.value.constant
            if c is not None:
                i = self.index[eff.var]
                if eff.mode is EffectMode.ADD:
                    delta[i] = delta.get(i, 0.0) + self.flag_round(i, c)
                else:
                    sets[i] = self.flag_round(i, c)
        for var, amount in costs:
            i = self.index[var]
            delta[i] = delta.get(i, 0.0) - amount
        for eff in effects:  # then expressions, in file order
            if eff.value.constant is None:
                i = self.index[eff.var]
                v = self.flag_round(i, evaluate(eff.value.node, env))
                if eff.mode is EffectMode.ADD:
                    delta[i] = delta.get(i, 0.0) + v
                else:
                    sets[i] = v
        return delta, sets

    def commit(self, parts, follows: Sequence[FollowUp], x=None) -> list[float]:
        delta, sets = parts
        x = list(self.x if x is None else x)
        for i in range(len(x)):
            x[i] = x[i] + delta.get(i, 0.0)
        for i, v in sets.items():
            x[i] = v
        for fu in follows:
            e = self.event_index[fu.event]
            new_due = self.turn + fu.after
            if self.due[e] == 0 or self.due[e] > new_due:
                self.due[e] = new_due
        return x

    def apply(self, effects, follows=(), costs=()) -> None:
        self.x = self.commit(self.prepare(effects, costs), follows)

    def clamp(self) -> None:
        self.x = [min(max(x, v.min), v.max) for x, v in zip(self.x, self.vars)]

    # ------------------------------------------------------------------ a turn
    def play(self, policy) -> None:
        """Run the game to its end; ``policy(view)`` returns an option index for a ``SingleView``."""
        for turn in range(1, self.s.turns + 1):
            self.play_turn(turn, policy)
            if self.ending is not None:
                return

    def fired_count(self, ev) -> float:
        return self.happened.get(ev.id, (0.0, 0.0))[0]

    def within_limits(self, e: int) -> bool:
        """Format 2: cooldown (for scheduled events too) and max_fires allow event ``e`` now."""
        ev = self.events[e]
        if ev.cooldown and not (self.turn - self.last_fired[e]) > ev.cooldown:
            return False
        return not (ev.max_fires and self.fired_count(ev) >= ev.max_fires)

    def end_lastings(self) -> None:
        """Format 2: lasting effects whose time is up end now, taken back as written."""
        for k, lasting in enumerate(self.lastings):
            if self.until[k] == self.turn:
                x = list(self.x)
                for var, amount in lasting.changes:
                    i = self.index[var]
                    x[i] = x[i] - self.flag_round(i, amount)
                self.x = x
                self.until[k] = 0

    def start_lasting(self, lasting) -> None:
        """Format 2: a lasting effect begins (or, already in effect, lasts ``turns`` more turns from now)."""
        k = self.lastings.index(lasting)
        if self.until[k] == 0:
            x = list(self.x)
            for var, amount in lasting.changes:
                i = self.index[var]
                x[i] = x[i] + self.flag_round(i, amount)
            self.x = x
        self.until[k] = self.turn + lasting.turns

    def roll_chances(self) -> None:
        """Format 2: events with a chance each turn become due now when their draw falls under it."""
        turn = self.turn
        for e, ev in enumerate(self.events):
            if ev.chance is None:
                continue
            if (ev.from_turn and turn < ev.from_turn) or (ev.until_turn and turn > ev.until_turn):
                continue
            if not self.within_limits(e) or (ev.once and self.last_fired[e] >= 0):
                continue
            p = min(max(self.value(ev.chance), 0.0), 1.0)
            if uniform_scalar(self.key, turn, Stream.CHANCE, e) < p and (self.due[e] == 0 or self.due[e] > turn):
                self.due[e] = turn

    def play_turn(self, turn: int, policy) -> None:
        self.turn = turn
        s = self.s
        v2 = s.format >= 2
        if self.until:
            self.end_lastings()
            self.clamp()
        self.roll_chances()
        # phase 1: scheduled news, in file order
        for e in self.scheduled_news:
            ev = self.events[e]
            if 0 < self.due[e] <= turn:
                self.due[e] = 0
                if (
                    self.holds(ev.when)
                    and not (ev.once and self.last_fired[e] >= 0)
                    and (not v2 or self.within_limits(e))
                ):
                    self.last_fired[e] = turn
                    self.remember(ev.id)
                    self.fire(ev, 1000 + e)
        self.clamp()
        # phase 2: drift, then rules
        delta = [0.0] * len(self.vars)
        env = self.env()
        for i, v in enumerate(self.vars):
            if v.drift is not None and v.drift.constant is not None:
                delta[i] = self.flag_round(i, v.drift.constant)
        for i, v in enumerate(self.vars):
            if v.drift is not None and v.drift.constant is None:
                delta[i] = delta[i] + self.flag_round(i, evaluate(v.drift.node, env))
        if any(v.drift is not None for v in self.vars):
            self.x = [self.x[i] + delta[i] for i in range(len(self.x))]
        for rule in s.rules:
            if self.holds(rule.when):
                self.apply(rule.effects, rule.follow)
        self.clamp()
        # phase 3: eligibility snapshot
        scheduled_decisions = self.scheduled_decisions
        for e in scheduled_decisions:
            ev = self.events[e]
            if 0 < self.due[e] <= turn:
                ok = self.holds(ev.when) and not (ev.once and self.last_fired[e] >= 0)
                if ok and v2:
                    ok = self.within_limits(e)
                if not ok:
                    self.due[e] = 0
        random_events = self.random_events
        weights = []
        for e in random_events:
            ev = self.events[e]
            w = 0
            in_window = not ((ev.from_turn and turn < ev.from_turn) or (ev.until_turn and turn > ev.until_turn))
            if in_window:
                lf = self.last_fired[e]
                ok = (turn - lf) > ev.cooldown and not (ev.once and lf >= 0) and self.holds(ev.when)
                if ev.max_fires and self.fired_count(ev) >= ev.max_fires:
                    ok = False
                if ok:
                    w = quantize_weight(self.value(ev.weight))
            weights.append(w)
        slot = -1
        while True:
            slot += 1
            overflow = slot >= s.decisions
            if overflow and not (
                v2 and any(0 < self.due[e] <= turn and self.last_fired[e] != turn for e in scheduled_decisions)
            ):
                break  # format 2: due decision events open extra slots rather than slide to next turn
            e = self.pick_event(turn, slot, scheduled_decisions, [] if overflow else random_events, weights)
            if e < 0:
                continue
            ev = self.events[e]
            self.last_fired[e] = turn
            self.due[e] = 0
            self.remember(ev.id)
            self.fire(ev, slot)
            self.clamp()
            available = self.available(ev)
            k = int(policy(SingleView(self, e, available, slot)))
            if not (0 <= k < len(ev.options)) or not available[k]:
                raise ValueError(f"policy chose unavailable option {k} of event '{ev.id}'")
            self.choose(e, k, slot)
        # phase 4: score and endings
        self.score = self.score_of(self.env(), commit=True)
        for k, ending in enumerate(s.endings):
            if ending.early and self.holds(ending.when):
                self.end(k)
                return
        if turn >= s.turns:
            for k, ending in enumerate(s.endings):
                if not ending.early and self.holds(ending.when):
                    self.end(k)
                    return

    def pick_event(self, turn, slot, scheduled_decisions, random_events, weights) -> int:
        for e in scheduled_decisions:
            if 0 < self.due[e] <= turn and self.last_fired[e] != turn:
                return e
        cum, total, cums = 0, 0, []
        for r, e in enumerate(random_events):
            w = weights[r] if self.last_fired[e] != turn else 0
            cum += w
            cums.append(cum)
        total = cum
        if total <= 0:
            return -1
        u = uniform_scalar(self.key, turn, Stream.EVENT, slot)
        r = int(u * total)
        k = sum(1 for c in cums if c <= r)
        return random_events[min(k, len(random_events) - 1)]

    def available(self, ev) -> list[bool]:
        cost_vars = self.cost_vars
        out = []
        for o in ev.options:
            cost = {self.index[var]: amount for var, amount in o.cost}
            ok = all(self.x[i] - cost.get(i, 0.0) >= self.vars[i].min for i in cost_vars)
            out.append(ok and self.holds(o.available) and self.holds(o.visible))
        return out

    def pick_branch(self, branches, u: float) -> int:
        """Which of ``branches`` happens for the draw ``u`` (-1 for none): the first whose cumulative chance
        exceeds it, chances clamped to 0..1 and capped at a total of 1."""
        cum = 0.0
        for j, br in enumerate(branches):
            p = min(max(self.value(br.chance), 0.0), 1.0)
            nxt = min(cum + p, 1.0)
            if cum <= u < nxt:
                return j
            cum = nxt
        return -1

    def branch_of(self, option, slot: int) -> int:
        """Which branch of ``option`` happens (-1 for none), from the BRANCH stream."""
        if not option.branches:
            return -1
        return self.pick_branch(option.branches, uniform_scalar(self.key, self.turn, Stream.BRANCH, slot))

    def fire(self, ev, draw_slot: int) -> None:
        """An event fires: its effects and one of its own branches, both computed from the state before."""
        j = -1
        if ev.branches:
            j = self.pick_branch(ev.branches, uniform_scalar(self.key, self.turn, Stream.EVENT_BRANCH, draw_slot))
        parts = self.prepare(ev.effects)
        br = ev.branches[j] if j >= 0 else None
        br_parts = self.prepare(br.effects) if br else None
        self.x = self.commit(parts, ev.follow)
        if br is not None:
            self.x = self.commit(br_parts, br.follow)

    def choose(self, e: int, k: int, slot: int) -> None:
        option = self.events[e].options[k]
        self.chosen.append((self.turn, slot, e, k))
        self.remember(f"{self.events[e].id}.{option.id}")
        j = self.branch_of(option, slot)
        opt_parts = self.prepare(option.effects, option.cost)
        br = option.branches[j] if j >= 0 else None
        br_parts = self.prepare(br.effects) if br else None
        self.x = self.commit(opt_parts, option.follow)
        if br is not None:
            self.x = self.commit(br_parts, br.follow)
        if option.lasting is not None:
            self.start_lasting(option.lasting)
        for t in option.tags:
            self.tag_counts[t] += 1
        self.clamp()

    def end(self, k: int) -> None:
        self.ending = k
        self.end_turn = self.turn
        self.final_score = self.score + self.s.endings[k].bonus

    # ------------------------------------------------------------------ look-ahead (greedy policies)
    def expected_score(self, e: int, k: int) -> float:
        """Score of the expected state after option ``k`` (the same arithmetic as the batched engine)."""
        option = self.events[e].options[k]
        x0 = self.x
        delta, sets = self.prepare(option.effects, option.cost)
        xo = [x0[i] + delta.get(i, 0.0) for i in range(len(x0))]
        for i, v in sets.items():
            xo[i] = v
        xe = list(xo)
        cum = 0.0
        for br in option.branches:
            p = min(max(self.value(br.chance), 0.0), 1.0)
            nxt = min(cum + p, 1.0)
            q = nxt - cum
            cum = nxt
            bd, bs = self.prepare(br.effects)
            xb = [xo[i] + bd.get(i, 0.0) for i in range(len(xo))]
            for i, v in bs.items():
                xb[i] = v
            xe = [xe[i] + q * (xb[i] - xo[i]) for i in range(len(xe))]
        xe = [min(max(xe[i], v.min), v.max) for i, v in enumerate(self.vars)]
        return self.score_of(self.env(xe), commit=False)

    def score_of(self, env, *, commit: bool) -> float:
        """The score in ``env``: each component's ``weight x value``, where a component over the term counts
        the mean of its values after each turn played, this one included. ``commit`` adds this turn's values
        to the running sums (at the end of a turn); look-ahead only asks "what if the turn ended here"."""
        score = 0.0
        r = 0
        for comp in self.s.score:
            value = evaluate(comp.value.node, env)
            if comp.over is ScoreOver.TERM:
                total = self.term_acc[r] + value
                if commit:
                    self.term_acc[r] = total
                value = total / self.turn
                r += 1
            score = score + comp.weight * value
        return score


class SingleView:
    """What a single-game policy sees at a decision."""

    def __init__(self, game: ReferenceGame, event: int, available: list[bool], slot: int):
        self.game = game
        self.event = event
        self.available = available
        self.slot = slot
        self.turn = game.turn
        self.options = game.events[event].options
        self.tag_counts = game.tag_counts
        self.sides = game.s.sides

    def uniform(self, stream: int = Stream.POLICY) -> float:
        return uniform_scalar(self.game.key, self.turn, stream, self.slot)

    def expected_scores(self) -> list[float]:
        return [self.game.expected_score(self.event, k) if ok else -math.inf for k, ok in enumerate(self.available)]


def _all_follows(ev):
    yield from ev.follow
    for b in ev.branches:
        yield from b.follow
    for o in ev.options:
        yield from o.follow
        for b in o.branches:
            yield from b.follow
