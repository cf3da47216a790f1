"""Streaming tallies of a simulation: the figures of a run, folded in chunk by chunk, in bounded memory.

A run of any length keeps the same few arrays: counts of endings and end turns, the score's mean and spread,
the sums of final values, how often each event fired and each option was chosen, and the digest. Nothing
here holds one entry per game, except the scores of runs of at most ``EXACT_SCORES`` games (so that small
runs report exact percentiles); longer runs put their scores in a ``ScoreSketch``.

Every figure is the same whatever the chunk size, the worker count or the executor: chunks arrive in game
order and are folded block by block (``BLOCK`` games from the first one, the blocks of the digest), and the
float sums over a block are taken the same way whichever chunk carried it. Counts are exact.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
from attrs import define, field, frozen

__all__ = ["BLOCK", "EXACT_SCORES", "SKETCH_BITS", "ChunkFigures", "ScoreSketch", "Tally"]

BLOCK = 4096  # games per digest block (and per step of the float sums)
EXACT_SCORES = 65_536  # runs of at most this many games keep every score: exact percentiles
SKETCH_BITS = 16  # mantissa bits of a sketch bucket: a bucket spans at most 2**-16 of its values' size

_SHIFT = 52 - SKETCH_BITS
_MAGNITUDE = np.int64(0x7FFF_FFFF_FFFF_FFFF)


@frozen
class ChunkFigures:
    """What a worker sends back for one chunk of games (all its per-game data is small: three numbers a game).

    ``value_sums`` holds one row per digest block of the chunk: the sum of each variable's final value over
    the block's games, so that the run's sums do not depend on how blocks were grouped into chunks.
    """

    first: int
    endings: np.ndarray  # (n,) int64
    end_turns: np.ndarray  # (n,) int64
    scores: np.ndarray  # (n,) float64
    value_sums: np.ndarray  # (blocks, V) float64
    at_min: np.ndarray  # (V,) games ending with the variable at its minimum
    at_max: np.ndarray  # (V,)
    event_hits: np.ndarray  # (E,)
    option_hits: np.ndarray  # (O,)
    block_digests: tuple[bytes, ...]


def chunk_figures(
    first: int,
    endings: np.ndarray,
    end_turns: np.ndarray,
    scores: np.ndarray,
    values: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    event_hits: np.ndarray,
    option_hits: np.ndarray,
) -> ChunkFigures:
    """The figures of games ``first .. first + n - 1`` from their final records (``values`` is (V, n); ``lo``
    and ``hi`` the (V, 1) bounds). Records should be normalised (``+ 0.0``) so that -0.0 hashes as 0.0."""
    n = endings.shape[0]
    digests, sums = [], []
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        block = np.ascontiguousarray(values[:, start:stop])  # the same layout whichever chunk holds the block
        digests.append(
            block_digest(first + start, endings[start:stop], end_turns[start:stop], scores[start:stop], block)
        )
        sums.append(block.sum(axis=1))
    V = values.shape[0]
    return ChunkFigures(
        first=first,
        endings=endings,
        end_turns=end_turns,
        scores=scores,
        value_sums=np.array(sums).reshape(len(sums), V),
        at_min=(values <= lo).sum(axis=1),
        at_max=(values >= hi).sum(axis=1),
        event_hits=event_hits,
        option_hits=option_hits,
        block_digests=tuple(digests),
    )


def block_digest(first: int, endings, end_turns, scores, values) -> bytes:
    """SHA-256 of the records of one block: per game its index, ending and end turn (int64), then its
    score and final values (float64), little-endian."""
    n = endings.shape[0]
    record = np.empty((n, 4 + values.shape[0]), dtype="<f8")
    ints = record[:, :3].view("<i8")
    ints[:, 0] = np.arange(first, first + n)
    ints[:, 1] = endings
    ints[:, 2] = end_turns
    record[:, 3] = scores
    record[:, 4:] = values.T
    return hashlib.sha256(record.tobytes()).digest()


@define
class ScoreSketch:
    """Scores counted in buckets of nearby values, with each bucket's smallest and largest score.

    A bucket is the scores whose float64 bits agree in sign, exponent and the first ``SKETCH_BITS`` bits of
    the mantissa, so it spans at most 2**-16 (0.0015%) of its values' size and a run holds at most 65,536
    buckets per power of two its scores cover, however many games it has. Buckets are fixed in advance and
    merged by exact integer counts and exact minima and maxima: the sketch is the same in any order.
    """

    keys: np.ndarray = field(factory=lambda: np.zeros(0, dtype=np.int64))
    counts: np.ndarray = field(factory=lambda: np.zeros(0, dtype=np.int64))
    lo: np.ndarray = field(factory=lambda: np.zeros(0))
    hi: np.ndarray = field(factory=lambda: np.zeros(0))

    def add(self, scores: np.ndarray) -> None:
        """Count finite ``scores`` in."""
        scores = np.ascontiguousarray(scores, dtype=np.float64)
        bits = scores.view(np.int64)
        ordered = np.where(bits >= 0, bits, -(bits & _MAGNITUDE))  # integers in the order of the floats
        keys = np.concatenate([self.keys, ordered >> _SHIFT])
        values_lo = np.concatenate([self.lo, scores])
        values_hi = np.concatenate([self.hi, scores])
        counts = np.concatenate([self.counts, np.ones(scores.shape[0], dtype=np.int64)])
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        self.keys = keys[starts]
        self.counts = np.add.reduceat(counts[order], starts)
        self.lo = np.minimum.reduceat(values_lo[order], starts)
        self.hi = np.maximum.reduceat(values_hi[order], starts)

    def order_statistic(self, i: int) -> float:
        """The ``i``-th smallest score (0-based): exact when it is the smallest or largest of its bucket,
        otherwise placed between them by its rank within the bucket (off by less than the bucket's span)."""
        cum = np.cumsum(self.counts)
        b = int(np.searchsorted(cum, i, side="right"))
        count = int(self.counts[b])
        j = i - (int(cum[b]) - count)
        lo, hi = float(self.lo[b]), float(self.hi[b])
        if j == 0 or count == 1:
            return lo
        if j == count - 1:
            return hi
        return lo + (hi - lo) * (j / (count - 1))


@define
class Tally:
    """The figures of a run so far. ``add`` folds in the chunks in game order.

    ``endings`` counts games per ending (``scenario.endings`` order), ``end_turns[t]`` the games that ended on
    turn ``t``; the score's mean and variance are folded block by block (Chan et al.'s pairwise update).
    """

    games_expected: int  # the run's size: decides between exact scores and a sketch
    endings: np.ndarray
    end_turns: np.ndarray
    value_sums: np.ndarray  # (V,) sums of final values, block by block in game order
    at_min: np.ndarray
    at_max: np.ndarray
    event_hits: np.ndarray
    option_hits: np.ndarray
    games: int = 0
    score_mean: float = 0.0
    score_m2: float = 0.0  # sum of squared deviations from the mean
    non_finite: int = 0  # NaN or infinite scores (the figures of the score are then NaN)
    scores: list[np.ndarray] | None = None  # runs of at most EXACT_SCORES games: every score
    sketch: ScoreSketch | None = None
    _digest: hashlib._Hash = field(factory=hashlib.sha256)

    @classmethod
    def empty(cls, games: int, *, endings: int, turns: int, variables: int, events: int, options: int) -> Tally:
        """A tally for a run of ``games`` games of a scenario with these counts of each."""
        exact = games <= EXACT_SCORES
        return cls(
            games_expected=games,
            endings=np.zeros(endings, dtype=np.int64),
            end_turns=np.zeros(turns + 1, dtype=np.int64),
            value_sums=np.zeros(variables),
            at_min=np.zeros(variables, dtype=np.int64),
            at_max=np.zeros(variables, dtype=np.int64),
            event_hits=np.zeros(events, dtype=np.int64),
            option_hits=np.zeros(options, dtype=np.int64),
            scores=[] if exact else None,
            sketch=None if exact else ScoreSketch(),
        )

    def add(self, part: ChunkFigures) -> None:
        """Fold in the next chunk (chunks must come in game order: the digest and the sums follow it)."""
        self.endings += np.bincount(part.endings, minlength=self.endings.shape[0])[: self.endings.shape[0]]
        self.end_turns += np.bincount(part.end_turns, minlength=self.end_turns.shape[0])[: self.end_turns.shape[0]]
        self.at_min += part.at_min
        self.at_max += part.at_max
        self.event_hits += part.event_hits
        self.option_hits += part.option_hits
        for d in part.block_digests:
            self._digest.update(d)
        n = part.scores.shape[0]
        for k, start in enumerate(range(0, n, BLOCK)):
            self.value_sums = self.value_sums + part.value_sums[k]
            self._add_scores(np.ascontiguousarray(part.scores[start : start + BLOCK]))
        finite = part.scores[np.isfinite(part.scores)]
        if self.scores is not None:
            self.scores.append(part.scores.copy())
        elif self.sketch is not None and finite.size:
            self.sketch.add(finite)

    def _add_scores(self, block: np.ndarray) -> None:
        nb = block.shape[0]
        self.non_finite += int(nb - np.count_nonzero(np.isfinite(block)))
        mean_b = float(block.sum()) / nb
        m2_b = float(np.square(block - mean_b).sum())
        n = self.games + nb
        delta = mean_b - self.score_mean
        self.score_mean += delta * nb / n
        self.score_m2 += m2_b + delta * delta * self.games * nb / n
        self.games = n

    # ------------------------------------------------------------------ the figures
    @property
    def digest(self) -> str:
        """SHA-256 over the block digests so far (``game.sim.sim``'s run digest)."""
        return self._digest.hexdigest()

    def score_std(self) -> float:
        """The population standard deviation of the scores (as ``numpy.std``)."""
        return math.sqrt(self.score_m2 / self.games) if self.games else math.nan

    def percentiles(self, qs: tuple[float, ...]) -> tuple[float, ...]:
        """Score percentiles by linear interpolation between order statistics (``numpy.percentile``'s
        default): exact for runs of at most ``EXACT_SCORES`` games, from the sketch for longer ones."""
        if not self.games or self.non_finite:
            return tuple(math.nan for _ in qs)
        if self.scores is not None:
            return tuple(float(p) for p in np.percentile(np.concatenate(self.scores), qs))
        assert self.sketch is not None
        out = []
        for q in qs:
            h = (self.games - 1) * q / 100.0
            i = math.floor(h)
            low = self.sketch.order_statistic(i)
            high = self.sketch.order_statistic(min(i + 1, self.games - 1))
            out.append(low + (h - i) * (high - low))
        return tuple(out)

    def mean_length(self) -> float:
        return float(np.dot(np.arange(self.end_turns.shape[0]), self.end_turns)) / self.games

    def median_length(self) -> float:
        """The median end turn (the mean of the two middle ones for an even count, as ``numpy.median``)."""
        cum = np.cumsum(self.end_turns)
        mid = (self.games - 1) // 2
        a = int(np.searchsorted(cum, mid, side="right"))
        b = int(np.searchsorted(cum, self.games // 2, side="right"))
        return (a + b) / 2.0

    def mean_values(self) -> np.ndarray:
        return self.value_sums / self.games
