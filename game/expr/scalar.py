"""The reference semantics of expressions: one game at a time, with Python floats.

``compile_numpy`` (``game.expr.compiler``) must agree with ``evaluate`` to the bit: both follow IEEE double
arithmetic step by step in the same order. Division by zero gives 0; results are sanitized (NaN -> 0,
magnitudes limited to ``RESULT_LIMIT``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from ..numeric import round_half_away
from .tree import RESULT_LIMIT, Binary, Call, Memory, Name, Node, Num, Unary, memory_key

__all__ = ["evaluate", "sanitize"]


def _truth(x: float) -> bool:
    return x != 0.0


def _div(a: float, b: float) -> float:
    return a / b if b != 0.0 else 0.0


def _min2(a: float, b: float) -> float:
    # np.minimum propagates NaN from either side
    if a != a:
        return a
    if b != b:
        return b
    return a if a <= b else b


def _max2(a: float, b: float) -> float:
    if a != a:
        return a
    if b != b:
        return b
    return a if a >= b else b


def _floor(x: float) -> float:
    return float(math.floor(x)) if math.isfinite(x) else x


def sanitize(x: float) -> float:
    """Non-finite results become 0; the rest is limited to +-RESULT_LIMIT."""
    if x != x:
        return 0.0
    if x > RESULT_LIMIT:
        return RESULT_LIMIT
    if x < -RESULT_LIMIT:
        return -RESULT_LIMIT
    return x


def evaluate(node: Node, env: Mapping[str, float]) -> float:
    """Evaluate with Python floats (the reference engine's way). Names are looked up in ``env``."""
    return sanitize(_eval(node, env))


def _eval(node: Node, env: Mapping[str, float]) -> float:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Name):
        return float(env[node.id])
    if isinstance(node, Memory):
        return float(env[memory_key(node)])
    if isinstance(node, Unary):
        v = _eval(node.operand, env)
        return -v if node.op == "-" else float(not _truth(v))
    if isinstance(node, Binary):
        return BINARY[node.op](_eval(node.left, env), _eval(node.right, env))
    assert isinstance(node, Call)
    return CALLS[node.fn](*(_eval(a, env) for a in node.args))


def _min(*args: float) -> float:
    acc = args[0]
    for v in args[1:]:
        acc = _min2(acc, v)
    return acc


def _max(*args: float) -> float:
    acc = args[0]
    for v in args[1:]:
        acc = _max2(acc, v)
    return acc


# Every operator and function, one game at a time (comparisons and logic give 0.0 or 1.0).
BINARY: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _div,
    "and": lambda a, b: float(_truth(a) and _truth(b)),
    "or": lambda a, b: float(_truth(a) or _truth(b)),
    "<": lambda a, b: float(a < b),
    "<=": lambda a, b: float(a <= b),
    ">": lambda a, b: float(a > b),
    ">=": lambda a, b: float(a >= b),
    "==": lambda a, b: float(a == b),
    "!=": lambda a, b: float(a != b),
}
CALLS: dict[str, Callable[..., float]] = {
    "min": _min,
    "max": _max,
    "clamp": lambda x, lo, hi: _min2(_max2(x, lo), hi),
    "abs": abs,
    "floor": _floor,
    "round": round_half_away,
    "if": lambda c, a, b: a if _truth(c) else b,
}
