"""The score and the ending ahead, in full: what each part counts, its value and change, and what would
change the ending (the same words as plain and headless play, from ``game.playtext``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...playtext import outlook_lines, score_lines
from ...session import GameSession
from ..text import esc

__all__ = ["ScoreDialog", "score_detail_markup"]


def score_detail_markup(session: GameSession) -> str:
    """Score lines, then the outlook; headings bold, the rest as written."""
    lines = [f"[b]{esc(line)}[/]" if not line.startswith(" ") else esc(line) for line in score_lines(session)]
    if not session.over:
        lines.append("")
        lines.append(
            "[b $accent]The ending ahead[/] [$text-muted](if the term ended now; hidden meters "
            "count as your analysts' estimate)[/]"
        )
        lines.extend(esc(line) for line in outlook_lines(session))
    return "\n".join(lines)


class ScoreDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,e,q", "close", "Close")]

    def __init__(self, session: GameSession) -> None:
        super().__init__(classes="dialog-screen")
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("[b]Score and endings[/]", classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="score-body"):
                yield Static(score_detail_markup(self.session), id="score-text")
            yield Static("[$text-muted]↑↓ scroll · Escape closes[/]", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#score-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
