"""`manila sim` and `manila bench`: summaries, JSON, digests across workers, per-game CSV, user policies."""

from __future__ import annotations

import csv
import importlib.util
import json
import textwrap

import pytest

from game.cli import main
from game.policies import PolicyError, get_policy


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_readable_summary(capsys):
    code, out, _ = run(capsys, "sim", "tutorial", "--games", "2000", "--seed", "3")
    assert code == 0
    assert "2,000 games, policy random, seed 3" in out
    assert "Endings" in out and "Muddling through" in out
    assert "Score  mean" in out and "digest " in out


def test_json_has_the_figures_and_a_digest_independent_of_workers(capsys):
    _, one, _ = run(capsys, "sim", "tutorial", "--games", "9000", "--seed", "4", "--json")
    _, two, _ = run(capsys, "sim", "tutorial", "--games", "9000", "--seed", "4", "--json", "--workers", "2")
    a, b = json.loads(one), json.loads(two)
    assert a == b
    assert set(a) >= {"endings", "score", "mean_length", "mean_final", "digest"}
    assert sum(e["count"] for e in a["endings"].values()) == 9000
    assert set(a["score"]) == {"mean", "std", "p5", "p50", "p95"}


def test_first_game_shifts_the_games(capsys):
    _, a, _ = run(capsys, "sim", "tutorial", "--games", "4096", "--json")
    _, b, _ = run(capsys, "sim", "tutorial", "--games", "4096", "--first-game", "4096", "--json")
    assert json.loads(a)["digest"] != json.loads(b)["digest"]


def test_per_game_csv(capsys, tmp_path):
    path = tmp_path / "games.csv"
    code, _, _ = run(capsys, "sim", "tutorial", "--games", "300", "--per-game", str(path), "--policy", "balanced")
    assert code == 0
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 300
    assert rows[0]["game"] == "0" and rows[-1]["game"] == "299"
    assert {"ending", "end_turn", "score", "west_ties", "cutters"} <= set(rows[0])
    assert all(1 <= int(r["end_turn"]) <= 12 for r in rows)


def test_per_game_into_a_missing_folder_is_a_usage_error(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["sim", "tutorial", "--games", "10", "--per-game", str(tmp_path / "no" / "x.csv")])
    assert exc.value.code == 2


def test_user_policy_module_function(capsys, tmp_path, monkeypatch):
    (tmp_path / "mypolicy.py").write_text(
        textwrap.dedent("""
        import numpy as np

        def last_available(view):
            k = view.available.shape[1] - 1 - np.argmax(view.available[:, ::-1], axis=1)
            return k
    """)
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "sim", "tutorial", "--games", "500", "--policy", "mypolicy:last_available", "--json")
    assert code == 0
    assert json.loads(out)["policy"] == "mypolicy:last_available"


def test_unknown_user_policy_is_a_usage_error(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["sim", "tutorial", "--policy", "nosuchmodule:fn"])
    assert exc.value.code == 2
    assert "cannot import policy module" in capsys.readouterr().err


def test_prefer_policy_needs_a_tag():
    with pytest.raises(PolicyError):
        get_policy("prefer:")


def test_bench_json_keys(capsys):
    code, out, _ = run(capsys, "bench", "tutorial", "--json", "--games", "4096")
    assert code == 0
    figures = json.loads(out)
    for key in (
        "batched_game_turns_per_s",
        "reference_game_turns_per_s",
        "ratio",
        "peak_rss_mb",
        "turn_ms_b1",
        "turn_ms_b1_batched",
        "advisor_ms",
        "advisor_consult_ms",
        "scenario",
    ):
        assert key in figures
    assert figures["turn_ms_b1_engine"] == "single" and figures["advisor_engine"] == "batched"
    assert figures["backend"] == "numpy"
    assert figures["turn_ms_b1"] > 0 and figures["turn_ms_b1_batched"] > 0 and figures["advisor_consult_ms"] > 0
    assert figures["scenario"] == "tutorial"
    assert figures["batched_game_turns_per_s"] > figures["reference_game_turns_per_s"] > 0
    rl = figures["rl_vector_steps_per_s"]  # a number with gymnasium installed, else why it was not measured
    assert (isinstance(rl, int) and rl > 0) if importlib.util.find_spec("gymnasium") else "not installed" in rl


