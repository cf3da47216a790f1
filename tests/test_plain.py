"""Plain play (``manila play --plain``): numbered choices from standard input, for screen readers, pipes and
scripts. Driven through the real command, with standard input replaced, and once through a real pipe."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.cli.plain import wants_plain
from game.saves import list_saves, load_save

ROOT = Path(__file__).resolve().parent.parent
HARBOUR = ROOT / "tests" / "data" / "ux" / "harbour.toml"


def play(monkeypatch, capsys, answers: str, *extra: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    code = main(["play", str(HARBOUR), "--plain", "--seed", "1", *extra])
    return code, capsys.readouterr().out


def test_a_whole_game_through_standard_input(monkeypatch, capsys, tmp_path):
    code, out = play(monkeypatch, capsys, "1\n1\n1\n1\n", "--saves-dir", str(tmp_path))
    assert code == 0
    assert "== January 2030, turn 1 of 4. Score" in out and "heading for Another winter" in out
    assert "The country: Trust of the harbour board" in out
    assert "1. Buy from the northern yard now." in out
    assert "likely: Ships in service: up a lot (good)" in out
    assert "The shipyard's patience: down (bad)" in out  # hidden meters as directions
    assert "Board pressure: a rung up, to “letters” (bad)" in out
    assert "3. Ask the board first. [not possible]" in out
    assert "not possible: only when Board pressure at “letters” or beyond (now “calm”)" in out
    assert "You chose: Buy from the northern yard now." in out
    assert "Since your last decision: " in out and "Ships in service: 42, enough (up 12, good)" in out
    # the end: the ending, its epilogue, history beside the term, the score by part
    assert "*** The end: " in out
    assert "Your term beside history, month by month:" in out
    assert "History: The real board voted to delay the purchase by a year." in out
    assert "You: Buy from the northern yard now." in out
    assert "Score " in out and "(final)" in out and "counts on the last day: 0.5 × (Ships in service)" in out
    assert "\x1b" not in out  # no escape codes
    autosaves = list(tmp_path.glob("autosave-*.json"))
    assert autosaves and all(load_save(p) for p in autosaves)


def test_bad_answers_are_refused_with_the_reason_and_asked_again(monkeypatch, capsys, tmp_path):
    code, out = play(monkeypatch, capsys, "x\n9\n3\n2\n \ns\nc\nh\nr\n1\n", "--saves-dir", str(tmp_path))
    assert code == 0
    assert "'x' is not an option: answer with a number from 1 to 4." in out
    assert "There is no option 9: answer with a number from 1 to 4." in out
    assert "Option 3 is not possible: only when Board pressure at “letters” or beyond (now “calm”)." in out
    assert "Option 2 is not possible: needs 8.0 M of harbour funds (you have 6.0 M)." in out
    assert out.count("You chose:") == 1 and "You chose: Buy from the northern yard now." in out
    assert "Heading for: Another winter" in out  # s
    assert "The country:\n  Trust of the harbour board" in out  # c
    assert out.count("Decision: Two shipyards") == 2  # r read it again
    assert "> x" in out  # answers from a pipe are echoed, so a transcript reads as a dialogue


def test_end_of_input_before_the_end_autosaves_and_says_so(monkeypatch, capsys, tmp_path):
    code, out = play(monkeypatch, capsys, "1\n", "--saves-dir", str(tmp_path))
    assert code == 0
    assert "The game stops here (1 decision so far); it was autosaved to " in out
    saves = list_saves(tmp_path)
    assert len(saves) == 1 and saves[0].autosave and saves[0].verified and saves[0].choices == 1
    assert f"manila play --load {saves[0].path}" in out
    # and the save continues in plain play
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n1\n1\n"))
    assert main(["play", "--load", str(saves[0].path), "--plain", "--saves-dir", str(tmp_path)]) == 0
    assert "*** The end: " in capsys.readouterr().out


def test_q_stops_and_autosaves(monkeypatch, capsys, tmp_path):
    code, out = play(monkeypatch, capsys, "q\n", "--saves-dir", str(tmp_path))
    assert code == 0 and "it was autosaved to" in out


@pytest.mark.parametrize(
    ("term", "tty_in", "tty_out", "plain"),
    [
        ("xterm-256color", True, True, False),
        ("dumb", True, True, True),
        ("xterm", False, True, True),
        ("xterm", True, False, True),
        ("", True, True, False),
    ],
)
def test_plain_is_chosen_where_the_interface_cannot_draw(term, tty_in, tty_out, plain):
    class Stream(io.StringIO):
        def __init__(self, tty: bool) -> None:
            super().__init__()
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    assert wants_plain(Stream(tty_in), Stream(tty_out), {"TERM": term}) is plain


def test_through_a_real_pipe(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "MANILA_SAVES_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "game", "play", str(HARBOUR), "--seed", "3"],
        input="2\n1\n1\n1\n1\n1\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Option 2 is not possible" in proc.stdout and "*** The end: " in proc.stdout
    assert "\x1b" not in proc.stdout and "\x1b" not in proc.stderr


def test_watch_needs_the_full_interface(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(SystemExit) as exc:
        main(["play", str(HARBOUR), "--plain", "--watch"])
    assert exc.value.code == 2
    assert "--watch needs the full interface" in capsys.readouterr().err


def test_headless_play_ends_with_the_ending_and_the_score_by_part(capsys):
    assert main(["play", str(HARBOUR), "--choices", "1,1,1,1", "--no-ui", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "*** The end: " in out and "(final)" in out
    assert "counts on the last day: 0.5 × (Ships in service)" in out
    assert "History: The real board voted to delay the purchase by a year." in out
    # before the end: the running score and the ending ahead
    assert main(["play", str(HARBOUR), "--choices", "1", "--no-ui", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "if the term ended now" in out and "Heading for: " in out


def test_effects_in_words_never_name_a_size_for_hidden_meters():
    from game.format.scenario import load_scenario
    from game.play.optiontext import effect_notes

    scenario = load_scenario(HARBOUR)
    north = scenario.events[0].options[0]
    notes = {n.var_id: n for n in effect_notes(scenario, north)}
    assert notes["patience"].size == 0 and notes["patience"].words() == "The shipyard's patience: down (bad)"
    assert notes["ships"].words() == "Ships in service: up a lot (good)"
    assert notes["pressure"].symbols() == "▲ Board pressure: a rung up (bad)"


def test_an_ascii_only_output_still_plays_to_the_end(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LANG": "C",
        "LC_ALL": "C",
        "PYTHONIOENCODING": "ascii",
        "MANILA_SAVES_DIR": str(tmp_path),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "game", "play", str(HARBOUR), "--seed", "1"],
        input="1\n1\n1\n1\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "*** The end: " in proc.stdout and "(good)" in proc.stdout


def _format2_file(tmp_path: Path, extra: str) -> Path:
    """A format-2 scenario whose first option is shown only when ``visible`` holds (with a hint)."""
    path = tmp_path / "shown.toml"
    path.write_text(f"""format = 2
