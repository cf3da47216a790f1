"""The end of the game: the ending, its epilogue, the score by component, charts, and what really happened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...model import VarKind
from ...play.playtext import history_rows, signed, what_counts
from ...play.session import ChoiceResult, GameSession, format_value
from ..dialogs import ConfirmDialog, ExplainDialog
from ..messages import ShowTitle
from ..text import esc, feed_markup
from ..widgets import HistoryChart, StatusBar

__all__ = ["EndScreen", "beside_rows", "score_widgets"]


def score_widgets(session: GameSession) -> ComposeResult:
    """The final score by part (the ending's bonus last), each with what it counts on its own indented
    lines (so a long formula wraps under itself)."""
    parts = session.score_breakdown()
    width = max((len(label) for label, _ in parts), default=10)
    counts = {p.label: p for p in session.score_view()}
    for label, value in parts:
        colour = "$success" if value > 0 else "$error" if value < 0 else "$text-muted"
        yield Static(f"{esc(label):<{width}}  [{colour}]{signed(value):>7}[/]")
        part = counts.get(label)
        if part is not None:
            yield Static(f"[$text-muted]{esc(what_counts(session.scenario, part))}[/]", classes="score-what")
    yield Static(f"{'─' * (width + 9)}\n[b]{'Total':<{width}}  {session.score:>7.1f}[/]")


def beside_rows(session: GameSession) -> ComposeResult:
    """Your term beside history, one row per month: the date, what you did, what really happened (side by
    side when the screen is wide, one under the other when it is narrow)."""
    yield Horizontal(
        Static("[b]Month[/]", classes="beside-date"),
        Static("[b]What you did[/]", classes="beside-you"),
        Static("[b]What really happened[/]", classes="beside-real"),
        classes="beside-row beside-head",
    )
    for date, did, real in history_rows(session):
        you = "\n".join(f"• {esc(text)}" for text in did) or "[$text-muted]—[/]"
        happened = "\n".join(f"• {esc(text)}" for text in real) or "[$text-muted]—[/]"
        yield Horizontal(
            Static(f"[b $accent]{esc(date)}[/]", classes="beside-date"),
            Static(f"[$text-muted]You:[/] {you}" if did else you, classes="beside-you"),
            Static(f"[$secondary]History:[/] {happened}" if real else happened, classes="beside-real"),
            classes="beside-row",
        )


class EndScreen(Screen):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding("n", "new_game", "New game"),
        Binding("s", "save", "Save"),
        Binding("h", "history", "You & history"),
        Binding("r", "record", "Your record"),
        Binding("w", "why", "Why?"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit_game", "Quit"),
    ]

    def __init__(
        self,
        session: GameSession,
        *,
        last: ChoiceResult | None = None,
        unsaved: int = 0,
        save_name: str | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.last = last
        self.unsaved = unsaved
        self.save_name = save_name

    def compose(self) -> ComposeResult:
        s = self.session
        ending = s.ending
        yield StatusBar(id="status")
        with VerticalScroll(id="end-body"):
            if self.last is not None:
                yield Static(
                    f"[$text-muted]Your last decision: {esc(self.last.option_label)} {esc(self.last.outcome)}[/]",
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
                    yield from score_widgets(s)
                with Container(id="charts"):
                    for var in s.scenario.variables:
                        if var.kind is VarKind.FLAG:
                            continue
                        values = s.history(var.id)
                        if abs(values[-1] - s.value(var.id)) > 1e-9:
                            values = [*values, s.value(var.id)]
                        label_end = format_value(var, values[-1])
                        label_start = format_value(var, s.value_seen_first(var.id))
                        yield HistoryChart(var, values, label_end + (" (revealed)" if var.hidden else ""), label_start)
            if ending is not None and ending.history:
                yield Static("[b $accent]What happened in history[/]", classes="section")
                yield Static(esc(s.render(ending.history).strip()), id="end-history")
            if any(real for _, _, real in history_rows(s)):
                yield Static(
                    "[b $accent]Your term beside history[/] [$text-muted](month by month)[/]",
                    classes="section",
                    id="beside-title",
                )
                with Vertical(id="end-beside"):
                    yield from beside_rows(s)
            yield Static("[b $accent]Your record[/]", classes="section", id="record-title")
            yield Static("\n".join(feed_markup(s.feed, max(self.app.size.width - 8, 40))), id="end-record")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(StatusBar).show(self.session)
        self.query_one("#end-score").border_title = "Score"
        self.query_one("#charts").border_title = "Over the whole game"
        self.query_one("#end-body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # no dated history notes: no key for them
        return action != "history" or any(real for _, _, real in history_rows(self.session))

    def action_history(self) -> None:
        target = self.query("#beside-title")
        if target:
            target.first().scroll_visible(top=True, animate=False)
        else:
            self.notify("This scenario has no dated history notes.", timeout=3)

    def action_save(self) -> None:
        from ..dialogs.save import ask_and_save, suggest_name

        suggested = self.save_name or suggest_name(self.session.scenario.id, "final " + self.session.date_label)
        ask_and_save(self, self.session, suggested, self._saved)

    def _saved(self, name: str) -> None:
        self.save_name = name
        self.unsaved = 0

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
                "Quit?",
                "The finished game is in this game's autosave (it stays until you start more than a few other "
                "games); press s to keep it under a name.",
                yes="Quit",
            ),
            lambda ok: ok and self.app.exit(),
        )
