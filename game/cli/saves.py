"""``manila saves``: list the saves with scenario, turn, date and whether each one verifies."""

from __future__ import annotations

import argparse

HELP = "list the saved games and check each one by replaying it"


def add_parser(sub) -> None:
    p = sub.add_parser("saves", help=HELP, description=HELP)
    p.add_argument("--saves-dir", metavar="DIR", help="where saves live (default: $MANILA_SAVES_DIR or ./saves)")
    p.set_defaults(run=run, parser=p)


def run(args: argparse.Namespace) -> int:
    """Every save is listed; exit 1 when any of them is broken (so scripts notice), 0 otherwise."""
    from ..saves.saves import list_saves, saves_dir

    folder = saves_dir(args.saves_dir)
    infos = list_saves(folder)
    if not infos:
        print(f"No saves in {folder}")
        return 0
    rows = [("SAVE", "NAME", "SCENARIO", "TURN", "DATE", "SAVED", "CHECK")]
    for info in infos:
        saved = info.saved_at.astimezone().strftime("%Y-%m-%d %H:%M") if info.saved_at else "?"
        turn = "" if info.turn is None else (f"{info.turn} (over)" if info.over else str(info.turn))
        rows.append(
            (
                info.path.stem,
                info.name,
                info.scenario_id or "?",
                turn,
                info.date_label or "",
                saved,
                "ok" if info.verified else "BROKEN",
            )
        )
    widths = [min(max(len(r[i]) for r in rows), 30) for i in range(len(rows[0]))]
    print(f"Saves in {folder}")
    for row, info in zip(rows, [None, *infos]):
        print("  " + "  ".join(f"{cell[:30]:<{w}}" for cell, w in zip(row, widths)).rstrip())
        if info is not None and not info.verified:
            print(f"      {info.problem}")
    broken = sum(not i.verified for i in infos)
    print(f"{len(infos)} saves, {broken} broken" if broken else f"{len(infos)} saves, all verified")
    return 1 if broken else 0
