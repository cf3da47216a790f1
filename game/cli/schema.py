"""``manila schema``: print the JSON Schema (draft 2020-12) of the scenario format."""

from __future__ import annotations

import argparse
import json

from ..errors import ManilaError

HELP = "print the JSON Schema of the scenario format, for editors that check TOML as you type"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "schema",
        help=HELP,
        description=HELP + ". The schema checks keys and types; "
        "'manila validate' checks everything else (names, follow-ups, citations).",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE instead of printing it")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..authoring.schema import scenario_schema

    text = json.dumps(scenario_schema(), indent=2) + "\n"
    if not args.output:
        print(text, end="")
        return 0
    try:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise ManilaError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"wrote {args.output}")
    return 0
