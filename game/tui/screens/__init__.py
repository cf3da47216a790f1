"""Full screens of the game: title, main game, end of game, help.

Each is imported from its module on first use: the title screen must not load the game's screens (and, with
them, the engine).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import lazy_exports

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


__getattr__ = lazy_exports(__name__, _HOME)
