"""Finding scenarios: bundled ones, those in ``./scenarios``, or a path given by the user."""

from __future__ import annotations

import importlib.resources
import os
import tomllib
from pathlib import Path

from attrs import frozen

from ..errors import ManilaError, did_you_mean
from .files import FileRefused, read_bounded
from .keys import LIMITS

__all__ = ["BUNDLED_DIR", "DEFAULT_ID", "ScenarioInfo", "is_tutorial", "list_scenarios", "resolve_scenario"]

CHECKOUT_DIR = Path(__file__).resolve().parent.parent.parent / "scenarios"


def _bundled_dir() -> Path:
    """The bundled scenarios: the package data ``game.scenarios`` of an installed wheel (or an editable
    install, which maps it to the checkout's ``scenarios/``), else the checkout's folder when running from
    the source tree. ``scenarios/`` has no ``__init__.py`` (it is the authors' folder), so the package is a
    namespace package whose entries are real paths."""
    try:
        root = importlib.resources.files("game.scenarios")
    except ModuleNotFoundError:
        return CHECKOUT_DIR
    if isinstance(root, Path):
        return root
    for child in root.iterdir():
        if isinstance(child, Path):
            return child.parent
    return CHECKOUT_DIR


BUNDLED_DIR = _bundled_dir()
DEFAULT_ID = "manila-2019"
FALLBACK_ID = "tutorial"
TUTORIAL_ID = FALLBACK_ID  # the bundled tutorial, labelled as one wherever scenarios are named
FILE_LIMIT = LIMITS["file_bytes"]  # the loader's limit for a scenario file


def is_tutorial(scenario_id: str) -> bool:
    return scenario_id == TUTORIAL_ID


@frozen
class ScenarioInfo:
    id: str
    title: str
    path: Path
    bundled: bool


def _dirs() -> list[tuple[Path, bool]]:
    out = [(BUNDLED_DIR, True)]
    local = (Path.cwd() / "scenarios").resolve()
    if local != BUNDLED_DIR:
        out.append((local, False))
    return out


def list_scenarios() -> list[ScenarioInfo]:
    """Every readable scenario in the bundled and local folders (broken files are skipped here;
    ``manila validate`` explains them)."""
    found: list[ScenarioInfo] = []
    seen: set[Path] = set()
    for folder, bundled in _dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            if path in seen:
                continue
            seen.add(path)
            try:  # untrusted like any scenario: bounded, regular files only, any parse failure skips it
                data = read_bounded(path, FILE_LIMIT)
                meta = tomllib.loads(data.decode("utf-8")).get("scenario", {})
            except (FileRefused, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, MemoryError, ValueError):
                continue
            if isinstance(meta, dict) and isinstance(meta.get("id"), str):
                found.append(ScenarioInfo(meta["id"], str(meta.get("title", meta["id"])), path, bundled))
    return found


def resolve_scenario(arg: str | None) -> Path:
    """A scenario path from a path or an id; ``None`` gives the default scenario."""
    if arg is None:
        scenarios = list_scenarios()
        for wanted in (DEFAULT_ID, FALLBACK_ID):
            for info in scenarios:
                if info.id == wanted:
                    return info.path
        raise ManilaError("no bundled scenario found; give a scenario file")
    if "\x00" in arg:
        raise ManilaError(f"{arg!r}: not a possible file name or scenario id")
    path = Path(arg)
    if path.suffix == ".toml" or "/" in arg or os.sep in arg or path.exists():
        if not path.exists():
            raise ManilaError(f"{arg}: no such file")
        return path  # a path: the folders are not scanned
    for info in list_scenarios():
        if info.id == arg:
            return info.path
    ids = [i.id for i in list_scenarios()]
    raise ManilaError(
        f"unknown scenario '{arg}'{did_you_mean(arg, ids)}; available: {', '.join(ids) or 'none'}"
        " (or give the path of a .toml file)"
    )
