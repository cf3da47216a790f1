"""The title screen: pick a scenario for a new game, continue the latest save, load, help, quit."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...errors import ManilaError
from ...format.catalog import DEFAULT_ID, ScenarioInfo, is_tutorial, list_scenarios
from ...format.scenario import load_scenario
from ...model import Scenario
from ...saves import last_autosave, list_saves, saves_dir, verify_save
from ..dialogs import LoadDialog
from ..messages import OpenSave, StartGame
from ..text import esc
from .help import HelpScreen

__all__ = ["TitleScreen", "preview_markup"]

LOGO = "M A N I L A   2 0 1 9"
TAGLINE = "a game of hard choices between capitals"


def preview_markup(scenario: Scenario) -> str:
    s = scenario
    unit = s.unit.plural
    head = (
        f"[b]{esc(s.title)}[/]\n[$accent]You are {esc(s.role)}.[/]\n"
        f"[$text-muted]{esc(s.date_label(1))} – {esc(s.date_label(s.turns))} · {s.turns} {unit} · "
        f"{s.decisions} decision{'s' if s.decisions != 1 else ''} a turn[/]\n"
    )
    return head + "\n" + esc(s.summary.strip())


class TitleScreen(Screen):
    BINDINGS = [
        Binding("n", "new_game", "New game"),
        Binding("c", "continue_game", "Continue"),
        Binding("l", "load", "Load"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scenarios: list[ScenarioInfo] = []
        self.previews: dict[Path, str] = {}
        self.latest = None

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static(f"[b $accent]{LOGO}[/]", id="logo")
            yield Static(f"[$text-muted]{TAGLINE}[/]", id="tagline")
            with Horizontal(id="title-main"):
                yield OptionList(id="scenario-list")
                with VerticalScroll(id="scenario-info"):
                    yield Static(id="scenario-text")
            with Horizontal(id="title-buttons"):
                yield Button("New game", id="new", variant="primary")
                yield Button("Continue", id="continue")
                yield Button("Load", id="load")
                yield Button("Help", id="help")
                yield Button("Quit", id="quit", variant="error")
            yield Static(id="continue-note")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#continue", Button).disabled = True
        self.query_one("#scenario-list").border_title = "New game"
        self.query_one("#scenario-info").border_title = "The situation"
        self.scenarios = list_scenarios()
        options = self.query_one("#scenario-list", OptionList)
        for i, info in enumerate(self.scenarios):
            options.add_option(Option(self._prompt(info, False), id=f"scn-{i}"))
        default = next((i for i, info in enumerate(self.scenarios) if info.id == DEFAULT_ID), 0)
        if self.scenarios:
            options.highlighted = default
        else:
            self.query_one("#scenario-text", Static).update("No scenarios found.")
        options.focus()
        self._refresh_continue()

    def on_screen_resume(self) -> None:
        self._refresh_continue()

    @work(thread=True, exclusive=True, group="latest")
    def _refresh_continue(self) -> None:
        """Find the game the player was last playing: the newest autosave of an unfinished game that verifies
        (named saves, including those written by headless play, are for Load). Files are read without
        replay, then only the candidates are replayed, newest first."""
        try:
            folder = saves_dir(self.app.saves_dir)
            last = last_autosave(folder)
            saves = [info for info in list_saves(folder, verify=False) if info.autosave and info.verified is not False]
        except ManilaError:
            saves = []
        cache: dict = {}
        latest = None
        # unfinished first; among them the autosave written last by sequence, then the newest by date
        for info in sorted(saves, key=lambda i: (i.over, i.path.name != last)):
            checked = verify_save(info, cache)
            if checked.verified:
                latest = checked
                break
        self.app.call_from_thread(self._show_latest, latest)

    def _show_latest(self, latest) -> None:
        if not self.is_attached:
            return
        self.latest = latest
        button = self.query_one("#continue", Button)
        button.disabled = self.latest is None
        note = self.query_one("#continue-note", Static)
        if self.latest is not None:
            info = self.latest
            note.update(
                f"[$text-muted]Continue: {esc(info.name)} · {esc(info.scenario_title or '')} · "
                f"{esc(info.date_label or '')}[/]"
            )
        else:
            note.update("")

    # ------------------------------------------------------------------ scenario preview
    @staticmethod
    def _prompt(info: ScenarioInfo, highlighted: bool) -> str:
        """A scenario's line; the highlighted one starts with ▶ (a cue that needs no colour)."""
        where = "" if info.bundled else "  [$text-muted](./scenarios)[/]"
        tutorial = "  [$accent](tutorial)[/]" if is_tutorial(info.id) else ""
        return f"{'▶ ' if highlighted else '  '}{esc(info.title)}{tutorial}{where}"

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id != "scenario-list" or event.option.id is None:
            return
        index = int(event.option.id[4:])
        for i, other in enumerate(self.scenarios):
            event.option_list.replace_option_prompt_at_index(i, self._prompt(other, i == index))
        info = self.scenarios[index]
        if info.path in self.previews:
            self.query_one("#scenario-text", Static).update(self.previews[info.path])
        else:
            self.query_one("#scenario-text", Static).update(f"[$text-muted]Reading {esc(info.title)}…[/]")
            self.load_preview(info.path)

    @work(thread=True, exclusive=True, group="preview")
    def load_preview(self, path: Path) -> None:
        try:
            text = preview_markup(load_scenario(path))
        except ManilaError as exc:
            text = f"[$error]This scenario has problems:[/]\n{esc(str(exc))}"
        self.app.call_from_thread(self._show_preview, path, text)

    def _show_preview(self, path: Path, text: str) -> None:
        self.previews[path] = text
        if not self.is_attached or self.app.screen is not self:
            return
        current = self._highlighted()
        if current is not None and current.path == path:
            self.query_one("#scenario-text", Static).update(text)

    def _highlighted(self) -> ScenarioInfo | None:
        options = self.query_one("#scenario-list", OptionList)
        if options.highlighted is None or not self.scenarios:
            return None
        return self.scenarios[options.highlighted]

    # ------------------------------------------------------------------ actions
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "scenario-list":
            self.action_new_game()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        action = {
            "new": self.action_new_game,
            "continue": self.action_continue_game,
            "load": self.action_load,
            "help": self.action_help,
            "quit": self.action_quit,
        }[event.button.id]
        action()

    def action_new_game(self) -> None:
        info = self._highlighted()
        if info is not None:
            self.post_message(StartGame(info.path))

    def action_continue_game(self) -> None:
        if self.latest is None:
            self.notify("There is no saved game to continue.", severity="warning", timeout=3)
            return
        self.post_message(OpenSave(self.latest.path))

    def action_load(self) -> None:
        self.app.push_screen(
            LoadDialog(lambda: list_saves(self.app.saves_dir, verify=False), verify_save),
            lambda path: path and self.post_message(OpenSave(path)),
        )

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(None))

    def action_quit(self) -> None:
        self.app.exit()
