"""``manila play [SCENARIO] [--seed N] [--load SAVE] ...``: play in the terminal (the full interface, or
``--plain`` lines with numbered choices, chosen automatically where the interface cannot be drawn), or
headless from a list of choices (``--no-ui``)."""

from __future__ import annotations

import argparse
import os
import sys

from .common import load_for_command, non_negative_int, seed_int

HELP = "play a scenario in the terminal (the default command)"


def add_parser(sub) -> None:
    p = sub.add_parser("play", help=HELP, description=HELP)
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="a scenario file or bundled id (default: the main scenario)"
    )
    p.add_argument("--seed", type=seed_int, metavar="N", help="the game's seed (default: a fresh one; 0 with --no-ui)")
    p.add_argument("--game", type=non_negative_int, default=0, metavar="K", help="game index within the seed (0)")
    p.add_argument("--load", metavar="SAVE", help="continue a saved game (a name in the saves folder or a path)")
    p.add_argument(
        "--choices", metavar="1,3,2,...", help="play these choices (1-based option numbers) without the interface"
    )
    p.add_argument("--save", metavar="NAME", help="with --no-ui: save the game under this name")
    p.add_argument("--no-ui", action="store_true", help="play headless (with --choices)")
    p.add_argument(
        "--plain",
        action="store_true",
        help="play as plain lines with numbered choices read from standard input (for screen "
        "readers, pipes and scripts; automatic when TERM=dumb or not in a terminal)",
    )
    p.add_argument(
        "--watch",
        action="store_true",
        help="reload the scenario file when it changes and replay the current game's choices on it",
    )
    p.add_argument("--saves-dir", metavar="DIR", help="where saves live (default: $MANILA_SAVES_DIR or ./saves)")
    p.set_defaults(run=run, parser=p)


def run(args: argparse.Namespace) -> int:
    from .plain import run_plain, wants_plain

    if args.save is not None and not args.save.strip():
        args.parser.error("--save needs a name, e.g. --save evening")
    if args.choices is not None or args.no_ui:
        if not args.no_ui:
            args.parser.error("--choices plays without the interface: add --no-ui")
        if args.watch:
            args.parser.error("--watch needs the interface; drop --no-ui")
        from .headless import play_headless

        return play_headless(args)
    if args.save:
        args.parser.error("--save is for headless play (--no-ui); in the game press 's' to save")
    if args.plain or wants_plain(sys.stdin, sys.stdout, dict(os.environ)):
        if args.watch:
            args.parser.error("--watch needs the full interface; drop --plain (or run it in a terminal)")
        if args.load and (args.scenario or args.seed is not None or args.game):
            args.parser.error(
                "--load continues a saved game: its scenario, seed and game come from the save "
                "(drop SCENARIO, --seed and --game)"
            )
        return run_plain(args)
    from ..tui.app import run_tui

    scenario = None
    if not args.load and (args.scenario or args.watch):
        scenario = load_for_command(args.scenario)  # a broken file is reported before the screen opens
    return run_tui(
        scenario=scenario,
        seed=args.seed,
        game_index=args.game,
        load=args.load,
        watch=args.watch,
        saves_dir=args.saves_dir,
    )
