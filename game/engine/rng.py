"""Counter-based randomness: every draw is a pure function of (seed, game index, turn, stream, slot).

There is no generator state. A game's key is a splitmix64 hash of (seed, game index); a draw hashes the key
with a counter made of the turn, a named stream and a slot. So game ``i`` of seed ``s`` sees the same numbers
whether it runs alone, in a batch of a million, in chunks or in another process.

All uint64 values are 1-D arrays (numpy wraps array arithmetic silently, as the hash needs). ``*_scalar``
twins with Python ints serve the reference engine and must agree to the bit.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "MASK64",
    "Stream",
    "derived_keys",
    "game_key_scalar",
    "game_keys",
    "uniform",
    "uniform_scalar",
]

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
C1 = 0xBF58476D1CE4E5B9
C2 = 0x94D049BB133111EB
INV_2_53 = 1.0 / (1 << 53)


class Stream:
    """Named stream ids: each kind of draw has its own, so adding one never shifts another."""

    START = 1  # starting values drawn from ranges (slot = variable index)
    EVENT = 2  # which event fills a decision slot (slot = decision slot)
    BRANCH = 3  # which chance branch of the chosen option happens (slot = decision slot)
    POLICY = 4  # random choices made by built-in policies (slot = decision slot)
    ESTIMATE = 5  # noise of the estimates of hidden meters (slot = variable index)
    ROLLOUT = 6  # advisor rollouts (slot = option index)
    EVENT_BRANCH = 7  # which chance branch of an event itself happens (slot = decision slot, or 1000 + event)
    CHANCE = 9  # whether an event with a per-turn chance is due this turn (slot = event index)
    TEXT = 8  # which variant of a text's {one of: ...} is shown (slot = from the text; never changes the game)
    BELIEF = 8  # a rollout's redraw of a hidden meter from the player's estimate (slot = variable index)


def _mix(z: np.ndarray) -> np.ndarray:
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(C1)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(C2)
    return z ^ (z >> np.uint64(31))


def _mix_scalar(z: int) -> int:
    z ^= z >> 30
    z = (z * C1) & MASK64
    z ^= z >> 27
    z = (z * C2) & MASK64
    return z ^ (z >> 31)


def _seed_key(seed: int) -> int:
    return _mix_scalar((seed * GOLDEN + 0x2545F4914F6CDD1D) & MASK64)


def _counter(turn: int, stream: int, slot: int) -> int:
    return (((turn & 0xFFFFFF) << 32) | ((stream & 0xFF) << 24) | (slot & 0xFFFFFF)) + 1


def game_keys(seed: int, games: np.ndarray) -> np.ndarray:
    """The per-game keys of ``games`` (int indices) under ``seed``: a (B,) uint64 array."""
    games = np.asarray(games, dtype=np.uint64).reshape(-1)
    return _mix((games * np.uint64(GOLDEN)) ^ np.uint64(_seed_key(seed & MASK64)))


def uniform(keys: np.ndarray, turn: int, stream: int, slot: int = 0) -> np.ndarray:
    """(B,) float64 uniform draws in [0, 1), one per game key."""
    counter = np.uint64((_counter(turn, stream, slot) * GOLDEN) & MASK64)
    h = _mix(keys + counter)
    return (h >> np.uint64(11)).astype(np.float64) * INV_2_53


def derived_keys(keys: np.ndarray, turn: int, stream: int, slot: int, count: int) -> np.ndarray:
    """(B, count) uint64 keys of ``count`` sub-games of each game (e.g. Monte Carlo rollouts).

    Sub-game ``r`` of game ``b`` gets a key that depends only on ``keys[b]``, the counter and ``r``, so the
    same rollout sees the same numbers whatever else is in the batch.
    """
    counter = np.uint64((_counter(turn, stream, slot) * GOLDEN) & MASK64)
    base = _mix(np.asarray(keys, dtype=np.uint64).reshape(-1) + counter)
    r = np.arange(count, dtype=np.uint64) * np.uint64(GOLDEN)
    return _mix(base[:, None] ^ (r[None, :] + np.uint64(0x2545F4914F6CDD1D)))


def game_key_scalar(seed: int, game: int) -> int:
    return _mix_scalar(((game * GOLDEN) & MASK64) ^ _seed_key(seed & MASK64))


def uniform_scalar(key: int, turn: int, stream: int, slot: int = 0) -> float:
    counter = (_counter(turn, stream, slot) * GOLDEN) & MASK64
    h = _mix_scalar((key + counter) & MASK64)
    return float(h >> 11) * INV_2_53
