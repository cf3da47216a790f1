"""Format 2: each feature's loader checks, its rules in both engines, and the probe scenario that uses them
all, where the batched and reference engines must agree to the bit over thousands of games."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.engine import Game
from game.errors import ScenarioError
from game.format import load_scenario, load_scenario_text
from game.policies import get_policy
from game.reference import ReferenceGame

PROBE = Path(__file__).parent / "data" / "engine" / "probe_v2.toml"

MINI = """\
format = {fmt}

[scenario]
id = "mini"
title = "Mini"
summary = "A tiny scenario."
role = "Tester"
start = "2030-01"
turns = 6

[meters.ties]
label = "Ties"
start = 50
drift = 2

[[events]]
id = "offer"
title = "Offer"
text = "{text}"

  [[events.options]]
  id = "yes"
  label = "Yes."
  effects = {{ ties = 5 }}

  [[events.options]]
  id = "no"
  label = "No."
{option_extra}

[[endings]]
id = "end"
title = "End"
epilogue = "Done."

[[score]]
id = "ties"
label = "Ties"
value = "{value}"
{score_extra}
"""


def mini(
    fmt: int = 2, *, text: str = "An offer.", option_extra: str = "", value: str = "ties", score_extra: str = ""
) -> str:
    return MINI.format(fmt=fmt, text=text, option_extra=option_extra, value=value, score_extra=score_extra)


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "mini.toml")
    return [f"{p.line}: {p.path}: {p.message}" for p in info.value.problems]


def agree(scenario, policy_name: str, seed: int, n: int) -> list[int]:
    """Games (indices) where the two engines differ."""
    policy = get_policy(policy_name)
    state = Game(scenario).new_games(seed=seed, count=n)
    state.run(policy)
    values, endings, turns, scores = state.values(), state.endings(), state.end_turns(), state.scores()
    bad = []
    for i in range(n):
        ref = ReferenceGame(scenario, seed, i)
        ref.play(policy.single)
        if (
            ref.ending != endings[i]
            or ref.end_turn != turns[i]
            or ref.final_score != scores[i]
            or not np.array_equal(np.array(ref.x), values[:, i])
        ):
            bad.append(i)
    return bad


# ------------------------------------------------------------------------------------------ format gate
def test_format_1_and_2_both_load_and_format_3_does_not():
    assert load_scenario_text(mini(1), "mini.toml").format == 1
    assert load_scenario_text(mini(2), "mini.toml").format == 2
    (message,) = problems(mini(3))
    assert "format 3 is not supported" in message


def test_a_format_2_key_in_a_format_1_file_says_how_to_enable_it():
    (message,) = problems(mini(1, score_extra='over = "term"'))
    assert message.startswith("40: score[0].over:")
    assert "write 'format = 2'" in message


# ------------------------------------------------------------------------------------- score over the term
def test_over_must_be_final_or_term_with_a_suggestion():
    (message,) = problems(mini(score_extra='over = "terms"'))
    assert "score[0].over" in message and "did you mean 'term'" in message


def test_a_term_component_counts_the_mean_after_each_turn_played():
    scenario = load_scenario_text(mini(score_extra='over = "term"'), "mini.toml")
    state = Game(scenario).new_games(seed=1, count=3, trace=True)
    state.run(get_policy("first"))
    ties = [float(x[0, 0]) for x in state.history[1:]]  # ties after each turn
    assert len(ties) == 6
    assert ties != [ties[-1]] * 6  # the value moves, so mean and final differ
    assert state.scores()[0] == pytest.approx(sum(ties) / 6)
    assert state.scores()[0] != pytest.approx(ties[-1])
    final = load_scenario_text(mini(), "mini.toml")
    other = Game(final).new_games(seed=1, count=3)
    other.run(get_policy("first"))
    assert other.scores()[0] == pytest.approx(ties[-1])


def test_a_term_score_counts_only_the_turns_played_when_the_game_ends_early():
    text = mini(score_extra='over = "term"').replace(
        '[[endings]]\nid = "end"',
        '[[endings]]\nid = "early"\ntitle = "Early"\nearly = true\nwhen = "turn == 3"\n'
        'epilogue = "Early."\n\n[[endings]]\nid = "end"',
    )
    scenario = load_scenario_text(text, "mini.toml")
    state = Game(scenario).new_games(seed=1, count=1, trace=True)
    state.run(get_policy("first"))
    assert state.end_turns()[0] == 3
    ties = [float(x[0, 0]) for x in state.history[1:4]]
    assert state.scores()[0] == pytest.approx(sum(ties) / 3)


def test_the_session_shows_what_each_component_counts_and_its_change():
    from game.play import GameSession

    scenario = load_scenario_text(mini(score_extra='over = "term"'), "mini.toml")
    session = GameSession(scenario, seed=1)
    (line,) = session.score_lines()
    assert line.counts == 0.0  # nothing played yet
    session.choose(0)  # turn 1: +5, then the turn ends (drift +2 came first)
    session.choose(0)
    (line,) = session.score_lines()
    history = [float(x[0, 0]) for x in session.state.history[1:]]
    assert line.counts == pytest.approx(sum(history) / len(history))
    assert line.change == pytest.approx(line.counts - history[0])
    assert line.value == session.value("ties")


@pytest.mark.parametrize("policy", ["random", "greedy", "balanced", "prefer:pro_a"])
def test_the_probe_scenario_agrees_in_both_engines(policy):
    scenario = load_scenario(PROBE)
    assert agree(scenario, policy, 21, 600) == []


# ------------------------------------------------------------------------------------ memory in expressions
def test_memory_calls_name_known_events_and_options_with_suggestions():
    bad = problems(mini(option_extra='  available = "fired(ofer) < 2 and chosen(offer.yess) == 0"'))
    assert any("fired(): unknown event 'ofer' (did you mean 'offer'?)" in p for p in bad)
    assert any("event 'offer' has no option 'yess' (did you mean 'yes'?) (its options: yes, no)" in p for p in bad)
    assert all(p.startswith("29: events[0].options[1].available") for p in bad)


def test_memory_calls_need_format_2():
    (message,) = problems(mini(1, option_extra='  available = "fired(offer) < 2"'))
    assert "unknown function 'fired'" in message and "need 'format = 2'" in message


@pytest.mark.parametrize(
    "expr, message",
    [
        ("fired(offer.yes)", "fired() counts an event; for an option write chosen(event.option)"),
        ("chosen(offer)", "chosen() names an option: chosen(event.option)"),
        ("since(offer, 2)", "since() takes one event or option"),
    ],
)
def test_memory_calls_are_checked_for_shape(expr, message):
    (problem,) = problems(mini(option_extra=f'  available = "{expr}"'))
    assert message in problem


MEMORY_SCORE = "fired(offer) * 1000 + chosen(offer.yes) * 100 + min(since(offer.no), 99)"


def test_memory_counts_firings_and_choices_and_turns_since():
    """Every turn offers the event; 'first' always says yes: by the end it fired 6 times and 'yes' was
    chosen 6 times; 'no' never was, so since(offer.no) is 1000 (capped at 99 here)."""
    scenario = load_scenario_text(mini(value=MEMORY_SCORE), "mini.toml")
    state = Game(scenario).new_games(seed=1, count=2)
    state.run(get_policy("first"))
    assert list(state.scores()) == [6 * 1000 + 6 * 100 + 99] * 2
    ref = ReferenceGame(scenario, 1, 0)
    ref.play(get_policy("first").single)
    assert ref.final_score == 6699


def test_since_is_zero_on_the_turn_it_happened_and_never_is_1000():
    from game.expr import SINCE_NEVER

    assert SINCE_NEVER == 1000
    text = mini(value="since(offer.no)", option_extra="").replace(
        'label = "No."', 'label = "No."\n  effects = { ties = "since(offer.no) + 100 * since(offer.yes)" }'
    )
    scenario = load_scenario_text(text, "mini.toml")
    state = Game(scenario).new_games(seed=1, count=1)
    choices = [1, 0, 0, 1, 0, 0]
    state.apply(np.array([1]))
    # 'no' on turn 1: its own effect sees since(no) = 0 (recorded first) and since(yes) = never: 100 * 1000
    assert state.values()[0, 0] == 100.0  # clamped from 50 + 2 + 100000
    for k in choices[1:]:
        state.apply(np.array([k]))
    assert state.scores()[0] == 2.0  # 'no' was last chosen on turn 4; the game ends after turn 6
    ref = ReferenceGame(scenario, 1, 0)
    ref.play(lambda view: choices[view.turn - 1])
    assert ref.final_score == 2.0


def test_memory_agrees_across_batch_sizes_and_engines():
    scenario = load_scenario(PROBE)
    assert scenario.memory_calls()  # the probe uses memory
    whole = Game(scenario).new_games(seed=4, count=64)
    whole.run(get_policy("random"))
    for first in (0, 17, 40):
        part = Game(scenario).new_games(seed=4, first_game=first, count=5)
        part.run(get_policy("random"))
        assert np.array_equal(part.scores(), whole.scores()[first : first + 5])
        assert np.array_equal(part.memory(), whole.memory()[:, first : first + 5])


# ------------------------------------------------------------------------------------ visible, hint
VISIBLE = '''  visible = "ties > 1000"
  hint = "The press will notice."'''


def test_an_option_that_is_not_visible_is_not_offered_nor_chosen_by_policies():
    from game.play.session import GameSession

    scenario = load_scenario_text(mini(option_extra=VISIBLE), "mini.toml")
    session = GameSession(scenario, seed=1)
    assert [v.index for v in session.options()] == [0]
    assert session.option_view(1) is None and session.option_view(0) is not None
    with pytest.raises(ValueError):
        session.choose(1)
    state = Game(scenario).new_games(seed=2, count=200)
    state.run(get_policy("random"))
    assert state.option_hits[1] == 0 and state.option_hits[0] > 0
    assert agree(scenario, "random", 2, 50) == []


def test_an_option_with_visible_is_not_always_available():
    text = mini(option_extra='  visible = "ties > 0"').replace("  effects = {{ ties = 5 }}", "")
    text = text.replace('  id = "yes"', '  id = "yes"\n  available = "ties > 0"')
    assert any("at least one option must always be available" in p for p in problems(text))


def test_a_hint_is_shown_with_the_option():
    from game.play.session import GameSession

    scenario = load_scenario_text(mini(option_extra='  hint = "Ties now {ties}."'), "mini.toml")
    (_yes, no) = GameSession(scenario, seed=1).options()
    assert no.hint == "Ties now 52."


# ------------------------------------------------------------------------------------ text that follows the state
def _session(text: str, **kw):
    from game.play.session import GameSession

    return GameSession(load_scenario_text(mini(text=text, **kw), "mini.toml"), seed=1)


def test_conditional_text_follows_the_state_and_memory():
    s = _session("{if ties > 51: warm | cool}; {if fired(offer) > 1: again}{if chosen(offer.yes) == 0: first}")
    assert s.render(s.event.text) == "warm; first"
    s.choose(0)
    assert s.render(s.event.text) == "warm; again"


def test_values_and_variants():
    s = _session("{= ties * 2} {one of: a | b | c | d | e | f}")
    first = s.render(s.event.text)
    assert first.startswith("104 ") and first[-1] in "abcdef"
    assert s.render(s.event.text) == first  # the same variant all turn
    seen = set()
    for _ in range(5):
        s.choose(1)
        seen.add(s.render(s.event.text)[-1])
    assert len(seen) > 1  # other turns draw again


QUIET_NEWS = """\
format = 2

