"""``manila lint`` says why (issue 15): the clause that blocks a condition, placeholders as reads, dated
events on their date, endings that an earlier ending takes, and labels longer than the interface shows."""

from __future__ import annotations

import textwrap

import pytest

from game.authoring.lint import lint_scenario
from game.format.keys import LABEL_CELLS
from game.format.scenario import load_scenario_text

HEAD = """
format = {format}
[scenario]
id = "reasons"
title = "Reasons"
summary = "Ties move a point at a time."
role = "Tester"
start = "2030-01"
turns = {turns}
decisions = 1

[meters.ties]
label = "Ties"
start = 50

[meters.morale]
label = "Morale"
start = 50

[flags.stage]
label = "Stage"
max = 2
stages = ["none", "talks", "deal"]

[[events]]
id = "talks"
title = "Talks"
text = "Talks."
weight = 5
  [[events.options]]
  id = "warm"
  label = "Warm up."
  tags = ["pro_a"]
  effects = {{ ties = 1, morale = 1 }}
  [[events.options]]
  id = "cool"
  label = "Cool down."
  tags = ["pro_b"]
  effects = {{ ties = -1, morale = -1 }}
"""

TAIL = """
[[endings]]
id = "end"
title = "The end"
epilogue = "Done."

[[score]]
id = "ties"
label = "Ties"
value = "ties + morale"
"""


def lint(body: str, *, format: int = 1, turns: int = 6, games: int = 1500, tail: str = TAIL, simulate=True):
    text = HEAD.format(format=format, turns=turns) + textwrap.dedent(body) + tail
    scenario = load_scenario_text(text, "reasons.toml")
    return {f.path: f for f in lint_scenario(scenario, text, games=games, seed=1, simulate=simulate)}


# ------------------------------------------------------------------------------- the clause that blocks
def test_a_condition_that_cannot_hold_names_the_clause_that_blocks_it():
    found = lint(
        """
        [[events]]
        id = "deal"
        title = "Deal"
        text = "A deal."
        when = "ties > 10 and stage == 2 and turn > 2"
          [[events.options]]
          id = "ok"
          label = "Fine."
        """,
        simulate=False,
    )
    message = found["events[1].when"].message
    assert message == (
        "event 'deal' can never fire: 'ties > 10 and stage == 2 and turn > 2' cannot hold: its clause "
        "'stage == 2' never holds (stage is always 0)"
    )


def test_a_condition_that_never_held_in_the_games_names_the_clause_that_never_did():
    found = lint("""
        [[events]]
        id = "summit"
        title = "Summit"
        text = "A summit."
        when = "turn > 2 and ties > 90 and morale > 20"
          [[events.options]]
          id = "ok"
          label = "Fine."

        [[endings]]
        id = "rupture"
        title = "Rupture"
        early = true
        when = "morale < 40 and ties < 42"
        epilogue = "Broken."
        """)
    event = found["events[1]"].message
    assert "event 'summit' never fired in 1,500 simulated games (random, prefer:pro_a, prefer:pro_b)" in event
    assert "'when = turn > 2 and ties > 90 and morale > 20' held in none of the 9,000 game-turns checked" in event
    assert event.endswith("; its clause 'ties > 90' never held")
    ending = found["endings[0]"].message
    assert ending.endswith("its clauses 'morale < 40', 'ties < 42' never held")
    assert "game-turns (games at the end of a turn)" in ending


def test_clauses_that_each_hold_but_never_together_are_told_apart():
    found = lint("""
        [[events]]
        id = "odd"
        title = "Odd"
        text = "Warm and cool at once."
        when = "ties > 51 and morale < 49"
          [[events.options]]
          id = "ok"
          label = "Fine."
        """)
    message = found["events[1]"].message
    assert "; each of its clauses held at times, never all together ('ties > 51' in " in message
    assert "'morale < 49' in " in message


