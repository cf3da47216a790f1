"""Start-up: help and the title screen come up without numpy or the engine.

``manila --help`` builds the parser from every subcommand module, so one heavy import at the top of any of
them slows every command's help; the title screen is the first thing a player waits for. Both are checked
in a fresh interpreter, where nothing else has loaded the modules already.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("numpy", "game.engine", "game.reference", "game.play.session", "game.sim.sim")


def _heavy(modules) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] == "numpy" or m.startswith(HEAVY[1:]))


def _imported_by(*args: str, expect: str = "usage: manila") -> list[str]:
    """Every module ``python -X importtime -m game ARGS`` imports (from its import-time report), after
    checking that its output shows ``expect``."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "game", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert expect in out.stdout, out.stdout[-2000:]
    lines = [line for line in out.stderr.splitlines() if line.startswith("import time:") and "|" in line]
    assert len(lines) > 50, "no import-time report"  # the interpreter's own modules at least
    return [line.rsplit("|", 1)[1].strip() for line in lines]


def test_help_imports_neither_numpy_nor_the_engine():
    modules = _imported_by("--help")
    # the subcommand modules come through importlib (which the report leaves out), what they import does not
    assert {"game.cli.common", "game.policies", "game.authoring.defaults"} <= set(modules)
    assert _heavy(modules) == []


def test_each_command_help_imports_neither_numpy_nor_the_engine():
    from game.cli import COMMANDS

    code = (
        "import contextlib, io, sys\n"
        "from game.cli import main\n"
        f"for command in {list(COMMANDS)!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "        try:\n"
        "            main([command, '--help'])\n"
        "        except SystemExit as exc:\n"
        "            assert exc.code == 0, (command, exc.code)\n"
        "    assert f'usage: manila {command}' in out.getvalue(), command\n"
        f"    heavy = sorted(m for m in sys.modules if m.split('.')[0] == 'numpy' or m.startswith({HEAVY[1:]!r}))\n"
        "    assert not heavy, (command, heavy[:5])\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"


def test_the_check_sees_numpy_when_a_command_runs():
    """The checks above would pass vacuously if the report changed its format: a game played does show."""
    modules = _imported_by("sim", "tutorial", "--games", "1", expect="digest")
    assert {"numpy", "game.engine.state"} <= set(_heavy(modules))


def test_loading_a_scenario_needs_no_numpy():
    """The title screen's preview and ``manila validate`` read scenarios: the loader must stay light."""
    modules = _imported_by("validate", "manila-2019", expect="ok")
    assert "game.format.scenario" in modules
    assert _heavy(modules) == []


def test_title_screen_loads_neither_numpy_nor_the_engine(tmp_path: Path):
    pytest.importorskip("textual")
    code = (
        "import asyncio, sys\n"
        "from game.tui.app import ManilaApp\n"
        "from game.tui.screens.title import TitleScreen\n"
        "async def main():\n"
        f"    app = ManilaApp(saves_dir={str(tmp_path / 'saves')!r})\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.app.workers.wait_for_complete()\n"
        "        await pilot.pause()\n"
        "        assert isinstance(app.screen, TitleScreen), app.screen\n"
        "        text = str(app.screen.query_one('#scenario-text').render())\n"
        "        assert 'You are' in text, text  # the highlighted scenario was loaded for its preview\n"
        "        app.get_system_commands(app.screen)  # the command palette must not load the game screens\n"
        f"        heavy = sorted(m for m in sys.modules if m.split('.')[0] == 'numpy' or m.startswith({HEAVY[1:]!r}))\n"
        "        assert not heavy, heavy[:5]\n"
        "asyncio.run(main())\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().endswith("ok")
