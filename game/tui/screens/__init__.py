"""Full screens of the game: title, main game, end of game, help."""

from .end import EndScreen
from .game import GameScreen
from .help import HelpScreen
from .title import TitleScreen

__all__ = ["EndScreen", "GameScreen", "HelpScreen", "TitleScreen"]
