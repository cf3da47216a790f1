"""The domain never imports the interface: importing the engine, scenario and simulation modules must not
load textual (checked in a fresh interpreter, so other tests' imports cannot hide a leak)."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = [
    "game.engine",
    "game.scenario",
    "game.sim",
    "game.session",
    "game.reference",
    "game.policies",
    "game.model",
    "game.expr",
    "game.advisor",
    "game.catalog",
    "game.saves",
]


def run_fresh(code: str) -> None:
    """Run ``code`` in a fresh interpreter; it must print 'ok'."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_domain_does_not_import_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {DOMAIN!r}:\n"
        "    importlib.import_module(name)\n"
        "leaks = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not leaks, leaks[:5]\n"
        "assert 'game.tui' not in sys.modules\n"
        "print('ok')\n"
    )
    run_fresh(code)



def test_only_game_rl_imports_gymnasium():
    """The plain install works without gymnasium: every module outside game.rl imports with gymnasium
    blocked, game.rl says how to install it, and `manila bench` reports why it did not measure the env."""
    code = (
        "import importlib, pkgutil, sys\n"
        "sys.modules['gymnasium'] = None  # as if it were not installed\n"
        "import game\n"
        "for info in pkgutil.walk_packages(game.__path__, 'game.'):\n"
        "    if info.name.startswith('game.rl') or info.name == 'game.__main__':\n"
        "        continue\n"
        "    importlib.import_module(info.name)\n"
        "try:\n"
        "    import game.rl\n"
        "except ImportError as exc:\n"
        "    assert \"pip install 'manila-game[rl]'\" in str(exc), exc\n"
        "else:\n"
        "    raise AssertionError('game.rl imported without gymnasium')\n"
        "from game.bench import rl_vector_figures\n"
        "from game.scenario import load_scenario\n"
        "figure = rl_vector_figures(load_scenario('scenarios/tutorial.toml'))['rl_vector_steps_per_s']\n"
        "assert 'gymnasium is not installed' in figure, figure\n"
        "print('ok')\n"
    )
    run_fresh(code)


def test_game_rl_does_not_import_textual():
    pytest.importorskip("gymnasium", reason="game.rl needs the optional extra: pip install -e '.[rl]'")
    code = (
        "import sys\n"
        "import game.rl\n"
        "leaks = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not leaks, leaks[:5]\n"
        "print('ok')\n"
    )
    run_fresh(code)
