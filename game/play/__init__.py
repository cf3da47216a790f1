"""The layer a player meets: one game as a session (feed, explanations, choices made) and the advisor's
Monte Carlo estimates of each option. Used by the TUI and by headless play; prints nothing."""

from .advisor import OptionAdvice, advise
from .session import Change, ChoiceResult, FeedEntry, GameSession, OptionView, format_value, render_text

__all__ = [
    "Change",
    "ChoiceResult",
    "FeedEntry",
    "GameSession",
    "OptionAdvice",
    "OptionView",
    "advise",
    "format_value",
    "render_text",
]
