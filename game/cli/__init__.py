"""The ``manila`` command: the only place that prints for the terminal.

Each subcommand lives in its own module with ``add_parser(subparsers)`` and ``run(args) -> int``.
Bad arguments get argparse's usage error (exit 2); user errors (``ManilaError``) get a clear message
(exit 1); nothing the user does produces a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__
from ..errors import ManilaError

__all__ = ["build_parser", "main"]

# subcommand modules, in the order --help lists them
COMMANDS = ("play", "validate", "sim", "bench", "replay", "saves", "new", "schema", "lint", "balance")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="manila",
        description="Manila 2019: a text-based political strategy game. Without a command, plays the default scenario.",
    )
    parser.add_argument("--version", action="version", version=f"manila {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play", *(argv or [])])
    try:
        return int(args.run(args) or 0)
    except ManilaError as exc:
        print(f"manila: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("manila: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
