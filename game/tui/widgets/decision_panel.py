"""The decision in front of the player: what just happened, the event, and its options."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...play.session import ChoiceResult, GameSession
from ..text import cost_text, effect_items, esc, wrap_items

__all__ = ["ChoiceList", "DecisionPanel"]


class ChoiceList(OptionList):
    """The options of the pending event (Enter or a click chooses the highlighted one)."""


class DecisionPanel(Vertical):
    """Shows the session's pending decision; posts ``Chosen`` when the player confirms an option."""

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    _session: GameSession | None = None
    _same_event = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="event-scroll"):
            yield Static(id="outcome")
            yield Static(id="event-title")
            yield Static(id="event-text")
        yield ChoiceList(id="choices")
        yield Static(id="hint")

    def show(self, session: GameSession, last: ChoiceResult | None) -> None:
        outcome = self.query_one("#outcome", Static)
        if last is not None:
            parts = [f"[b]You chose:[/] {esc(last.option_label)}"]
            if last.outcome:
                parts.append(esc(last.outcome))
            if last.branch_text:
                parts.append(f"[$warning]◇ {esc(last.branch_text)}[/]")
            outcome.update("\n".join(parts))
        outcome.display = last is not None
        event = session.event
        if event is None:
            self.query_one(ChoiceList).clear_options()
            self.query_one("#event-title", Static).update("No decision is pending.")
            self.query_one("#event-text", Static).update("")
            self.query_one("#hint", Static).update("")
            return
        cite = "  [$text-muted](c: source)[/]" if event.cite else ""
        self.query_one("#event-title", Static).update(f"[b]{esc(event.title)}[/]{cite}")
        self.query_one("#event-text", Static).update(esc(session.render(event.text).strip()))
        self._session = session
        self._render_options()
        self.query_one("#hint", Static).update(
            "[$text-muted]1–9 pick · Enter confirms · c source · a advisers · w why?[/]"
        )
        self.query_one("#event-scroll", VerticalScroll).scroll_home(animate=False)

    def _render_options(self) -> None:
        session = self._session
        if session is None or session.event is None:
            return
        choices = self.query_one(ChoiceList)
        keep = choices.highlighted
        width = choices.scrollable_content_region.width or max(self.size.width - 4, 40)
        choices.clear_options()
        first_available = None
        views = session.options()
        for view in views:
            label = wrap_items([(f"[b]{esc(view.label)}[/]", view.label)], width, 4)
            label[0] = f" [b]{view.index + 1}[/]  " + label[0][4:]
            items = []
            cost = cost_text(session, view)
            if cost:
                items.append((f"[$warning]{esc(cost)}[/]", cost))
            items.extend(effect_items(session, view))
            if not view.available:
                reason = f"unavailable: {view.reason}"
                items.append((f"[$error]{esc(reason)}[/]", reason))
            lines = label + wrap_items(items, width, 4)
            if view.index < len(views) - 1:
                lines.append("")
            choices.add_option(Option("\n".join(lines), id=f"opt-{view.index}", disabled=not view.available))
            if view.available and first_available is None:
                first_available = view.index
        if keep is not None and keep < len(views) and views[keep].available and self._same_event:
            choices.highlighted = keep
        elif first_available is not None:
            choices.highlighted = first_available

    def on_resize(self) -> None:
        self._same_event = True
        self._render_options()
        self._same_event = False

    def highlight(self, index: int) -> None:
        choices = self.query_one(ChoiceList)
        choices.highlighted = index
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("opt-"):
            self.post_message(self.Chosen(int(option_id[4:])))
