"""The main game screen: the state of the country on the left, the decision and the feed on the right.

The screen owns the ``GameSession``; widgets only render what ``_refresh_view`` hands them and post
messages (an option chosen, a meter clicked) back up.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...errors import ManilaError, ReplayDivergence
from ...format.scenario import load_scenario
from ...play.session import ChoiceMade, ChoiceResult, GameSession
from ...saves import autosave, list_saves, verify_save
from ..dialogs import AdvisorDialog, CitationDialog, ConfirmDialog, ExplainDialog, LoadDialog, ScoreDialog
from ..dialogs.save import ask_and_save, suggest_name
from ..messages import OpenSave
from ..text import esc
from ..widgets import DecisionPanel, FeedLog, FlagRow, StatePanel, StatusBar, VarRow
from .help import HelpScreen

__all__ = ["GameScreen"]

WATCH_INTERVAL = 1.0  # seconds between checks of the scenario file's modification time
KEYS_LINE = (
    "[$text-muted]1–9 pick · ⏎ confirm · ↑↓ options · PgUp/PgDn read · [/][b]a[/b][$text-muted] advisers · "
    "[/][b]e[/b][$text-muted] score · Tab panels · f feed · ? help[/]"
)


class GameScreen(Screen):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding("1", "pick(1)", "Pick", key_display="1-9"),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)],
        Binding("enter", "confirm", "Confirm", key_display="⏎"),
        Binding("a", "advise", "Advisers"),
        Binding("e", "score", "Score"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("w", "why", "Why?"),
        Binding("c", "cite", "Source", show=False),
        Binding("f", "feed", "Feed"),
        Binding("s", "save", "Save"),
        Binding("l", "load", "Load"),
        Binding("q", "quit_game", "Quit"),
        Binding("tab", "panel(1)", "Next panel", show=False, priority=True),
        Binding("shift+tab", "panel(-1)", "Previous panel", show=False, priority=True),
    ]

    def __init__(
        self,
        session: GameSession,
        *,
        save_name: str | None = None,
        watch: bool = False,
        last: ChoiceResult | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.save_name = save_name
        self.saved_choices = len(session.choices)  # choices covered by the last save the player made or loaded
        self.watch_file = watch  # reload the scenario when its file changes (``watch`` is DOMNode.watch)
        self.last = last
        self.before: np.ndarray | None = None  # values before the last choice, for trend arrows
        self.note = ""
        self._mtime: float | None = None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Static(id="banner")
        with Horizontal(id="body"):
            yield StatePanel(self.session.scenario, id="state")
            with Vertical(id="play"):
                yield DecisionPanel(id="decision")
                yield Static(KEYS_LINE, id="keys")
                yield FeedLog(id="feed")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#state").border_title = "The country"
        self.query_one("#decision").border_title = "On your desk"
        self.query_one("#feed").border_title = "What happened"
        self.query_one("#banner").display = False
        self.call_after_refresh(self._refresh_view)
        if self.watch_file and self.session.scenario.path:
            self._mtime = self._source_mtime()
            self.set_interval(WATCH_INTERVAL, self._check_source)

    async def _refresh_view(self) -> None:
        s = self.session
        self.query_one(StatusBar).show(s, self.note)
        self.query_one(StatePanel).show(s, self.before)
        await self.query_one(DecisionPanel).show(s, self.last)
        self.query_one(FeedLog).show(s.feed)

    @property
    def unsaved(self) -> int:
        return len(self.session.choices) - self.saved_choices

    # ------------------------------------------------------------------ choosing
    def action_pick(self, n: int) -> None:
        if self.has_class("-show-feed"):
            self.action_feed()
        options = self.session.options()
        view = self.session.option_view(n - 1)
        if view is None:
            self.notify(
                f"There is no option {n} here." if options else "No decision is pending.",
                severity="warning",
                timeout=3,
            )
            return
        self.query_one(DecisionPanel).select(n - 1)
        if not view.available:
            self._refuse(view)

    def _refuse(self, view) -> None:
        why = f": {view.reason}" if view.reason and view.reason != "not possible now" else " now"
        self.notify(f"Option {view.index + 1} is not possible{why}.", severity="warning", timeout=5)

    def action_confirm(self) -> None:
        panel = self.query_one(DecisionPanel)
        if panel.selected is None:
            self.notify("Pick an option first (1–9, or ↑↓ on the desk).", severity="warning", timeout=3)
            return
        panel.confirm()

    @on(DecisionPanel.Refused)
    def _refused(self, message: DecisionPanel.Refused) -> None:
        self._refuse(message.view)

    @on(DecisionPanel.Chosen)
    async def _chosen(self, message: DecisionPanel.Chosen) -> None:
        s = self.session
        view = s.option_view(message.index)
        if message.decision != len(s.choices):
            return  # confirmed on a desk that has moved on since
        if view is None or not view.available:
            return
        self.before = s.values().copy()
        turn = s.turn
        self.last = s.choose(message.index)
        if s.over or s.turn != turn:
            self._autosave()
        banner = self.query_one("#banner", Static)
        if banner.display and not banner.has_class("-error"):
            banner.display = False  # a "reloaded" note has been read once the player moves on
        if s.over:
            from .end import EndScreen

            self.app.switch_screen(EndScreen(s, last=self.last, unsaved=self.unsaved, save_name=self.save_name))
            return
        await self._refresh_view()

    def _autosave(self) -> None:
        try:
            autosave(self.session, self.app.saves_dir)
        except ManilaError as exc:
            self.notify(f"Autosave failed: {exc}", severity="error", timeout=6)

    # ------------------------------------------------------------------ explanations
    def action_why(self, var_id: str | None = None) -> None:
        self.app.push_screen(ExplainDialog(self.session, var_id))

    @on(VarRow.Explain)
    @on(FlagRow.Explain)
    def _explain(self, message: VarRow.Explain | FlagRow.Explain) -> None:
        self.action_why(message.var_id)

    def action_cite(self) -> None:
        event = self.session.event
        if event is None:
            return
        self.app.push_screen(CitationDialog(self.session.scenario, event))

    def action_score(self) -> None:
        self.app.push_screen(ScoreDialog(self.session))

    def action_advise(self) -> None:
        if self.session.event is None:
            return
        self.app.push_screen(AdvisorDialog(self.session))

    def action_panel(self, step: int) -> None:
        """Tab / Shift+Tab: move between the desk, the country and the feed (not through every option)."""
        panels = [
            p for p in (self.query_one(DecisionPanel), self.query_one(StatePanel), self.query_one(FeedLog)) if p.display
        ]
        focused = self.focused
        current = next((i for i, p in enumerate(panels) if focused is p or (focused and p in focused.ancestors)), -1)
        target = panels[(current + step) % len(panels)]
        if isinstance(target, DecisionPanel):
            if target.selected is not None:
                target.select(target.selected)
            elif target.cards:
                target.cards[0].focus()
        else:
            target.focus()

    def action_feed(self) -> None:
        """Switch the right-hand column between the decision and the whole feed."""
        self.toggle_class("-show-feed")
        feed = self.query_one(FeedLog)
        feed.full = self.has_class("-show-feed")
        feed.show(self.session.feed)
        if self.has_class("-show-feed"):
            self.query_one(FeedLog).focus()
            self.query_one(FeedLog).scroll_end(animate=False)
        else:
            panel = self.query_one(DecisionPanel)
            if panel.selected is not None:
                panel.select(panel.selected)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.session.scenario))

    # ------------------------------------------------------------------ saving, loading, quitting
    def action_save(self) -> None:
        suggested = self.save_name or suggest_name(self.session.scenario.id, self.session.date_label)
        ask_and_save(self, self.session, suggested, self._saved)

    def _saved(self, name: str) -> None:
        self.save_name = name
        self.saved_choices = len(self.session.choices)

    def action_load(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if self.unsaved:
                self.app.push_screen(
                    ConfirmDialog(
                        "Load and lose your unsaved progress?",
                        f"{self.unsaved} decision(s) since your last save will be lost "
                        "(the autosave keeps them up to the last full turn).",
                        yes="Load",
                    ),
                    lambda ok: ok and self.post_message(OpenSave(path)),
                )
            else:
                self.post_message(OpenSave(path))

        self.app.push_screen(LoadDialog(lambda: list_saves(self.app.saves_dir, verify=False), verify_save), chosen)

    def action_quit_game(self) -> None:
        if not self.unsaved:
            self.app.exit()
            return
        self.app.push_screen(
            ConfirmDialog(
                "Quit with unsaved progress?",
                f"You made {self.unsaved} decision(s) since your last save. The autosave keeps "
                "everything up to the last full turn.",
                yes="Quit",
            ),
            lambda ok: ok and self.app.exit(),
        )

    # ------------------------------------------------------------------ --watch: reload the scenario file
    def _source_mtime(self) -> float | None:
        try:
            return Path(self.session.scenario.path).stat().st_mtime
        except OSError:
            return None

    def _check_source(self) -> None:
        mtime = self._source_mtime()
        if mtime is None or mtime == self._mtime:
            return
        self._mtime = mtime
        s = self.session
        self.reload_scenario(Path(s.scenario.path), list(s.made), s.seed, s.game_index)

    @work(thread=True, exclusive=True, group="watch")
    def reload_scenario(self, path: Path, made: list[ChoiceMade], seed: int, game_index: int) -> None:
        try:
            scenario = load_scenario(path)
        except ManilaError as exc:
            self.app.call_from_thread(self._scenario_broken, path, str(exc))
            return
        session = GameSession(scenario, seed, game_index)
        # by option id, so an edit that deletes, renames or reorders options is caught, not replayed blindly;
        # keeps every choice up to the first that no longer applies
        diverged = session.play_choices_by_id(made)
        self.app.call_from_thread(self._reloaded, path, session, diverged)

    def _scenario_broken(self, path: Path, message: str) -> None:
        banner = self.query_one("#banner", Static)
        banner.update(f"[b]{esc(path.name)} has problems; still playing the last good version.[/]\n{esc(message)}")
        banner.set_class(True, "-error")
        banner.display = True

    async def _reloaded(self, path: Path, session: GameSession, diverged: ReplayDivergence | None) -> None:
        replayed = len(session.choices)
        self.session = session
        self.before = None
        self.last = None
        self.saved_choices = min(self.saved_choices, replayed)
        old = self.query_one(StatePanel)
        await old.remove()
        await self.query_one("#body").mount(StatePanel(session.scenario, id="state"), before=0)
        self.query_one("#state").border_title = "The country"
        banner = self.query_one("#banner", Static)
        banner.set_class(diverged is not None, "-error")
        if diverged is None:
            banner.update(
                f"Reloaded {esc(path.name)}: "
                + ("all your choices replayed." if replayed else "the game starts again.")
            )
        else:
            kept = (
                f"Kept your first {replayed} choice{'s' if replayed != 1 else ''}" if replayed else "Kept none of them"
            )
            banner.update(
                f"Reloaded {esc(path.name)}: your choices no longer apply from turn {diverged.turn}: "
                f"{esc(diverged.reason)}. {kept} and continued from {esc(session.date_label)}."
            )
        banner.display = True
        if session.over:
            from .end import EndScreen

            self.app.switch_screen(EndScreen(session, last=None, unsaved=self.unsaved, save_name=self.save_name))
            return
        await self._refresh_view()
