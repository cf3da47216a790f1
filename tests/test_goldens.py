"""Goldens with independent sources: published test vectors, games derived by hand, runnable docs.

None of these values were produced by the code they check: SplitMix64's outputs are the published ones,
the ledger games are derived by hand in tests/data/golden/ledger-expected.toml (and their digests
recomputed here from those hand values with ``struct``), and docstring examples state what the docs
promise.
"""

from __future__ import annotations

import doctest
import hashlib
import importlib
import struct
import tomllib
from pathlib import Path

import numpy as np
import pytest

from game.engine import Game
from game.engine.rng import GOLDEN, MASK64, _mix, _mix_scalar
from game.format import load_scenario
from game.policies import get_policy
from game.reference import ReferenceGame
from game.sim import run_sim

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = Path(__file__).parent / "data" / "golden"

# SplitMix64 (Steele, Lea, Flood 2014; Vigna's reference C code splitmix64.c) seeded with state 0: each
# call adds 0x9E3779B97F4A7C15 to the state and returns the mixed state. These are its first three outputs
# as published with the reference implementation.
SPLITMIX64_STATE_0 = (0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F)


def test_splitmix64_matches_the_published_outputs_for_state_0():
    states = [(GOLDEN * n) & MASK64 for n in (1, 2, 3)]
    assert tuple(_mix_scalar(s) for s in states) == SPLITMIX64_STATE_0
    batched = _mix(np.array(states, dtype=np.uint64))
    assert tuple(int(v) for v in batched) == SPLITMIX64_STATE_0


# ---------------------------------------------------------------------------------------------- ledger
EXPECTED = tomllib.loads((GOLDEN_DIR / "ledger-expected.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ledger():
    return load_scenario(GOLDEN_DIR / "ledger.toml")


def _digest_by_hand(expected: dict, games: int) -> str:
    """The documented sim digest of ``games`` identical games, built from the hand-derived values."""
    values = expected["values_after_turn"][-1]
    records = b"".join(
        struct.pack("<qqqd", g, expected["ending"], expected["end_turn"], expected["score"])
        + struct.pack(f"<{len(values)}d", *map(float, values))
        for g in range(games)
    )
    return hashlib.sha256(hashlib.sha256(records).digest()).hexdigest()


@pytest.mark.parametrize("policy", ["first", "greedy"])
def test_the_pinned_digest_is_what_the_hand_derived_games_imply(policy):
    assert _digest_by_hand(EXPECTED[policy], 3) == EXPECTED[policy]["digest"]


@pytest.mark.parametrize("policy", ["first", "greedy"])
def test_the_batched_engine_plays_the_hand_derived_games(ledger, policy):
    expected = EXPECTED[policy]
    state = Game(ledger).new_games(seed=0, count=1, trace=True)
    state.run(get_policy(policy))
    assert [[float(v) for v in x[:, 0]] for x in state.history] == expected["values_after_turn"]
    assert [int(choice[0]) for _, _, choice in state.choices_made] == expected["choices"]
    assert int(state.endings()[0]) == expected["ending"]
    assert int(state.end_turns()[0]) == expected["end_turn"]
    assert float(state.scores()[0]) == expected["score"]


@pytest.mark.parametrize("policy", ["first", "greedy"])
def test_the_reference_engine_plays_the_hand_derived_games(ledger, policy):
    expected = EXPECTED[policy]
    game = ReferenceGame(ledger, 0, 0)
    game.play(get_policy(policy).single)
    assert [k for _, _, _, k in game.chosen] == expected["choices"]
    assert [float(v) for v in game.x] == expected["values_after_turn"][-1]
    assert game.final_score == expected["score"]


@pytest.mark.parametrize("policy", ["first", "greedy"])
def test_sim_digest_of_the_hand_derived_games(ledger, policy):
    assert run_sim(ledger, games=3, seed=0, policy=policy).digest == EXPECTED[policy]["digest"]


# ---------------------------------------------------------------------------------------------- doctests
def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted((ROOT / "game").rglob("*.py")):
        if ">>> " in path.read_text(encoding="utf-8"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


def test_the_doctest_walk_finds_the_documented_modules():
    assert {"game.numeric", "game.expr", "game.play.session", "game.saves.saves"} <= set(_modules_with_examples())


@pytest.mark.parametrize("name", _modules_with_examples())
def test_docstring_examples_run(name, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples load scenarios/... relative to the project root
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
