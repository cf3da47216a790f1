"""Widgets of the game interface: each renders part of the session and posts messages up.

Each is imported from its module on first use: the title screen must not load the game's screens (and, with
them, the engine).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import lazy_exports

if TYPE_CHECKING:
    from .chart import HistoryChart
    from .decision_panel import DecisionPanel, OptionCard
    from .feed_log import FeedLog
    from .flag_row import FlagRow
    from .score_summary import ScoreSummary
    from .state_panel import StatePanel
    from .status_bar import StatusBar
    from .var_row import VarRow

_HOME = {
    "DecisionPanel": "decision_panel",
    "FeedLog": "feed_log",
    "FlagRow": "flag_row",
    "HistoryChart": "chart",
    "OptionCard": "decision_panel",
    "ScoreSummary": "score_summary",
    "StatePanel": "state_panel",
    "StatusBar": "status_bar",
    "VarRow": "var_row",
}

__all__ = [
    "DecisionPanel",
    "FeedLog",
    "FlagRow",
    "HistoryChart",
    "OptionCard",
    "ScoreSummary",
    "StatePanel",
    "StatusBar",
    "VarRow",
]


__getattr__ = lazy_exports(__name__, _HOME)
