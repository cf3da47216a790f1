"""The simulated checks of ``manila lint``: seeded games with cheap policies, and what never happened in them.

The games are played with ``random`` and ``prefer:SIDE`` for every side, split evenly, and watched along
the way (``game.sim.probe``): every condition of an event or an ending is counted clause by clause at the
moment the engine checks it (news events at the start of a turn, decision events where the turn's decisions
begin, endings at the end of the turn; a dated event on its date only). So a report can say *why* something
never happened:

- an event or an ending whose condition never held names the clause that never did (or says that each did,
  never all together);
- a dated event whose ``when`` was false on its date says so (such an event lapses for good), one whose
  date no game reached says that, and one whose ``when`` held is not asked whether it ever does;
- an ending whose condition held, but only where an earlier ending's held too, names that ending; and an
  ending that is reached, but whose condition mostly meets an earlier ending's (``OVERLAP_SHARE``), is an
  *overlap*: the earlier one takes most of the games it was written for.
"""

from __future__ import annotations

import numpy as np
from attrs import frozen

from ..engine import Game, Moment
from ..expr import Binary, Node
from ..model import Expr, Scenario
from ..sim.probe import MOMENTS, Probe, ProbeCounts, Watch
from ..sim.sim import run_sim
from .analysis import Facts, clause_text, clauses
from .finding import Finding

__all__ = ["MIN_FIRINGS_FOR_OPTIONS", "MIN_OVERLAP_STATES", "OVERLAP_SHARE", "simulated"]

# Options of an event that fired at least this often under the random policy and were never chosen
# were (almost surely) never available: random picks uniformly among the available options.
MIN_FIRINGS_FOR_OPTIONS = 30
# An ending whose condition held in at least MIN_OVERLAP_STATES game-turns, in at least OVERLAP_SHARE of them
# together with an earlier ending's, is reported as an overlap.
OVERLAP_SHARE = 0.5
MIN_OVERLAP_STATES = 20


@frozen
class _Watched:
    """The condition of an event or an ending, watched whole and clause by clause."""

    expr: Expr | None
    moment: Moment
    turns: tuple[int, ...]  # the turns on which the engine checks it
    whole: int  # the watch of the whole condition (-1: no condition)
    parts: tuple[tuple[str, int], ...]  # (clause as written, watch) for a condition with several clauses


class _Plan:
    """What to watch: the conditions of events and endings, and each ending together with the earlier ones."""

    def __init__(self, s: Scenario, facts: Facts):
        self.watches: list[Watch] = []
        self.events: dict[int, _Watched] = {}
        self.endings: dict[int, _Watched] = {}
        self.pairs: dict[int, list[tuple[int, int]]] = {}  # ending -> (earlier ending, watch of both)
        every = tuple(range(1, s.turns + 1))
        for i, e in enumerate(s.events):
            if e.date_turn is not None:
                turns: tuple[int, ...] = (e.date_turn,)
            elif e.random and e.id not in facts.follow_targets and (e.from_turn or e.until_turn):
                turns = tuple(range(e.from_turn or 1, (e.until_turn or s.turns) + 1))
            else:
                turns = every
            if e.when is not None or e.date_turn is not None:
                self.events[i] = self._watch(e.when, Moment.NEWS if e.is_news else Moment.DECISIONS, turns)
        order = [k for k, e in enumerate(s.endings) if e.early] + [k for k, e in enumerate(s.endings) if not e.early]
        for n, k in enumerate(order):
            end = s.endings[k]
            if end.when is None:
                continue
            self.endings[k] = self._watch(end.when, Moment.TURN_END, every if end.early else (s.turns,))
            self.pairs[k] = [
                (j, self._add(Binary(0, 0, "and", end.when.node, when.node), f"{end.id} and {s.endings[j].id}"))
                for j in order[:n]
                if (when := s.endings[j].when) is not None
            ]

    def _add(self, node: Node, text: str, moment: Moment = Moment.TURN_END) -> int:
        self.watches.append(Watch(node, moment, text))
        return len(self.watches) - 1

    def _watch(self, expr: Expr | None, moment: Moment, turns: tuple[int, ...]) -> _Watched:
        if expr is None:
            return _Watched(None, moment, turns, -1, ())
        whole = self._add(expr.node, expr.text, moment)
        parts = clauses(expr.node)
        named = tuple((clause_text(expr, c), self._add(c, clause_text(expr, c), moment)) for c in parts)
        return _Watched(expr, moment, turns, whole, named if len(parts) > 1 else ())


