"""The layers of the house, enforced.

Every module under ``game/`` outside ``cli/`` and ``tui/`` is found by walking the tree (no hand-kept list)
and parsed with ``ast``, so imports inside functions count as much as those at the top. Each import must
point down the layers::

    base (errors, numeric, model, expr) -> format -> engine (with reference, policies) -> play -> sim, saves
    -> authoring -> cli, tui

A module may import its own layer or a lower one, never a higher one; and nothing outside ``game/tui``
imports textual. A last check runs the imports in a fresh interpreter, so a leak through a third module
cannot hide behind another test's imports.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parent.parent / "game"

# The rank of each top-level part of ``game``: imports may only point to an equal or lower rank.
LAYERS: dict[str, int] = {
    "__init__": 0,
    "__main__": 7,
    "errors": 0,
    "lazy": 0,
    "expr": 0,
    "model": 0,
    "numeric": 0,
    "format": 1,
    "engine": 2,
    "reference": 2,
    "policies": 2,
    "expert": 2,
    "recipe": 2,
    "play": 3,
    "sim": 4,
    "saves": 4,
    "rl": 4,
    "authoring": 5,
    "cli": 6,
    "tui": 6,
}
# Same rank, but never each other: the command line and the interface are two separate front ends,
# except that ``manila play`` starts the interface.
FORBIDDEN = {("tui", "cli"), ("sim", "saves"), ("saves", "sim")}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(GAME.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, wherever it is written."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _imports_in(text: str, package: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if node.module is None or target == "game":  # ``from . import x``: x may be a module
                found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, target))
    return found


def _part(module: str) -> str | None:
    """The top-level part of ``game`` a module belongs to (``game.format.scenario`` -> ``format``)."""
    parts = module.split(".")
    if parts[0] != "game":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


ALL_MODULES = sorted(GAME.rglob("*.py"))
DOMAIN_MODULES = [p for p in ALL_MODULES if _part(_module_name(p)) not in ("cli", "tui")]


def test_every_part_has_a_layer():
    parts = {_part(_module_name(p)) for p in ALL_MODULES}
    assert parts <= set(LAYERS), f"give these a layer in LAYERS: {sorted(parts - set(LAYERS))}"
    assert len(DOMAIN_MODULES) > 30  # the walk found the tree


@pytest.mark.parametrize("path", ALL_MODULES, ids=lambda p: _module_name(p))
def test_imports_point_down(path: Path):
    source = _part(_module_name(path))
    wrong = []
    for line, target in _imports(path):
        part = _part(target)
        if target.split(".")[0] == "textual" and source != "tui":
            wrong.append(f"line {line}: imports {target} (only game.tui may import textual)")
        if part is None or part == source or part not in LAYERS:
            continue
        if LAYERS[part] > LAYERS[source] or (source, part) in FORBIDDEN:
            wrong.append(f"line {line}: {source} (layer {LAYERS[source]}) imports {target} (layer {LAYERS[part]})")
    assert not wrong, f"{_module_name(path)}:\n" + "\n".join(wrong)


def test_the_checker_sees_imports_inside_functions():
    text = "def f():\n    from ..cli.common import load_for_command\n    import textual\n"
    assert [target for _, target in _imports_in(text, "game.format")] == ["game.cli.common", "textual"]


def test_domain_does_not_load_textual():
    # game.rl needs the optional gymnasium; test_game_rl_does_not_load_textual checks it
    names = [_module_name(p) for p in DOMAIN_MODULES if p.name != "__main__.py" and _part(_module_name(p)) != "rl"]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "leaks = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not leaks, leaks[:5]\n"
        "assert not any(m.startswith(('game.tui', 'game.cli')) for m in sys.modules)\n"
        "print('ok')\n"
    )
    run_fresh(code)


def run_fresh(code: str) -> None:
    """Run ``code`` in a fresh interpreter from the checkout's root; it must print 'ok'."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=GAME.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_only_game_rl_imports_gymnasium():
    """The plain install works without gymnasium: every module outside game.rl imports with gymnasium
    blocked, game.rl says how to install it, and `manila bench` reports why it did not measure the env."""
    names = [_module_name(p) for p in ALL_MODULES if p.name != "__main__.py" and _part(_module_name(p)) != "rl"]
    code = (
        "import importlib, sys\n"
        "sys.modules['gymnasium'] = None  # as if it were not installed\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "try:\n"
        "    import game.rl\n"
        "except ImportError as exc:\n"
        "    assert \"pip install 'manila-game[rl]'\" in str(exc), exc\n"
        "else:\n"
        "    raise AssertionError('game.rl imported without gymnasium')\n"
        "from game.format import load_scenario\n"
        "from game.sim.bench import rl_vector_figures\n"
        "figure = rl_vector_figures(load_scenario('scenarios/tutorial.toml'))['rl_vector_steps_per_s']\n"
        "assert 'gymnasium is not installed' in figure, figure\n"
        "print('ok')\n"
    )
    run_fresh(code)


def test_game_rl_does_not_load_textual():
    pytest.importorskip("gymnasium", reason="game.rl needs the optional extra: pip install -e '.[rl]'")
    code = (
        "import sys\n"
        "import game.rl\n"
        "leaks = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'game.tui')))\n"
        "assert not leaks, leaks[:5]\n"
        "print('ok')\n"
    )
    run_fresh(code)
