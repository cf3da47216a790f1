"""The top line of the game screen: scenario, date, turn, decision and score."""

from __future__ import annotations

from textual.widgets import Static

from ...session import GameSession
from ..text import esc

__all__ = ["StatusBar"]


class StatusBar(Static):
    """Renders where the game stands; the screen calls ``show`` after every change."""

    def show(self, session: GameSession, note: str = "") -> None:
        s = session.scenario
        decision = (f" · decision {session.slot + 1}/{s.decisions}" if s.decisions > 1 and not session.over else "")
        extra = f"  [$warning]{esc(note)}[/]" if note else ""
        self.update(
            f"[b]{esc(s.title)}[/]  [$text-muted]│[/]  [b $accent]{esc(session.date_label)}[/]"
            f"  [$text-muted]turn {session.turn}/{s.turns}{decision}[/]  [$text-muted]│[/]"
            f"  score [b]{session.score:.0f}[/]{extra}"
        )
