"""The advisers' reading of the pending decision: Monte Carlo rollouts of each option, run in a worker."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import LoadingIndicator, Static

from ...advisor import OptionAdvice, advise
from ...session import GameSession
from ..text import esc

__all__ = ["AdvisorDialog", "advice_markup"]

ROLLOUTS = 200


def advice_markup(session: GameSession, advice: list[OptionAdvice]) -> str:
    if not advice:
        return "There is nothing to advise on."
    views = {v.index: v for v in session.options()}
    endings = session.scenario.endings
    best = max(a.mean_score for a in advice)
    lines = [
        f"[$text-muted]{ROLLOUTS} imagined futures per option, played to the end with later choices "
        "made at random. Scores are the whole game's; the range covers 8 futures in 10.[/]",
        "",
    ]
    for a in sorted(advice, key=lambda a: -a.mean_score):
        mark = "[b $success]★[/]" if a.mean_score == best else " "
        likely = max(range(len(a.endings)), key=lambda k: a.endings[k]) if a.endings else None
        ending = f"most often: {esc(endings[likely].title)} ({a.endings[likely]:.0%})" if likely is not None else ""
        lines.append(f"{mark} [b]{a.option + 1}[/] {esc(views[a.option].label)}")
        lines.append(
            f"     score [b]{a.mean_score:.0f}[/] [$text-muted]({a.score_p10:.0f}–{a.score_p90:.0f}) · {ending}[/]"
        )
    return "\n".join(lines)


class AdvisorDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,a,q", "close", "Close")]

    def __init__(self, session: GameSession) -> None:
        super().__init__(classes="dialog-screen")
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("[b]Your advisers[/]", classes="dialog-title")
            yield LoadingIndicator(id="advisor-wait")
            with VerticalScroll(classes="dialog-body"):
                yield Static(id="advisor-text")
            yield Static("[$text-muted]Escape closes[/]", classes="dialog-keys")

    def on_mount(self) -> None:
        s = self.session
        self.consult(s.scenario, s.seed, s.game_index, list(s.choices))

    @work(thread=True, exclusive=True)
    def consult(self, scenario, seed, game_index, choices) -> None:
        # A private copy of the game, so the rollouts never touch the state the player is looking at.
        copy = GameSession.replay(scenario, seed, game_index, choices, game=self.session.game)
        advice = advise(copy.state, 0, ROLLOUTS, salt=len(choices))
        self.app.call_from_thread(self._show, copy, advice)

    def _show(self, copy: GameSession, advice: list[OptionAdvice]) -> None:
        self.query_one("#advisor-wait").display = False
        self.query_one("#advisor-text", Static).update(advice_markup(copy, advice))

    def action_close(self) -> None:
        self.dismiss(None)
