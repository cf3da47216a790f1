"""``manila play --plain``: the game as plain lines, with numbered choices read from standard input.

For screen readers, pipes and scripts, and chosen automatically when the output is not a terminal that can
draw the interface (``TERM=dumb``, or standard input or output not a terminal). It plays the same
``GameSession`` as the TUI and prints the same text (``game.play.playtext``): the news, the briefing, each option
with its costs and likely effects in words, the score with what it counts and the ending ahead.

No escape codes are ever written, and lines are wrapped only when the output is a terminal. A choice that
is not a number, not an option or not possible now is refused with the reason and asked again. The game
autosaves after every turn (into the game's own autosaves, like the TUI); when the input ends before the
game does, it autosaves and says how to continue. At the end it prints the ending, its epilogue, what
happened in history, your term beside it month by month, and the score by part, and exits 0.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator
from typing import TextIO

import numpy as np

from ..errors import ManilaError
from ..format.catalog import is_tutorial
from ..play.playtext import country_lines, ending_lines, option_lines, outlook_lines, score_lines
from ..play.session import FeedEntry, FeedKind, GameSession

__all__ = ["PlainGame", "run_plain", "wants_plain"]

HELP = (
    "Type the number of an option and press Enter. Other answers: "
    "'s' the score and the ending ahead, 'c' the country (every meter), 'r' read the decision "
    "again, 'h' this help, 'q' quit (the game is autosaved)."
)


def wants_plain(stdin: TextIO, stdout: TextIO, env: dict[str, str]) -> bool:
    """Whether the full interface cannot be drawn here: a dumb terminal, or input or output not a terminal."""
    if env.get("TERM", "") == "dumb":
        return True
    return not (_isatty(stdin) and _isatty(stdout))


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class PlainGame:
    """One game played line by line. ``read`` returns the next line of input, or None at the end of input;
    ``write`` prints one line; ``autosave`` saves the session and returns where (or raises ManilaError)."""

    def __init__(
        self,
        session: GameSession,
        read: Callable[[], str | None],
        write: Callable[[str], None],
        autosave: Callable[[GameSession], str],
        width: int = 0,
        echo: bool = False,
    ) -> None:
        self.session = session
        self.echo = echo  # repeat each answer (input from a pipe or a file is not shown by the terminal)
        self.before: np.ndarray | None = None  # the values at the last decision, for the changes since
        self.read = read
        self.write = write
        self.autosave = autosave
        self.width = width
        self._shown = 0  # feed entries already printed

    # ------------------------------------------------------------------ output
    def say(self, text: str = "", indent: str = "") -> None:
        """Print a paragraph, wrapped to the terminal's width when there is one."""
        for line in text.splitlines() or [""]:
            if self.width and line.strip():
                lead = indent + " " * (len(line) - len(line.lstrip()))
                for part in textwrap.wrap(line.strip(), self.width, initial_indent=lead, subsequent_indent=lead):
                    self.write(part)
            else:
                self.write(indent + line if line else "")

    def intro(self) -> None:
        s = self.session.scenario
        kind = " (tutorial)" if is_tutorial(s.id) else ""
        self.say(f"{s.title}{kind}")
        self.say(f"You are {s.role}.")
        unit = s.unit.value
        self.say(
            f"{s.turns} turns of a {unit} each, {s.date_label(1)} to {s.date_label(s.turns)}; "
            f"{s.decisions} decision{'s' if s.decisions != 1 else ''} a turn."
        )
        self.say(s.summary.strip())
        self.say()
        self.say(HELP)

    def news(self) -> None:
        """Print what happened since the last time (news, choices' outcomes, chance)."""
        entries = self.session.feed[self._shown :]
        self._shown = len(self.session.feed)
        for e in entries:
            self._entry(e)

    def _entry(self, e: FeedEntry) -> None:
        if e.kind is FeedKind.NEWS:
            self.say(f"News: {e.title}." if not e.title.endswith((".", "!", "?")) else f"News: {e.title}")
            if e.text:
                self.say(e.text, "  ")
        elif e.kind is FeedKind.OUTCOME and e.text:
            self.say(f"Chance: {e.text}", "  ")

    def header(self) -> None:
        s = self.session
        view = s.outlook()
        ahead = f"; heading for {view.heading.ending.title}" if view.heading is not None else ""
        decision = f", decision {s.slot + 1} of {s.scenario.decisions}" if s.scenario.decisions > 1 else ""
        self.say()
        self.say(
            f"== {s.date_label}, turn {s.turn} of {s.scenario.turns}{decision}. Score {s.running_score:.0f}{ahead} =="
        )
        if self.before is None:
            self.say("The country: " + "; ".join(country_lines(s, None)) + ".")
        else:
            changed = country_lines(s, self.before, only_changed=True)
            if changed:
                self.say("Since your last decision: " + "; ".join(changed) + ".")

    def decision(self) -> None:
        s = self.session
        event = s.event
        if event is None:
            return
        self.say()
        self.say(f"Decision: {s.render(event.title)}")
        self.say(s.render(event.text).strip(), "  ")
        self.say()
        for view in s.options():
            for line in option_lines(s, view):
                self.say(line)

    def country(self) -> None:
        self.say()
        self.say("The country:")
        for line in country_lines(self.session, self.before):
            self.say(line, "  ")

    def score(self) -> None:
        self.say()
        for line in score_lines(self.session):
            self.say(line)
        if not self.session.over:
            self.say("The ending ahead (if the term ended now; hidden meters count as your analysts' estimate):")
            for line in outlook_lines(self.session):
                self.say(line, "  ")

    def ending(self) -> None:
        self.say()
        for line in ending_lines(self.session):
            self.say(line)

    # ------------------------------------------------------------------ the loop
    def ask(self) -> int | None:
        """Read answers until one is a possible option (0-based), or None at the end of input or on 'q'."""
        s = self.session
        offered = [v.index + 1 for v in s.options()]  # hidden options (format 2) keep the others' numbers
        numbers = (
            ", ".join(map(str, offered))
            if len(offered) < 2 or offered != list(range(1, len(offered) + 1))
            else f"1 to {len(offered)}"
        )
        while True:
            self.write(f"Your choice ({numbers}; s score, c country, r read again, h help, q quit):")
            line = self.read()
            if line is None:
                return None
            if self.echo:
                self.write(f"> {line.rstrip()}")
            answer = line.strip().lower()
            if answer in ("q", "quit", "exit"):
                return None
            if answer in ("s", "score"):
                self.score()
                continue
            if answer in ("c", "country"):
                self.country()
                continue
            if answer in ("r", "read"):
                self.decision()
                continue
            if answer in ("h", "help", "?"):
                self.say(HELP)
                continue
            if not answer:
                continue
            if not answer.isdigit() or not answer.isascii():
                self.say(f"'{line.strip()}' is not an option: answer with a number from {numbers}.")
                continue
            k = int(answer)
            view = s.option_view(k - 1)
            if view is None:
                self.say(f"There is no option {k}: answer with a number from {numbers}.")
                continue
            if not view.available:
                self.say(f"Option {k} is not possible: {view.reason or 'not possible now'}. Choose another.")
                continue
            return k - 1

    def play(self) -> int:
        """Play until the game ends (exit 0) or the input does (autosave, exit 0)."""
        s = self.session
        self.intro()
        while not s.over:
            self.header()
            self.news()
            self.decision()
            k = self.ask()
            if k is None:
                self._stop()
                return 0
            turn = s.turn
            self.before = s.values().copy()
            result = s.choose(k)
            self.say()
            self.say(f"You chose: {result.option_label}")
            if result.outcome:
                self.say(result.outcome, "  ")
            self._shown = max(self._shown, self._first_after_choice())
            if result.branch_text:
                self.say(f"Chance: {result.branch_text}", "  ")
            if s.over or s.turn != turn:
                self._save_quietly()
        self.news()
        self.ending()
        return 0

    def _first_after_choice(self) -> int:
        """Skip the feed entries of the choice just reported (its label, outcome and chance branch)."""
        feed = self.session.feed
        i = len(feed)
        for n in range(len(feed) - 1, -1, -1):
            if feed[n].kind is FeedKind.CHOICE:
                i = n + 1
                break
        while i < len(feed) and feed[i].kind is FeedKind.OUTCOME and feed[i].turn == feed[i - 1].turn:
            i += 1
        return i

    def _save_quietly(self) -> None:
        try:
            self._saved = (len(self.session.choices), self.autosave(self.session))
        except ManilaError as exc:
            self.say(f"(The autosave failed: {exc})")

    _saved: tuple[int, str] | None = None  # (choices, path) of the last autosave

    def _stop(self) -> None:
        try:
            if self._saved is not None and self._saved[0] == len(self.session.choices):
                where = self._saved[1]  # the autosave at the end of the last turn is this very state
            else:
                where = self.autosave(self.session)
        except ManilaError as exc:
            self.say()
            self.say(f"The game stops here, but it could not be autosaved: {exc}")
            return
        n = len(self.session.choices)
        self.say()
        self.say(
            f"The game stops here ({n} decision{'s' if n != 1 else ''} so far); it was autosaved to "
            f"{where}. Continue it with:"
        )
        self.write(f"  manila play --load {where}")  # never wrapped: a command to copy


