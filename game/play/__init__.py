"""The layer a player meets: one game as a session (feed, explanations, choices made) and the advisor's
Monte Carlo estimates of each option. Used by the TUI and by headless play; prints nothing.

The names below are imported from their modules on first use: the title screen reads ``views`` and
``optiontext`` helpers without loading the engine that ``session`` and ``advisor`` run on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .advisor import OptionAdvice, advise
    from .session import GameSession
    from .views import Change, ChoiceResult, FeedEntry, FeedKind, OptionView, format_value, render_text

_HOME = {
    "Change": "views",
    "ChoiceResult": "views",
    "FeedEntry": "views",
    "FeedKind": "views",
    "GameSession": "session",
    "OptionAdvice": "advisor",
    "OptionView": "views",
    "advise": "advisor",
    "format_value": "views",
    "render_text": "views",
}

__all__ = [
    "Change",
    "ChoiceResult",
    "FeedEntry",
    "FeedKind",
    "GameSession",
    "OptionAdvice",
    "OptionView",
    "advise",
    "format_value",
    "render_text",
]


__getattr__ = lazy_exports(__name__, _HOME)
