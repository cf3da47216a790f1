"""Save the game under a name."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from ...errors import ManilaError
from ...play.session import GameSession
from ...saves import save_exists, write_save
from ..text import esc

__all__ = ["SaveDialog", "ask_and_save", "suggest_name"]


def suggest_name(scenario_id: str, date_label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{scenario_id} {date_label}".lower()).strip("-")


def ask_and_save(screen: Screen, session: GameSession, suggested: str, saved: Callable[[str], None]) -> None:
    """Ask for a name (``suggested`` first), save ``session`` under it and say where; ``saved(name)`` is called
    once the file is written. Used by the game screen and the ending screen alike."""
    app = screen.app
    folder = getattr(app, "saves_dir", None)  # ManilaApp's saves folder (None: the default one)

    def write(name: str | None) -> None:
        if not name:
            return
        try:
            path = write_save(session, name, directory=folder)
        except ManilaError as exc:
            screen.notify(str(exc), title="Could not save", severity="error", timeout=8)
            return
        saved(name)
        screen.notify(f"Saved as '{name}'  ({path})", title="Saved", timeout=4)

    app.push_screen(SaveDialog(suggested, lambda name: save_exists(name, folder)), write)


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
