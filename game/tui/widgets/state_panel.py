"""The left column of the game screen: the score, then meters, factions, ladders and the other flags."""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...model import Scenario, VarKind
from ...play.session import GameSession
from .flag_row import FlagRow
from .score_summary import ScoreSummary
from .var_row import VarRow

__all__ = ["StatePanel"]


class StatePanel(VerticalScroll):
    """Builds one row per visible variable of the scenario; ``show`` refreshes them from the session."""

    def __init__(self, scenario: Scenario, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        variables = self.scenario.variables
        meters = [v for v in variables if v.kind is VarKind.METER]
        factions = [v for v in variables if v.kind is VarKind.FACTION]
        ladders = [v for v in variables if v.kind is VarKind.FLAG and v.ladder and not v.hidden]
        flags = [v for v in variables if v.kind is VarKind.FLAG and not v.ladder and not v.hidden]
        yield Static("Score", classes="section")
        yield ScoreSummary(id="score-summary")
        if ladders:
            yield Static("Pressure", classes="section")
            for v in ladders:
                yield FlagRow(v)
        if meters:
            yield Static("Meters", classes="section")
            for v in meters:
                yield VarRow(v)
        if factions:
            yield Static("Factions", classes="section")
            for v in factions:
                yield VarRow(v)
        if flags:
            yield Static("Files and projects", classes="section")
            for v in flags:
                yield FlagRow(v)

    def show(self, session: GameSession, before: np.ndarray | None) -> None:
        index = {v.id: i for i, v in enumerate(session.scenario.variables)}
        self.query_one(ScoreSummary).show(session)
        for row in self.query(VarRow):
            row.show(session, None if before is None else float(before[index[row.var.id]]))
        for row in self.query(FlagRow):
            row.show(session, None if before is None else float(before[index[row.var.id]]))
