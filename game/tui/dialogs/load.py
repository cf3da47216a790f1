"""Pick a saved game.

The list appears at once: the files are only read (about 2 ms a save, done before the dialog is first drawn,
which is quicker than a thread under load); a background worker then checks every save by replaying it and
marks each entry as it goes, so a folder of many saves never keeps the player waiting.
A save that fails the check is greyed out with the reason.
"""

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

__all__ = ["LoadDialog", "describe_save"]


def describe_save(info: Any) -> str:
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
    verified = getattr(info, "verified", True)
    problem = getattr(info, "problem", "") or ""
    if verified is None:
        line += "\n   [$text-muted]… checking[/]"
    elif problem or verified is False:
        line += f"\n   [$error]✗ cannot be loaded: {esc(problem or 'could not be verified')}[/]"
    return line


class LoadDialog(ModalScreen[Path | None]):
    """Lists saves (newest first, as ``list_saves`` gives them), checks them in the background with
    ``verify`` (if given), and dismisses with the chosen path or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, list_saves: Callable[[], list[Any]], verify: Callable[[Any, dict], Any] | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.list_saves = list_saves
        self.verify = verify
        self.saves: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog load"):
            yield Static("[b]Load a saved game[/]", classes="dialog-title")
            yield Static("[$text-muted]Reading the saves…[/]", id="save-status", classes="dialog-detail")
            yield OptionList(id="save-list")
            yield Static("[$text-muted]↑↓ choose · Enter loads · Escape cancels[/]", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#save-list").display = False
        try:
            saves, error = self.list_saves(), ""
        except ManilaError as exc:
            saves, error = [], str(exc)
        self._show(saves, error)
        if self.verify is not None and saves:
            # replaying is CPU work: start it once the list has been drawn, so it cannot delay the list
            self.call_after_refresh(self.check_saves, list(saves))

    @work(thread=True, exclusive=True, group="check")
    def check_saves(self, saves: list[Any]) -> None:
        """Replay every unchecked save, newest first, and mark it."""
        cache: dict = {}
        verify = self.verify
        if verify is None:
            return
        for i, info in enumerate(saves):
            if getattr(info, "verified", True) is not None:
                continue
            checked = verify(info, cache)
            self.app.call_from_thread(self._checked, i, checked)

    def _show(self, saves: list[Any], error: str) -> None:
        self.saves = list(saves)
        status = self.query_one("#save-status", Static)
        if error:
            status.update(f"[$error]{esc(error)}[/]")
            return
        if not saves:
            status.update("There are no saved games yet. Press s during a game to save it.")
            return
        status.display = False
        options = self.query_one("#save-list", OptionList)
        options.add_options(
            [Option(describe_save(info), id=f"save-{i}", disabled=info_unusable(info)) for i, info in enumerate(saves)]
        )
        options.display = True
        options.focus()

    def _checked(self, index: int, info: Any) -> None:
        if not self.is_attached:
            return
        self.saves[index] = info
        options = self.query_one("#save-list", OptionList)
        options.replace_option_prompt_at_index(index, describe_save(info))
        if info_unusable(info):
            options.disable_option_at_index(index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        info = self.saves[int((event.option.id or "save-0")[5:])]
        if info_unusable(info):
            self.notify(f"This save cannot be loaded: {getattr(info, 'problem', '')}", severity="error")
            return
        self.dismiss(Path(str(getattr(info, "path", info))))

    def action_cancel(self) -> None:
        self.dismiss(None)


def info_unusable(info: Any) -> bool:
    return getattr(info, "verified", True) is False