[scenario]
id = "quiet"
title = "Quiet"
summary = "News every month, one decision at the end."
role = "Tester"
start = "2030-01"
turns = 8

[meters.ties]
label = "Ties"
start = 50

[[rules]]
id = "wires"
label = "The wires"
follow = [{ event = "wire", after = 1 }]

[[events]]
id = "wire"
title = "Wire"
text = "{one of: a | b | c | d | e | f}"
weight = 0

[[events]]
id = "summit"
title = "Summit"
text = "The summit."
date = 8

  [[events.options]]
  id = "go"
  label = "Go."

[[endings]]
id = "end"
title = "End"
epilogue = "Done."

[[score]]
id = "ties"
label = "Ties"
value = "ties"
"""


def test_news_from_quiet_turns_keeps_the_variant_of_its_own_turn():
    """Months without a decision are shown together at the next one; each news keeps its own turn's variant
    (rendered at the later turn, every entry would read alike)."""
    from game.play.session import GameSession

    session = GameSession(load_scenario_text(QUIET_NEWS, "quiet.toml"), seed=3)
    assert session.turn == 8 and session.event.id == "summit"
    wires = [f for f in session.feed if f.title == "Wire"]
    assert [f.turn for f in wires] == [2, 3, 4, 5, 6, 7, 8]
    assert all(f.text == session.render("{one of: a | b | c | d | e | f}", variant_turn=f.turn) for f in wires)
    assert len({f.text for f in wires}) > 1
    assert wires[-1].text == session.render("{one of: a | b | c | d | e | f}")  # this turn's: as drawn now


@pytest.mark.parametrize(
    "text, message",
    [
        ("{if ties > 1 warm}", "needs a condition and a colon"),
        ("{if ties >: a}", "in expression 'ties >'"),
        ("{if tie > 1: a}", "unknown name 'tie' (did you mean 'ties'?)"),
        ("{one of: a}", "at least two variants"),
        ("{if ties > 1: a | b | c}", "at most two alternatives"),
        ("{if fired(ofer): a}", "unknown event 'ofer'"),
        ("{ties", "unmatched '{'"),
    ],
)
def test_bad_conditional_text_is_reported_with_its_path(text, message):
    (problem,) = problems(mini(text=text))
    assert problem.startswith("19: events[0].text:") and message in problem


def test_text_conditions_may_not_reveal_hidden_meters_except_after_the_game():
    text = mini(text="{if secret > 5: yes}").replace(
        "[[events]]", '[meters.secret]\nlabel = "S"\nstart = 3\nhidden = true\n\n[[events]]'
    )
    (problem,) = problems(text)
    assert "reads the hidden 'secret'" in problem
    ok = text.replace('text = "{if secret > 5: yes}"', 'text = "Plain."').replace(
        'epilogue = "Done."', 'epilogue = "{if secret > 5: It was high.}"'
    )
    load_scenario_text(ok, "mini.toml")


def test_format_1_texts_read_as_before():
    (problem,) = problems(mini(1, text="{if ties > 1: a}"))
    assert "unknown placeholder" in problem


# ------------------------------------------------------------------------------------ chance, max_fires, cooldown
def test_limits_hold_for_every_way_an_event_comes():
    """max_fires caps a news event with a chance; cooldown spaces out a scheduled one (a rule asks for the
    report every turn, cooldown 2: turns 2, 5, 8, 11, 14)."""
    scenario = load_scenario(PROBE)
    counts = {"protest": [], "report": []}
    for i in range(200):
        ref = ReferenceGame(scenario, 9, i)
        ref.play(get_policy("random").single)
        for ev in counts:
            counts[ev].append(ref.fired_count(scenario.events[scenario.event_index(ev)]))
    assert max(counts["protest"]) == 3 and min(counts["protest"]) < 3  # capped, and a chance, not a certainty
    assert set(counts["report"]) == {5.0}


def test_a_chance_each_turn_fires_about_as_often_as_it_says():
    text = mini().replace(
        "[[endings]]",
        '[[events]]\nid = "rumour"\ntitle = "Rumour"\ntext = "News."\n'
        "chance = 0.25\neffects = { ties = 1 }\n\n[[endings]]",
    )
    scenario = load_scenario_text(text, "mini.toml")
    state = Game(scenario).new_games(seed=3, count=4000)
    state.run(get_policy("random"))
    assert state.event_hits[1] / (4000 * 6) == pytest.approx(0.25, abs=0.02)
    assert agree(scenario, "random", 3, 200) == []


@pytest.mark.parametrize(
    "extra, message",
    [
        ("chance = 1.5", "a probability must be between 0 and 1"),
        ('chance = 0.5\ndate = "2030-03"', "a dated event cannot also have a chance"),
        ("chance = 0.5\nweight = 2", "never drawn by weight"),
        ("max_fires = -1", "events[0].max_fires"),
    ],
)
def test_chance_and_max_fires_are_checked(extra, message):
    text = mini().replace('text = "An offer."', 'text = "An offer."\n' + extra)
    assert any(message in p for p in problems(text))


def test_format_1_cooldown_still_only_limits_random_draws():
    """The surprise the format-2 rule fixes, kept for format-1 files (their games must not change)."""
    body = mini(1).replace(
        '[[events]]\nid = "offer"',
        '[[rules]]\nid = "ask"\nlabel = "Ask"\nfollow = [{ event = '
        '"report", after = 1 }]\n\n[[events]]\nid = "report"\ntitle = "R"\ntext = "R."\n'
        'cooldown = 2\neffects = { ties = 1 }\n\n[[events]]\nid = "offer"',
    )
    for fmt, fires in ((1, 5), (2, 2)):  # turns 2-6 every time; with format 2, turns 2 and 5
        scenario = load_scenario_text(body.replace("format = 1", f"format = {fmt}"), "mini.toml")
        state = Game(scenario).new_games(seed=1, count=1)
        state.run(get_policy("first"))
        assert state.event_hits[0] == fires


# ------------------------------------------------------------------------------------ faction weights
FACTIONS = """
[factions.army]
label = "Army"
start = 80
weight = "{weight}"

