"""Pilot tests of the terminal interface: everything is driven with keys, as a player would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.engine import Cause
from game.format.scenario import load_scenario
from game.tui.app import ManilaApp
from game.tui.dialogs import ConfirmDialog, ExplainDialog, LoadDialog, SaveDialog
from game.tui.screens import EndScreen, GameScreen, TitleScreen
from game.tui.widgets import DecisionPanel, VarRow

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial.toml"
HARBOUR = ROOT / "tests" / "data" / "ux" / "harbour.toml"
SIZE = (120, 40)


def text_of(widget) -> str:
    return widget.render().plain if hasattr(widget.render(), "plain") else str(widget.render())


def screen_text(screen) -> str:
    """All the Static text on a screen (what a player can read, minus the decorations)."""
    from textual.widgets import Static

    return "\n".join(text_of(w) for w in screen.query(Static))


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def first_available(session) -> int:
    return next(v.index for v in session.options() if v.available)


@pytest.fixture
def app(tmp_path):
    return ManilaApp(scenario=load_scenario(TUTORIAL), seed=1, saves_dir=tmp_path / "saves")


async def test_play_whole_tutorial_with_keys_only(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(60):
            if not isinstance(app.screen, GameScreen):
                break
            session = app.screen.session
            await pilot.press(str(first_available(session) + 1), "enter")
            await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        session = app.screen.session
        assert session.over and session.ending is not None
        shown = screen_text(app.screen)
        assert session.ending.title in shown
        for label, _ in session.score_breakdown():
            assert label in shown
        # autosaves were written along the way
        assert list((app.saves_dir).glob("autosave-*.json"))


async def test_a_choice_changes_the_meters_shown(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        row = screen.query_one("#var-north_ties", VarRow)
        before = text_of(row)
        assert screen.session.shown("north_ties") in before
        await pilot.press("1", "enter")  # open talks with the Union: ties with the Union rise by 8
        await pilot.pause()
        after = text_of(row)
        assert after != before
        assert screen.session.shown("north_ties") in after
        assert "▲8" in after
        assert screen.session.choices == [0]


async def test_why_did_this_change_lists_the_real_causes(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter")
        await pilot.pause()
        session = app.screen.session
        app.screen.action_why("west_ties")
        await pilot.pause()
        assert isinstance(app.screen, ExplainDialog)
        text = text_of(app.screen.query_one("#explain-text"))
        causes = session.changes("west_ties", 1)
        assert any(c.kind is Cause.OPTION for c in causes)
        for change in causes:
            assert change.label in text
        # moving through the list explains another meter; escape closes
        await pilot.press("down")
        await pilot.pause()
        assert app.screen.var_id != "west_ties"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)


async def test_w_key_opens_the_explanation(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter", "w")
        await pilot.pause()
        assert isinstance(app.screen, ExplainDialog)
        assert "Turn" in text_of(app.screen.query_one("#explain-text"))


async def test_bad_keys_do_nothing_harmful(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        event = screen.session.event
        await pilot.press(
            "9",
            "0",
            "x",
            "z",
            "ctrl+x",
            "tab",
            "shift+tab",
            "left",
            "right",
            "home",
            "end",
            "pageup",
            "pagedown",
            "backspace",
            "space",
        )
        await pilot.pause()
        assert app.screen is screen
        assert screen.session.choices == [] and screen.session.event is event
        # a digit for an option that exists is only a highlight: nothing is decided before Enter
        await pilot.press("3")
        await pilot.pause()
        assert screen.session.choices == []
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.choices == [2]


async def test_enter_after_the_number_of_an_impossible_option_chooses_nothing(tmp_path):
    """The bug of issue 12: "3" on an option that is not possible, then Enter, confirmed another option."""
    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = app.screen.session
        board = session.options()[2]
        assert not board.available and "Board pressure" in board.reason  # "Ask the board first."
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.query_one(DecisionPanel).selected == 2
        await pilot.press("enter")
        await pilot.pause()
        assert session.choices == []
        messages = [n.message for n in app._notifications]
        assert any("Option 3 is not possible" in m and "Board pressure" in m for m in messages), messages
        await pilot.press("1", "enter")  # a possible option is still chosen normally
        await pilot.pause()
        assert session.choices == [0]


BLOCKED = """format = 1
[scenario]
id = "blocked"
title = "Blocked"
summary = "An option that is never available."
role = "Tester"
start = "2000-01"
turns = 2
[meters.m]
label = "M"
start = 10
[[events]]
id = "e"
title = "E"
text = "Choose."
date = 1
options = [
  { id = "ok", label = "Fine" },
  { id = "never", label = "Never", available = "m > 1000" },
]
[[endings]]
id = "end"
title = "End"
epilogue = "Done."
[[score]]
id = "s"
label = "S"
value = "m"
"""


async def test_unavailable_option_cannot_be_chosen(tmp_path):
    # the tutorial's first decision has options whose cost the treasury cannot always pay; a small scenario
    # makes sure: its first decision has an option that is never available
    path = tmp_path / "blocked.toml"
    path.write_text(BLOCKED)
    scenario = load_scenario(path)
    app = ManilaApp(scenario=scenario, seed=4, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = app.screen.session
        # play until some option is unavailable, then press its digit and Enter
        for _ in range(40):
            views = session.options()
            blocked = [v for v in views if not v.available]
            if blocked:
                n = len(session.choices)
                await pilot.press(str(blocked[0].index + 1))
                await pilot.pause()
                await pilot.press("enter")
                await pilot.pause()
                assert len(session.choices) == n
                return
            if session.over:
                break
            await pilot.press(str(first_available(session) + 1), "enter")
            await pilot.pause()
        pytest.fail("no unavailable option came up")


async def test_save_and_load_round_trip(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter")
        await pilot.pause()
        saved_choices = list(app.screen.session.choices)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SaveDialog)
        name_input = app.screen.query_one("#save-name")
        name_input.value = ""
        await pilot.press(*"first test", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        assert (app.saves_dir / "first-test.json").exists()
        assert app.screen.unsaved == 0
        # play on, then load the save back: the unsaved progress is asked about first
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.screen.session.choices != saved_choices
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LoadDialog)
        listed = [str(getattr(info, "name", "")) for info in app.screen.saves]
        assert "first test" in listed
        index = listed.index("first test")
        options = app.screen.query_one("#save-list")
        options.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.screen.session.choices == saved_choices
        assert app.screen.save_name == "first test"


async def test_quit_asks_when_progress_is_unsaved(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0


async def test_title_screen_starts_the_highlighted_scenario(tmp_path, monkeypatch):
    from game.format.catalog import ScenarioInfo

    infos = [ScenarioInfo("tutorial", "Two Offers for Maravel", TUTORIAL, True)]
    monkeypatch.setattr("game.tui.screens.title.list_scenarios", lambda: infos)
    app = ManilaApp(seed=3, saves_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert "Prime Minister of Maravel" in text_of(app.screen.query_one("#scenario-text"))
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.screen.session.scenario.id == "tutorial" and app.screen.session.seed == 3


async def test_help_shows_keys_and_the_glossary(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app.screen)
        assert "Glossary" in text and "Western Alliance" in text and "Enter" in text


async def test_source_citation_and_advisers(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        text = screen_text(app.screen)
        assert "¶1" in text and app.screen.scenario.paragraphs[0][:30] in text
        await pilot.press("escape", "a")
        await settle(pilot)
        advice = text_of(app.screen.query_one("#advisor-text"))
        assert "Recommends" in advice and "Admiral Ines Varga" in advice and "★" not in advice
        assert "Consultations left this term: 2" in advice
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)


async def test_watch_reloads_the_scenario_and_reports_errors(tmp_path):
    path = tmp_path / "tutorial.toml"
    shutil.copy(TUTORIAL, path)
    shutil.copytree(TUTORIAL.parent / "sources", tmp_path / "sources")
    app = ManilaApp(scenario=load_scenario(path), seed=1, saves_dir=tmp_path / "saves", watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("1", "enter")
        await pilot.pause()
        # a harmless edit: the game is replayed on the new file
        path.write_text(path.read_text().replace("Four cutters, no conditions", "Four cutters, no strings"))
        screen._mtime = -1
        screen._check_source()
        await settle(pilot)
        banner = text_of(screen.query_one("#banner"))
        assert "all your choices replayed" in banner
        assert screen.session.choices == [0]
        assert screen.session.scenario.events[0].title == "Four cutters, no strings"
        # a broken edit: the error is shown, the game goes on with the last good version
        path.write_text(path.read_text().replace("turns = 12", 'turns = "twelve"'))
        screen._mtime = -1
        screen._check_source()
        await settle(pilot)
        banner = text_of(screen.query_one("#banner"))
        assert "has problems" in banner and "turns" in banner
        assert isinstance(app.screen, GameScreen) and screen.session.choices == [0]
        # an edit that removes the option chosen: the replay stops where it no longer applies
        text = path.read_text().replace('turns = "twelve"', "turns = 12")
        text = text.replace('id = "open_talks"', 'id = "open_talks"\n  available = "false"', 1)
        path.write_text(text)
        screen._mtime = -1
        screen._check_source()
        await settle(pilot)
        banner = text_of(screen.query_one("#banner"))
        assert "no longer apply from turn 1" in banner
        assert "your choice 'open_talks' in 'union_offer' (turn 1) is no longer available" in banner
        assert screen.session.choices == []
        # an edit that renames the option chosen: replayed by id, the banner names the missing option
        path.write_text(text.replace('id = "open_talks"\n  available = "false"', 'id = "open_talks"', 1))
        screen._mtime = -1
        screen._check_source()
        await settle(pilot)
        await pilot.press("1", "enter")
        await pilot.pause()
        assert screen.session.made[0].option == "open_talks"
        path.write_text(path.read_text().replace('id = "open_talks"', 'id = "talk_to_the_union"', 1))
        screen._mtime = -1
        screen._check_source()
        await settle(pilot)
        banner = text_of(screen.query_one("#banner"))
        assert "'open_talks' in 'union_offer' (turn 1) no longer exists" in banner and "deleted or renamed" in banner
        assert "all your choices replayed" not in banner and screen.session.choices == []
        await pilot.press(str(first_available(screen.session) + 1), "enter")
        await pilot.pause()
        assert len(screen.session.choices) == 1


async def test_narrow_terminal_plays_too(tmp_path):
    app = ManilaApp(scenario=load_scenario(TUTORIAL), seed=2, saves_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-narrow")
        await pilot.press("enter", "f")
        await pilot.pause()
        assert app.screen.has_class("-show-feed")
        await pilot.press("1")  # picking an option brings the decision back
        await pilot.pause()
        assert not app.screen.has_class("-show-feed")
        assert len(app.screen.session.choices) == 1
        assert app.screen.query_one(DecisionPanel).display


# ------------------------------------------------------------------------------------------ issue 12: the desk
BOTH = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def visible_in(container, widget) -> bool:
    return container.content_region.contains_region(widget.region)


@pytest.mark.parametrize("size", BOTH)
async def test_whole_briefing_and_every_option_are_readable_from_the_keyboard(tmp_path, size):
    from game.tui.widgets import OptionCard

    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        desk = app.screen.query_one(DecisionPanel)
        text = app.screen.query_one("#event-text")
        assert desk.scroll_y == 0 and visible_in(desk, app.screen.query_one("#event-title"))
        cards = list(desk.query(OptionCard))
        assert len(cards) == 4 and cards[0].has_focus
        assert "▶" in text_of(cards[0].query_one(".card-num"))  # the focus cue is text, not only colour
        # ↓ walks through every option and each comes into view with the cue
        for card in cards[1:]:
            await pilot.press("down")
            await pilot.pause()
            assert card.has_focus and visible_in(desk, card), card.id
            assert "▶" in text_of(card.query_one(".card-num"))
        assert "▶" not in text_of(cards[0].query_one(".card-num"))
        # back up past the first option, the desk scrolls to the briefing's first line
        for _ in range(len(cards) + 3):
            await pilot.press("up")
            await pilot.pause()
        assert desk.scroll_y == 0 and visible_in(desk, text.parent.query_one("#event-title"))
        # PgDn reaches the end of the desk
        for _ in range(6):
            await pilot.press("pagedown")
        await pilot.pause()
        assert desk.scroll_y == desk.max_scroll_y
        keys = text_of(app.screen.query_one("#keys"))
        assert "advisers" in keys and "score" in keys


@pytest.mark.parametrize("size", BOTH)
async def test_labels_are_cut_with_an_ellipsis_and_nothing_is_lost_at_any_size(tmp_path, size):
    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        row = text_of(app.screen.query_one("#var-trust", VarRow))
        assert "…" in row and "Trust of the harbour" in row
        session = app.screen.session
        # the reading, its band and the sparkline stay on the row, even at 80 columns
        assert session.shown("trust") in row and "steady" in row
        assert any(ch in row for ch in "▁▂▃▄▅▆▇█")


@pytest.mark.parametrize("size", BOTH)
async def test_the_score_its_parts_and_the_ending_ahead_are_on_screen(tmp_path, size):
    from game.tui.dialogs import ScoreDialog

    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        summary = text_of(app.screen.query_one("#score-summary"))
        assert "Fleet" in summary and "Standing" in summary and "Heading for: Another winter" in summary
        assert "→ Another winter" in text_of(app.screen.query_one("#status"))
        await pilot.press("1", "enter")  # north yard: ships +12, trust -6
        await pilot.pause()
        summary = text_of(app.screen.query_one("#score-summary"))
        assert "▲+6.0" in summary  # Fleet: 0.5 × 12
        session = app.screen.session
        assert f"{session.running_score:.0f}" in text_of(app.screen.query_one("#status"))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ScoreDialog)
        detail = "\n".join(text_of(w) for w in app.screen.query(".score-line"))
        assert "counts on the last day: 0.5 × (Ships in service)" in detail
        assert "Heading for:" in detail and "Could become: A fleet at last" in detail
        assert "(now " in detail


async def test_effects_are_words_and_symbols_incl_hidden_meters_and_ladders(tmp_path):
    from game.tui.widgets import OptionCard

    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cards = list(app.screen.query(OptionCard))
        north = " ".join(text_of(cards[0].query_one(".card-body")).split())
        assert "▲▲▲ Ships in service (good)" in north
        assert "▼ Trust of the harbour board" in north and "(bad)" in north
        assert "▼ The shipyard's patience (bad)" in north  # hidden: the direction only
        assert "▲ Board pressure: a rung up, to “letters” (bad)" in north  # a ladder moves in rungs
        assert "→ Shipyard deal: “signed” (good)" in north
        south = " ".join(text_of(cards[1].query_one(".card-body")).split())
        assert "costs 8.0 M from harbour funds" in south
        assert "Not possible: needs 8.0 M of harbour funds (you have 6.0 M)" in south
        wait = text_of(cards[3].query_one(".card-body"))
        assert "? Ships in service" in wait


async def test_no_color_keeps_every_distinction_in_text(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    from game.tui.widgets import OptionCard

    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color
        cards = list(app.screen.query(OptionCard))
        body = text_of(cards[0].query_one(".card-body"))
        assert "(good)" in body and "(bad)" in body
        assert "▶" in text_of(cards[0].query_one(".card-num"))
        assert "✗ Not possible" in text_of(cards[2].query_one(".card-body"))


async def test_ending_screen_saves_and_sets_your_term_beside_history(tmp_path):
    from textual.widgets import Static

    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(10):
            if not isinstance(app.screen, GameScreen):
                break
            await pilot.press(str(first_available(app.screen.session) + 1), "enter")
            await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        beside = "\n".join(text_of(w) for w in app.screen.query_one("#end-beside").query(Static))
        assert "February 2030" in beside and "The real board voted to delay" in beside
        assert "You: • Buy from the northern yard now." in beside
        assert beside.index("January 2030") < beside.index("February 2030") < beside.index("April 2030")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SaveDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        named = [p for p in (tmp_path / "saves").glob("*.json") if not p.name.startswith("autosave-")]
        assert len(named) == 1
        from game.saves import load_save

        assert load_save(named[0]).session.over
        await pilot.press("q")  # saved under a name: nothing to ask
        await pilot.pause()
    assert app.return_code == 0


async def test_load_list_shows_at_once_and_checks_saves_in_the_background(tmp_path):
    from game.play.session import GameSession
    from game.saves import write_save

    folder = tmp_path / "saves"
    session = GameSession(load_scenario(HARBOUR), seed=2)
    session.choose(0)
    for i in range(5):
        write_save(session, f"game {i}", directory=folder)
    (folder / "broken.json").write_text("{not json")
    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LoadDialog)
        assert len(app.screen.saves) == 6
        assert all(info.verified for info in app.screen.saves if info.name != "broken")
        broken = next(i for i, info in enumerate(app.screen.saves) if info.name == "broken")
        options = app.screen.query_one("#save-list")
        assert options.get_option_at_index(broken).disabled


async def test_continue_offers_the_last_autosave_not_a_headless_save(tmp_path, monkeypatch):
    from game.format.catalog import ScenarioInfo
    from game.play.session import GameSession
    from game.saves import autosave, write_save

    infos = [ScenarioInfo("ux-harbour", "The Harbour Question", HARBOUR, True)]
    monkeypatch.setattr("game.tui.screens.title.list_scenarios", lambda: infos)
    folder = tmp_path / "saves"
    played = GameSession(load_scenario(HARBOUR), seed=5)
    played.choose(0)
    autosave(played, folder)
    scripted = GameSession(load_scenario(HARBOUR), seed=6)
    write_save(scripted, "scripted", directory=folder)  # newer, but a named (e.g. headless) save
    app = ManilaApp(seed=1, saves_dir=folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert app.screen.latest is not None and app.screen.latest.autosave
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen) and app.screen.session.seed == 5


async def test_a_confirmation_from_a_desk_that_moved_on_is_ignored(tmp_path):
    """Enter pressed twice quickly: the second must not choose on the next desk, unseen."""
    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(DecisionPanel)
        panel.post_message(DecisionPanel.Chosen(0, 0))
        await settle(pilot)
        assert app.screen.session.choices == [0]
        panel.post_message(DecisionPanel.Chosen(0, 0))  # stale: made for the first desk
        await settle(pilot)
        assert app.screen.session.choices == [0]


async def test_tab_moves_between_panels_not_through_every_option(tmp_path):
    from game.tui.widgets import FeedLog, StatePanel

    app = ManilaApp(scenario=load_scenario(HARBOUR), seed=1, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        assert app.focused is app.screen.query_one(StatePanel)
        await pilot.press("tab")
        assert app.focused is app.screen.query_one(FeedLog)
        await pilot.press("tab")
        assert app.focused.id == "opt-0"
        await pilot.press("down", "shift+tab")
        assert app.focused is app.screen.query_one(FeedLog)
        await pilot.press("tab")
        assert app.focused.id == "opt-1"  # back on the option last selected


def test_no_arrow_for_a_change_that_rounds_to_zero():
    from game.tui.text import trend

    var = load_scenario(HARBOUR).variable("ships")
    assert trend(var, 0.5)[0] == "[$text-muted]·[/]" and trend(var, -0.49)[0] == "[$text-muted]·[/]"
    assert "▼2" in trend(var, -1.6)[0]


async def test_ending_screen_starts_each_chart_where_turn_one_began(tmp_path):
    from game.tui.widgets import HistoryChart

    app = ManilaApp(scenario=load_scenario(TUTORIAL), seed=1, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = {v.id: app.screen.session.shown(v.id) for v in app.screen.session.scenario.variables}
        for _ in range(40):
            if not isinstance(app.screen, GameScreen):
                break
            await pilot.press(str(first_available(app.screen.session) + 1), "enter")
            await pilot.pause()
        charts = {c.var.id: c for c in app.screen.query(HistoryChart)}
        assert charts["approval"].shown_start == first["approval"]
        assert charts["treasury"].shown_start == first["treasury"]


# ------------------------------------------------------------------------------------------ issue 15: label limits
async def test_the_interface_cuts_labels_exactly_where_lint_says(tmp_path):
    """``LABEL_CELLS`` is what the country panel shows at 120x40, even with a scrollbar (many meters)."""
    from game.format.keys import LABEL_CELLS
    from game.format.scenario import load_scenario_text
    from game.tui.widgets import FlagRow

    meter, band, stage = LABEL_CELLS["meter"], LABEL_CELLS["band"], LABEL_CELLS["stage"]
    lines = []
    for i in range(30):
        lines.append(
            f'[meters.m{i}]\nlabel = "{("ab" * 20)[: meter + (i % 2)]}"\nstart = 50\n'
            f'bands = [{{ below = 90, label = "{("xy" * 10)[: band + (i % 2)]}" }}, {{ label = "top" }}]\n'
        )
    text = f"""
