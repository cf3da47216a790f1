"""``manila validate`` and the command line's contract: exit codes, usage errors, no tracebacks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from game import __version__
from game.cli import main

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "scenarios" / "tutorial.toml"
PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<path>[A-Za-z0-9_.\[\]-]+): (?P<message>.+)$")

BROKEN = """\
format = 1

[scenario]
id = "broken"
title = "Broken"
summary = "Three mistakes."
role = "Tester"
start = "2030-01"
turns = "6"

[meters.ties]
label = "Ties"
start = 150

[[events]]
id = "only"
title = "Only"
text = "Nothing."
when = "tyes > 1"

[[endings]]
id = "end"
title = "End"
epilogue = "Done."

[[score]]
id = "ties"
label = "Ties"
value = "ties"
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def usage_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    out, err = capsys.readouterr()
    assert info.value.code == 2, (out, err)
    assert "usage:" in err
    assert "Traceback" not in out + err
    return err


def test_validate_tutorial_exits_0(capsys):
    code, out, err = run(capsys, "validate", str(TUTORIAL))
    assert code == 0, out + err
    assert f"{TUTORIAL}: ok" in out
    assert "'Two Offers for Maravel' (tutorial)" in out
    assert out.count("\n") == 1  # one summary line, no problems


def test_validate_broken_file_exits_1_with_problem_lines(capsys, broken):
    code, out, _err = run(capsys, "validate", str(broken))
    assert code == 1
    lines = out.splitlines()
    problems = [m for m in map(PROBLEM_LINE.match, lines) if m and m["file"] == str(broken)]
    found = {m["path"]: (int(m["line"]), m["message"]) for m in problems}
    text = BROKEN.splitlines()
    assert set(found) == {"scenario.turns", "meters.ties.start", "events[0].when"}, out
    assert text[found["scenario.turns"][0] - 1] == 'turns = "6"'
    assert text[found["meters.ties.start"][0] - 1] == "start = 150"
    assert text[found["events[0].when"][0] - 1] == 'when = "tyes > 1"'
    assert "did you mean 'ties'?" in found["events[0].when"][1]
    assert "^^^^" in out  # the caret under the unknown name
    assert lines[-1] == f"{broken}: 3 problems"


def test_validate_several_files(capsys, broken, tmp_path):
    code, out, _ = run(capsys, "validate", str(TUTORIAL), str(broken), str(TUTORIAL))
    assert code == 1
    assert out.count(f"{TUTORIAL}: ok") == 2
    assert f"{broken}: 3 problems" in out
    code, out, _ = run(capsys, "validate", str(TUTORIAL), str(TUTORIAL))
    assert code == 0
    assert out.count(": ok") == 2


def test_validate_missing_empty_and_binary_files(capsys, tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe")
    code, out, _err = run(capsys, "validate", str(tmp_path / "missing.toml"), str(empty), str(binary))
    assert code == 1
    assert f"{tmp_path / 'missing.toml'}: no such file" in out
    assert f"{empty}: the file is empty" in out
    assert "binary" in out


def test_validate_invalid_toml_shows_line_and_column(capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('format = 1\n[scenario]\ntitle = "unterminated\n')
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert re.search(rf"^{re.escape(str(path))}:3: invalid TOML: .*line 3, column \d+", out, re.M), out


def test_validate_coverage(capsys):
    code, out, _ = run(capsys, "validate", str(TUTORIAL), "--coverage")
    assert code == 0
    last = out.rstrip("\n").splitlines()[-1]
    m = re.fullmatch(r"coverage: (\d+)/(\d+) paragraphs", last)
    assert m, last
    covered, total = int(m[1]), int(m[2])
    assert 0 < covered <= total
    assert "cited by:" in out


def test_validate_coverage_without_source(capsys, tmp_path):
    path = tmp_path / "nosource.toml"
    path.write_text(
        BROKEN.replace('turns = "6"', "turns = 6").replace("start = 150", "start = 50").replace("tyes", "ties")
    )
    code, out, _ = run(capsys, "validate", "--coverage", str(path))
    assert code == 0, out
    assert out.rstrip("\n").splitlines()[-1] == "coverage: 0/0 paragraphs"


def test_validate_without_files_is_a_usage_error(capsys):
    usage_error(capsys, "validate")


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code in (0, None)
    out, _ = capsys.readouterr()
    assert out.strip() == f"manila {__version__}"


def test_help(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code in (0, None)
    out, _ = capsys.readouterr()
    assert out.startswith("usage: manila")
    for command in ("play", "validate", "sim", "bench"):
        assert command in out


def test_validate_help(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate", "--help"])
    assert info.value.code in (0, None)
    out, _ = capsys.readouterr()
    assert "--coverage" in out and "FILE" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["validat", str(TUTORIAL)],
        ["--no-such-flag"],
        ["validate", str(TUTORIAL), "--no-such-flag"],
        ["sim", "--games", "0"],
        ["sim", "--games", "-5"],
        ["sim", "--games", "many"],
        ["sim", "--seed", "-1"],
        ["sim", "--policy", "nope"],
    ],
)
def test_usage_errors_exit_2_without_traceback(capsys, argv):
    err = usage_error(capsys, *argv)
    assert "error:" in err


def test_unknown_subcommand_lists_the_commands(capsys):
    err = usage_error(capsys, "frobnicate")
    assert "invalid choice: 'frobnicate'" in err
    assert "validate" in err


def test_sim_games_0_message(capsys):
    err = usage_error(capsys, "sim", "--games", "0")
    assert "--games" in err and "at least 1" in err


def test_sim_unknown_policy_message(capsys):
    err = usage_error(capsys, "sim", "--policy", "nope", str(TUTORIAL))
    assert "nope" in err


def test_sim_missing_file_exits_1_with_a_clear_message(capsys, tmp_path):
    missing = tmp_path / "missing.toml"
    code, out, err = run(capsys, "sim", str(missing), "--games", "1")
    assert code == 1
    assert err.strip() == f"manila: {missing}: no such file"
    assert out == ""


def test_sim_relative_missing_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "sim", "missing.toml")
    assert code == 1
    assert "missing.toml: no such file" in err


def test_sim_broken_scenario_exits_1_pointing_to_validate(capsys, broken):
    code, _, err = run(capsys, "sim", str(broken), "--games", "1")
    assert code == 1
    assert "manila validate" in err
    assert "scenario.turns" in err


def test_python_m_game_validate_subprocess():
    result = subprocess.run(
        [sys.executable, "-m", "game", "validate", "scenarios/tutorial.toml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("scenarios/tutorial.toml: ok")
    assert "Traceback" not in result.stderr
