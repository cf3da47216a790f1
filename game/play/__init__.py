"""The layer a player meets: one game as a session (feed, explanations, choices made) and the advisor's
Monte Carlo estimates of each option. Used by the TUI and by headless play; prints nothing."""

from .advisor import OptionAdvice, advise
from .session import GameSession
from .views import Change, ChoiceResult, FeedEntry, FeedKind, OptionView, format_value, render_text

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