format = 1
[scenario]
id = "labels"
title = "Labels"
summary = "Long labels."
role = "Tester"
start = "2030-01"
turns = 3
{"".join(lines)}
[flags.short]
label = "Short ladder"
max = 1
ladder = true
stages = ["{"s" * stage}", "b"]

[flags.long]
label = "Long ladder"
max = 1
ladder = true
stages = ["{"t" * (stage + 1)}", "b"]

[[events]]
id = "e"
title = "E"
text = "E."
  [[events.options]]
  id = "ok"
  label = "Fine."
  effects = {{ m0 = 1 }}

[[endings]]
id = "end"
title = "End"
epilogue = "End."

[[score]]
id = "s"
label = "S"
value = "m0"
"""
    app = ManilaApp(scenario=load_scenario_text(text, "labels.toml"), seed=1, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = {row.var.id: text_of(row) for row in app.screen.query(VarRow)}
        for row in app.screen.query(VarRow):  # nothing is clipped off the right edge either
            assert len(text_of(row).rstrip()) <= row.content_region.width, row.var.id
        fits, cut = rows["m0"], rows["m1"]
        assert fits.startswith(("ab" * 20)[:meter] + " ")
        assert cut.startswith(("ab" * 20)[: meter - 1] + "…")
        assert fits.rstrip().endswith(" " + ("xy" * 10)[:band])
        assert cut.rstrip().endswith(" " + ("xy" * 10)[: band - 1] + "…")
        flags = {row.var.id: text_of(row) for row in app.screen.query(FlagRow)}
        for row in app.screen.query(FlagRow):
            assert len(text_of(row).rstrip()) + len(" new") <= row.content_region.width, row.var.id
        assert flags["short"].rstrip().endswith(" " + "s" * stage)
        assert flags["long"].rstrip().endswith(" " + "t" * (stage - 1) + "…")
        panel = app.screen.query_one("#state")
        assert panel.max_scroll_y > 0  # the scrollbar takes a cell: the narrowest the wide layout gets
