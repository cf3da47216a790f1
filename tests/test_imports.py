"""The domain never imports the interface: importing the engine, scenario and simulation modules must not
load textual (checked in a fresh interpreter, so other tests' imports cannot hide a leak)."""

from __future__ import annotations

import subprocess
import sys

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
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"

