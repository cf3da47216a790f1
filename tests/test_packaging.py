"""What a built wheel ships: every package, the scenarios as package data, the licence."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_under_game_is_listed():
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "game").rglob("__init__.py")}
    listed = set(_setuptools()["packages"])
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert listed - found == {"game.scenarios"}


def test_the_scenarios_ship_as_package_data_from_the_authors_folder():
    tool = _setuptools()
    assert tool["package-dir"] == {"game.scenarios": "scenarios"}
    data = tool["package-data"]["game.scenarios"]
    shipped = {p for pattern in data for p in (ROOT / "scenarios").glob(pattern)}
    assert {p.name for p in shipped} >= {"manila_2019.toml", "tutorial.toml", "manila_2019.txt", "tutorial.txt"}
    # every source a bundled scenario cites is shipped too
    for scenario in (ROOT / "scenarios").glob("*.toml"):
        source = tomllib.loads(scenario.read_text())["scenario"].get("source")
        if source:
            assert (ROOT / "scenarios" / source) in shipped


def test_the_license_is_mit_and_shipped():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["license"] == "MIT"
    assert _setuptools()["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_the_starter_texts_ship_as_package_data():
    # `manila new` reads them with importlib.resources; a text not matched here would be missing from the wheel
    patterns = _setuptools()["package-data"]["game.authoring"]
    folder = ROOT / "game" / "authoring"
    shipped = {p.relative_to(folder).as_posix() for pattern in patterns for p in folder.glob(pattern)}
    assert shipped == {"starters/starter.toml", "starters/full.toml"}
