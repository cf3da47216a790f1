"""Full screens of the game: title, main game, end of game, help.

Each is imported from its module on first use: the title screen must not load the game's screens (and, with
them, the engine).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .end import EndScreen
    from .game import GameScreen
    from .help import HelpScreen
    from .title import TitleScreen

_HOME = {
    "EndScreen": "end",
    "GameScreen": "game",
    "HelpScreen": "help",
    "TitleScreen": "title",
}

__all__ = [
    "EndScreen",
    "GameScreen",
    "HelpScreen",
    "TitleScreen",
]


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
