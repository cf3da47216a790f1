"""Pick a saved game."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...errors import ManilaError
from ..text import esc

__all__ = ["LoadDialog"]


def _describe(info: Any) -> str:
    title = getattr(info, "scenario_title", "") or getattr(info, "scenario_id", "") or ""
    when = getattr(info, "saved_at", "")
    if hasattr(when, "astimezone"):
        when = when.astimezone().strftime("%Y-%m-%d %H:%M")
    else:
        when = str(when or "")[:16]
    turn = getattr(info, "turn", None)
    date = getattr(info, "date_label", "") or ""
    where = f"{date}, turn {turn}" if turn is not None else date
    line = f"[b]{esc(str(getattr(info, 'name', Path(str(getattr(info, 'path', '?'))).stem)))}[/]"
    kind = "autosave · " if getattr(info, "autosave", False) else ""
    ending = " · game over" if getattr(info, "over", False) else ""
    line += f"\n   [$text-muted]{kind}{esc(title)} · {esc(where)}{ending} · saved {esc(when)}[/]"
    problem = getattr(info, "problem", "") or ""
    if problem or getattr(info, "verified", True) is False:
        line += f"\n   [$error]{esc(problem or 'could not be verified')}[/]"
    return line


class LoadDialog(ModalScreen[Path | None]):
    """Lists saves (newest first, as ``list`` gives them, which runs in a worker because every save is
    verified by replaying it); dismisses with the chosen path or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, list_saves: Callable[[], list[Any]]) -> None:
        super().__init__(classes="dialog-screen")
        self.list_saves = list_saves
        self.saves: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog load"):
            yield Static("[b]Load a saved game[/]", classes="dialog-title")
            yield Static("[$text-muted]Reading and checking the saves…[/]", id="save-status", classes="dialog-detail")
            yield OptionList(id="save-list")
            yield Static("[$text-muted]Enter loads · Escape cancels[/]", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#save-list").display = False
        self.read_saves()

    @work(thread=True, exclusive=True)
    def read_saves(self) -> None:
        try:
            saves, error = self.list_saves(), ""
        except ManilaError as exc:
            saves, error = [], str(exc)
        self.app.call_from_thread(self._show, saves, error)

    def _show(self, saves: list[Any], error: str) -> None:
        self.saves = saves
        status = self.query_one("#save-status", Static)
        if error:
            status.update(f"[$error]{esc(error)}[/]")
            return
        if not saves:
            status.update("There are no saved games yet. Press s during a game to save it.")
            return
        status.display = False
        options = self.query_one("#save-list", OptionList)
        for i, info in enumerate(saves):
            unusable = getattr(info, "verified", True) is False
            options.add_option(Option(_describe(info), id=f"save-{i}", disabled=unusable))
        options.display = True
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        info = self.saves[int((event.option.id or "save-0")[5:])]
        self.dismiss(Path(str(getattr(info, "path", info))))

    def action_cancel(self) -> None:
        self.dismiss(None)
