"""The ``expert`` policy: Monte Carlo look-ahead that sees only what the player sees.

At each decision, for each available option, the expert plays ``rollouts`` futures of the game from the
player's belief (every hidden meter redrawn from the range the player is shown; see
``game.engine.rollouts``), applies the option, lets fast policies play on, and scores the futures: at the
end of the game, or where the horizon stops them, projected to the end of the term as the state stands
(``projected_scores``: the status bar's reading plus the bonus of the ending the state is heading for).
Each option is valued by the best of its futures' means over the rollout policies ("policy switching": an
option is judged as if the player then went on in the way that suits it best; the default tries greedy
and ``prefer:SIDE`` for every side of the scenario). The expert keeps the first policy's own choice unless
another option's futures beat it clearly (``expert_choices``): a one-step improvement of the best of
several ways of playing on. Rollout ``r`` is the same future for every option and policy (common random
numbers), and the choice is a pure function of (seed, game, turn, slot): the same at any batch size.

Names: ``expert`` (the defaults: 16 rollouts, ``policy=greedy+sides``, horizon 10, margin 1),
``expert:64`` (64 rollouts an option), or key=value settings after the colon, comma-separated:
``expert:rollouts=32,policy=balanced,horizon=12,margin=1``. ``policy`` is the policy, or ``+``-joined
policies, of the later choices in rollouts (any policy name except an expert; ``sides`` stands for
``prefer:SIDE`` for each side; ``recipe:FILE`` gives an expert that improves on a recipe); ``horizon`` stops
rollouts after that many more turns (``horizon=end`` plays to the end); ``margin`` is how many standard
errors an option must gain to replace the first policy's choice.
"""

from __future__ import annotations

import numpy as np
from attrs import frozen

from .policies import NamedPolicy, PolicyError, get_policy

__all__ = [
    "DEFAULT_HORIZON",
    "DEFAULT_MARGIN",
    "DEFAULT_ROLLOUTS",
    "DEFAULT_ROLLOUT_POLICY",
    "ExpertSpec",
    "expert_policy",
    "parse_expert",
]

DEFAULT_ROLLOUTS = 16
DEFAULT_ROLLOUT_POLICY = "greedy+sides"
DEFAULT_HORIZON: int | None = 10
SIDES = "sides"  # in a policy list: prefer:SIDE for every side of the scenario
DEFAULT_MARGIN = 1.0
MAX_ROLLOUTS = 4096


@frozen
class ExpertSpec:
    rollouts: int = DEFAULT_ROLLOUTS
    policy: str = DEFAULT_ROLLOUT_POLICY
    horizon: int | None = DEFAULT_HORIZON
    margin: float = DEFAULT_MARGIN


def parse_expert(name: str) -> ExpertSpec:
    """``expert``, ``expert:N`` or ``expert:rollouts=N,policy=P,horizon=H|end``; ``PolicyError`` if bad."""
    head, _, rest = name.partition(":")
    if head != "expert":
        raise PolicyError(f"not an expert policy: '{name}'")
    settings: dict = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = part.partition("=")
        if not eq:
            key, value = "rollouts", part
        key = key.strip()
        value = value.strip()
        if key == "rollouts":
            if not value.isdigit() or not 1 <= int(value) <= MAX_ROLLOUTS:
                raise PolicyError(f"expert: rollouts must be a whole number from 1 to {MAX_ROLLOUTS}, not '{value}'")
            settings["rollouts"] = int(value)
        elif key == "policy":
            for one in value.split("+"):
                if one.strip().startswith("expert"):
                    raise PolicyError(
                        "expert: rollouts need fast policies (greedy, balanced, first, recipe:FILE, ...), not an expert"
                    )
                if one.strip() != SIDES:
                    get_policy(one.strip())
            settings["policy"] = "+".join(one.strip() for one in value.split("+"))
        elif key == "margin":
            try:
                settings["margin"] = float(value)
            except ValueError:
                settings["margin"] = -1.0
            if not 0.0 <= settings["margin"] <= 10.0:
                raise PolicyError(f"expert: margin must be a number of standard errors from 0 to 10, not '{value}'")
        elif key == "horizon":
            if value == "end":
                settings["horizon"] = None
            elif value.isdigit():
                settings["horizon"] = int(value)
            else:
                raise PolicyError(f"expert: horizon must be a number of turns or 'end', not '{value}'")
        else:
            raise PolicyError(
                f"expert: unknown setting '{key}' (rollouts, policy, horizon); "
                "e.g. expert:rollouts=16,policy=greedy,horizon=6"
            )
    return ExpertSpec(**settings)