[scenario]
id = "shown"
title = "Shown"
summary = "Options that come and go."
role = "Tester"
start = "2030-01"
turns = 2
[meters.ties]
label = "Ties"
start = 50
[[events]]
id = "offer"
title = "Offer"
text = "An offer."
  [[events.options]]
  id = "secret"
  label = "The quiet way."
  {extra}
  hint = "Nobody will know (ties {{ties}})."
  [[events.options]]
  id = "open"
  label = "The open way."
[[endings]]
id = "end"
title = "End"
epilogue = "Done."
[[score]]
id = "ties"
label = "Ties"
value = "ties"
""")
    return path


def test_hidden_options_keep_the_others_numbers_and_hints_are_shown(monkeypatch, capsys, tmp_path):
    hidden = _format2_file(tmp_path, 'visible = "ties > 1000"')
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n2\n2\n"))
    assert main(["play", str(hidden), "--plain", "--seed", "1", "--saves-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "The quiet way." not in out and "2. The open way." in out
    assert "Your choice (2; " in out
    assert "There is no option 1: answer with a number from 2." in out
    assert "You chose: The open way." in out
    shown = _format2_file(tmp_path, 'visible = "ties > 0"')
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n1\n"))
    assert main(["play", str(shown), "--plain", "--seed", "1", "--saves-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "1. The quiet way.\n     Nobody will know (ties 50)." in out
