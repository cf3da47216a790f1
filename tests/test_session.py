"""GameSession: the single game the interface shows."""

from __future__ import annotations

import textwrap
from pathlib import Path

from game.engine import Cause
from game.format.scenario import load_scenario_text
from game.play.session import FeedKind, GameSession

QUIET = textwrap.dedent("""
    format = 1
    [scenario]
    id = "quiet"
    title = "Quiet"
    summary = "Nothing happens."
    role = "Nobody"
    start = "2030-01"
    turns = 2
    [meters.calm]
    label = "Calm"
    start = 50
    [[events]]
    id = "tea"
    title = "Tea"
    text = "A cup of tea."
    [[events.options]]
    id = "drink"
    label = "Drink it."
    outcome = "It was good tea."
    [[endings]]
    id = "end"
    title = "The end"
    epilogue = "Calm at {calm}."
    [[score]]
    id = "calm"
    label = "Calm"
    value = "calm"
""")


def test_events_and_choices_without_effects_still_reach_the_feed():
    session = GameSession(load_scenario_text(QUIET, "quiet.toml"), seed=1)
    assert session.event.id == "tea"
    result = session.choose(0)
    assert result.outcome == "It was good tea."
    kinds = [(f.kind, f.title) for f in session.feed]
    assert (FeedKind.EVENT, "Tea") in kinds
    assert (FeedKind.CHOICE, "Drink it.") in kinds


def test_replay_rejects_bools_and_reports_the_turn(tutorial):
    import pytest

    from game.errors import ReplayDivergence

    first = GameSession(tutorial, seed=1)
    first_turn = first.turn
    first.choose(0)
    second_turn = first.turn  # where the second decision is made
    with pytest.raises(ReplayDivergence) as exc:
        GameSession.replay(tutorial, 1, 0, [True])
    assert exc.value.turn == first_turn
    with pytest.raises(ReplayDivergence) as exc:
        GameSession.replay(tutorial, 1, 0, [0, 7])
    assert exc.value.turn == second_turn
    assert exc.value.reason.startswith("choice 2 (option 8) is not available")


def test_placeholders_render_rounded_values_without_units(tutorial):
    session = GameSession(tutorial, seed=2)
    text = session.render("{approval}% {treasury} {cutters} {west_ties.band} {{braces}} {date}")
    approval = round(session.value("approval"))
    assert text.startswith(f"{approval}% ")
    assert "{braces}" in text and "January 2031" in text
    assert " none " in text  # the flag's stage name


def test_the_score_placeholder_is_the_score_on_screen(tutorial):
    """`{score}` reads as the status bar does (the running score), even after news changed it this turn."""
    for seed in range(40):
        session = GameSession(tutorial, seed=seed)
        while not session.over and round(session.running_score) == round(session.score):
            session.choose(next(o.index for o in session.options() if o.available))
        if not session.over:
            break
    else:
        raise AssertionError("no game in 40 had a running score apart from the last turn's")
    assert session.render("{score}") == f"{session.running_score:.0f}"


def test_why_did_this_change_names_the_choice(tutorial):
    session = GameSession(tutorial, seed=3)
    label = session.options()[1].label  # decline: west_ties +5
    session.choose(1)
    causes = session.changes("west_ties", turn=1)
    assert any(c.kind is Cause.OPTION and c.label == label and c.delta == 5.0 for c in causes)
    total = sum(c.delta for c in causes)
    history = session.history("west_ties")
    assert abs((history[1] - history[0]) - total) < 1e-9


def test_estimate_placeholder_shows_the_players_range_not_the_truth(tutorial):
    session = GameSession(tutorial, seed=4)
    lo, hi = session.estimate("west_resolve")
    text = session.render("Resolve {west_resolve.estimate}; approval {approval.estimate}")
    assert text == f"Resolve {lo:.0f}–{hi:.0f}; approval {session.value('approval'):.0f}"
    assert lo <= session.value("west_resolve") <= hi


def test_hidden_values_in_texts_are_refused_but_estimates_allowed():
    import pytest

    from game.errors import ScenarioError

    text = QUIET.replace(
        '[meters.calm]\nlabel = "Calm"\nstart = 50', '[meters.calm]\nlabel = "Calm"\nstart = 50\nhidden = true'
    )
    ok = text.replace('text = "A cup of tea."', 'text = "Calm about {calm.estimate}."')
    assert load_scenario_text(ok, "ok.toml").events[0].text == "Calm about {calm.estimate}."
    bad = text.replace('text = "A cup of tea."', 'text = "Calm at {calm}."')
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(bad, "bad.toml")
    assert "calm.estimate" in str(exc.value)


def test_unavailable_options_say_what_they_require():
    from game.format.scenario import load_scenario

    from .conftest import SCENARIOS

    session = GameSession(load_scenario(SCENARIOS / "manila_2019.toml"), seed=0)
    reasons = set()
    while not session.over and len(session.choices) < 66:
        options = session.options()
        reasons.update(o.reason for o in options if not o.available)
        session.choose(next(o.index for o in options if o.available))
    assert any(r.startswith("only when ") and "(now " in r for r in reasons), reasons
    assert not any("US resolve" in r or "Washington's file" in r for r in reasons)  # hidden meters stay hidden


