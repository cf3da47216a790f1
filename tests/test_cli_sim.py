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
