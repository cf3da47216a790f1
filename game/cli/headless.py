"""Headless play for ``manila play --no-ui``: a game driven by a list of choices, with a plain-text log.

For tests, bug reports and scripted play. The seed defaults to 0 so that the same command always plays the
same game. ``--load SAVE`` continues a save instead of starting a new game. Nothing is autosaved here:
scripted runs must not push the player's own autosaves out of the rotation.

The log helpers (``feed_lines``, ``state_lines``) are shared with ``manila replay``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..model import VarKind
from ..play.playtext import ending_lines, outlook_lines, score_lines
from ..play.session import FeedEntry, FeedKind, GameSession
from ..saves.saves import game_digest, load_save, write_save

__all__ = ["feed_lines", "parse_choices", "play_headless", "state_lines"]


def parse_choices(text: str | None) -> list[int]:
    """``"1,3,2"`` -> ``[1, 3, 2]`` (still 1-based); raises ValueError with a message for the user.

    Spaces are allowed around the numbers; an empty string is no choices at all.
    """
    if text is None or not text.strip():
        return []
    out = []
    for n, part in enumerate(text.split(","), 1):
        part = part.strip()
        if not part:
            raise ValueError(f"choice {n} is empty (write the option numbers separated by commas: 1,3,2)")
        if not part.isdigit() or not part.isascii():
            raise ValueError(f"choice {n} ('{part}') is not an option number (1, 2, 3 ...)")
        if int(part) < 1:
            raise ValueError(f"choice {n} is {part}, but options are numbered from 1")
        out.append(int(part))
    return out


def _usage_error(args: argparse.Namespace, message: str) -> int:
    parser = getattr(args, "parser", None)
    if parser is not None:
        parser.print_usage(sys.stderr)
    prog = parser.prog if parser is not None else "manila play"
    print(f"{prog}: error: {message}", file=sys.stderr)
    return 2


def play_headless(args: argparse.Namespace) -> int:
    """Run ``manila play ... --no-ui``; returns the exit code (2 for bad arguments, 1 for a choice that is
    not available or a save that cannot be loaded or written, 0 otherwise)."""
    try:
        choices = parse_choices(args.choices)
    except ValueError as exc:
        return _usage_error(args, f"--choices: {exc}")
    if args.load:
        if args.scenario or args.seed is not None or args.game:
            return _usage_error(
                args,
                "--load continues a saved game: its scenario, seed and game come from "
                "the save (drop SCENARIO, --seed and --game)",
            )
        loaded = load_save(args.load, directory=args.saves_dir)  # a SaveError is reported by the command
        session = loaded.session
        print(
            f"Loaded '{loaded.name}' ({loaded.path}): {session.scenario.title}, seed {session.seed}, "
            f"game {session.game_index}, {len(session.choices)} choices so far"
        )
        for note in loaded.notes:
            print(f"  note: {note}")
    else:
        from .common import load_for_command

        scenario = load_for_command(args.scenario)
        seed = 0 if args.seed is None else args.seed
        session = GameSession(scenario, seed=seed, game_index=args.game)
        print(f"{scenario.title}: seed {seed}, game {args.game}")
    shown = len(session.feed) if args.load else 0
    for n, k in enumerate(choices, 1):
        problem = _unavailable(session, k)
        if problem:
            print("\n".join(feed_lines(session.feed[shown:])))
            print(f"manila play: choice {n} of {len(choices)} ({k}): {problem}; nothing was saved", file=sys.stderr)
            return 1
        session.choose(k - 1)
    print("\n".join(feed_lines(session.feed[shown:])))
    print("\n".join(state_lines(session)))
    print()
    print("\n".join(ending_lines(session) if session.over else [*score_lines(session), *outlook_lines(session)]))
    if args.save:
        path = write_save(session, args.save, directory=args.saves_dir)
        print(f"Saved as '{args.save}': {path}")
    return 0


def _unavailable(session: GameSession, k: int) -> str:
    """Why 1-based option ``k`` cannot be chosen now ('' if it can), naming the turn and the event."""
    if session.over:
        ending = session.ending
        return f"the game is already over ({ending.title if ending else 'ended'}, turn {session.end_turn})"
    event = session.event
    where = f"turn {session.turn} ({session.date_label}), event '{event.id}' ({session.render(event.title)})"
    options = session.options()
    open_ = [str(o.index + 1) for o in options if o.available]
    view = session.option_view(k - 1)
    if view is None:
        offered = ", ".join(str(o.index + 1) for o in options)
        return f"{where} offers no option {k} (offered: {offered}; available: {', '.join(open_)})"
    if not view.available:
        return f"option {k} of {where} is not available: {view.reason} (available: {', '.join(open_)})"
    return ""


def feed_lines(entries: Sequence[FeedEntry]) -> list[str]:
    """The feed as plain text, with a heading whenever the turn changes."""
    lines: list[str] = []
    turn = None
    for e in entries:
        if e.turn != turn:
            turn = e.turn
            lines.append(f"Turn {e.turn} · {e.date}")
        if e.kind is FeedKind.NEWS:
            lines.append(f"  news: {e.title}" + (f": {e.text}" if e.text else ""))
        elif e.kind is FeedKind.EVENT:
            lines.append(f"  event: {e.title}")
        elif e.kind is FeedKind.CHOICE:
            lines.append(f"    -> {e.title}" + (f" {e.text}" if e.text else ""))
        elif e.kind is FeedKind.OUTCOME:
            lines.append(f"    chance: {e.text}")
        elif e.kind is FeedKind.ENDING:
            lines.append(f"  ENDING: {e.title}")
    return lines


def state_lines(session: GameSession) -> list[str]:
    """Where the game stands: date, score, the pending decision or the ending, the visible values, digest."""
    lines = [
        f"Now: turn {session.turn} · {session.date_label} · score {session.score:.1f} · {len(session.choices)} choices"
    ]
    if session.over:
        ending = session.ending
        lines.append(f"  The game is over: {ending.title if ending else 'ended'} (turn {session.end_turn})")
    elif session.event is not None:
        event = session.event
        lines.append(f"  Decision: {session.render(event.title)} ({event.id})")
        for o in session.options():
            unavailable = "" if o.available else f"  [not available: {o.reason}]"
            lines.append(f"    {o.index + 1}. {o.label}{unavailable}")
            if o.hint:
                lines.append(f"       hint: {o.hint}")
    for var in session.scenario.variables:
        if var.hidden and var.kind is VarKind.FLAG:
            continue
        lines.append(f"  {var.label}: {session.shown(var.id)}")
    lines.append(f"digest {game_digest(session)}")
    return lines