def test_an_events_own_chance_branch_reaches_the_feed_and_the_causes(tutorial):
    """The tutorial's storm can arrive early (a branch of the event itself, drawn before the choice)."""
    for seed in range(200):
        session = GameSession(tutorial, seed=seed)
        while not session.over:
            if session.event.id == "storm" and any(
                f.text.startswith("The storm arrives a day early") for f in session.feed if f.turn == session.turn
            ):
                causes = session.changes("approval", turn=session.turn)
                assert any(c.kind is Cause.EVENT_BRANCH for c in causes)
                return
            session.choose(next(o.index for o in session.options() if o.available))
    raise AssertionError("no game in 200 drew the storm's early branch")


# ------------------------------------------------------------------ replay by option id (manila play --watch)
TUTORIAL_TEXT = (Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "scenarios"


def _edited(old: str, new: str, text: str = TUTORIAL_TEXT):
    assert old in text
    return load_scenario_text(text.replace(old, new, 1), "tutorial.toml", SCENARIOS_DIR)


def _played(scenario, picks=(1, 0, 0, 0, 0)):
    """A game of the tutorial with a few choices (the first available option after the first pick)."""
    session = GameSession(scenario, seed=4)
    for n, k in enumerate(picks):
        if session.over:
            break
        if n:
            k = next(v.index for v in session.options() if v.available)
        session.choose(k)
    return session


def test_choices_are_recorded_by_id_with_their_turn(tutorial):
    session = _played(tutorial)
    assert session.made[0].event == "union_offer"
    assert session.made[0].option == "decline" and session.made[0].turn == 1
    assert [m.turn for m in session.made] == sorted(m.turn for m in session.made)
    for m, k in zip(session.made, session.choices):
        assert tutorial.events[tutorial.event_index(m.event)].options[k].id == m.option


def test_replay_by_id_follows_an_option_that_moved(tutorial):
    first = _played(tutorial)
    # 'decline' becomes the first option of union_offer: replayed by position, another choice would be made
    swapped = TUTORIAL_TEXT.replace(
        '  [[events.options]]\n  id = "open_talks"\n  label = "Open talks with the Union\'s yards."',
        '  [[events.options]]\n  id = "open_talks_moved"\n  label = "Open talks with the Union\'s yards."',
        1,
    )
    block_start = swapped.index('  [[events.options]]\n  id = "decline"\n  label = "Decline politely')
    block_end = swapped.index('  [[events.options]]\n  id = "wait"')
    decline = swapped[block_start:block_end]
    swapped = swapped[:block_start] + swapped[block_end:]
    first_option = swapped.index('  [[events.options]]\n  id = "open_talks_moved"')
    swapped = swapped[:first_option] + decline + swapped[first_option:]
    scenario = load_scenario_text(swapped, "tutorial.toml", SCENARIOS_DIR)
    assert [o.id for o in scenario.events[0].options] == ["decline", "open_talks_moved", "wait"]
    again = GameSession(scenario, seed=4)
    assert again.play_choices_by_id(first.made) is None
    assert again.made == first.made and again.choices[0] == 0 != first.choices[0]
    assert (again.values() == first.values()).all()


def test_replay_by_id_names_a_deleted_or_renamed_option(tutorial):
    first = _played(tutorial)
    scenario = _edited('id = "decline"\n  label = "Decline politely', 'id = "refuse"\n  label = "Decline politely')
    again = GameSession(scenario, seed=4)
    diverged = again.play_choices_by_id(first.made)
    assert diverged is not None
    assert (diverged.turn, diverged.event, diverged.option) == (1, "union_offer", "decline")
    assert diverged.reason == (
        "your choice 'decline' in 'union_offer' (turn 1) no longer exists: option 'decline' was deleted or renamed"
    )
    assert again.choices == [] and not again.over


def test_replay_by_id_stops_where_a_later_choice_is_no_longer_available(tutorial):
    first = _played(tutorial)
    second = first.made[1]
    i = tutorial.event_index(second.event)
    option_id = second.option
    text = TUTORIAL_TEXT
    start = text.index(f'id = "{tutorial.events[i].id}"')
    at = text.index(f'id = "{option_id}"', start)
    edited = text[:at] + f'id = "{option_id}"\n  available = "false"' + text[at + len(f'id = "{option_id}"') :]
    scenario = load_scenario_text(edited, "tutorial.toml", SCENARIOS_DIR)
    again = GameSession(scenario, seed=4)
    diverged = again.play_choices_by_id(first.made)
    assert diverged is not None and again.choices == first.choices[:1]
    assert (diverged.turn, diverged.event, diverged.option) == (second.turn, second.event, option_id)
    assert (
        f"your choice '{option_id}' in '{second.event}' (turn {second.turn}) is no longer available" in diverged.reason
    )


def test_replay_by_id_names_the_decision_that_changed(tutorial):
    first = _played(tutorial)
    # the first decision now comes a month later: turn 1 has another event on the desk
    scenario = _edited('date = "2031-01"                            # always', 'date = "2031-02"  # always')
    again = GameSession(scenario, seed=4)
    diverged = again.play_choices_by_id(first.made)
    assert diverged is not None and diverged.turn == 1
    assert diverged.reason.startswith(f"the decision at turn 1 is now '{again.event.id}', not 'union_offer'")


def test_replay_by_id_says_when_an_option_is_now_hidden(tutorial):
    first = _played(tutorial)
    text = TUTORIAL_TEXT.replace("format = 1 ", "format = 2 ", 1)
    scenario = _edited('id = "decline"\n', 'id = "decline"\n  visible = "false"\n', text)
    again = GameSession(scenario, seed=4)
    diverged = again.play_choices_by_id(first.made)
    assert diverged is not None and diverged.option == "decline"
    assert diverged.reason == "your choice 'decline' in 'union_offer' (turn 1) is now hidden (its 'visible' fails)"
