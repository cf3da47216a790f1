"""Keys, how a turn works, and the scenario's glossary."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...model import Scenario
from ..text import esc

__all__ = ["HelpScreen", "help_markup"]

KEYS = (
    ("1–9", "select an option of the current decision (▶ marks it); Enter confirms"),
    ("Enter", "confirm the selected option (a click selects, a second click chooses)"),
    ("↑ ↓", "move between options; past the first, scroll back to the briefing"),
    ("PgUp PgDn", "scroll the desk: the whole briefing and every option (Home / End: top / bottom)"),
    ("a", "ask your advisers what they would do, and why (a few times a term)"),
    ("e", "the score: what counts, each part and its change, the ending ahead and what would change it"),
    ("w", "why did this change? the causes of any meter's last move"),
    ("c", "the source text this event cites"),
    ("f", "the whole story so far (the feed)"),
    ("s / l", "save / load a game"),
    ("Tab", "move between the desk, the country and the feed (the focused panel has a heavy border)"),
    ("Ctrl+P", "command palette: every action, and the colour theme"),
    ("?", "this help"),
    ("q", "quit (asks first if you have unsaved progress)"),
)


def help_markup(scenario: Scenario | None) -> str:
    lines = ["[b $accent]Keys[/]"]
    lines += [f"  [b]{k:<9}[/] {esc(v)}" for k, v in KEYS]
    lines += ["", "[b $accent]How a turn works[/]"]
    if scenario is not None:
        s = scenario
        unit = s.unit.value
        lines.append(
            f"  {esc(s.title)}: you are {esc(s.role)}. The game lasts {s.turns} turns of one {unit}, "
            f"{esc(s.date_label(1))} to {esc(s.date_label(s.turns))}, with {s.decisions} "
            f"decision{'s' if s.decisions != 1 else ''} each turn."
        )
    lines += [
        "  Each turn the world moves first: meters drift back towards their resting level, standing rules "
        "apply (factions pull approval, pressure bites), and news arrives.",
        "  Then a decision reaches your desk. Options show what they cost and, where your staff can tell, "
        "which way they push things: ▲ up, ▼ down (doubled or tripled for big moves), ? when it depends "
        "on the situation or on chance, → when a file moves to a named stage; each says (good) or (bad) "
        "for you, in words as well as in colour. Hidden meters and ladders show only their direction.",
        "  Some meters are hidden: you only see your analysts' estimate range. Ladders climb in rungs, and "
        "each rung opens or closes options. Consequences can arrive months later.",
        "  The game ends when the term does, or earlier if things fall apart. You are scored on several "
        "things at once, not on siding with anyone: the Score section of the country panel shows each part "
        "and its change since your last decision, and the ending you are heading for; press e for what each "
        "part counts and what would change the ending.",
        "  The game saves itself after every turn, in autosaves of its own; Continue on the title screen "
        "picks up the game you played last. Without a terminal that can draw (or with --plain), the game "
        "is played as plain lines with numbered choices.",
    ]
    if scenario is not None and scenario.glossary:
        lines += ["", "[b $accent]Glossary[/]"]
        lines += [f"  [b]{esc(term)}[/]  {esc(meaning)}" for term, meaning in scenario.glossary]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, scenario: Scenario | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static("[b]Help[/]", classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="help-body"):
                yield Static(help_markup(self.scenario))
            yield Static("[$text-muted]↑↓ scroll · Escape closes[/]", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