[factions.public]
label = "Public"
start = 20
weight = 1
"""


def _with_factions(weight: str, fmt: int = 2, value: str = "support") -> str:
    return mini(fmt, value=value).replace("[[events]]", FACTIONS.format(weight=weight) + "\n[[events]]", 1)


def test_faction_weights_can_change_with_the_state():
    # the army counts 3 times while ties are above 51, else not at all (a negative weight counts as 0)
    scenario = load_scenario_text(_with_factions("if(ties > 51, 3, -1)"), "mini.toml")
    state = Game(scenario).new_games(seed=1, count=1, trace=True)
    state.apply(np.array([1]))  # turn 1: ties 52 after drift, 'no': the score is (3 * 80 + 20) / 4
    assert state.scores()[0] == 65.0
    ref = ReferenceGame(scenario, 1, 0)
    ref.play(lambda view: 1)
    low = load_scenario_text(_with_factions("if(ties > 1000, 3, -1)"), "mini.toml")
    other = Game(low).new_games(seed=1, count=1)
    other.run(get_policy("first"))
    assert other.scores()[0] == 20.0  # only the public counts
    assert agree(scenario, "random", 1, 100) == [] and agree(low, "random", 1, 20) == []


def test_a_faction_weight_cannot_use_support_and_format_1_weights_are_numbers():
    (problem,) = problems(_with_factions("support / 10"))
    assert "cannot depend on 'support'" in problem
    (problem,) = problems(_with_factions("2 * ties", fmt=1))
    assert "factions.army.weight: must be a number" in problem


def test_format_2_keys_are_gated_per_table_not_by_name():
    """A branch's 'chance' is a format-1 key even though an event's 'chance' is format 2."""
    text = mini(1, option_extra='  [[events.options.branches]]\n  chance = 0.5\n  text = "Lucky."')
    assert load_scenario_text(text, "mini.toml").events[0].options[1].branches[0].chance.constant == 0.5
    bad = mini(1).replace('text = "An offer."', 'text = "An offer."\nchance = 0.5')
    (problem,) = problems(bad)
    assert "events[0].chance: 'chance' is a format-2 key" in problem


# ------------------------------------------------------------------------------------ overflow slots
def test_dated_decisions_never_slide_in_format_2():
    """Two decision events dated March, one decision a turn: format 1 slides the second to April (and its
    '{date}' would then be wrong); format 2 opens an extra slot in March."""
    extra = "".join(
        f'[[events]]\nid = "{name}"\ntitle = "{name}"\ntext = "On {{date}}."\ndate = "2030-03"\n\n'
        f'  [[events.options]]\n  id = "ok"\n  label = "Ok."\n\n'
        for name in ("summit", "vote")
    )
    for fmt, turns in ((1, [3, 4]), (2, [3, 3])):
        scenario = load_scenario_text(mini(fmt).replace("[[endings]]", extra + "[[endings]]"), "mini.toml")
        state = Game(scenario).new_games(seed=1, count=1, trace=True)
        state.run(get_policy("first"))
        in_march = [s for t, s, _k in state.choices_made if t == 3]
        assert in_march == ([0, 1] if fmt == 2 else [0])  # the dated events take the slots before any draw
        ref = ReferenceGame(scenario, 1, 0)
        ref.play(get_policy("first").single)
        dated = [t for t, _s, e, _k in ref.chosen if scenario.events[e].id in ("summit", "vote")]
        assert dated == turns
        assert agree(scenario, "random", 1, 30) == []


# ------------------------------------------------------------------------------------ lasting effects
LASTING = '  lasting = { turns = 2, label = "Goodwill", effects = { ties = 10 } }'


def test_a_lasting_effect_ends_by_itself_and_says_so():
    from game.play.session import GameSession

    text = mini(option_extra=LASTING).replace("drift = 2", "drift = 0")
    scenario = load_scenario_text(text, "mini.toml")
    session = GameSession(scenario, seed=1)
    session.choose(1)  # turn 1: goodwill +10 until the start of turn 3
    assert session.value("ties") == 60  # (the session now waits at turn 2's decision)
    assert [c.label for c in session.changes("ties", 1)] == ["Goodwill (for a while)"]
    session.choose(0)  # turn 2: yes, +5; then turn 3 begins and goodwill ends (-10)
    assert session.value("ties") == 55
    session.choose(0)  # turn 3: yes, +5
    assert session.value("ties") == 60
    assert {c.label: c.delta for c in session.changes("ties", 3)} == {"Goodwill ends": -10.0, "Yes.": 5.0}
    assert agree(scenario, "random", 1, 200) == []


def test_a_lasting_effect_applied_again_is_not_added_twice_but_lasts_longer():
    text = mini(option_extra=LASTING).replace("drift = 2", "drift = 0")
    scenario = load_scenario_text(text, "mini.toml")
    state = Game(scenario).new_games(seed=1, count=1, trace=True)
    for _ in range(4):
        state.apply(np.array([1]))  # 'no' on turns 1-4: +10 once; each refresh moves its end (last: turn 6)
        assert state.values()[0, 0] == 60
    state.apply(np.array([0]))  # turn 5: yes (+5); turn 6 begins: goodwill ends (-10)
    assert state.values()[0, 0] == 55


@pytest.mark.parametrize(
    "lasting, message",
    [
        ('{ turns = 0, label = "G", effects = { ties = 1 } }', "lasting.turns"),
        ('{ turns = 2, label = "G", effects = { ties = "ties / 2" } }', "a lasting change is a number"),
        ('{ turns = 2, label = "G", effects = { tie = 1 } }', "did you mean 'ties'"),
        ('{ turns = 2, label = "G", effects = {} }', "needs effects"),
    ],
)
def test_lasting_effects_are_checked(lasting, message):
    assert any(message in p for p in problems(mini(option_extra=f"  lasting = {lasting}")))
