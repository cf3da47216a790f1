"""The end of the game: the ending, its epilogue, the score by component, charts, and what really happened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...model import VarKind
from ...play.session import ChoiceResult, GameSession, format_value
from ..dialogs import ConfirmDialog, ExplainDialog
from ..messages import ShowTitle
from ..text import esc, feed_markup
from ..widgets import HistoryChart, StatusBar

__all__ = ["EndScreen", "score_markup"]


def score_markup(session: GameSession) -> str:
    parts = session.score_breakdown()
    width = max((len(label) for label, _ in parts), default=10)
    lines = []
    for label, value in parts:
        colour = "$success" if value > 0 else "$error" if value < 0 else "$text-muted"
        lines.append(f"{esc(label):<{width}}  [{colour}]{value:>6.1f}[/]")
    lines.append(f"{'─' * (width + 8)}")
    lines.append(f"[b]{'Total':<{width}}  {session.score:>6.1f}[/]")
    return "\n".join(lines)


class EndScreen(Screen):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding("n", "new_game", "New game"),
        Binding("r", "record", "Your record"),
        Binding("w", "why", "Why?"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit_game", "Quit"),
    ]

    def __init__(self, session: GameSession, *, last: ChoiceResult | None = None, unsaved: int = 0) -> None:
        super().__init__()
        self.session = session
        self.last = last
        self.unsaved = unsaved

    def compose(self) -> ComposeResult:
        s = self.session
        ending = s.ending
        yield StatusBar(id="status")
        with VerticalScroll(id="end-body"):
            if self.last is not None:
                yield Static(
                    f"[$text-muted]Your last decision: {esc(self.last.option_label)} "
                    f"{esc(self.last.outcome)}[/]",
                    id="end-last",
                )
            yield Static(f"[b]{esc(ending.title if ending else 'The end')}[/]", id="end-title")
            yield Static(
                f"[$text-muted]{esc(s.date_label)} · turn {s.end_turn or s.turn} of {s.scenario.turns}[/]",
                id="end-when",
            )
            yield Static(esc(s.render(ending.epilogue).strip()) if ending else "", id="end-epilogue")
            with Horizontal(id="end-columns"):
                with Vertical(id="end-score"):
                    yield Static(score_markup(s))
                with Container(id="charts"):
                    for var in s.scenario.variables:
                        if var.kind is VarKind.FLAG:
                            continue
                        values = s.history(var.id)
                        if abs(values[-1] - s.value(var.id)) > 1e-9:
                            values = [*values, s.value(var.id)]
                        label_end = format_value(var, values[-1])
                        label_start = format_value(var, values[0])
                        yield HistoryChart(
                            var, values, label_end + (" (revealed)" if var.hidden else ""), label_start
                        )
            if ending is not None and ending.history:
                yield Static("[b $accent]What happened in history[/]", classes="section")
                yield Static(esc(s.render(ending.history).strip()), id="end-history")
            yield Static("[b $accent]Your record[/]", classes="section", id="record-title")
            yield Static("\n".join(feed_markup(s.feed, max(self.app.size.width - 8, 40))), id="end-record")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(StatusBar).show(self.session)
        self.query_one("#end-score").border_title = "Score"
        self.query_one("#charts").border_title = "Over the whole game"
        self.query_one("#end-body").focus()

    def action_record(self) -> None:
        self.query_one("#record-title").scroll_visible(top=True, animate=False)

    def action_why(self) -> None:
        self.app.push_screen(ExplainDialog(self.session))

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.session.scenario))

    def action_new_game(self) -> None:
        self.post_message(ShowTitle())

    def action_quit_game(self) -> None:
        if not self.unsaved:
            self.app.exit()
            return
        self.app.push_screen(
            ConfirmDialog(
                "Quit?", "The finished game is in the autosave; it was not saved under a name.", yes="Quit"
            ),
            lambda ok: ok and self.app.exit(),
        )
