"""The interface's view of the saves folder: a thin bridge to ``game.saves``.

The save format is its own module; the interface only needs to know whether it is available, so that the
save and load actions can explain themselves instead of failing when it is not installed.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import ManilaError

__all__ = [
    "SavesUnavailable",
    "autosave",
    "latest_save",
    "list_saves",
    "load_save",
    "save_exists",
    "save_path",
    "saves_module",
    "verify_save",
    "write_save",
]


class SavesUnavailable(ManilaError):
    """Saving is not part of this build yet."""


def saves_module() -> ModuleType | None:
    try:
        return importlib.import_module("game.saves")
    except ImportError:
        return None


def _need() -> ModuleType:
    mod = saves_module()
    if mod is None:
        raise SavesUnavailable("saving and loading are not available in this build")
    return mod


def list_saves(directory: Path | None, verify: bool = True) -> list[Any]:
    """Every save, newest first. Verifying replays each save (slow with many: call it from a worker);
    ``verify=False`` only reads the files (fast) and leaves ``verified`` None until ``verify_save``."""
    mod = saves_module()
    return list(mod.list_saves(directory, verify=verify)) if mod else []


def verify_save(info: Any, cache: dict) -> Any:
    """One listed save checked by replay (``cache`` shared across calls loads each scenario once)."""
    mod = saves_module()
    return mod.verify_save(info, cache) if mod else info


def latest_save(directory: Path | None) -> Any | None:
    mod = saves_module()
    return mod.latest_save(directory) if mod else None


def save_exists(name: str, directory: Path | None) -> bool:
    """Whether saving under ``name`` would replace a file (cheap: no replay)."""
    mod = saves_module()
    if mod is None:
        return False
    return (mod.saves_dir(directory) / f"{mod.save_stem(name)}.json").exists()


def save_path(info: Any) -> Path:
    """The path of a SaveInfo (or a path given as is)."""
    return Path(getattr(info, "path", info))


def write_save(session, name: str | None, directory: Path | None) -> Path:
    return _need().write_save(session, name, directory=directory)


def load_save(path_or_name, directory: Path | None):
    return _need().load_save(path_or_name, directory=directory)


def autosave(session, directory: Path | None) -> Path | None:
    mod = saves_module()
    return mod.autosave(session, directory) if mod else None
