""" "Why did this change?": the causes of a variable's change in a turn, from the engine's trace."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model import Variable, VarKind
from ...play.session import GameSession
from ..text import esc, kind_label, tone, visible_variables

__all__ = ["ExplainDialog", "explain_markup", "latest_change_turn"]


def latest_change_turn(session: GameSession, var_id: str) -> int | None:
    """The latest turn in which the variable moved (None if it never has)."""
    for turn in range(session.state.turn, 0, -1):
        if session.changes(var_id, turn):
            return turn
    return None


def explain_markup(session: GameSession, var: Variable, turn: int | None) -> str:
    head = f"[b]{esc(var.label)}[/]  now [b]{esc(session.shown(var.id))}[/]"
    if var.kind is not VarKind.FLAG and var.band(session.value(var.id)):
        head += f" [$text-muted]({esc(var.band(session.value(var.id)))})[/]"
    lines = [head]
    if var.description:
        lines.append(f"[$text-muted]{esc(var.description)}[/]")
    lines.append("")
    if turn is None:
        lines.append("It has not changed yet this game.")
        return "\n".join(lines)
    lines += _turn_lines(session, var, turn)
    if turn == session.state.turn and not session.over:
        # the turn under way has only just begun: show the last full turn too, where the choices were made
        earlier = next((t for t in range(turn - 1, 0, -1) if session.changes(var.id, t)), None)
        if earlier is not None:
            lines += ["", *_turn_lines(session, var, earlier)]
    return "\n".join(lines)


def _turn_lines(session: GameSession, var: Variable, turn: int) -> list[str]:
    scenario = session.scenario
    changes = session.changes(var.id, turn)
    date = scenario.date_label(min(turn, scenario.turns))
    now = " [$text-muted](under way)[/]" if turn == session.state.turn and not session.over else ""
    if not changes:
        return [f"[b]Turn {turn} · {esc(date)}[/]{now}   no change"]
    total = sum(c.delta for c in changes)
    sign = "+" if total > 0 else ""
    lines = [f"[b]Turn {turn} · {esc(date)}[/]{now}   net [{tone(var, total)}]{sign}{_amount(var, total)}[/]"]
    for c in changes:
        s = "+" if c.delta > 0 else "−"
        lines.append(
            f"  [{tone(var, c.delta)}]{s}{_amount(var, abs(c.delta)):>5}[/]  "
            f"[$text-muted]{kind_label(c.kind):<11}[/] {esc(c.label)}"
        )
    return lines


def _amount(var: Variable, x: float) -> str:
    if var.kind is VarKind.FLAG:
        return f"{x:g}"
    return f"{x:.1f}" if abs(x) < 10 else f"{x:.0f}"


class ExplainDialog(ModalScreen[None]):
    """Pick a variable on the left (↑/↓), a turn with ←/→; the causes are listed on the right."""

    BINDINGS = [
        Binding("escape,w,q", "close", "Close"),
        Binding("left,comma", "turn(-1)", "Earlier turn"),
        Binding("right,full_stop", "turn(1)", "Later turn"),
    ]

    def __init__(self, session: GameSession, var_id: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.session = session
        self.variables = [v for v in visible_variables(session) if not v.hidden]
        ids = [v.id for v in self.variables]
        if var_id not in ids:
            var_id = self._most_moved() or (ids[0] if ids else None)
        self.var_id = var_id
        self.turn = latest_change_turn(session, var_id) if var_id else None

    def _most_moved(self) -> str | None:
        """The visible variable that moved most since the last turn began (a good first answer)."""
        best, best_delta = None, 0.0
        for v in self.variables:
            if v.kind is VarKind.FLAG:
                continue
            h = self.session.history(v.id)
            d = abs(self.session.value(v.id) - (h[-2] if len(h) > 1 else h[0]))
            if d > best_delta:
                best, best_delta = v.id, d
        return best

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide explain"):
            yield Static("[b]Why did this change?[/]", classes="dialog-title")
            with Horizontal():
                yield OptionList(*[Option(esc(v.label), id=v.id) for v in self.variables], id="explain-vars")
                with VerticalScroll(id="explain-body"):
                    yield Static(id="explain-text")
            yield Static("[$text-muted]↑↓ meter · ←→ turn · Escape closes[/]", classes="dialog-keys")

    def on_mount(self) -> None:
        options = self.query_one("#explain-vars", OptionList)
        if self.var_id:
            options.highlighted = options.get_option_index(self.var_id)
        options.focus()
        self._update_text()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        current = event.option_list.highlighted_option  # the list's state now, not when the event was sent
        if current is not None and current.id and current.id != self.var_id:
            self.var_id = current.id
            self.turn = latest_change_turn(self.session, self.var_id)
            self._update_text()

    def action_turn(self, step: int) -> None:
        if self.var_id is None:
            return
        last = self.session.state.turn
        self.turn = min(max((self.turn or last) + step, 1), last)
        self._update_text()

    def action_close(self) -> None:
        self.dismiss(None)

    def _update_text(self) -> None:
        text = self.query_one("#explain-text", Static)
        if self.var_id is None:
            text.update("Nothing to explain.")
            return
        text.update(explain_markup(self.session, self.session.variable(self.var_id), self.turn))
        text.refresh(layout=True)
