"""One meter or faction on one line: name, value and trend, a sparkline of its history, its band.

A single Static per row (not one widget per column) keeps the left panel cheap to lay out: a scenario can
have dozens of variables, and every choice refreshes them all.
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Static

from ...format.keys import LABEL_CELLS
from ...model import Variable
from ...play.session import GameSession
from ..text import esc, fit, range_bar, spark, trend

__all__ = ["VarRow"]

SPARK_WIDTH = 8
VALUE_WIDTH = 15
BAND_WIDTH = LABEL_CELLS["band"] + 1  # the band and a space before it
WIDE = 50  # below this many cells the row shows only the name and the value


class VarRow(Static):
    """A row for a meter or a faction. Clicking it asks for an explanation of its last change."""

    class Explain(Message):
        def __init__(self, var_id: str) -> None:
            super().__init__()
            self.var_id = var_id

    def __init__(self, var: Variable) -> None:
        super().__init__(id=f"var-{var.id}", classes="var-row" + (" -hidden-meter" if var.hidden else ""))
        self.var = var
        self._cells: tuple[str, int, str, str] | None = None

    def on_mount(self) -> None:
        tip = self.var.description or self.var.label
        self.tooltip = tip + (
            "\n(hidden: you see your analysts' estimate)"
            if self.var.hidden
            else "\nClick, or press w, to see why it changed."
        )

    def show(self, session: GameSession, before: float | None) -> None:
        var = self.var
        if var.hidden:
            lo, hi = session.estimate(var.id)
            shown = session.shown(var.id)
            value = (f"[$warning]{esc(shown)}[/]", len(shown))
            chart = range_bar(lo, hi, var.min, var.max, SPARK_WIDTH)
            bands = " / ".join(sorted({var.band(lo), var.band(hi)} - {""})) or "estimate"
        else:
            now = session.value(var.id)
            shown = session.shown(var.id)
            arrow, arrow_len = trend(var, None if before is None else now - before)
            value = (f"[b]{esc(shown)}[/] {arrow}", len(shown) + 1 + arrow_len)
            history = session.history(var.id)
            if not history or abs(history[-1] - now) > 1e-9:
                history = [*history, now]
            line = spark(history, var.min, var.max, SPARK_WIDTH)
            chart = f"[$primary]{line}[/]{' ' * (SPARK_WIDTH - len(line))}"
            bands = var.band(now)
        self._cells = (value[0], value[1], chart, bands)
        self._draw()

    def _draw(self) -> None:
        if self._cells is None:
            return
        value, value_len, chart, band = self._cells
        width = self.content_region.width or self.app.size.width // 2
        if width >= WIDE:
            # the whole panel is wide enough for LABEL_CELLS["meter"] cells of label (and a space)
            name_w = max(width - VALUE_WIDTH - SPARK_WIDTH - 1 - BAND_WIDTH, LABEL_CELLS["meter"] + 1)
            band_text = fit(band, BAND_WIDTH - 1)
            self.update(
                f"{esc(fit(self.var.label, name_w - 1)).ljust(name_w)}"
                f"{value}{' ' * max(VALUE_WIDTH - value_len, 1)}{chart} "
                f"[$text-muted]{esc(band_text)}[/]"
            )
        else:  # two lines: the whole name (or as much as fits, with an ellipsis), then the readings
            room = max(width - 2 - value_len - 1, 0)
            chart_part = f" {chart}" if room >= SPARK_WIDTH else ""
            room -= SPARK_WIDTH + 1 if chart_part else 0
            band_text = f" [$text-muted]{esc(fit(band, room))}[/]" if band and room >= 4 else ""
            self.update(f"{esc(fit(self.var.label, width))}\n  {value}{chart_part}{band_text}")

    def on_resize(self) -> None:
        self._draw()

    def on_click(self) -> None:
        if not self.var.hidden:
            self.post_message(self.Explain(self.var.id))
