"""The authoring tools' defaults and the lint codes, in a module that imports nothing.

``manila lint --help`` and ``manila balance --help`` print these; keeping them apart from the tools that use
them (which import the engine and numpy) lets the help come up without loading either.
"""

from __future__ import annotations

__all__ = [
    "CODES",
    "DEFAULT_BALANCE_GAMES",
    "DEFAULT_EXPERT_GAMES",
    "DEFAULT_LINT_GAMES",
    "DEFAULT_PASSES",
    "DEFAULT_SEARCH_GAMES",
    "ONE_SIDED_SHARE",
]

DEFAULT_BALANCE_GAMES = 100_000  # games per policy
DEFAULT_EXPERT_GAMES = 1000  # games for the expert policies, which play rollouts at every decision
ONE_SIDED_SHARE = 0.95  # an event whose most chosen option takes this share of its firings is one-sided
DEFAULT_SEARCH_GAMES = 2000  # recipe search: games per candidate table
DEFAULT_PASSES = 3  # recipe search: coordinate-ascent passes at most
DEFAULT_LINT_GAMES = 20_000  # simulated games in all, split between the lint policies

CODES = {
    "never-fires": "an event that can never fire, or never fired in simulated games",
    "never-available": "an option that can never be chosen (condition or cost), or never was in simulation",
    "never-applies": "a rule whose condition can never hold, or a branch that can never happen",
    "never-reached": "an ending that can never be reached, or was never reached in simulation",
    "never-changed": "a meter, faction or flag that nothing ever changes",
    "never-read": "a flag that is set but that no expression reads",
    "follow-once": "a follow-up to a once-only event that may already have fired (the follow-up lapses)",
    "placeholder": "a {placeholder} in a text where placeholders are not filled in",
    "uncited": "a source paragraph that no event or option cites",
    "ending-overlap": "an earlier ending takes most of the games a later ending's condition describes",
    "label-cut": "a label longer than the interface shows (meter labels, bands, stages)",
}
