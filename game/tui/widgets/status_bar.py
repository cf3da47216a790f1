"""The top line of the game screen: scenario, date, turn, decision and score."""

from __future__ import annotations

from textual.widgets import Static

from ...play.session import GameSession
from ..text import esc

__all__ = ["StatusBar"]


class StatusBar(Static):
    """Renders where the game stands; the screen calls ``show`` after every change."""

    def show(self, session: GameSession, note: str = "") -> None:
        s = session.scenario
        decision = (
            f" · decision {session.slot + 1}/{s.decisions}" if s.decisions > 1 and not session.over else ""
        )
        extra = f"  [$warning]{esc(note)}[/]" if note else ""
        where = (
            f"[b $accent]{esc(session.date_label)}[/]  [$text-muted]turn {session.turn}/{s.turns}"
            f"{decision}[/]  [$text-muted]│[/]  score [b]{session.score:.0f}[/]{extra}"
        )
        room = (self.size.width or self.app.size.width) - len(session.date_label) - len(decision) - 30
        title = s.title if len(s.title) <= room else (s.title[: max(room - 1, 0)] + "…" if room > 8 else "")
        self.update(f"{where}  [$text-muted]│  {esc(title)}[/]" if title else where)
