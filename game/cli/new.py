"""``manila new NAME``: write a commented starter scenario (never over an existing file)."""

from __future__ import annotations

import argparse

from ..authoring.starter import StarterNameError, starter_target, write_starter

HELP = "write a commented starter scenario NAME.toml that validates and plays"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "new",
        help=HELP,
        description=HELP + ". NAME is a name (my-crisis, written to "
        "./my-crisis.toml) or a path (scenarios/my-crisis.toml); the file name becomes the "
        "scenario id.",
    )
    p.add_argument("name", metavar="NAME", help="scenario name or path, e.g. my-crisis")
    p.add_argument(
        "--full",
        action="store_true",
        help="a complete starter: factions, rules, a hidden meter, a ladder, branches, dated events, a "
        "glossary, history, advisers and every format-2 feature",
    )
    p.set_defaults(run=run, parser=p)


def run(args: argparse.Namespace) -> int:
    try:
        starter_target(args.name)
    except StarterNameError as exc:
        args.parser.error(str(exc))
    path = write_starter(args.name, full=args.full)
    what = "a complete working scenario (every section, format 2)" if args.full else "a small working scenario"
    print(
        f"wrote {path}: {what} to make your own. Next:\n"
        f"  manila validate {path}\n"
        f"  manila lint {path}\n"
        f"  manila balance {path}\n"
        f"  manila play {path}\n"
        "A step-by-step guide is in docs/authoring.md."
    )
    return 0
