"""``manila replay SAVE [--verbose]``: replay a save headless and check it against its snapshot.

Exit 0 when the replay reproduces the save, 1 when it diverges (the turn is named) or the file cannot be
used at all (the reason is named).
"""

from __future__ import annotations

import argparse

HELP = "replay a save headless and check that it reproduces the saved game"


def add_parser(sub) -> None:
    p = sub.add_parser("replay", help=HELP, description=HELP)
    p.add_argument("save", metavar="SAVE", help="a save name (see 'manila saves') or the path of a save file")
    p.add_argument(
        "--verbose", "-v", action="store_true", help="print the turn-by-turn log (events, choices, outcomes)"
    )
    p.add_argument("--saves-dir", metavar="DIR", help="where saves live (default: $MANILA_SAVES_DIR or ./saves)")
    p.set_defaults(run=run, parser=p)


def run(args: argparse.Namespace) -> int:
    from ..saves.saves import describe_divergence, digest_of, game_digest, read_save, replay_record, resolve_save_path
    from .headless import feed_lines, state_lines

    record = read_save(resolve_save_path(args.save, args.saves_dir))  # SaveError: reported by main, exit 1
    replay = replay_record(record)
    session = replay.session
    print(
        f"Replaying '{record.name}' ({record.path}): {replay.scenario.title}, seed {record.seed}, "
        f"game {record.game_index}, {len(record.choices)} choices"
    )
    if args.verbose:
        print("\n".join(feed_lines(session.feed)))
    print("\n".join(state_lines(session)))
    saved = digest_of(record.snapshot, record.turn_digests)
    if replay.divergence is not None:
        print(f"saved digest {saved}")
        print(f"DIVERGES: {describe_divergence(replay)}")
        return 1
    note = " (the scenario file changed since the save, but the game is the same)" if replay.scenario_changed else ""
    if game_digest(session) != saved:
        print(f"saved digest {saved} (the save has snapshot fields this version no longer records)")
    print(f"OK: the replay matches the save{note}")
    return 0
