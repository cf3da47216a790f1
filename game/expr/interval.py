"""Interval analysis: a conservative range of an expression's value from the ranges of its names (used to
skip sanitizing where overflow is impossible, and by the authoring lint)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .tree import COMPARISONS, LOGIC, SINCE_NEVER, Binary, Call, Memory, Name, Node, Num, Unary

__all__ = ["interval", "largest"]


def interval(node: Node, bounds: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """A conservative range of the expression's value given each name's range.

    Division by an interval that comes near zero is unbounded.
    """
    return _interval(node, bounds, None)


def largest(node: Node, bounds: Mapping[str, tuple[float, float]]) -> float:
    """The largest magnitude any part of the expression can reach given each name's range (inf if unbounded).

    Used to skip the (costly) overflow clean-up where overflow is impossible. Every sub-expression counts,
    including the operands of comparisons and logic, whose own result is only 0 or 1.
    """
    worst = [0.0]
    _interval(node, bounds, worst)
    return worst[0]


def _interval(node: Node, bounds: Mapping[str, tuple[float, float]], worst: list[float] | None):
    lo, hi = _interval_of(node, bounds, worst)
    if worst is not None:
        m = max(abs(lo), abs(hi)) if not (math.isnan(lo) or math.isnan(hi)) else math.inf
        worst[0] = max(worst[0], m)
    return lo, hi


def _interval_of(node: Node, bounds: Mapping[str, tuple[float, float]], worst: list[float] | None):
    inf = math.inf
    if isinstance(node, Num):
        return node.value, node.value
    if isinstance(node, Name):
        return bounds[node.id]
    if isinstance(node, Memory):
        return 0.0, SINCE_NEVER  # counts are at most one a turn; since() is at most SINCE_NEVER
    if isinstance(node, Unary):
        lo, hi = _interval(node.operand, bounds, worst)
        return (-hi, -lo) if node.op == "-" else (0.0, 1.0)
    if isinstance(node, Binary):
        a = _interval(node.left, bounds, worst)
        b = _interval(node.right, bounds, worst)
        if node.op in COMPARISONS or node.op in LOGIC:
            return 0.0, 1.0
        if node.op in ("+", "-"):
            lo, hi = (a[0] + b[0], a[1] + b[1]) if node.op == "+" else (a[0] - b[1], a[1] - b[0])
            # inf - inf (bounds that overflowed) is NaN, which min()/max() further up would silently drop
            return (-inf, inf) if math.isnan(lo) or math.isnan(hi) else (lo, hi)
        if node.op == "/":
            if b[0] < 1.0 and b[1] > -1.0:
                return -inf, inf
            b = (1.0 / b[1], 1.0 / b[0])
        products = [x * y for x in a for y in b if not (math.isinf(x) or math.isinf(y))]
        if any(math.isinf(v) for v in (*a, *b)):
            return -inf, inf
        lo, hi = min(products), max(products)
        return (min(lo, 0.0), max(hi, 0.0)) if node.op == "/" else (lo, hi)
    assert isinstance(node, Call)
    parts = [_interval(a, bounds, worst) for a in node.args]
    if node.fn == "min":
        return min(p[0] for p in parts), min(p[1] for p in parts)
    if node.fn == "max":
        return max(p[0] for p in parts), max(p[1] for p in parts)
    if node.fn == "clamp":
        x, lo, hi = parts
        return min(max(x[0], lo[0]), hi[0]), min(max(x[1], lo[1]), hi[1])
    if node.fn == "abs":
        lo, hi = parts[0]
        return (0.0 if lo <= 0 <= hi else min(abs(lo), abs(hi))), max(abs(lo), abs(hi))
    if node.fn in ("floor", "round"):
        lo, hi = parts[0]
        return lo - 1.0, hi + 1.0
    return min(parts[1][0], parts[2][0]), max(parts[1][1], parts[2][1])
