from __future__ import annotations

from pathlib import Path

import pytest

from game.format.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BUNDLED = sorted(SCENARIOS.glob("*.toml"))


@pytest.fixture(scope="session")
def tutorial():
    return load_scenario(SCENARIOS / "tutorial.toml")


def bundled_scenarios():
    return [load_scenario(p) for p in BUNDLED]
