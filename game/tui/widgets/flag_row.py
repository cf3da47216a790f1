"""One flag: an escalation ladder drawn as rungs, or a project's current stage."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from ...model import Variable
from ...session import GameSession
from ..text import esc, ladder_bar

__all__ = ["FlagRow"]


class FlagRow(Horizontal):
    class Explain(Message):
        def __init__(self, var_id: str) -> None:
            super().__init__()
            self.var_id = var_id

    def __init__(self, var: Variable) -> None:
        super().__init__(id=f"var-{var.id}", classes="flag-row" + (" -ladder" if var.ladder else ""))
        self.var = var

    def compose(self) -> ComposeResult:
        yield Static(esc(self.var.label), classes="flag-name")
        if self.var.ladder:
            yield Static(classes="flag-bar")
        yield Static(classes="flag-stage")

    def on_mount(self) -> None:
        stages = " → ".join(self.var.stages)
        self.tooltip = "\n".join(x for x in (self.var.description, stages) if x)

    def show(self, session: GameSession, before: float | None) -> None:
        var = self.var
        value = session.value(var.id)
        changed = before is not None and round(before) != round(value)
        mark = " [b $warning]new[/]" if changed else ""
        stage = esc(session.shown(var.id))
        if var.ladder:
            self.query_one(".flag-bar", Static).update(ladder_bar(var, value))
            level = int(round(value - var.min))
            colour = "$success" if level == 0 else "$warning" if level < (var.max - var.min) * 0.6 else "$error"
            self.query_one(".flag-stage", Static).update(f"[{colour}]{stage}[/]{mark}")
        else:
            style = "$text-muted" if value == var.min and var.stages else "$text"
            self.query_one(".flag-stage", Static).update(f"[{style}]{stage}[/]{mark}")
        self.set_class(changed, "-changed")

    def on_click(self) -> None:
        self.post_message(self.Explain(self.var.id))