# ------------------------------------------------------------------------------- placeholders are reads
FLAG_SHOWN = """
[[events]]
id = "news"
title = "News"
text = "{text}"
date = "2030-02"
set = {{ stage = 1 }}
"""


@pytest.mark.parametrize(
    "text, format",
    [
        ("Stage: {stage}.", 1),
        ("Ties are {ties.band}; stage {stage}.", 1),
        ("{if stage == 1: Talks are open. | Nothing yet.}", 2),
        ("{= stage + 1} rounds of talks.", 2),
    ],
)
def test_a_flag_shown_only_in_a_text_is_read(text, format):
    found = lint(FLAG_SHOWN.format(text=text), format=format, simulate=False)
    assert "flags.stage" not in found


def test_a_flag_nobody_reads_or_shows_is_still_reported():
    found = lint(FLAG_SHOWN.format(text="Something happens."), simulate=False)
    assert found["flags.stage"].code == "never-read"


def test_visible_and_chance_read_their_names():
    found = lint(
        """
        [[events]]
        id = "news"
        title = "News"
        text = "News."
        date = "2030-02"
        set = { stage = 1 }

        [[events]]
        id = "visit"
        title = "Visit"
        text = "A visit."
        chance = "0.5"
          [[events.options]]
          id = "go"
          label = "Go."
          visible = "stage == 1"
          effects = { ties = 1 }
          [[events.options]]
          id = "stay"
          label = "Stay."
        """,
        format=2,
        simulate=False,
    )
    assert "flags.stage" not in found


# ------------------------------------------------------------------------------- dated events
def test_a_dated_event_whose_when_fails_on_its_date_says_it_lapses():
    found = lint("""
        [[events]]
        id = "visit"
        title = "Visit"
        text = "A visit."
        date = "2030-03"
        when = "ties > 95"
          [[events.options]]
          id = "ok"
          label = "Fine."
        """)
    message = found["events[1]"].message
    assert message.endswith(
        ": its date (March 2030) came in 1,500 games, but 'when = ties > 95' held in none of them then, and a "
        "dated event whose 'when' is false on its date lapses for good"
    )


def test_a_dated_event_whose_when_holds_on_its_date_is_not_asked_about_it():
    # two dated decisions in March with one slot (format 1): 'second' slides to April, where its 'when' fails
    found = lint("""
        [[events]]
        id = "first"
        title = "First"
        text = "First."
        date = "2030-03"
          [[events.options]]
          id = "ok"
          label = "Fine."

        [[events]]
        id = "second"
        title = "Second"
        text = "Second."
        date = "2030-03"
        when = "month == 3"
          [[events.options]]
          id = "ok"
          label = "Fine."
        """)
    message = found["events[2]"].message
    assert "ever met" not in message and "held in none" not in message
    assert (
        "although its date (March 2030) came in 1,500 games and 'when = month == 3' held then in 1,500: it lost "
        "its decision slot to events due before it" in message
    )


def test_a_dated_event_no_game_reaches():
    found = lint(
        """
        [[events]]
        id = "late"
        title = "Late"
        text = "Too late."
        date = "2030-05"
          [[events.options]]
          id = "ok"
          label = "Fine."
        """,
        tail=TAIL.replace('id = "end"', 'id = "end"\nearly = true\nwhen = "turn >= 3"', 1)
        + '\n[[endings]]\nid = "last"\ntitle = "Last"\nepilogue = "Last."\n',
    )
    assert found["events[1]"].message.endswith(": no game lasted until its date (May 2030)")


# ------------------------------------------------------------------------------- endings in order
def test_an_ending_implied_by_an_earlier_one_is_never_reached_statically():
    found = lint(
        """
        [[endings]]
        id = "good"
        title = "Good"
        when = "ties > 45"
        epilogue = "Good."

        [[endings]]
        id = "better"
        title = "Better"
        when = "ties > 55 and stage == 0"
        epilogue = "Better."
        """,
        simulate=False,
    )
    finding = found["endings[1].when"]
    assert finding.code == "never-reached"
    assert finding.message.startswith(
        "ending 'better' is never reached: wherever 'ties > 55 and stage == 0' holds, 'ties > 45' holds too, "
        "and the ending 'good' is tried first"
    )


