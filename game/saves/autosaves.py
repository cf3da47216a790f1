"""The autosave rotation: each game's slots, the record of what was written last, old games forgotten.

Every game (scenario, seed and game index) has its own autosaves, rotating through
``autosave-GAME-1.json`` .. ``autosave-GAME-3.json``: each write goes to the slot after that game's newest
one, so the newest complete autosave is never the file being replaced, and playing one game never touches
another's autosaves. Only the autosaves of the ``AUTOSAVE_GAMES`` most recently played games are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SaveError
from ..format.files import FileRefused, read_bounded
from .folder import atomic_write, read_save_bytes, save_stem, saves_dir
from .savefile import parse_save_bytes
from .saveverify import file_stamp

if TYPE_CHECKING:  # a session comes in: listing saves needs no engine
    from ..play.session import GameSession

__all__ = [
    "AUTOSAVE_GAMES",
    "AUTOSAVE_SLOTS",
    "autosave_game",
    "forget_old_games",
    "last_autosave",
    "next_autosave_slot",
    "record_last",
]

AUTOSAVE_SLOTS = 3
AUTOSAVE_GAMES = 12  # autosaves of older games are removed when another game autosaves


def autosave_game(session: GameSession) -> str:
    """The part of a game's autosave file names that names the game: its scenario id and a short digest of
    (scenario id, seed, game index), e.g. ``tutorial-3f9a0c21``."""
    key = f"{session.scenario.id}\0{session.seed}\0{session.game_index}".encode()
    return f"{save_stem(session.scenario.id)[:40]}-{hashlib.sha256(key).hexdigest()[:8]}"


def _autosave_path(folder: Path, game: str, slot: int) -> Path:
    return folder / f"autosave-{game}-{slot}.json"


# What was written last, by sequence: a clock moved back (or an autosave dated in the future) must neither
# pin a game's rotation to one slot nor make Continue offer a stale game. Each game records its slot written
# last in ``autosave-GAME-last``; the folder records the autosave file written last (of any game) here.
_LAST_FILE = "autosave-last"


def _last_slot_file(folder: Path, game: str) -> Path:
    return folder / f"autosave-{game}-last"


def _read_small(path: Path) -> str | None:
    try:
        return read_bounded(path, 200).decode("ascii").strip()
    except (FileRefused, UnicodeDecodeError):
        return None


def _read_last_slot(folder: Path, game: str) -> int | None:
    text = _read_small(_last_slot_file(folder, game))
    return int(text) if text and text.isdigit() and 1 <= int(text) <= AUTOSAVE_SLOTS else None


def last_autosave(directory: str | os.PathLike | None = None) -> str | None:
    """The file name of the autosave written last (of any game) in the saves folder, by sequence, not by
    the dates in the files (None when unknown)."""
    text = _read_small(saves_dir(directory) / _LAST_FILE)
    return text if text and _AUTOSAVE_NAME.fullmatch(text) else None


def record_last(folder: Path, game: str, slot: int) -> None:
    path = _autosave_path(folder, game, slot)
    with contextlib.suppress(SaveError):  # without them, rotation and Continue fall back to the dates in the files
        atomic_write(_last_slot_file(folder, game), f"{slot}\n".encode("ascii"))
        atomic_write(folder / _LAST_FILE, f"{path.name}\n".encode("ascii"))


def next_autosave_slot(folder: Path, game: str) -> Path:
    """The slot after the game's slot written last (by sequence, see ``_LAST_FILE``); without that record,
    the slot after the game's newest readable autosave by date (slot 1 when there is none).
    """
    last = _read_last_slot(folder, game)
    if last is not None:
        return _autosave_path(folder, game, last % AUTOSAVE_SLOTS + 1)
    newest, newest_slot = None, 0
    for slot in range(1, AUTOSAVE_SLOTS + 1):
        path = _autosave_path(folder, game, slot)
        try:
            saved_at = parse_save_bytes(read_save_bytes(path), path).saved_at
        except SaveError:
            continue
        if newest is None or saved_at > newest:
            newest, newest_slot = saved_at, slot
    return _autosave_path(folder, game, newest_slot % AUTOSAVE_SLOTS + 1)


_AUTOSAVE_NAME = re.compile(r"autosave-(.+)-(\d+)\.json")


def forget_old_games(folder: Path, keep: str) -> None:
    """Remove the autosaves of all but the ``AUTOSAVE_GAMES`` most recently autosaved games (by file time;
    ``keep``, the game just saved, always stays). Named saves are never touched."""
    games: dict[str, list[Path]] = {}
    for path in folder.glob("autosave-*.json"):
        m = _AUTOSAVE_NAME.fullmatch(path.name)
        if m:
            games.setdefault(m.group(1), []).append(path)
    if len(games) <= AUTOSAVE_GAMES:
        return
    newest = {game: max(file_stamp(p)[0] for p in paths) for game, paths in games.items()}
    order = sorted(games, key=lambda g: (g != keep, -newest[g]))
    for game in order[AUTOSAVE_GAMES:]:
        for path in [*games[game], _last_slot_file(folder, game)]:
            with contextlib.suppress(OSError):
                path.unlink()
