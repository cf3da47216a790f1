"""The advisers: named people with known leanings who read the pending decision from imagined futures.

The futures are Monte Carlo rollouts from what the player knows (``game.engine.rollouts``): every hidden
meter is redrawn from the player's own estimate, so advice never depends on a value the player cannot see,
and later choices are made by a sensible policy (greedy by default), not at random. Every option is tried on
the same futures (common random numbers).

Each adviser judges a future by their own weighting (``Adviser.weights``: score components, variables or the
score itself) and recommends the option with the best mean. Their reasons are the terms of their weighting
on which the recommended option differs most from the alternatives, in words. Advisers disagree because
they care about different things; a scenario declares them as data (``[[advisers]]``), or gets a default
cabinet built from its score components. Consulting is limited (``[advice] consultations``); a
``AdviceBudget`` counts the consultations of one game, and asking twice about the same decision is free.
"""

from __future__ import annotations

import math

import numpy as np
from attrs import define, field, frozen

from ..engine import State
from ..engine.rollouts import Futures, believed_futures
from ..engine.single import SingleState
from ..model import Adviser, Scenario
from ..policies import get_policy

__all__ = [
    "DEFAULT_CONSULTATIONS",
    "DEFAULT_ROLLOUTS",
    "AdviceBudget",
    "Consultation",
    "Opinion",
    "OptionAdvice",
    "advise",
    "advisers_of",
    "consult",
    "consultations_of",
    "default_advisers",
]

DEFAULT_ROLLOUTS = 64
DEFAULT_POLICY = "greedy"
DEFAULT_CONSULTATIONS = 5
CLOSE_CALL = 0.01  # a best option ahead by less than this share of the utility's size is "a close call"


@frozen
class OptionAdvice:
    option: int
    mean_score: float
    score_p10: float
    score_p90: float
    endings: tuple[float, ...]  # share of rollouts that reached each ending
    mean_values: tuple[float, ...]  # mean final value of each variable


@frozen
class Opinion:
    """One adviser's reading: the option they recommend and why, in words."""

    adviser: Adviser
    option: int
    utilities: tuple[float, ...]  # their mean judgement of each option (-inf: unavailable)
    reasons: tuple[str, ...]


@frozen
class Consultation:
    options: tuple[OptionAdvice, ...]
    opinions: tuple[Opinion, ...]
    rollouts: int


@define
class AdviceBudget:
    """How many consultations a game has left. Asking again about a decision already paid for is free."""

    limit: int
    used: int = 0
    paid: set[int] = field(factory=set)  # decisions (numbered by choices made before them) paid for

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)

    def can_ask(self, decision: int) -> bool:
        return decision in self.paid or self.left > 0

    def spend(self, decision: int) -> bool:
        """Pay for advice on decision number ``decision``; False (and nothing changes) if none is left."""
        if decision in self.paid:
            return True
        if self.left <= 0:
            return False
        self.used += 1
        self.paid.add(decision)
        return True


def default_advisers(scenario: Scenario) -> tuple[Adviser, ...]:
    """A cabinet for a scenario that declares none: a chief of staff who weighs the score as it is, and one
    adviser for each of the two heaviest score components, who weighs that component three times over."""
    out = [
        Adviser(
            "chief",
            "Your chief of staff",
            "Chief of Staff",
            "Judges every option by the whole record: the score as it will stand at the end.",
            (("score", 1.0),),
        )
    ]
    heaviest = sorted(scenario.score, key=lambda c: -abs(c.weight))[:2] if len(scenario.score) > 1 else []
    for c in heaviest:
        out.append(
            Adviser(
                f"for_{c.id}",
                f"Your {c.label.lower()} adviser",
                f"Adviser on {c.label.lower()}",
                f"Cares above all about {c.label.lower()}; the rest of the record counts for less.",
                ((c.id, 3.0), ("score", 1.0)),
            )
        )
    return tuple(out)


def advisers_of(scenario: Scenario) -> tuple[Adviser, ...]:
    return scenario.advisers or default_advisers(scenario)


def consultations_of(scenario: Scenario) -> int:
    return scenario.consultations or DEFAULT_CONSULTATIONS


def _batched(state: State | SingleState) -> State:
    """The batched state to roll out from (a single-game state's equivalent ``to_batch()``)."""
    return state.to_batch() if isinstance(state, SingleState) else state


def _futures(
    state: State, game: int, rollouts: int, policy: str, salt: int, horizon: int | None
) -> tuple[list[int], Futures | None]:
    event = int(state.pending_events()[game])
    if event < 0:
        return [], None
    options = [int(k) for k in np.flatnonzero(state.available_options()[game])]
    col = int(np.flatnonzero(state.col.position == game)[0])
    futures = believed_futures(
        state, np.full(len(options), col), np.array(options), rollouts, get_policy(policy), horizon, salt
    )
    return options, futures


