"""The Textual application: which screen is showing, where saves live, and the ``manila play`` entry point.

Screens own the game (``GameScreen.session``); the app only starts games, opens saves and routes the
actions that apply everywhere (quit, the command palette).

The title screen comes up without the engine (or numpy): the game's screens, the session and the save loader
are imported when a game starts, in the worker that starts it.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..errors import ManilaError
from ..format.scenario import load_scenario
from ..model import Scenario
from .messages import OpenSave, ShowTitle, StartGame
from .screens.help import HelpScreen
from .screens.title import TitleScreen

if TYPE_CHECKING:
    from ..play.session import GameSession

__all__ = ["ManilaApp", "run_tui"]


class ManilaApp(App):
    """``scenario`` (a loaded Scenario or a path) starts a game at once; ``load`` opens a save; with neither
    the title screen comes first. ``seed`` fixes every new game's seed (a fresh one is drawn otherwise)."""

    CSS_PATH = "game.tcss"
    TITLE = "Manila 2019"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self,
        *,
        scenario: Scenario | Path | str | None = None,
        seed: int | None = None,
        game_index: int = 0,
        load: str | Path | None = None,
        watch: bool = False,
        saves_dir: str | Path | None = None,
    ) -> None:
        super().__init__()
        self.initial_scenario = scenario
        self.fixed_seed = seed
        self.game_index = game_index
        self.initial_load = load
        self.watch_file = watch  # reload the scenario when its file changes (``watch`` is DOMNode.watch)
        self.saves_dir = Path(saves_dir) if saves_dir else None

    def on_mount(self) -> None:
        if self.initial_load is not None:
            self.open_save(self.initial_load)
        elif isinstance(self.initial_scenario, Scenario):
            from ..play.session import GameSession

            self._begin(GameSession(self.initial_scenario, self._seed(), self.game_index))
        elif self.initial_scenario is not None:
            self.start_game(Path(self.initial_scenario))
        else:
            self.push_screen(TitleScreen())

    def _show(self, screen: Screen) -> None:
        """Replace the current screen (the default screen underneath is never shown)."""
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _seed(self) -> int:
        return self.fixed_seed if self.fixed_seed is not None else secrets.randbelow(2**63)

    # ------------------------------------------------------------------ starting and switching games
    @work(thread=True, exclusive=True, group="open")
    def start_game(self, path: Path) -> None:
        """Load a scenario and start a new game on it (in a worker: loading takes a moment)."""
        from ..play.session import GameSession

        try:
            session = GameSession(load_scenario(path), self._seed(), self.game_index)
        except ManilaError as exc:
            self.call_from_thread(self._failed, str(exc), "This scenario cannot be played")
            return
        self.call_from_thread(self._begin, session)

    @work(thread=True, exclusive=True, group="open")
    def open_save(self, path_or_name: str | Path) -> None:
        """Load a save (its replay runs in a worker) and continue it."""
        from ..saves import load_save

        try:
            loaded = load_save(path_or_name, directory=self.saves_dir)
        except ManilaError as exc:
            self.call_from_thread(self._failed, str(exc), "Could not load the save")
            return
        self.call_from_thread(self._begin, loaded.session, None if loaded.autosave else loaded.name)
        for note in loaded.notes:
            self.call_from_thread(self.notify, note, title="Save loaded", timeout=8)

    def _failed(self, message: str, title: str) -> None:
        if len(self.screen_stack) <= 1:
            self.push_screen(TitleScreen())
        self.notify(message, title=title, severity="error", timeout=15)

    def _begin(self, session: GameSession, save_name: str | None = None) -> None:
        from .screens.end import EndScreen
        from .screens.game import GameScreen

        if session.over:
            self._show(EndScreen(session))
        else:
            self._show(GameScreen(session, save_name=save_name, watch=self.watch_file))

    def show_title(self) -> None:
        self._show(TitleScreen())

    # ------------------------------------------------------------------ what screens ask for
    def on_start_game(self, message: StartGame) -> None:
        self.start_game(message.path)

    def on_open_save(self, message: OpenSave) -> None:
        self.open_save(message.path)

    def on_show_title(self, message: ShowTitle) -> None:
        self.show_title()

    # ------------------------------------------------------------------ actions available everywhere
    async def action_quit(self) -> None:
        screen = self.screen
        if isinstance(screen, _game_screens()):
            screen.action_quit_game()
        else:
            self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        game_screen = _loaded_screen("game", "GameScreen")
        end_screen = _loaded_screen("end", "EndScreen")
        if game_screen is not None and isinstance(screen, game_screen):
            yield SystemCommand("Why did this change?", "The causes of a meter's last change (w)", screen.action_why)
            yield SystemCommand("Show the source", "The source paragraphs this event cites (c)", screen.action_cite)
            yield SystemCommand("Ask the advisers", "What each adviser would choose, and why (a)", screen.action_advise)
            yield SystemCommand(
                "Score and endings", "What the score counts and the ending ahead (e)", screen.action_score
            )
            yield SystemCommand("Save the game", "Save under a name (s)", screen.action_save)
            yield SystemCommand("Load a game", "Continue a saved game (l)", screen.action_load)
            yield SystemCommand("Help", "Keys, how a turn works, glossary (?)", screen.action_help)
            yield SystemCommand("Title screen", "Leave this game for the title screen", self._leave_to_title)
        elif end_screen is not None and isinstance(screen, end_screen):
            yield SystemCommand("New game", "Back to the title screen (n)", screen.action_new_game)
            yield SystemCommand("Why did this change?", "The causes of a meter's changes (w)", screen.action_why)
        elif isinstance(screen, TitleScreen):
            yield SystemCommand("New game", "Start the highlighted scenario (n)", screen.action_new_game)
            yield SystemCommand("Continue", "Continue the latest save (c)", screen.action_continue_game)
            yield SystemCommand("Load a game", "Pick a saved game (l)", screen.action_load)
            yield SystemCommand("Help", "Keys and how a turn works (?)", lambda: self.push_screen(HelpScreen()))
        yield SystemCommand("Quit", "Leave the game (asks first if progress is unsaved)", self.action_quit)
        for command in super().get_system_commands(screen):
            # Textual's keys panel docks beside the game and squeezed the desk to 14 columns at 80×24;
            # the game's own help (?) lists every key instead.
            if command.title not in ("Quit", "Keys"):
                yield command

    def _leave_to_title(self) -> None:
        from .screens.game import GameScreen

        screen = self.screen
        if isinstance(screen, GameScreen) and screen.unsaved:
            from .dialogs import ConfirmDialog

            self.push_screen(
                ConfirmDialog(
                    "Leave this game?",
                    f"{screen.unsaved} decision(s) are not saved under a name (the autosave keeps the last full turn).",
                    yes="Leave",
                ),
                lambda ok: ok and self.show_title(),
            )
        else:
            self.show_title()


def _loaded_screen(module: str, name: str) -> type[Screen] | None:
    """The screen class ``name`` of ``screens.<module>`` if that module is loaded, else None: then no screen
    can be one, and asking must not load it (and the engine with it) while the title screen shows."""
    loaded = sys.modules.get(f"{__package__}.screens.{module}")
    return None if loaded is None else getattr(loaded, name)


def _game_screens() -> tuple[type[Screen], ...]:
    """The game's own screens that are loaded (none before the first game starts)."""
    found = (_loaded_screen("game", "GameScreen"), _loaded_screen("end", "EndScreen"))
    return tuple(cls for cls in found if cls is not None)


def run_tui(
    *,
    scenario: Scenario | None = None,
    seed: int | None = None,
    game_index: int = 0,
    load: str | Path | None = None,
    watch: bool = False,
    saves_dir: str | Path | None = None,
) -> int:
    """Run the interface until the player quits; the exit code. ``manila play`` resolves and loads the
    scenario first (so a broken file is reported before the screen opens) and passes the values here."""
    app = ManilaApp(scenario=scenario, seed=seed, game_index=game_index, load=load, watch=watch, saves_dir=saves_dir)
    app.run()
    return int(app.return_code or 0)