class _Seen:
    """Reads the probe's counts for one watched condition."""

    def __init__(self, counts: ProbeCounts, watched: _Watched):
        self.counts = counts
        self.w = watched
        self.checked = int(counts.seen[MOMENTS.index(watched.moment), list(watched.turns)].sum())

    def held(self, watch: int) -> int:
        return int(self.counts.held[watch, list(self.w.turns)].sum()) if watch >= 0 else self.checked

    def clauses(self) -> str:
        """Which clause blocks, for a condition of several that never held: '' for a single clause."""
        if not self.w.parts:
            return ""
        never = [text for text, w in self.w.parts if self.held(w) == 0]
        if len(never) == 1:
            return f"; its clause '{never[0]}' never held"
        if never:
            return f"; its clauses {', '.join(repr(t) for t in never)} never held"
        shares = ", ".join(f"'{text}' in {100 * self.held(w) / self.checked:.0f}%" for text, w in self.w.parts)
        return f"; each of its clauses held at times, never all together ({shares})"


def simulated(s: Scenario, facts: Facts, out: list[Finding], *, games: int, seed: int, workers: int) -> None:
    """Play the lint games and add what never happened in them (see the module's docstring) to ``out``."""
    from .lint import lint_policies

    policies = lint_policies(s)
    plan = _Plan(s, facts)
    probe = Probe(watches=tuple(plan.watches))
    share, extra = divmod(max(games, len(policies)), len(policies))
    game = Game(s)  # compiled once for all policies (used when running in this process)
    results = [
        run_sim(
            s, games=share + (n < extra), seed=seed, policy=p, workers=workers, game=game, probe=probe, keep_games=False
        )
        for n, p in enumerate(policies)
    ]
    counts = results[0].probe
    assert counts is not None
    for r in results[1:]:
        assert r.probe is not None
        counts = counts.merge(r.probe)
    played = f"in {sum(r.games for r in results):,} simulated games ({', '.join(policies)})"
    reported = {f.path.split(".when")[0] for f in out if f.code in ("never-fires", "never-reached")}
    event_hits = np.sum([r.event_hits for r in results], axis=0)
    option_hits = np.sum([r.option_hits for r in results], axis=0)
    for i, e in enumerate(s.events):
        p = f"events[{i}]"
        if event_hits[i] == 0 and p not in reported:
            why = _why_not_fired(s, i, plan, counts)
            out.append(Finding("never-fires", p, f"event '{e.id}' never fired {played}{why}"))
    random_run = results[0]  # lint_policies puts random first
    g = 0
    for i, e in enumerate(s.events):
        fired = int(random_run.event_hits[i])
        for j, o in enumerate(e.options):
            if option_hits[g] == 0 and fired >= MIN_FIRINGS_FOR_OPTIONS and not _static_option(out, i, j):
                out.append(
                    Finding(
                        "never-available",
                        f"events[{i}].options[{j}]",
                        f"option '{e.id}.{o.id}' "
                        f"was never chosen {played}, although the random policy met its event "
                        f"{fired:,} times: it is probably never available",
                    )
                )
            g += 1
    reached = np.sum([r.tally.endings for r in results], axis=0)  # games per ending
    for k, end in enumerate(s.endings):
        p = f"endings[{k}]"
        if reached[k] == 0 and p not in reported:
            why = _why_not_reached(s, k, plan, counts)
            out.append(Finding("never-reached", p, f"ending '{end.id}' was never reached {played}{why}"))
        elif reached[k] and k in plan.endings:
            overlap = _overlap(s, k, plan, counts)
            if overlap:
                out.append(Finding("ending-overlap", f"{p}.when", overlap))


