"""A small multi-line chart of one variable over the whole game, on the variable's own scale."""

from __future__ import annotations

from textual.widgets import Static

from ...model import Variable
from ..text import esc, fit

__all__ = ["HistoryChart", "chart_lines", "fit_series"]

BLOCKS = " ▁▂▃▄▅▆▇█"


def fit_series(values: list[float], width: int) -> list[float]:
    """Stretch (repeat each point) or squeeze (average into buckets) a series to at most ``width`` columns."""
    if not values or width <= 0:
        return []
    if len(values) > width:
        edges = [round(i * len(values) / width) for i in range(width + 1)]
        return [sum(values[a:b]) / (b - a) for a, b in zip(edges, edges[1:])]
    repeat = max(1, min(3, width // len(values)))
    return [v for v in values for _ in range(repeat)]


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
    """Label, start and end values, and a column chart of a variable's history, sized to its cell."""

    def __init__(self, var: Variable, values: list[float], shown_end: str, shown_start: str, height: int = 3):
        super().__init__(classes="history-chart")
        self.var = var
        self.values = values
        self.shown_end = shown_end
        self.shown_start = shown_start
        self.chart_height = height

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = self.content_region.width or 36
        series = fit_series(self.values, width)
        rows = chart_lines(series, self.var.min, self.var.max, self.chart_height)
        band = self.var.band(self.values[-1])
        head = f"[b]{esc(fit(self.var.label, width))}[/]"
        values = f"[$text-muted]{esc(self.shown_start)} →[/] [b]{esc(self.shown_end)}[/]" + (
            f"  [$text-muted]{esc(band)}[/]" if band else ""
        )
        body = "\n".join(f"[$primary]{r}[/]" for r in rows)
        self.update(f"{head}\n{values}\n{body}")
