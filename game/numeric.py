"""Arithmetic rules shared by the loader, both engines and the expression language, defined once.

- ``MAX_NUMBER``: the largest magnitude a scenario may write (constants, amounts, weights, noise).
- ``round_half_away``: whole numbers for flags and ``round()``: half away from zero, as
  ``floor(|x| + 0.5)`` with the sign restored (not Python's banker's rounding).
- ``quantize_weight``: event weights as integer thousandths (capped at ``MAX_WEIGHT``), so sums and draws
  are exact at any batch size.

>>> round_half_away(2.5), round_half_away(-2.5), round_half_away(0.49)
(3.0, -3.0, 0.0)
>>> quantize_weight(1.2345), quantize_weight(-3.0), quantize_weight(5e6)
(1234, 0, 1000000000)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "MAX_NUMBER",
    "MAX_NUMBER_TEXT",
    "MAX_WEIGHT",
    "quantize_weight",
    "quantize_weights",
    "round_half_away",
    "round_half_away_array",
]

MAX_NUMBER = 1e9
MAX_NUMBER_TEXT = "1e9"  # how messages write it
MAX_WEIGHT = 1e6  # an event weight counts at most this much
WEIGHT_SCALE = 1000.0  # weights are counted in thousandths


def round_half_away(x: float) -> float:
    """Half away from zero; infinities and NaN pass through unchanged."""
    if not math.isfinite(x):
        return x
    r = float(math.floor(abs(x) + 0.5))
    return -r if x < 0 else r


def round_half_away_array(x: np.ndarray) -> np.ndarray:
    """``round_half_away`` elementwise."""
    import numpy as np  # here, not at the top: loading a scenario (and ``manila --help``) needs no numpy

    r = np.floor(np.abs(x) + 0.5)
    return np.where(x < 0, -r, r)


def quantize_weight(w: float) -> int:
    """An event weight in integer thousandths: ``floor(clamp(w, 0, MAX_WEIGHT) * 1000)``."""
    return math.floor(min(max(float(w), 0.0), MAX_WEIGHT) * WEIGHT_SCALE)


def quantize_weights(w: np.ndarray) -> np.ndarray:
    """``quantize_weight`` elementwise, as int64."""
    import numpy as np

    return np.floor(np.clip(w, 0.0, MAX_WEIGHT) * WEIGHT_SCALE).astype(np.int64)
