"""Pick a saved game."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..text import esc

__all__ = ["LoadDialog"]


def _describe(info: Any) -> str:
    title = getattr(info, "scenario_title", "") or getattr(info, "scenario_id", "") or ""
    when = getattr(info, "saved_at", "")
    when = when.strftime("%Y-%m-%d %H:%M") if hasattr(when, "strftime") else str(when or "")[:16]
    turn = getattr(info, "turn", None)
    date = getattr(info, "date_label", "") or ""
    where = f"{date}, turn {turn}" if turn is not None else date
    line = f"[b]{esc(str(getattr(info, 'name', Path(str(getattr(info, 'path', '?'))).stem)))}[/]"
    line += f"\n   [$text-muted]{esc(title)} · {esc(where)} · saved {esc(when)}[/]"
    problem = getattr(info, "problem", "") or ""
    if problem or getattr(info, "verified", True) is False:
        line += f"\n   [$error]{esc(problem or 'could not be verified')}[/]"
    return line


class LoadDialog(ModalScreen[Path | None]):
    """Lists saves (newest first as ``list_saves`` gives them); dismisses with the chosen path or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, saves: list[Any]) -> None:
        super().__init__(classes="dialog-screen")
        self.saves = saves

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog load"):
            yield Static("[b]Load a saved game[/]", classes="dialog-title")
            if self.saves:
                yield OptionList(*[Option(_describe(info), id=f"save-{i}") for i, info in enumerate(self.saves)],
                                 id="save-list")
            else:
                yield Static("There are no saved games yet. Press s during a game to save it.",
                             classes="dialog-detail")
            yield Static("[$text-muted]Enter loads · Escape cancels[/]", classes="dialog-keys")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        info = self.saves[int((event.option.id or "save-0")[5:])]
        self.dismiss(Path(str(getattr(info, "path", info))))

    def action_cancel(self) -> None:
        self.dismiss(None)
