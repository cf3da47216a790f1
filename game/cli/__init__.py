"""The ``manila`` command: the only place that prints for the terminal.

Each subcommand lives in its own module with ``add_parser(subparsers)`` and ``run(args) -> int``.
Bad arguments get argparse's usage error (exit 2); user errors (``ManilaError``) get a clear message
(exit 1); nothing the user does produces a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import re
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
    if sys.stderr is None:  # `2>&-`: nowhere to report errors, but the command itself can still run
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the life of the process)
    if sys.stdout is None:  # `>&-`: the output would be lost without a word
        print("manila: standard output is closed; nothing could be shown", file=sys.stderr)
        return 1
    original = sys.stdout
    reconfigure = getattr(original, "reconfigure", None)  # a TextIOWrapper; test capture streams may lack it
    if reconfigure is not None:
        with contextlib.suppress(ValueError):
            reconfigure(errors="replace")  # an ASCII-only terminal gets '?', not UnicodeEncodeError
    sys.stdout = TerminalText(original)
    try:
        code = _main(argv)
        sys.stdout.flush()  # a full disk (`> /dev/full`) shows here, not at exit
        return code
    except BrokenPipeError:  # `manila sim | head`: the reader has what it wanted
        _discard_stdout()
        return 0
    except OSError as exc:
        _discard_stdout()
        print(f"manila: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        sys.stdout = original


# control characters but newline and tab: terminal escape sequences hidden in scenario text or save names
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class TerminalText(io.TextIOBase):
    """The commands' stdout: control characters are written visibly as ``\\xNN``, never sent raw.

    Scenario files and save names are untrusted; printed as they are, an escape sequence in them could
    rewrite the terminal. JSON output is unaffected (JSON escapes control characters itself).
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self):  # type: ignore[override]
        return getattr(self._stream, "encoding", "utf-8")

    def writable(self) -> bool:
        return True


def _main(argv: list[str] | None) -> int:
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


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush at exit cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
