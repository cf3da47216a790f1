"""Widgets of the game interface: each renders part of the session and posts messages up."""

from .chart import HistoryChart
from .decision_panel import DecisionPanel, OptionCard
from .feed_log import FeedLog
from .flag_row import FlagRow
from .score_summary import ScoreSummary
from .state_panel import StatePanel
from .status_bar import StatusBar
from .var_row import VarRow

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
