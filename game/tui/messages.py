"""Requests that screens post to the app (frogmouth's way): a screen says what the player asked for, and
the app, which owns the screen stack and the saves folder, decides how to do it."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

__all__ = ["OpenSave", "ShowTitle", "StartGame"]


class StartGame(Message):
    """Start a new game on the scenario file at ``path``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class OpenSave(Message):
    """Load the save at ``path`` (or with that name) and continue it."""

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = path


class ShowTitle(Message):
    """Leave for the title screen."""