def _lines(stream: TextIO) -> Iterator[str]:
    yield from stream


def run_plain(args: argparse.Namespace, session: GameSession | None = None) -> int:
    """Run plain play for ``manila play`` (``session`` already loaded, or built from the arguments)."""
    from ..saves.saves import autosave, load_save

    if session is None:
        if args.load:
            loaded = load_save(args.load, directory=args.saves_dir)
            session = loaded.session
        else:
            import secrets

            from .common import load_for_command

            scenario = load_for_command(args.scenario)
            seed = args.seed if args.seed is not None else secrets.randbelow(2**63)
            session = GameSession(scenario, seed=seed, game_index=args.game)
    lines = _lines(sys.stdin)

    def read() -> str | None:
        try:
            return next(lines)
        except StopIteration:
            return None

    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:  # an ASCII-only output shows ? for a symbol; the words beside it carry the sense
        reconfigure(errors="replace")

    def write(text: str) -> None:
        print(text, flush=True)

    def save(s: GameSession) -> str:
        return str(autosave(s, args.saves_dir))

    width = shutil.get_terminal_size((0, 0)).columns - 1 if _isatty(sys.stdout) else 0
    echo = not _isatty(sys.stdin)
    return PlainGame(session, read, write, save, max(width, 0) if width >= 40 else 0, echo).play()
