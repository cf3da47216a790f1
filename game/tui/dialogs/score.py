"""The score and the ending ahead, in full: what each part counts, its value and change, and what would
change the ending (the same words as plain and headless play, from ``game.play.playtext``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...play.playtext import outlook_lines, score_lines
from ...play.session import GameSession
from ..text import esc

__all__ = ["ScoreDialog", "score_detail"]


def score_detail(session: GameSession) -> list[tuple[int, str]]:
    """(indent, markup) of each paragraph: score lines, then the outlook. Each becomes its own widget, so a
    long line wraps under its own indent."""
    out = []
    for line in score_lines(session):
        indent = len(line) - len(line.lstrip())
        out.append((indent, esc(line.strip()) if indent else f"[b]{esc(line)}[/]"))
    if not session.over:
        out.append((0, ""))
        out.append(
            (
                0,
                "[b $accent]The ending ahead[/] [$text-muted](if the term ended now; hidden meters "
                "count as your analysts' estimate)[/]",
            )
        )
        for line in outlook_lines(session):
            indent = len(line) - len(line.lstrip())
            out.append((indent, esc(line.strip())))
    return out


class ScoreDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,e,q", "close", "Close")]

    def __init__(self, session: GameSession) -> None:
        super().__init__(classes="dialog-screen")
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("[b]Score and endings[/]", classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="score-body"):
                for indent, markup in score_detail(self.session):
                    line = Static(markup, classes="score-line")
                    line.styles.padding = (0, 0, 0, indent)
                    yield line
            yield Static("[$text-muted]↑↓ scroll · Escape closes[/]", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#score-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