# ------------------------------------------------------------------ --trace and per-event columns (issue 15)
def test_trace_follows_a_meter_over_the_games_in_play_without_changing_them(capsys, tmp_path):
    path = tmp_path / "games.csv"
    argv = ["sim", "tutorial", "--games", "9000", "--seed", "4", "--json"]
    _, plain, _ = run(capsys, *argv)
    _, traced, _ = run(capsys, *argv, "--trace", "approval,cutters", "--per-game", str(path))
    _, two, _ = run(capsys, *argv, "--trace", "approval", "--trace", "cutters", "--workers", "2")
    plain, traced, two = json.loads(plain), json.loads(traced), json.loads(two)
    assert traced["digest"] == plain["digest"] and traced == two
    assert {k: v for k, v in traced.items() if k not in ("trace", "quiet")} == plain
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    end_turns = [int(r["end_turn"]) for r in rows]
    approval = traced["trace"]["approval"]
    assert approval["label"] == "Public approval"
    start, *turns = approval["turns"]
    assert (start["turn"], start["date"], start["games"]) == (0, "start", 9000)
    assert start["mean"] == start["min"] == start["max"] == 55  # every game starts at 55
    for r in turns:
        assert r["games"] == sum(1 for t in end_turns if t >= r["turn"])
        assert r["min"] <= r["mean"] <= r["max"]
    last = turns[-1]  # the games in play at the end of the last turn: their final values
    finals = [float(row["approval"]) for row in rows if int(row["end_turn"]) == 12]
    assert last["turn"] == 12 and last["games"] == len(finals)
    assert last["min"] == pytest.approx(min(finals), abs=1e-6) and last["max"] == pytest.approx(max(finals), abs=1e-6)
    assert last["mean"] == pytest.approx(sum(finals) / len(finals), abs=1e-5)
    cutters = traced["trace"]["cutters"]["turns"]
    assert all(float(r["min"]).is_integer() and float(r["max"]).is_integer() for r in cutters)  # a flag
    quiet = traced["quiet"]
    assert quiet["per_game"] == pytest.approx(sum(int(r["quiet_turns"]) for r in rows) / 9000, abs=1e-6)
    assert quiet["turns_played_per_game"] == pytest.approx(sum(end_turns) / 9000, abs=1e-6)
    assert sum(r["no_decision"] for r in quiet["turns"]) == sum(int(r["quiet_turns"]) for r in rows)


def test_trace_prints_a_table_and_the_empty_desk(capsys):
    code, out, _ = run(capsys, "sim", "tutorial", "--games", "500", "--trace", "approval")
    assert code == 0
    assert "Trace of approval (Public approval): over the games in play at the end of each turn" in out
    assert "  start " in out and "December 2031" in out
    assert "Turns with nothing on the desk: " in out and " per game on average, of " in out


def test_trace_of_an_unknown_variable_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["sim", "tutorial", "--games", "10", "--trace", "aproval"])
    assert exc.value.code == 2
    assert "has no meter, faction or flag 'aproval' (did you mean 'approval'?)" in capsys.readouterr().err


def test_per_game_event_counts_match_single_games_played_by_hand(capsys, tmp_path, tutorial):
    from game.play.session import GameSession

    path = tmp_path / "games.csv"
    run(capsys, "sim", "tutorial", "--games", "40", "--seed", "2", "--policy", "first", "--per-game", str(path))
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [k for k in rows[0] if k.startswith("fired:")] == [f"fired:{e.id}" for e in tutorial.events]
    for game in (0, 7, 31):
        session = GameSession(tutorial, seed=2, game_index=game)
        decided = set()
        while not session.over:
            decided.add(session.turn)
            session.choose(next(v.index for v in session.options() if v.available))
        row = rows[game]
        assert int(row["end_turn"]) == session.end_turn
        assert int(row["quiet_turns"]) == session.end_turn - len(decided)
        assert [int(row[f"fired:{e.id}"]) for e in tutorial.events] == [int(n) for n in session.state.event_hits]