def _unit(w: _Watched) -> str:
    if w.moment is Moment.TURN_END:
        return "game-turns (games at the end of a turn)" if len(w.turns) > 1 else "games that reached the last turn"
    return "game-turns checked"


def _why_not_fired(s: Scenario, i: int, plan: _Plan, counts: ProbeCounts) -> str:
    e = s.events[i]
    w = plan.events.get(i)
    if w is None:
        return ""
    seen = _Seen(counts, w)
    if e.date_turn is not None:
        date = s.date_label(e.date_turn)
        if seen.checked == 0:
            return f": no game lasted until its date ({date})"
        if w.expr is None or seen.held(w.whole):
            when = f" and 'when = {w.expr.text}' held then in {seen.held(w.whole):,}" if w.expr else ""
            slide = (
                "it lost its decision slot to events due before it, and its 'when' no longer held when it came "
                "up again (a dated event that loses its slot fires the next turn if its 'when' still holds)"
                if e.options
                else "news events before it that turn changed what its 'when' sees"
            )
            return f", although its date ({date}) came in {seen.checked:,} games{when}: {slide}"
        return (
            f": its date ({date}) came in {seen.checked:,} games, but 'when = {w.expr.text}' held in none of them "
            f"then, and a dated event whose 'when' is false on its date lapses for good{seen.clauses()}"
        )
    assert w.expr is not None
    held = seen.held(w.whole)
    if held == 0:
        return f": 'when = {w.expr.text}' held in none of the {seen.checked:,} {_unit(w)}{seen.clauses()}"
    if e.chance is not None:
        why = "its chance never came up while it held"
    elif e.random:
        why = "it was never drawn: its weight is small next to the other events' when it holds"
    else:
        why = "nothing scheduled it (a follow-up or a rule) while it held"
    return f", although 'when = {w.expr.text}' held in {held:,} of the {seen.checked:,} {_unit(w)}: {why}"


def _why_not_reached(s: Scenario, k: int, plan: _Plan, counts: ProbeCounts) -> str:
    w = plan.endings.get(k)
    if w is None or w.expr is None:
        return ""
    seen = _Seen(counts, w)
    held = seen.held(w.whole)
    if held == 0:
        return f": 'when = {w.expr.text}' held in none of the {seen.checked:,} {_unit(w)}{seen.clauses()}"
    takers = sorted(((seen.held(pw), j) for j, pw in plan.pairs[k]), reverse=True)
    named = ", ".join(f"'{s.endings[j].id}' in {n:,}" for n, j in takers if n)
    return (
        f", although 'when = {w.expr.text}' held in {held:,} {_unit(w)}: an ending tried before it held too "
        f"each time and took the game ({named}); endings are tried in order, the early ones after every turn, "
        "then the final ones in file order"
    )


def _overlap(s: Scenario, k: int, plan: _Plan, counts: ProbeCounts) -> str:
    w = plan.endings[k]
    assert w.expr is not None
    seen = _Seen(counts, w)
    held = seen.held(w.whole)
    if held < MIN_OVERLAP_STATES or not plan.pairs[k]:
        return ""
    both, j = max((seen.held(pw), j) for j, pw in plan.pairs[k])
    if both < OVERLAP_SHARE * held:
        return ""
    first = s.endings[j]
    assert first.when is not None
    end = s.endings[k]
    return (
        f"ending '{end.id}': in {100 * both / held:.0f}% of the {held:,} simulated {_unit(w)} where "
        f"'when = {w.expr.text}' held, the ending '{first.id}' ('{first.when.text}') held too and, tried first, "
        f"took the game; if '{end.id}' was written for those, move it before '{first.id}' or narrow "
        f"'{first.id}'"
    )


def _static_option(out: list[Finding], i: int, j: int) -> bool:
    prefix = f"events[{i}].options[{j}]."
    return any(f.code == "never-available" and f.path.startswith(prefix) for f in out)
