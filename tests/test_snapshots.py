"""SVG snapshots of the title, main and end screens at 80×24 and 120×40.

Everything that could vary is fixed: the scenario list (only the tutorial), the seed, an empty saves folder,
and the screens have no clocks or blinking cursors. Update with ``pytest tests/test_snapshots.py
--snapshot-update`` after a deliberate change, and look at the new SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.format.catalog import ScenarioInfo
from game.format.scenario import load_scenario
from game.tui.app import ManilaApp

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial.toml"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def only_tutorial(monkeypatch):
    infos = [ScenarioInfo("tutorial", "Two Offers for Maravel", TUTORIAL, True)]
    monkeypatch.setattr("game.tui.screens.title.list_scenarios", lambda: infos)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_title_screen(snap_compare, only_tutorial, tmp_path, size):
    app = ManilaApp(seed=1, saves_dir=tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_after_a_choice(snap_compare, tmp_path, size):
    app = ManilaApp(scenario=load_scenario(TUTORIAL), seed=1, saves_dir=tmp_path)

    async def one_choice(pilot):
        await settle(pilot)
        await pilot.press("1", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=one_choice)


@pytest.mark.parametrize("size", SIZES)
def test_end_screen(snap_compare, tmp_path, size):
    app = ManilaApp(scenario=load_scenario(TUTORIAL), seed=1, saves_dir=tmp_path)

    async def play_to_the_end(pilot):
        await settle(pilot)
        for _ in range(40):
            session = getattr(pilot.app.screen, "session", None)
            if session is None or session.over:
                break
            await pilot.press("enter")  # the first available option is highlighted
            await pilot.pause()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=play_to_the_end)


# ------------------------------------------------------------------------------------------ issue 12
HARBOUR = ROOT / "tests" / "data" / "ux" / "harbour.toml"


@pytest.mark.parametrize("size", SIZES)
def test_desk_with_a_long_briefing_and_an_impossible_option(snap_compare, tmp_path, size):
    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_desk_scrolled_to_the_last_option_without_colour(snap_compare, tmp_path, monkeypatch, size):
    monkeypatch.setenv("NO_COLOR", "1")
    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)

    async def to_the_last(pilot):
        await settle(pilot)
        await pilot.press("down", "down", "down")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=to_the_last)


@pytest.mark.parametrize("size", SIZES)
def test_score_and_endings_dialog(snap_compare, tmp_path, size):
    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)

    async def open_score(pilot):
        await settle(pilot)
        await pilot.press("1", "enter", "e")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_score)


@pytest.mark.parametrize("size", SIZES)
def test_ending_with_your_term_beside_history(snap_compare, tmp_path, size):
    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)

    async def to_the_end_and_history(pilot):
        await settle(pilot)
        for _ in range(6):
            if not getattr(pilot.app.screen, "session", None) or pilot.app.screen.session.over:
                break
            await pilot.press("enter")
            await pilot.pause()
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=to_the_end_and_history)
