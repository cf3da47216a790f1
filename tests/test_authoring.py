"""The authoring toolkit: ``manila new``, ``lint`` and ``balance`` on bundled and deliberately flawed scenarios."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game.authoring.balance import balance_policies, run_balance
from game.authoring.lint import lint_file, lint_scenario
from game.authoring.starter import StarterNameError, starter_target, starter_text
from game.cli import main
from game.format.scenario import load_scenario, load_scenario_text
from game.sim import run_sim

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "authoring"
BUNDLED = sorted((ROOT / "scenarios").glob("*.toml"))


def codes(findings) -> set[tuple[str, str]]:
    return {(f.code, f.path) for f in findings}


# ------------------------------------------------------------------------------------------------ new
@pytest.mark.parametrize(
    "name, path, scenario_id",
    [
        ("turkey-s400", "turkey-s400.toml", "turkey-s400"),
        ("india_caatsa.toml", "india_caatsa.toml", "india_caatsa"),
        ("scenarios/radar", "scenarios/radar.toml", "radar"),
    ],
)
def test_starter_target(name, path, scenario_id):
    assert starter_target(name) == (Path(path), scenario_id)


@pytest.mark.parametrize("name", ["My Crisis", "Turkey", "-dash", "", "a" * 61, "x/ü.toml"])
def test_starter_target_rejects_bad_names(name):
    with pytest.raises(StarterNameError):
        starter_target(name)


def test_new_writes_a_scenario_that_validates_plays_and_lints_clean(tmp_path, capsys):
    assert main(["new", str(tmp_path / "my-crisis")]) == 0
    path = tmp_path / "my-crisis.toml"
    assert f"wrote {path}" in capsys.readouterr().out
    scenario = load_scenario(path)
    assert scenario.id == "my-crisis" and scenario.title == "My Crisis"
    for policy in ("random", "balanced", "prefer:pro_league"):
        result = run_sim(scenario, games=300, seed=1, policy=policy)
        assert (result.endings >= 0).all() and result.end_turns.max() == scenario.turns
    assert lint_scenario(scenario, games=3000) == []
    assert main(["lint", str(path), "--games", "3000"]) == 0


def test_new_full_writes_a_complete_scenario_that_validates_plays_and_lints_clean(tmp_path, capsys):
    from game.expr.template import Cond, OneOf, Value, parse_template, walk
    from game.model import ScoreOver, VarKind
    from game.play.session import GameSession

    assert main(["new", str(tmp_path / "full-crisis"), "--full"]) == 0
    path = tmp_path / "full-crisis.toml"
    assert "a complete working scenario" in capsys.readouterr().out
    s = load_scenario(path)
    assert s.id == "full-crisis" and s.format == 2
    # every section of the format ...
    kinds = {v.kind for v in s.variables}
    assert kinds == {VarKind.METER, VarKind.FACTION, VarKind.FLAG}
    assert any(v.hidden for v in s.variables) and any(v.ladder for v in s.variables)
    assert s.rules and s.glossary and s.history and s.advisers and s.consultations
    assert any(e.is_news for e in s.events) and any(e.branches for e in s.events)
    assert any(o.branches for e in s.events for o in e.options) and any(o.cost for e in s.events for o in e.options)
    dated = [e.date_turn for e in s.events if e.date_turn is not None]
    assert len(dated) > len(set(dated))  # two dated decisions in one month: format 2 opens a slot
    # ... and every format-2 feature
    assert any(v.weight_expr is not None for v in s.variables)
    assert any(e.chance is not None and e.max_fires for e in s.events)
    options = [o for e in s.events for o in e.options]
    assert any(o.visible for o in options) and any(o.hint for o in options) and any(o.lasting for o in options)
    assert {m.fn for m in s.memory_calls()} == {"fired", "chosen", "since"}
    assert {c.over for c in s.score} == {ScoreOver.TERM, ScoreOver.FINAL}
    parts = {type(p) for text in s.texts() for p in walk(parse_template(text))}
    assert {Cond, OneOf, Value} <= parts
    # it plays: to the end with every policy, and by hand with every text rendered
    for policy in ("random", "greedy", "balanced", "prefer:pro_pact", "prefer:pro_league"):
        result = run_sim(s, games=500, seed=1, policy=policy)
        assert (result.endings >= 0).all()
    session = GameSession(s, seed=5)
    while not session.over:
        assert "{" not in session.render(session.event.text)
        session.choose(next(v.index for v in session.options() if v.available))
    assert "{" not in session.render(session.ending.epilogue)
    # it lints clean, and the balance report has nothing to warn about
    assert lint_scenario(s, games=3000) == []
    assert main(["lint", str(path), "--games", "3000"]) == 0
    assert run_balance(s, games=4096, seed=2, expert_games=0).warnings() == []


def test_new_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "taken.toml"
    path.write_text("mine", encoding="utf-8")
    assert main(["new", str(path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "mine"


def test_new_bad_name_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["new", "My Crisis"])
    assert exc.value.code == 2
    assert "e.g. 'my-crisis'" in capsys.readouterr().err


def test_new_missing_folder(tmp_path, capsys):
    assert main(["new", str(tmp_path / "nowhere" / "x")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_starter_text_is_valid_for_any_valid_id():
    for scenario_id in ("a", "0-day", "long_name-with-parts"):
        assert load_scenario_text(starter_text(scenario_id), "starter.toml").id == scenario_id
        assert load_scenario_text(starter_text(scenario_id, full=True), "starter.toml").id == scenario_id


# ------------------------------------------------------------------------------------------------ lint
STATIC_FLAWS = {
    ("placeholder", "scenario.summary"),
    ("uncited", "scenario.source"),
    ("never-changed", "meters.morale"),
    ("never-read", "flags.visited"),
    ("never-applies", "rules[0].when"),
    ("follow-once", "events[0].options[0].follow[0]"),
    ("never-available", "events[1].options[1].available"),
    ("never-available", "events[1].options[2].cost.treasury"),
    ("never-applies", "events[1].options[3].branches[1].chance"),
    ("never-applies", "events[1].options[4].branches[0].chance"),
    ("never-fires", "events[2].when"),
    ("never-fires", "events[3].when"),
    ("never-fires", "events[4]"),
    ("never-fires", "events[5]"),
    ("never-reached", "endings[0].when"),
    ("never-reached", "endings[2]"),
}


def test_lint_static_flaws():
    findings = lint_file(DATA / "static_flaws.toml", simulate=False)
    assert codes(findings) == STATIC_FLAWS
    assert len(findings) == len(STATIC_FLAWS) + 1  # two uncited paragraphs
    assert [f.line for f in findings] == sorted(f.line for f in findings)
    by_path = {f.path: f for f in findings}
    assert "stage is only ever 0 or 1" in by_path["events[3].when"].message
    assert "'always' before it always applies" in by_path["endings[2]"].message


def test_lint_simulation_adds_nothing_already_reported():
    assert codes(lint_file(DATA / "static_flaws.toml", games=2000)) == STATIC_FLAWS


def test_lint_simulated_flaws():
    findings = lint_file(DATA / "sim_flaws.toml", games=2000, seed=3)
    assert codes(findings) == {
        ("never-available", "events[0].options[2]"),
        ("never-fires", "events[1]"),
        ("never-reached", "endings[0]"),
    }
    assert "2,000 simulated games (random, prefer:pro_a, prefer:pro_b)" in findings[0].message
    assert lint_file(DATA / "sim_flaws.toml", simulate=False) == []


def test_lint_command_output_and_exit_code(capsys):
    path = DATA / "static_flaws.toml"
    assert main(["lint", str(path), "--no-sim"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        f"{path}:96: events[2].when: event 'too_high' can never fire: 'ties > 150' cannot hold "
        "(ties is 0 to 100) [never-fires]" in out
    )
    assert f"{path}:17: meters.morale: " in "\n".join(out)
    assert out[-1] == f"{path}: 17 warnings"


def test_lint_invalid_scenario_lists_problems(capsys):
    assert main(["lint", str(DATA / "invalid.toml")]) == 1
    out = capsys.readouterr().out
    assert "invalid.toml:15: meters.ties.drift: unknown name 'tie' (did you mean 'ties'?)" in out
    assert "not a valid scenario" in out


def test_lint_missing_file(capsys):
    assert main(["lint", "no-such-file.toml"]) == 1
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_lint_bundled_is_stable_for_a_seed(path):
    first = lint_file(path, games=300, seed=7)
    assert first == lint_file(path, games=300, seed=7)
    assert all(f.line and f.file == str(path) for f in first)


# ------------------------------------------------------------------------------------------------ balance
def test_balance_finds_the_dominant_strategy_and_the_pinned_meter():
    scenario = load_scenario(DATA / "dominant.toml")
    assert balance_policies(scenario) == ["random", "greedy", "balanced", "prefer:pro_a", "prefer:pro_b"]
    report = run_balance(scenario, games=4096, seed=1)
    assert [d.policy for d in report.dominant] == ["prefer:pro_a"]
    assert "matches the best adaptive policy" in str(report.dominant[0])
    pinned = {(p.var, p.bound) for p in report.pinned}
    assert pinned == {("treasury", "max")}
    assert report.run("prefer:pro_a").option_hits[0] == 8 * 4096


def test_balance_starter_has_no_dominant_strategy():
    report = run_balance(load_scenario_text(starter_text("fair"), "fair.toml"), games=4096, seed=2)
    assert report.dominant == ()
    assert report.pinned == ()


def test_the_guide_scenario_is_finished():
    """docs/authoring.md ends with this file: valid, lint-clean, without a dominant strategy."""
    path = DATA / "radar-deal.toml"
    assert lint_file(path, games=4000) == []
    assert run_balance(load_scenario(path), games=4096).dominant == ()


TUTORIAL = ROOT / "scenarios" / "tutorial.toml"


def test_the_tutorial_is_a_clean_format_2_example(tutorial):
    """The first scenario players open: format 2, each new feature used, lint-clean, and balanced (no policy
    dominant, every side reaching an ending with a bonus of 0 or more, few games ending early)."""
    assert tutorial.format == 2
    assert {m.fn for m in tutorial.memory_calls()} == {"fired", "chosen", "since"}
    options = [o for e in tutorial.events for o in e.options]
    assert any(o.visible is not None for o in options) and any(o.hint for o in options)
    assert any(o.lasting is not None for o in options)
    assert any(e.chance is not None and e.max_fires for e in tutorial.events)
    assert any(c.over.value == "term" for c in tutorial.score)
    text = TUTORIAL.read_text(encoding="utf-8")
    assert "{if " in text and "{one of: " in text and "{= " in text
    assert lint_file(TUTORIAL, games=4000) == []
    report = run_balance(tutorial, games=4096, seed=3, expert_games=0)
    assert report.warnings() == []
    assert all(run.early_share <= 0.2 for run in report.runs)


def _guide_section(title: str) -> str:
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    start = guide.index(f"## {title}")
    return guide[start : guide.index("\n## ", start + 1)]


def test_the_guides_format_2_excerpts_are_copied_from_files_that_validate(tmp_path):
    """Section 8 of docs/authoring.md quotes the tutorial (and `manila new --full`): each TOML excerpt is a
    verbatim part of one of them, so the guide cannot drift from files that validate."""
    full = tmp_path / "full.toml"
    full.write_text(starter_text("full", full=True), encoding="utf-8")
    sources = [TUTORIAL.read_text(encoding="utf-8"), full.read_text(encoding="utf-8")]
    load_scenario(TUTORIAL), load_scenario(full)  # both validate
    excerpts = re.findall(r"```toml\n(.*?)```", _guide_section("8. Format 2"), flags=re.DOTALL)
    assert len(excerpts) >= 8
    for excerpt in excerpts:
        assert any(excerpt in source for source in sources), excerpt


def test_balance_hit_counts_add_up(tutorial):
    report = run_balance(tutorial, games=2048, seed=5, policies=["random", "prefer:pro_west"])
    for run in report.runs:
        g = 0
        for i, event in enumerate(tutorial.events):
            n = len(event.options)
            if n:
                assert sum(run.option_hits[g : g + n]) == run.event_hits[i]
            g += n
        assert sum(run.end_counts) == run.games == 2048


def test_balance_json_is_stable_for_a_seed(capsys):
    args = ["balance", str(DATA / "dominant.toml"), "--games", "4096", "--seed", "9", "--workers", "1", "--json"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert set(data["policies"]) == {"random", "greedy", "balanced", "prefer:pro_a", "prefer:pro_b", "expert"}
    assert data["policies"]["expert"]["games"] == 1000
    assert data["policies"]["prefer:pro_a"]["score"]["mean"] == 140.0
    assert data["policies"]["random"]["event_hits"] == {"request": 8 * 4096}
    assert data["dominant"][0]["policy"] == "prefer:pro_a"
    assert data["pinned"][0]["variable"] == "treasury"


def test_balance_warns_about_a_side_without_a_good_ending_and_early_ends(capsys):
    scenario = load_scenario(DATA / "lost_side.toml")
    report = run_balance(scenario, games=4096, seed=1, expert_games=0)
    assert [(w.side, w.policy) for w in report.sides_without_good] == [("pro_b", "prefer:pro_b")]
    assert report.sides_without_good[0].endings == (("Voted out", 1.0, -20.0),)
    assert report.run("prefer:pro_b").early_share == 1.0  # voted out after four turns, every time
    assert report.run("greedy").early_share == 0.0
    random_early = report.run("random").early_share
    assert 0 < random_early <= 0.2  # random is voted out sometimes, not often enough for a warning
    assert [w.policy for w in report.early] == ["prefer:pro_b"]
    assert report.early[0].endings == (("Voted out", 1.0),)
    warnings = report.warnings()
    assert len(warnings) == len(report.dominant) + 2
    assert (
        "side without a good ending: prefer:pro_b never reaches an ending with a bonus of 0 or more; its games "
        "end in 'Voted out' (100%, bonus -20)" in warnings[-2]
    )
    assert warnings[-1].startswith(
        "early ends: 100% of prefer:pro_b's games end before the last turn ('Voted out' 100%)"
    )
    args = ["balance", str(DATA / "lost_side.toml"), "--games", "4096", "--seed", "1", "--workers", "1"]
    assert main([*args, "--expert-games", "0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["warnings"] == warnings
    assert data["sides_without_good_ending"] == [
        {"side": "pro_b", "policy": "prefer:pro_b", "endings": [{"title": "Voted out", "share": 1.0, "bonus": -20.0}]}
    ]
    assert data["early_ends"][0]["policy"] == "prefer:pro_b" and data["policies"]["prefer:pro_b"]["early_share"] == 1.0
    assert main([*args, "--expert-games", "0"]) == 0
    out = capsys.readouterr().out
    assert "  ended early" in out and "  ! side without a good ending: prefer:pro_b" in out


def test_balance_of_a_side_with_a_good_ending_says_nothing_about_it():
    report = run_balance(load_scenario(DATA / "radar-deal.toml"), games=4096, seed=1, expert_games=0)
    assert report.sides_without_good == () and report.early == ()


def test_balance_text_report(tutorial, capsys):
    assert main(["balance", "tutorial", "--games", "2048", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("tutorial: 2,048 games per policy, seed 0")
    for heading in ("Endings", "Score", "Events: firings per game", "Pinned at a bound", "Warnings"):
        assert heading in out
    assert "prefer:pro_north" in out and "prefer:pro_west" in out


def test_balance_bad_policy_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["balance", "tutorial", "--policy", "nonsense"])
    assert exc.value.code == 2
    assert "unknown policy" in capsys.readouterr().err
