"""The score at the top of the country panel: the total, each part with its change since the last decision,
and the ending ahead (the whole story is one key away, ``e``)."""

from __future__ import annotations

from textual.widgets import Static

from ...model import ScoreOver
from ...play.playtext import signed
from ...play.session import GameSession
from ..text import esc

__all__ = ["ScoreSummary"]


def _change(change: float | None) -> str:
    if change is None or round(abs(change), 1) == 0:
        return "[$text-muted]·[/]"
    colour = "$success" if change > 0 else "$error"
    return f"[{colour}]{'▲' if change > 0 else '▼'}{signed(change)}[/]"


class ScoreSummary(Static):
    """Lines cut with an ellipsis by the stylesheet (``text-overflow``), never wrapped."""

    def show(self, session: GameSession) -> None:
        parts = session.score_view()
        total = sum(p.change for p in parts if p.change is not None)
        started = any(p.change is not None for p in parts)
        width = max((len(p.label) for p in parts), default=8)
        lines = [
            f"[b]{session.running_score:.0f}[/] now {_change(total) if started else ''}"
            f"  [$text-muted](e: what counts)[/]"
        ]
        for p in parts:
            term = " [$text-muted]term[/]" if p.over is ScoreOver.TERM else ""
            lines.append(f" {esc(p.label):<{width}} {p.value:5.1f} {_change(p.change)}{term}")
        view = session.outlook()
        if view.heading is not None:
            lines.append(f"[$text-muted]Heading for:[/] [b]{esc(view.heading.ending.title)}[/]")
        for b in view.better[:1]:
            lines.append(f"[$text-muted]Could become:[/] {esc(b.ending.title)}")
        for r in view.risks[:1]:
            lines.append(f"[$warning]⚠ Danger:[/] {esc(r.ending.title)}")
        self.update("\n".join(lines))
