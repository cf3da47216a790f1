"""The advisers' reading of the pending decision: each adviser's recommendation and reasons, in words.

The futures are imagined in a worker (``game.advisor.consult``) from a private replay of the game. A
consultation uses one of the game's limited consultations; asking again about the same decision is free.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import LoadingIndicator, Static

from ...play.advisor import DEFAULT_ROLLOUTS, Consultation, consult
from ...play.session import GameSession
from ..text import esc

__all__ = ["AdvisorDialog", "advice_markup"]


def advice_markup(session: GameSession, advice: Consultation) -> str:
    if not advice.opinions:
        return "There is nothing to advise on."
    views = {v.index: v for v in session.options()}
    left = session.advice.left
    lines = [
        f"[$text-muted]Each adviser imagined {advice.rollouts} futures for every option, from what you know "
        "(hidden readings as uncertain as on your screen), and judged them by what they care about. "
        f"Consultations left this term: {left}.[/]",
        "",
    ]
    for o in advice.opinions:
        a = o.adviser
        lines.append(f"[b]{esc(a.name)}[/], {esc(a.title)}")
        lines.append(f"[$text-muted][i]{esc(a.leaning)}[/][/]")
        lines.append(f"  Recommends [b]{o.option + 1}[/] {esc(views[o.option].label)}.")
        lines += [f"  {esc(r)}" for r in o.reasons]
        lines.append("")
    picks = {o.option for o in advice.opinions}
    if len(picks) > 1:
        lines.append("[$text-muted]Your advisers disagree: the choice is yours.[/]")
    return "\n".join(lines).rstrip()


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
        if not s.advice.spend(len(s.choices)):
            self.query_one("#advisor-wait").display = False
            self.query_one("#advisor-text", Static).update(
                f"Your advisers have given you all the time they can this term ({s.advice.limit} "
                "consultations). From here on, the decisions are yours alone."
            )
            return
        self.consult()

    @work(thread=True, exclusive=True)
    def consult(self) -> None:
        # The rollouts spawn copies of the game (every array they change is their own), so the state the
        # player is looking at is never touched; the dialog is modal, so nothing moves it meanwhile.
        session = self.session
        advice = consult(session.state, 0, DEFAULT_ROLLOUTS, salt=len(session.choices))
        self.app.call_from_thread(self._show, advice)

    def _show(self, advice: Consultation) -> None:
        self.query_one("#advisor-wait").display = False
        self.query_one("#advisor-text", Static).update(advice_markup(self.session, advice))

    def action_close(self) -> None:
        self.dismiss(None)
