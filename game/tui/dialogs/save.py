"""Save the game under a name."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..text import esc

__all__ = ["SaveDialog", "suggest_name"]


def suggest_name(scenario_id: str, date_label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{scenario_id} {date_label}".lower()).strip("-")


class SaveDialog(ModalScreen[str | None]):
    """Asks for a save name; dismisses with the name, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggested: str, exists: Callable[[str], bool] = lambda name: False) -> None:
        super().__init__(classes="dialog-screen")
        self.suggested = suggested
        self.exists = exists

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog save"):
            yield Static("[b]Save the game[/]", classes="dialog-title")
            yield Input(value=self.suggested, placeholder="a name for this save", id="save-name")
            yield Static(id="save-note", classes="dialog-detail")
            yield Static("[$text-muted]Enter saves · Escape cancels[/]", classes="dialog-keys")

    def on_mount(self) -> None:
        self._note(self.suggested)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._note(event.value)

    def _note(self, name: str) -> None:
        note = self.query_one("#save-note", Static)
        if name.strip() and self.exists(name.strip()):
            note.update(f"[$warning]A save called '{esc(name.strip())}' exists and will be replaced.[/]")
        else:
            note.update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.notify("Give the save a name.", severity="warning")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
