"""Scale-out: simulations on any ``concurrent.futures`` executor, a Dask cluster's among them, give the same
games, digest and summary as one process; streaming tallies give the same figures for any chunking."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from game.format.scenario import load_scenario
from game.sim.sim import run_sim, summary_dict
from game.sim.tally import EXACT_SCORES, ScoreSketch

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial.toml"
GAMES = 3 * 4096 + 100  # four chunks of 4096, the last one short


@pytest.fixture(scope="module")
def tutorial():
    return load_scenario(TUTORIAL)


@pytest.fixture(scope="module")
def local(tutorial):
    return run_sim(tutorial, games=GAMES, seed=5, policy="balanced", chunk=4096, keep_values=True)


def _same(a, b) -> None:
    assert a.digest == b.digest
    assert summary_dict(a) == summary_dict(b)
    for name in ("endings", "end_turns", "scores", "values"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_any_executor_gives_the_same_results(tutorial, local):
    with ThreadPoolExecutor(max_workers=3) as pool:
        other = run_sim(tutorial, games=GAMES, seed=5, policy="balanced", chunk=4096, keep_values=True, executor=pool)
    _same(local, other)


def _needs_dask() -> None:
    """Skip without the optional extra; found, not imported (importing Dask here would affect other tests)."""
    if importlib.util.find_spec("distributed") is None:
        pytest.skip("the optional extra: pip install -e '.[cluster]'")


# Dask runs in a fresh interpreter: a Dask client leaves threads behind, and a later test's worker processes,
# forked from a process with threads, could then die.
DASK_CHECK = """
import contextlib, io, json, sys
import numpy as np
from distributed import LocalCluster
from game.cli import main
from game.format.scenario import load_scenario
from game.sim.cluster import cluster_executor
from game.sim.sim import run_sim, summary_dict

def cli(*args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(args)) == 0, args
    return json.loads(out.getvalue())

tutorial = load_scenario("scenarios/tutorial.toml")
kw = dict(games=GAMES, seed=5, policy="balanced", chunk=4096, keep_values=True)
local = run_sim(tutorial, **kw)
checks = {}
with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
    address = cluster.scheduler_address
    with cluster_executor(address) as executor:
        remote = run_sim(tutorial, executor=executor, **kw)
    checks["digest"] = remote.digest == local.digest
    checks["summary"] = summary_dict(remote) == summary_dict(local)
    checks["arrays"] = all(
        np.array_equal(getattr(remote, name), getattr(local, name))
        for name in ("endings", "end_turns", "scores", "values")
    )
    sim = ("sim", "tutorial", "--games", "9000", "--json")
    checks["sim"] = cli(*sim) == cli(*sim, "--scheduler", address)
    bal = ("balance", "tutorial", "--games", "500", "--expert-games", "0", "--json", "--policy", "greedy")
    checks["balance"] = cli(*bal, "--workers", "1") == cli(*bal, "--scheduler", address)
print(json.dumps(checks))
"""


def test_a_dask_cluster_gives_the_same_results():
    """Run by the API and by ``manila sim``/``balance --scheduler`` on a local Dask cluster: identical."""
    _needs_dask()
    code = DASK_CHECK.replace("GAMES", str(GAMES))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    checks = json.loads(out.stdout.strip().splitlines()[-1])
    assert checks == dict.fromkeys(("digest", "summary", "arrays", "sim", "balance"), True)


def test_scheduler_without_dask_is_a_usage_error():
    code = (
        "import sys\n"
        "sys.modules['distributed'] = None  # as if the extra were not installed\n"
        "from game.cli import main\n"
        "sys.exit(main(['sim', 'tutorial', '--games', '10', '--scheduler', 'tcp://127.0.0.1:1']))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 2, out.stderr
    assert "pip install 'manila-game[cluster]'" in out.stderr
    assert "Traceback" not in out.stderr


def test_an_unreachable_scheduler_is_reported():
    _needs_dask()
    code = (
        "import sys\n"
        "from game.cli import main\n"
        "sys.exit(main(['sim', 'tutorial', '--games', '10', '--scheduler', 'tcp://127.0.0.1:9']))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 1, out.stderr
    assert "manila: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in out.stderr
    assert "Traceback" not in out.stderr


# ------------------------------------------------------------------------------------------ tallies
def test_tally_figures_do_not_depend_on_chunks_or_kept_arrays(tutorial):
    games = EXACT_SCORES + 3 * 4096  # long enough for the score sketch
    runs = [
        run_sim(tutorial, games=games, seed=2, chunk=4096, keep_games=False),
        run_sim(tutorial, games=games, seed=2, chunk=20480, keep_games=False),
        run_sim(tutorial, games=games, seed=2, chunk=8192, workers=2),
    ]
    assert runs[0].tally.sketch is not None and runs[0].scores is None
    first = summary_dict(runs[0])
    for other in runs[1:]:
        assert summary_dict(other) == first
        assert other.tally.score_mean == runs[0].tally.score_mean
        assert other.tally.score_m2 == runs[0].tally.score_m2
    scores = runs[2].scores
    assert runs[2].tally.games == scores.shape[0] == games
    assert runs[0].tally.score_mean == pytest.approx(scores.mean(), rel=1e-12)
    assert runs[0].tally.score_std() == pytest.approx(scores.std(), rel=1e-9)
    assert first["median_length"] == float(np.median(runs[2].end_turns))
    assert first["mean_length"] == round(float(runs[2].end_turns.mean()), 6)
    exact = np.percentile(scores, [5, 50, 95])
    sketched = runs[0].tally.percentiles((5, 50, 95))
    np.testing.assert_allclose(sketched, exact, rtol=2.0**-16, atol=0)


def test_small_runs_keep_exact_percentiles(tutorial):
    result = run_sim(tutorial, games=5000, seed=4, keep_games=True)
    assert result.tally.sketch is None
    assert result.tally.percentiles((5, 50, 95)) == tuple(np.percentile(result.scores, [5, 50, 95]))


def test_score_sketch_order_statistics():
    rng = np.random.default_rng(0)
    scores = np.concatenate([rng.normal(300, 40, 400_000), -rng.exponential(3, 5000), [0.0, -0.0, 1e-300]])
    sketch = ScoreSketch()
    for part in np.array_split(rng.permutation(scores), 7):
        sketch.add(part)
    ordered = np.sort(scores)
    assert int(sketch.counts.sum()) == scores.size
    assert sketch.order_statistic(0) == ordered[0] and sketch.order_statistic(scores.size - 1) == ordered[-1]
    for i in range(0, scores.size, 4999):
        got, want = sketch.order_statistic(i), ordered[i]
        assert abs(got - want) <= abs(want) * 2.0**-16 + 1e-300, (i, got, want)
    assert sketch.keys.size < scores.size / 4  # far fewer buckets than scores
    again = ScoreSketch()
    again.add(scores)
    assert np.array_equal(again.keys, sketch.keys) and np.array_equal(again.counts, sketch.counts)
    assert np.array_equal(again.lo, sketch.lo) and np.array_equal(again.hi, sketch.hi)
