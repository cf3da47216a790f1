"""The source behind an event: the paragraphs of the scenario's source text it cites."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...model import Event, Scenario
from ..text import esc

__all__ = ["CitationDialog", "citation_markup"]


def citation_markup(scenario: Scenario, event: Event) -> str:
    numbers = list(event.cite)
    for option in event.options:
        numbers.extend(n for n in option.cite if n not in numbers)
    if not numbers:
        return "This event does not cite the source text."
    lines = [f"[$text-muted]{esc(scenario.source_title or 'Source')}[/]", ""]
    for n in numbers:
        text = scenario.paragraphs[n - 1] if 1 <= n <= len(scenario.paragraphs) else "(no such paragraph)"
        users = [f"option {k + 1}" for k, o in enumerate(event.options) if n in o.cite]
        note = f"  [$text-muted](cited by {', '.join(users)})[/]" if users and n not in event.cite else ""
        lines.append(f"[b $accent]¶{n}[/]{note}\n{esc(text)}\n")
    return "\n".join(lines)


class CitationDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,c,q", "close", "Close")]

    def __init__(self, scenario: Scenario, event: Event) -> None:
        super().__init__(classes="dialog-screen")
        self.scenario = scenario
        self.event = event

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(f"[b]Source: {esc(self.event.title)}[/]", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(citation_markup(self.scenario, self.event))
            yield Static("[$text-muted]Escape closes[/]", classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
