"""One meter or faction: name, value and trend, a sparkline of its history, and its descriptive band."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from ...model import Variable
from ...session import GameSession
from ..text import esc, range_bar, spark, trend

__all__ = ["VarRow"]

SPARK_WIDTH = 8


class VarRow(Horizontal):
    """A row for a meter or a faction. Clicking it asks for an explanation of its last change."""

    class Explain(Message):
        def __init__(self, var_id: str) -> None:
            super().__init__()
            self.var_id = var_id

    def __init__(self, var: Variable) -> None:
        super().__init__(id=f"var-{var.id}", classes="var-row" + (" -hidden-meter" if var.hidden else ""))
        self.var = var

    def compose(self) -> ComposeResult:
        yield Static(esc(self.var.label), classes="var-name")
        yield Static(classes="var-value")
        yield Static(classes="var-spark")
        yield Static(classes="var-band")

    def on_mount(self) -> None:
        tip = self.var.description or self.var.label
        self.tooltip = tip + ("\n(hidden: you see your analysts' estimate)" if self.var.hidden else
                              "\nClick, or press w, to see why it changed.")

    def show(self, session: GameSession, before: float | None) -> None:
        var = self.var
        value_w, spark_w, band_w = self.query(".var-value").first(), self.query(".var-spark").first(), \
            self.query(".var-band").first()
        if var.hidden:
            lo, hi = session.estimate(var.id)
            value_w.update(f"[$warning]{esc(session.shown(var.id))}[/]")
            spark_w.update(range_bar(lo, hi, var.min, var.max, SPARK_WIDTH))
            bands = {var.band(lo), var.band(hi)} - {""}
            band_w.update(f"[$text-muted]{esc(' / '.join(sorted(bands)) or 'estimate')}[/]")
            return
        value = session.value(var.id)
        delta = None if before is None else value - before
        value_w.update(f"[b]{esc(session.shown(var.id))}[/] {trend(var, delta)}")
        history = session.history(var.id)
        if not history or abs(history[-1] - value) > 1e-9:
            history = [*history, value]
        spark_w.update(f"[$primary]{spark(history, var.min, var.max, SPARK_WIDTH)}[/]")
        band_w.update(f"[$text-muted]{esc(var.band(value))}[/]")

    def on_click(self) -> None:
        if not self.var.hidden:
            self.post_message(self.Explain(self.var.id))
