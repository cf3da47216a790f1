"""CLI edge cases from the hardening attack (issue 10, cases 9-15): usage errors exit 2, failures are one line."""

from __future__ import annotations

import pytest

from game.cli import main


@pytest.mark.parametrize(
    "argv",
    [
        ["sim", "tutorial", "--games", "1000000000000"],  # built ~122 million tasks up front
        ["sim", "tutorial", "--games", "9" * 30],  # beyond int64: OverflowError
        ["sim", "tutorial", "--first-game", str(2**70)],
        ["sim", "tutorial", "--workers", "100"],  # forked 100 processes for 2 tasks
        ["play", "tutorial", "--no-ui", "--game", str(2**70)],
        ["sim", "tutorial", "--games", "1" * 5000],
    ],
)
def test_numbers_out_of_range_are_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "error: argument" in err and "Traceback" not in err


def test_workers_never_exceed_the_chunks(monkeypatch):
    import game.sim.sim as sim_module
    from game.format import load_scenario
    from game.format.catalog import resolve_scenario

    seen = {}

    class Pool:
        def __init__(self, max_workers, **_kw):
            seen["workers"] = max_workers
            raise RuntimeError("stop here")

    monkeypatch.setattr(sim_module, "ProcessPoolExecutor", Pool)
    scenario = load_scenario(resolve_scenario("tutorial"))
    with pytest.raises(RuntimeError, match="stop here"):
        sim_module.run_sim(scenario, games=2 * sim_module.DEFAULT_CHUNK, seed=0, workers=64)
    assert seen["workers"] == 2


def test_prefer_an_unknown_tag_is_refused_with_the_known_tags(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["sim", "tutorial", "--policy", "prefer:pro_nort", "--games", "2"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "no option of 'tutorial' is tagged 'pro_nort' (did you mean 'pro_north'?)" in err
    assert "known tags: balance, pro_north, pro_west" in err


def test_balance_wraps_a_failing_user_policy_like_sim(tmp_path, monkeypatch, capsys):
    (tmp_path / "badpol.py").write_text("def boom(view):\n    raise RuntimeError('my policy broke')\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["balance", "tutorial", "--policy", "badpol:boom", "--games", "4"]) == 1
    err = capsys.readouterr().err
    assert err == "manila: policy 'badpol:boom' failed: RuntimeError: my policy broke\n"


def test_validate_accepts_a_bundled_id(capsys):
    assert main(["validate", "tutorial"]) == 0
    assert capsys.readouterr().out.startswith("tutorial: ok")


def _manila(*args: str, **kw):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    code = "import sys; from game.cli import main; raise SystemExit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=root, capture_output=False, timeout=120, **kw)


def test_a_full_disk_is_one_line_and_exit_1(tmp_path):
    import os
    import subprocess

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = _manila("sim", "tutorial", "--games", "20", stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 1
    assert done.stderr.decode() == "manila: cannot write the output: No space left on device\n"


def test_closed_streams_are_reported_or_survived():
    import subprocess

    closed_out = _manila(
        "sim",
        "tutorial",
        "--games",
        "20",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: __import__("os").close(1),
    )
    assert closed_out.returncode == 1
    assert closed_out.stderr.decode() == "manila: standard output is closed; nothing could be shown\n"
    closed_err = _manila(
        "sim",
        "tutorial",
        "--games",
        "20",
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: __import__("os").close(2),
    )
    assert closed_err.returncode == 0
    assert b"digest" in closed_err.stdout


def test_a_worker_failure_that_cannot_be_pickled_is_reported(tmp_path, monkeypatch, capsys):
    (tmp_path / "unpick.py").write_text(
        "class Odd(Exception):\n"
        "    def __init__(self, a, b):\n"
        "        super().__init__(f'{a} {b}')\n"
        "def boom(view):\n"
        "    raise Odd('not', 'picklable')\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["sim", "tutorial", "--policy", "unpick:boom", "--games", "20000", "--workers", "2"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("manila: policy 'unpick:boom' failed: WorkerError: Odd: not picklable")


def _escaped_tutorial(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "scenarios"
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "tutorial.txt").write_text((root / "sources" / "tutorial.txt").read_text())
    text = (root / "tutorial.toml").read_text()
    text = text.replace('title = "Two Offers for Maravel"', 'title = "Two \\u001b[2JOffers \\u009b for Maravel ✓"')
    path = tmp_path / "esc.toml"
    path.write_text(text)
    return path


def test_escape_sequences_in_scenario_text_and_save_names_never_reach_the_terminal(tmp_path, capsys):
    path = _escaped_tutorial(tmp_path)
    saves = tmp_path / "saves"
    argv = ["play", str(path), "--no-ui", "--choices", "1", "--save", "a\x1b]0;pwned\x07", "--saves-dir", str(saves)]
    assert main(argv) == 0
    assert main(["saves", "--saves-dir", str(saves)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert "Two \\x1b[2JOffers \\x9b for Maravel ✓" in out
    assert "a\\x1b]0;pwned\\x07" in out


def test_an_ascii_only_terminal_gets_replacement_characters(tmp_path):
    import os
    import subprocess

    path = _escaped_tutorial(tmp_path)
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    done = _manila(
        "play", str(path), "--no-ui", "--choices", "1", stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode("ascii").startswith("Two \\x1b[2JOffers \\x9b for Maravel ?: seed 0")
