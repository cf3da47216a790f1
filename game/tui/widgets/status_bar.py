"""The top line of the game screen: scenario, date, turn, decision and score."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...format.catalog import is_tutorial
from ...play.session import GameSession
from ..text import esc

__all__ = ["StatusBar"]


class StatusBar(Static):
    """Renders where the game stands; the screen calls ``show`` after every change."""

    def show(self, session: GameSession, note: str = "") -> None:
        s = session.scenario
        decision = f" · decision {session.slot + 1}/{s.decisions}" if s.decisions > 1 and not session.over else ""
        extra = f"  [$warning]{esc(note)}[/]" if note else ""
        view = None if session.over else session.outlook()
        ahead = view.heading.ending.title if view is not None and view.heading is not None else ""
        heading = f" [$text-muted]→[/] {esc(ahead)}" if ahead else ""
        where = (
            f"[b $accent]{esc(session.date_label)}[/]  [$text-muted]turn {session.turn}/{s.turns}"
            f"{decision}[/]  [$text-muted]│[/]  score [b]{session.running_score:.0f}[/]{heading}{extra}"
        )
        name = f"{s.title} (tutorial)" if is_tutorial(s.id) else s.title
        room = (self.size.width or self.app.size.width) - 2 - Content.from_markup(where).cell_length - 5
        title = name if len(name) <= room else (name[: max(room - 1, 0)] + "…" if room > 8 else "")
        self.update(f"{where}  [$text-muted]│  {esc(title)}[/]" if title else where)
