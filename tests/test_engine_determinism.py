"""Game i of seed s is the same alone, in any batch, in chunks and in other processes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.engine import Game
from game.format.scenario import load_scenario
from game.policies import get_policy
from game.sim import run_sim

from .conftest import BUNDLED


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_game_alone_equals_game_in_batch(path):
    scenario = load_scenario(path)
    game = Game(scenario)
    policy = get_policy("random")
    batch = game.new_games(seed=5, first_game=100, count=3000)
    batch.run(policy)
    for i in (0, 1, 777, 2999):
        alone = game.new_games(seed=5, first_game=100 + i, count=1)
        alone.run(policy)
        assert np.array_equal(alone.values()[:, 0], batch.values()[:, i])
        assert alone.endings()[0] == batch.endings()[i]
        assert alone.scores()[0] == batch.scores()[i]


def test_digest_is_independent_of_chunking_and_workers(tutorial):
    a = run_sim(tutorial, games=20_000, seed=9, policy="random", chunk=4096)
    b = run_sim(tutorial, games=20_000, seed=9, policy="random", chunk=16384)
    c = run_sim(tutorial, games=20_000, seed=9, policy="random", chunk=8192, workers=2)
    assert a.digest == b.digest == c.digest
    assert np.array_equal(a.scores, c.scores)


def test_first_game_offsets_compose(tutorial):
    whole = run_sim(tutorial, games=8192, seed=2, policy="balanced", keep_values=True)
    tail = run_sim(tutorial, games=4096, seed=2, policy="balanced", first_game=4096, keep_values=True)
    assert np.array_equal(whole.values[:, 4096:], tail.values)
    assert np.array_equal(whole.endings[4096:], tail.endings)


def test_different_seeds_differ(tutorial):
    a = run_sim(tutorial, games=4096, seed=1)
    b = run_sim(tutorial, games=4096, seed=2)
    assert a.digest != b.digest


# Pinned results on frozen fixtures (tests/data/), not on the bundled scenarios, whose content is meant to
# change. coin.toml's games differ only by their starting luck, drawn from the START stream, so this digest
# pins the counter-based randomness (whose generator tests/test_goldens.py checks against SplitMix64's
# published outputs) and early endings with compaction; tests/test_goldens.py pins games derived by hand.
# If a change of semantics is intended, update the digest and say why in the commit message.
FIXTURES = Path(__file__).parent / "data" / "engine"
GOLDEN = {
    ("coin", "random", 1, 10_000): "77f422b6da7a3b6553cc7bbf9ce2433180aa779151a83d30d7cc81c10dfa9619",
    ("long_quiet", "random", 1, 64): "8591a645b7d89518b9260252e5d39312446345e51d3ed9faa4d781616716ecce",
}


@pytest.mark.parametrize("key", sorted(GOLDEN), ids=lambda k: "-".join(map(str, k)))
def test_golden_digests(key):
    name, policy, seed, games = key
    result = run_sim(load_scenario(FIXTURES / f"{name}.toml"), games=games, seed=seed, policy=policy)
    assert result.digest == GOLDEN[key]
