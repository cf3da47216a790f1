"""A small multi-line chart of one variable over the whole game, on the variable's own scale."""

from __future__ import annotations

from textual.widgets import Static

from ...model import Variable
from ..text import esc

__all__ = ["HistoryChart", "chart_lines"]

BLOCKS = " ▁▂▃▄▅▆▇█"


def chart_lines(values: list[float], lo: float, hi: float, height: int) -> list[str]:
    """Rows (top first) of a column chart with one column per value, eighth-block resolution."""
    span = (hi - lo) or 1.0
    levels = [min(max((v - lo) / span, 0.0), 1.0) * height * 8 for v in values]
    rows = []
    for r in range(height - 1, -1, -1):
        row = []
        for lv in levels:
            fill = lv - r * 8
            row.append("█" if fill >= 8 else BLOCKS[max(0, int(round(fill)))] if fill > 0 else " ")
        rows.append("".join(row))
    return rows


class HistoryChart(Static):
    """Label, start and end values, and a column chart of a variable's history."""

    def __init__(self, var: Variable, values: list[float], shown_end: str, shown_start: str, height: int = 3):
        super().__init__(classes="history-chart")
        self.var = var
        self.values = values
        self.shown_end = shown_end
        self.shown_start = shown_start
        self.chart_height = height

    def on_mount(self) -> None:
        repeat = max(1, min(3, 36 // max(len(self.values), 1)))
        stretched = [v for v in self.values for _ in range(repeat)]
        rows = chart_lines(stretched, self.var.min, self.var.max, self.chart_height)
        head = (f"[b]{esc(self.var.label)}[/]  [$text-muted]{esc(self.shown_start)} → [/]"
                f"[b]{esc(self.shown_end)}[/]  [$text-muted]{esc(self.var.band(self.values[-1]))}[/]")
        body = "\n".join(f"[$primary]{r}[/]" for r in rows)
        self.update(f"{head}\n{body}")
