"""``manila balance --json``: a balance report as JSON-ready data.

Every figure is rounded to 6 places, so equal runs print equal JSON; ids name the endings, events, options
and variables, so the data reads without the scenario file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Scenario

if TYPE_CHECKING:
    from .balance import BalanceReport, PolicyRun

__all__ = ["report_dict", "run_dict"]


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def run_dict(s: Scenario, r: PolicyRun) -> dict:
    """One policy's figures as JSON-ready data."""
    option_names = [f"{e.id}.{o.id}" for e in s.events for o in e.options]
    return {
        "games": r.games,
        "endings": {
            e.id: {
                "count": r.end_counts[k],
                "share": round(r.end_counts[k] / r.games, 6),
                "mean_score": _r(r.ending_mean(k)),
            }
            for k, e in enumerate(s.endings)
        },
        "score": {
            **{k: round(getattr(r, f"score_{k}"), 6) for k in ("mean", "std", "p5", "p50", "p95")},
            "se": round(r.score_se, 6),
        },
        "mean_length": round(r.mean_length, 6),
        "early_share": round(r.early_share, 6),
        "event_hits": {e.id: r.event_hits[i] for i, e in enumerate(s.events)},
        "events": {
            e.id: {"per_game": round(r.event_hits[i] / r.games, 6), "top_share": _r(r.top_share(s, i))}
            for i, e in enumerate(s.events)
            if e.options
        },
        "one_sided": [s.events[i].id for i in r.one_sided(s)],
        "option_hits": dict(zip(option_names, r.option_hits)),
        "digest": r.digest,
    }


def report_dict(report: BalanceReport) -> dict:
    """The report as JSON-ready data (rounded to 6 places, so equal runs print equal JSON)."""
    s = report.scenario
    option_names = [f"{e.id}.{o.id}" for e in s.events for o in e.options]
    out = {
        "scenario": s.id,
        "seed": report.seed,
        "games_per_policy": report.games,
        "policies": {r.policy: run_dict(s, r) for r in report.runs},
        "never_chosen": [option_names[g] for g in report.never_chosen()],
        "pinned": [
            {"policy": p.policy, "variable": p.var, "bound": p.bound, "value": p.value, "share": round(p.share, 6)}
            for p in report.pinned
        ],
        "warnings": report.warnings(),
        "dominant": [
            {
                "policy": d.policy,
                "mean": round(d.mean, 6),
                "adaptive": d.adaptive,
                "adaptive_mean": round(d.adaptive_mean, 6),
            }
            for d in report.dominant
        ],
        "sides_without_good_ending": [
            {
                "side": w.side,
                "policy": w.policy,
                "endings": [{"title": t, "share": round(x, 6), "bonus": b} for t, x, b in w.endings],
            }
            for w in report.sides_without_good
        ],
        "early_ends": [
            {
                "policy": w.policy,
                "share": round(w.share, 6),
                "endings": [{"title": t, "share": round(x, 6)} for t, x in w.endings],
            }
            for w in report.early
        ],
    }
    if report.recipe is not None:
        f = report.recipe.search
        out["recipe"] = {
            "choices": dict(f.recipe.choices),
            "start": f.start,
            "search_seed": f.search_seed,
            "search_games": f.search_games,
            "search_mean": round(f.search_mean, 6),
            "evaluations": f.evaluations,
            "passes": f.passes,
            "changes": f.changes,
            "held_out": run_dict(s, report.recipe.held_out),
        }
    if report.impulses:
        out["impulses"] = [
            {
                "impulse": str(i.impulse),
                "policy": i.policy,
                "games": i.games,
                "base_mean": round(i.base_mean, 6),
                "effect": round(i.mean, 6),
                "se": round(i.se, 6),
                "changed_share": round(i.changed, 6),
            }
            for i in report.impulses
        ]
    return out