def expert_policy(name: str) -> NamedPolicy:
    spec = parse_expert(name)
    names = spec.policy.split("+")
    fixed = {one: get_policy(one) for one in names if one != SIDES}

    def batched(view) -> np.ndarray:
        later: list[NamedPolicy] = []
        for one in names:
            if one == SIDES:  # the scenario's sides are known only once a game is in view
                later.extend(get_policy(f"prefer:{side}") for side in view.sides)
            else:
                later.append(fixed[one])
        return expert_choices(view, spec.rollouts, later, spec.horizon, margin=spec.margin)

    return NamedPolicy(name, batched, None)


def expert_choices(
    view, rollouts: int, later, horizon: int | None, salt: int = 0, margin: float = DEFAULT_MARGIN
) -> np.ndarray:
    """(B,) each pending game's choice; 0 elsewhere.

    ``later`` is the rollout policy, or a list of them: with several, each option is valued by the best of
    its futures' means under each policy ("policy switching": the option is judged as if the player went
    on in the way that suits it best), all on the same futures.
    The default is what the first rollout policy would choose (the most common of its choices in the
    rollouts' beliefs, the lowest option on a tie). Another option replaces it only if its futures beat the
    default's by more than ``margin`` standard errors of the paired difference (the same futures): with few
    rollouts, chasing noise would lose points at every decision. Among those, the best mean wins.
    """
    policies = list(later) if isinstance(later, (list, tuple)) else [later]
    B, K = view.available.shape
    cols, options = np.nonzero(view.available & (view.pending >= 0)[:, None])
    choices = np.zeros(B, dtype=np.int64)
    if not cols.size:
        return choices
    live = np.unique(cols)
    base_votes = view.believed_choices(live, rollouts, policies[0], salt)
    counts = np.zeros((live.shape[0], K), dtype=np.int64)
    for r in range(rollouts):
        np.add.at(counts, (np.arange(live.shape[0]), base_votes[:, r]), 1)
    base = np.argmax(counts, axis=1)
    S: np.ndarray = np.empty(0)  # (L, K, R): each option's futures under the policy whose mean is best for it
    best: np.ndarray = np.empty(0)
    for i, policy in enumerate(policies):
        futures = view.believed_futures(cols, options, rollouts, policy, horizon, salt)
        scores = np.full((B, K, rollouts), np.nan)
        scores[cols, options] = futures.scores
        Sp = scores[live]
        mp = np.zeros(Sp.shape[:2])
        for r in range(rollouts):
            mp += Sp[:, :, r]
        if i == 0:
            S, best = Sp, mp
        else:
            take = mp > best  # nan (unavailable) compares False
            S = np.where(take[:, :, None], Sp, S)
            best = np.where(take, mp, best)
    d = S - S[np.arange(live.shape[0]), base][:, None, :]
    total = np.zeros(d.shape[:2])
    for r in range(rollouts):  # fixed orders of summation: the same bits at any batch size
        total += d[:, :, r]
    mean = total / rollouts
    square = np.zeros(d.shape[:2])
    for r in range(rollouts):
        square += (d[:, :, r] - mean) ** 2
    se = np.sqrt(square / max(rollouts - 1, 1) / rollouts)
    better = (mean > margin * se) & (mean > 0)  # nan (unavailable) compares False
    gain = np.where(better, mean, -np.inf)
    choices[live] = np.where(better.any(axis=1), np.argmax(gain, axis=1), base)
    return choices