def test_an_ending_whose_states_an_earlier_one_always_takes_names_it():
    # ties and morale move together: 'morale >= 50' holds exactly where 'ties >= 50' does
    found = lint("""
        [[endings]]
        id = "good"
        title = "Good"
        when = "ties >= 50"
        epilogue = "Good."

        [[endings]]
        id = "also_good"
        title = "Also good"
        when = "morale >= 50"
        epilogue = "Also good."
        """)
    message = found["endings[1]"].message
    assert "ending 'also_good' was never reached" in message
    assert "although 'when = morale >= 50' held in " in message and "games that reached the last turn" in message
    assert "an ending tried before it held too each time and took the game ('good' in " in message


def test_an_ending_mostly_taken_by_an_earlier_one_is_an_overlap():
    # a third option raises morale alone, so 'morale >= 50' sometimes holds without 'ties >= 50'
    found = lint("""
          [[events.options]]
          id = "cheer"
          label = "Cheer."
          effects = { morale = 1, ties = -1 }

        [[endings]]
        id = "good"
        title = "Good"
        when = "ties >= 50"
        epilogue = "Good."

        [[endings]]
        id = "cheerful"
        title = "Cheerful"
        when = "morale >= 50"
        epilogue = "Cheerful."
        """)
    finding = found["endings[1].when"]
    assert finding.code == "ending-overlap"
    assert finding.message.startswith("ending 'cheerful': in ")
    assert "the ending 'good' ('ties >= 50') held too and, tried first, took the game" in finding.message


# ------------------------------------------------------------------------------- labels the interface cuts
def test_labels_longer_than_the_interface_shows_are_reported():
    meter, band, stage = LABEL_CELLS["meter"], LABEL_CELLS["band"], LABEL_CELLS["stage"]
    body = f"""
        [meters.fits]
        label = "{"m" * meter}"
        start = 50
        bands = [{{ below = 50, label = "{"b" * band}" }}, {{ label = "{"c" * (band + 1)}" }}]

        [meters.long]
        label = "{"n" * (meter + 1)}"
        start = 50

        [flags.ladder]
        label = "Ladder"
        max = 1
        ladder = true
        stages = ["{"s" * stage}", "{"t" * (stage + 1)}"]
        """
    text = (HEAD.format(format=1, turns=6) + textwrap.dedent(body) + TAIL).replace(
        "effects = { ties = 1, morale = 1 }",
        "effects = { ties = 1, morale = 1, fits = 1, long = 1 }\n  set = { ladder = 1 }",
    )
    text = text.replace('value = "ties + morale"', 'value = "ties + morale + fits + long + ladder"')
    scenario = load_scenario_text(text, "labels.toml")
    cut = {f.path: f.message for f in lint_scenario(scenario, text, simulate=False) if f.code == "label-cut"}
    assert set(cut) == {"meters.fits.bands[1].label", "meters.long.label", "flags.ladder.stages[1]"}
    assert cut["meters.long.label"] == (
        f"label '{'n' * (meter + 1)}' is {meter + 1} characters; the interface shows {meter} and cuts the rest "
        f"('{'n' * (meter - 1)}…')"
    )


def test_an_event_that_comes_by_chance_can_fire():
    found = lint(
        """
        [[events]]
        id = "storm"
        title = "Storm"
        text = "A storm."
        chance = "0.2"
        effects = { ties = -1 }

        [[events]]
        id = "calm"
        title = "Calm"
        text = "Never by chance."
        chance = "ties * 0"
        effects = { ties = 1 }
        """,
        format=2,
    )
    assert "events[1]" not in found
    assert found["events[2]"].message == (
        "event 'calm' can never fire: its chance 'ties * 0' is never above 0, it has no date, and no follow-up "
        "schedules it"
    )
