"""One flag on one line: an escalation ladder drawn as rungs, or a project's current stage."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Static

from ...format.keys import LABEL_CELLS
from ...model import Variable
from ...play.session import GameSession
from ..text import esc, fit, ladder_bar, ladder_colour

__all__ = ["FlagRow"]

WIDE = 50


class FlagRow(Static):
    class Explain(Message):
        def __init__(self, var_id: str) -> None:
            super().__init__()
            self.var_id = var_id

    def __init__(self, var: Variable) -> None:
        super().__init__(id=f"var-{var.id}", classes="flag-row" + (" -ladder" if var.ladder else ""))
        self.var = var
        self._state: tuple[float, bool, str] | None = None

    def on_mount(self) -> None:
        stages = " → ".join(self.var.stages)
        self.tooltip = "\n".join(x for x in (self.var.description, stages) if x)

    def show(self, session: GameSession, before: float | None) -> None:
        value = session.value(self.var.id)
        changed = before is not None and round(before) != round(value)
        self._state = (value, changed, session.shown(self.var.id))
        self.set_class(changed, "-changed")
        self._draw()

    def _draw(self) -> None:
        if self._state is None:
            return
        var = self.var
        value, changed, stage = self._state
        stage = fit(stage, LABEL_CELLS["stage"])  # cut where lint says it is cut, whatever the layout
        width = self.content_region.width or self.app.size.width // 2
        mark = " [b $warning]new[/]" if changed else ""
        if var.ladder:
            colour = ladder_colour(var, value)
            stage_markup = f"[{colour}]{esc(stage)}[/]{mark}"
        else:
            style = "$text-muted" if value == var.min and var.stages else "$text"
            stage_markup = f"[{style}]{esc(stage)}[/]{mark}"
        bar = ladder_bar(var, value) + " " if var.ladder else ""
        bar_len = int(var.max - var.min) + 1 if var.ladder else 0
        if width >= WIDE:
            name_w = width - 24 - bar_len if var.ladder else width - 24
            name_w = max(name_w, 12)
            self.update(f"{esc(fit(var.label, name_w - 1)).ljust(name_w)}{bar}{stage_markup}")
        else:
            self.update(f"{esc(fit(var.label, width))}\n  {bar}{stage_markup}")

    def on_resize(self) -> None:
        self._draw()

    def on_click(self) -> None:
        self.post_message(self.Explain(self.var.id))
