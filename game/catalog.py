"""Finding scenarios: bundled ones, those in ``./scenarios``, or a path given by the user."""

from __future__ import annotations

import tomllib
from pathlib import Path

from attrs import frozen

from .errors import ManilaError, did_you_mean

__all__ = ["BUNDLED_DIR", "DEFAULT_ID", "ScenarioInfo", "is_tutorial", "list_scenarios", "resolve_scenario"]

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "scenarios"
DEFAULT_ID = "manila-2019"
FALLBACK_ID = "tutorial"
TUTORIAL_ID = FALLBACK_ID  # the bundled tutorial, labelled as one wherever scenarios are named


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
            try:
                meta = tomllib.loads(path.read_text(encoding="utf-8")).get("scenario", {})
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(meta, dict) and isinstance(meta.get("id"), str):
                found.append(ScenarioInfo(meta["id"], str(meta.get("title", meta["id"])), path, bundled))
    return found


def resolve_scenario(arg: str | None) -> Path:
    """A scenario path from a path or an id; ``None`` gives the default scenario."""
    scenarios = list_scenarios()
    if arg is None:
        for wanted in (DEFAULT_ID, FALLBACK_ID):
            for info in scenarios:
                if info.id == wanted:
                    return info.path
        raise ManilaError("no bundled scenario found; give a scenario file")
    path = Path(arg)
    if path.suffix == ".toml" or path.exists():
        if not path.exists():
            raise ManilaError(f"{arg}: no such file")
        return path
    for info in scenarios:
        if info.id == arg:
            return info.path
    ids = [i.id for i in scenarios]
    raise ManilaError(
        f"unknown scenario '{arg}'{did_you_mean(arg, ids)}; available: {', '.join(ids) or 'none'}"
        " (or give the path of a .toml file)"
    )