def _option_advice(scenario: Scenario, options: list[int], f: Futures) -> list[OptionAdvice]:
    out = []
    R = f.scores.shape[1]
    for i, k in enumerate(options):
        sc = f.scores[i]
        ends = f.endings[i]
        counts = np.bincount(ends[ends >= 0], minlength=len(scenario.endings)) / R
        out.append(
            OptionAdvice(
                k,
                float(sc.mean()),
                float(np.percentile(sc, 10)),
                float(np.percentile(sc, 90)),
                tuple(float(c) for c in counts),
                tuple(float(v) for v in f.values[:, i].mean(axis=1)),
            )
        )
    return out


def advise(
    state: State | SingleState,
    game: int = 0,
    rollouts: int = DEFAULT_ROLLOUTS,
    policy: str = DEFAULT_POLICY,
    salt: int = 0,
    horizon: int | None = None,
) -> list[OptionAdvice]:
    """The futures of each available option of ``game``'s pending decision (an empty list if none)."""
    state = _batched(state)
    options, futures = _futures(state, game, rollouts, policy, salt, horizon)
    return _option_advice(state.scenario, options, futures) if futures is not None else []


def consult(
    state: State | SingleState,
    game: int = 0,
    rollouts: int = DEFAULT_ROLLOUTS,
    policy: str = DEFAULT_POLICY,
    salt: int = 0,
) -> Consultation:
    """Every adviser's reading of ``game``'s pending decision (no opinions if there is none)."""
    state = _batched(state)
    options, futures = _futures(state, game, rollouts, policy, salt, None)
    if futures is None:
        return Consultation((), (), rollouts)
    scenario = state.scenario
    terms = _terms(state, futures)
    opinions = tuple(_opinion(scenario, a, options, futures, terms, state.compiled.K) for a in advisers_of(scenario))
    return Consultation(tuple(_option_advice(scenario, options, futures)), opinions, rollouts)


def _terms(state: State, f: Futures) -> dict[str, tuple[str, np.ndarray]]:
    """Every key an adviser may weigh: its label and its (pairs, rollouts) values at the end of each future."""
    s = state.scenario
    out = {"score": ("the final score", f.scores)}
    for k, comp in enumerate(s.score):
        out[comp.id] = (comp.label.lower(), f.components[k])
    for i, v in enumerate(s.variables):
        out[v.id] = (v.label.lower(), f.values[i])
    return out


def _opinion(
    scenario: Scenario,
    adviser: Adviser,
    options: list[int],
    f: Futures,
    terms: dict[str, tuple[str, np.ndarray]],
    K: int,
) -> Opinion:
    means = {key: terms[key][1].mean(axis=1) for key, _ in adviser.weights}  # (pairs,) per term
    utility = np.zeros(len(options))
    for key, w in adviser.weights:
        utility = utility + w * means[key]
    best = int(np.argmax(utility))
    utilities = [-math.inf] * K
    for i, k in enumerate(options):
        utilities[k] = float(utility[i])
    reasons = []
    if len(options) == 1:
        reasons.append("There is only one thing to do.")
    else:
        others = [i for i in range(len(options)) if i != best]
        gains = []
        for key, w in adviser.weights:
            label = terms[key][0]
            mine = float(means[key][best])
            theirs = float(np.mean([means[key][i] for i in others]))
            gains.append((w * (mine - theirs), label, mine, theirs))
        gains.sort(key=lambda g: -g[0])
        own = [g for g in gains if g[0] > 0 and g[1] != terms["score"][0]]  # their own concerns first
        top = own[0] if own else gains[0]
        if top[0] > 0:
            reasons.append(
                f"It does best for {top[1]}: {top[2]:.0f} at the end, against {top[3]:.0f} "
                "on average for the alternatives."
            )
        worst = gains[-1]
        if worst[0] < 0 and worst is not top and f"{worst[2]:.0f}" != f"{worst[3]:.0f}":
            reasons.append(f"It costs some {worst[1]} ({worst[2]:.0f} against {worst[3]:.0f}), a price worth paying.")
        second = float(np.max(np.delete(utility, best)))
        if abs(utility[best] - second) <= CLOSE_CALL * max(abs(float(utility[best])), 1.0):
            reasons.append("It is a close call.")
    ends = f.endings[best]
    if np.count_nonzero(ends >= 0):
        counts = np.bincount(ends[ends >= 0], minlength=len(scenario.endings))
        e = int(np.argmax(counts))
        reasons.append(
            f"Most of the futures they imagine end in \u201c{scenario.endings[e].title}\u201d "
            f"({counts[e] / ends.shape[0]:.0%})."
        )
    return Opinion(adviser, options[best], tuple(utilities), tuple(reasons))
