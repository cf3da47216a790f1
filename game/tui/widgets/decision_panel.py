"""The desk: the last outcome, the briefing and the options in one column that scrolls from the keyboard.

Each option is an ``OptionCard``: a focusable widget with its number in a narrow column and its text in a
wide one, so wrapped lines keep their indent. The focused card is marked by a ``▶`` before its number (a cue
that survives NO_COLOR) and by the theme's accent. ↑/↓ move between options, PgUp/PgDn/Home/End scroll the
whole desk (the briefing above the options too), a digit focuses that option and Enter confirms the focused
one; Enter on an option that is not possible says why and chooses nothing.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from ...play.session import ChoiceResult, GameSession, OptionView
from ..text import esc, note_markup, wrap_items

__all__ = ["DecisionPanel", "OptionCard"]


class OptionCard(Widget, can_focus=True):
    """One option of the pending decision."""

    BINDINGS = [
        Binding("enter", "choose", "Confirm", key_display="⏎"),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
    ]

    class Picked(Message):
        """Enter (or a click) on a card: the panel decides whether it can be chosen."""

        def __init__(self, card: OptionCard) -> None:
            super().__init__()
            self.card = card

    def __init__(self, view: OptionView) -> None:
        classes = "option-card" + ("" if view.available else " -unavailable")
        super().__init__(id=f"opt-{view.index}", classes=classes)
        self.view = view

    def compose(self) -> ComposeResult:
        with Horizontal(classes="card-row"):
            yield Static(self._number(False), classes="card-num")
            yield CardBody(self.view, classes="card-body")

    def _number(self, focused: bool) -> str:
        mark = "▶" if focused else " "
        return f"{mark}[b]{self.view.index + 1}[/]"

    def on_focus(self) -> None:
        self.query_one(".card-num", Static).update(self._number(True))

    def on_blur(self) -> None:
        self.query_one(".card-num", Static).update(self._number(False))

    def action_choose(self) -> None:
        self.post_message(self.Picked(self))

    def action_move(self, step: int) -> None:
        panel = next((node for node in self.ancestors if isinstance(node, DecisionPanel)), None)
        if panel is not None:
            panel.move(self.view.index, step)

    def on_click(self, event: events.Click) -> None:
        if self.has_focus:
            self.post_message(self.Picked(self))
        else:
            self.focus()


class CardBody(Static):
    """The option's label, then its costs and effects packed into lines so that no effect is split across
    lines unless it is longer than a line; repacked when the width changes."""

    def __init__(self, view: OptionView, **kwargs) -> None:
        super().__init__(**kwargs)
        self.view = view

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = self.content_region.width or 40
        view = self.view
        lines = [f"[b]{esc(view.label)}[/]"]
        lines += wrap_items(option_items(view), width, 0)
        if not view.available:
            lines.append(f"[$error]✗ Not possible: {esc(view.reason or 'not possible now')}[/]")
        self.update("\n".join(lines))


class DecisionPanel(VerticalScroll, can_focus=False):
    """Shows the session's pending decision; posts ``Chosen`` when the player confirms a possible option and
    ``Refused`` when they confirm one that is not possible."""

    class Chosen(Message):
        """``decision`` counts the choices made before this desk was shown: a confirmation that arrives
        after the desk moved on (keys pressed quickly) is stale and must be ignored."""

        def __init__(self, index: int, decision: int) -> None:
            super().__init__()
            self.index = index
            self.decision = decision

    class Refused(Message):
        def __init__(self, view: OptionView) -> None:
            super().__init__()
            self.view = view

    def compose(self) -> ComposeResult:
        yield Static(id="outcome")
        yield Static(id="event-title")
        yield Static(id="event-text")
        yield Vertical(id="choices")

    @property
    def cards(self) -> list[OptionCard]:
        return list(self.query(OptionCard))

    @property
    def selected(self) -> int | None:
        """The index of the focused option, or of the last one focused."""
        return self._selected

    _selected: int | None = None
    _decision = -1  # how many choices had been made when the current options were shown

    async def show(self, session: GameSession, last: ChoiceResult | None) -> None:
        outcome = self.query_one("#outcome", Static)
        if last is not None:
            parts = [f"[b]You chose:[/] {esc(last.option_label)}"]
            if last.outcome:
                parts.append(esc(last.outcome))
            if last.branch_text:
                parts.append(f"[$warning]◇ Chance: {esc(last.branch_text)}[/]")
            outcome.update("\n".join(parts))
        outcome.display = last is not None
        choices = self.query_one("#choices", Vertical)
        await choices.remove_children()
        self._selected = None
        event = session.event
        if event is None:
            self.query_one("#event-title", Static).update("No decision is pending.")
            self.query_one("#event-text", Static).update("")
            return
        cite = "  [$text-muted](c: the source)[/]" if event.cite else ""
        self.query_one("#event-title", Static).update(f"[b]{esc(session.render(event.title))}[/]{cite}")
        self.query_one("#event-text", Static).update(esc(session.render(event.text).strip()))
        views = session.options()
        self._decision = len(session.choices)
        await choices.mount_all(OptionCard(view) for view in views)
        first = next((v.index for v in views if v.available), None)
        if first is not None:
            self.select(first, scroll=False)
            # removing the old cards moves focus to a neighbouring panel, possibly after the line above has
            # run: once things settle, the new desk takes the focus (the player just acted on the desk)
            self.call_after_refresh(self._settle_focus, self._decision)
        self.scroll_home(animate=False)

    def _settle_focus(self, decision: int) -> None:
        if decision != self._decision or self._selected is None:
            return
        focused = self.screen.focused
        if focused is None or not isinstance(focused, OptionCard):
            self.select(self._selected, scroll=False)

    def _card(self, index: int) -> OptionCard | None:
        """The card of option ``index`` (its index in the event; format 2's hidden options have no card)."""
        return next((card for card in self.cards if card.view.index == index), None)

    def select(self, index: int, scroll: bool = True) -> None:
        """Focus option ``index`` (its index in the event, as the player numbers it)."""
        card = self._card(index)
        if card is None:
            return
        self._selected = index
        card.focus(scroll_visible=scroll)

    def move(self, index: int, step: int) -> None:
        """↑/↓ from a card: the next card, or scroll the desk at either end (to read the briefing)."""
        rows = [card.view.index for card in self.cards]
        target = rows.index(index) + step if index in rows else -1
        if 0 <= target < len(rows):
            self.select(rows[target])
        elif step < 0:
            self.scroll_page_up(animate=False)
        else:
            self.scroll_page_down(animate=False)

    def confirm(self) -> None:
        """Enter outside the cards: confirm the selected option, if any."""
        card = None if self._selected is None else self._card(self._selected)
        if card is not None:
            self._pick(card)

    def _pick(self, card: OptionCard) -> None:
        if not card.is_attached:
            return
        if card.view.available:
            self.post_message(self.Chosen(card.view.index, self._decision))
        else:
            self.post_message(self.Refused(card.view))

    def on_option_card_picked(self, message: OptionCard.Picked) -> None:
        message.stop()
        self._pick(message.card)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, OptionCard):
            self._selected = widget.view.index


def option_items(view: OptionView) -> list[tuple[str, str]]:
    """(markup, plain) of the option's costs and effects, for ``wrap_items``."""
    items = []
    if view.cost:
        items.append((f"[$warning]{esc(view.cost)}[/]", view.cost))
    items.extend((note_markup(n), n.symbols()) for n in view.notes)
    if view.hint:
        items.append((f"[i]{esc(view.hint)}[/]", view.hint))
    return items
