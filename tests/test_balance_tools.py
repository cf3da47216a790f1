"""The balance tools: the recipe search and its replay, impulse tests, per-ending scores and one-sided events."""

from __future__ import annotations

import json

import numpy as np
import pytest

from game.authoring.balance import run_balance
from game.authoring.impulse import Impulse, parse_impulse, run_impulse
from game.authoring.recipe_search import evaluate_tables, policy_table, search_recipe
from game.cli import main
from game.engine import Game
from game.policies import PolicyError, get_policy
from game.recipe import Recipe, load_recipe, recipe_policy
from game.reference import ReferenceGame
from game.sim import run_sim


def test_recipe_search_improves_on_its_start_and_replays_from_json(tutorial, tmp_path):
    game = Game(tutorial)
    found = search_recipe(tutorial, seed=3, games=300, passes=2, game=game)
    start = policy_table(game, found.start, found.search_seed, 300)
    start_score, _ = evaluate_tables(game, start[None, :], found.search_seed, 300)
    assert found.search_mean >= start_score.mean()
    # the table found, saved and replayed by name, plays exactly as the search evaluated it
    path = tmp_path / "best.json"
    path.write_text(found.recipe.to_json())
    replay = run_sim(tutorial, games=300, seed=found.search_seed, policy=f"recipe:{path}")
    assert replay.scores.mean() == pytest.approx(found.search_mean, abs=1e-9)
    assert load_recipe(str(path)) == found.recipe


def test_candidate_tables_share_their_games(tutorial):
    """Common random numbers: a table evaluated among others scores as it does alone."""
    game = Game(tutorial)
    tables = np.array([policy_table(game, p, 1, 200) for p in ("first", "greedy", "balanced")])
    together, _ = evaluate_tables(game, tables, 1, 200)
    for i in range(3):
        alone, _ = evaluate_tables(game, tables[i : i + 1], 1, 200)
        assert np.array_equal(alone[0], together[i])


def test_recipe_twins_agree(tutorial):
    game = Game(tutorial)
    table = policy_table(game, "greedy", 2, 100)
    recipe = Recipe.from_table(tutorial, table[:-1])
    policy = recipe_policy(recipe, "recipe")
    batch = game.new_games(5, 0, 40)
    batch.run(policy)
    for i in range(40):
        ref = ReferenceGame(tutorial, seed=5, game_index=i)
        ref.play(policy.single)
        assert ref.final_score == batch.scores()[i]
        assert ref.ending == batch.endings()[i]


def test_bad_recipes_are_reported(tutorial, tmp_path):
    with pytest.raises(PolicyError, match="cannot read"):
        get_policy(f"recipe:{tmp_path / 'missing.json'}")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(PolicyError, match="not valid JSON"):
        get_policy(f"recipe:{bad}")
    bad.write_text(json.dumps({"scenario": "tutorial", "choices": ["a"]}))
    with pytest.raises(PolicyError, match="must hold"):
        get_policy(f"recipe:{bad}")
    with pytest.raises(PolicyError, match="no option 'nope'"):
        Recipe(tutorial.id, (("union_offer", "nope"),)).table(tutorial)
    with pytest.raises(PolicyError, match="not 'tutorial'"):
        Recipe("elsewhere", ()).table(tutorial)


def test_impulse_is_paired_and_measures_the_change(tutorial):
    nothing = run_impulse(tutorial, Impulse("approval", 0.0, 3), policy="greedy", games=300, seed=1)
    assert nothing.mean == 0.0 and nothing.changed == 0.0
    up = run_impulse(tutorial, Impulse("approval", 10.0, 3), policy="greedy", games=300, seed=1)
    down = run_impulse(tutorial, Impulse("approval", -10.0, 3), policy="greedy", games=300, seed=1)
    assert up.base_mean == down.base_mean == nothing.base_mean
    assert up.changed > 0 and up.se >= 0
    assert up.mean != down.mean


@pytest.mark.parametrize("text", ["approval", "approval=x@3", "approval=5", "=5@3"])
def test_bad_impulses(text):
    with pytest.raises(ValueError, match="VAR=DELTA@TURN"):
        parse_impulse(text)


def test_impulse_names_the_variables(tutorial):
    with pytest.raises(ValueError, match="no variable 'aproval'"):
        parse_impulse("aproval=10@5", tutorial)
    with pytest.raises(ValueError, match="turn must be"):
        parse_impulse("approval=10@99", tutorial)
    assert parse_impulse("approval=-2.5@4", tutorial) == Impulse("approval", -2.5, 4)


def test_scores_by_ending_and_one_sided_events(tutorial):
    report = run_balance(tutorial, games=1000, seed=2, policies=["greedy", "first"])
    for run in report.runs:
        total = sum(run.ending_mean(k) * run.end_counts[k] for k in range(len(tutorial.endings)) if run.end_counts[k])
        assert total == pytest.approx(run.score_mean * run.games)
    first = report.run("first")
    fired = [i for i, e in enumerate(tutorial.events) if e.options and first.event_hits[i]]
    assert first.one_sided(tutorial) == fired  # "first" always picks one option, where available


def test_balance_cli_recipe_and_impulse(tmp_path, capsys):
    out = tmp_path / "r.json"
    args = [
        "balance",
        "tutorial",
        "--games",
        "500",
        "--workers",
        "1",
        "--policy",
        "greedy",
        "--recipe",
        "--recipe-games",
        "200",
        "--recipe-passes",
        "1",
        "--recipe-out",
        str(out),
        "--impulse",
        "approval=10@4",
        "--json",
    ]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["recipe"]["choices"] == json.loads(out.read_text())["choices"]
    assert data["recipe"]["held_out"]["games"] == 500
    assert data["impulses"][0]["impulse"] == "approval=+10@4"
    assert "mean_score" in data["policies"]["greedy"]["endings"]["both_ways"]
    assert main(["sim", "tutorial", "--games", "50", "--policy", f"recipe:{out}"]) == 0


def test_balance_cli_bad_impulse_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["balance", "tutorial", "--impulse", "nothing=1@2"])
    assert exc.value.code == 2
    assert "no variable 'nothing'" in capsys.readouterr().err
