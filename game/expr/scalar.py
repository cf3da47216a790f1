"""The reference semantics of expressions: one game at a time, with Python floats.

``compile_numpy`` (``game.expr.compiler``) must agree with ``evaluate`` to the bit: both follow IEEE double
arithmetic step by step in the same order. Division by zero gives 0; results are sanitized (NaN -> 0,
magnitudes limited to ``RESULT_LIMIT``). ``compile_scalar`` is ``evaluate`` turned into nested closures once
(the same operations in the same order, without walking the tree on every call), for the single-game engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from ..numeric import round_half_away
from .tree import RESULT_LIMIT, Binary, Call, Memory, Name, Node, Num, Unary, memory_key

__all__ = ["compile_scalar", "evaluate", "sanitize"]


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


Scalar = Callable[[Mapping[str, float]], float]


def compile_scalar(node: Node) -> Scalar:
    """``env -> evaluate(node, env)`` as closures built once: the same result to the bit, several times
    faster. ``env`` must hold floats (as ``game.reference.scalar_env`` makes it): ``evaluate`` converts each
    name's value with ``float()``, these closures read it as it is."""
    if isinstance(node, Num):
        value = sanitize(node.value)
        return lambda env: value
    inner = _closure(node)

    def run(env: Mapping[str, float]) -> float:
        x = inner(env)
        if x != x:
            return 0.0
        if x > RESULT_LIMIT:
            return RESULT_LIMIT
        if x < -RESULT_LIMIT:
            return -RESULT_LIMIT
        return x

    return run


def _closure(node: Node) -> Scalar:
    """The unsanitized value of ``node`` (``_eval``) as a closure."""
    if isinstance(node, Num):
        value = node.value
        return lambda env: value
    if isinstance(node, (Name, Memory)):
        key = node.id if isinstance(node, Name) else memory_key(node)
        return lambda env: env[key]
    if isinstance(node, Unary):
        f = _closure(node.operand)
        if node.op == "-":
            return lambda env: -f(env)
        return lambda env: 0.0 if f(env) != 0.0 else 1.0
    if isinstance(node, Binary):
        return _binary(node.op, _closure(node.left), _closure(node.right))
    assert isinstance(node, Call)
    args = [_closure(a) for a in node.args]
    fn = node.fn
    if fn in ("min", "max"):
        pick = _min2 if fn == "min" else _max2
        first, *rest = args
        if len(rest) == 1:
            second = rest[0]
            return lambda env: pick(first(env), second(env))

        def fold(env: Mapping[str, float]) -> float:
            acc = first(env)
            for f in rest:
                acc = pick(acc, f(env))
            return acc

        return fold
    if fn == "clamp":
        x, lo, hi = args
        return lambda env: _min2(_max2(x(env), lo(env)), hi(env))
    if fn == "if":
        c, a, b = args
        return lambda env: a(env) if c(env) != 0.0 else b(env)
    (x,) = args
    call = CALLS[fn]
    return lambda env: call(x(env))


def _binary(op: str, a: Scalar, b: Scalar) -> Scalar:
    # each operator spelled out: a generic ``BINARY[op](a(env), b(env))`` costs a call more per node
    if op == "+":
        return lambda env: a(env) + b(env)
    if op == "-":
        return lambda env: a(env) - b(env)
    if op == "*":
        return lambda env: a(env) * b(env)
    if op == "/":
        return lambda env: _div(a(env), b(env))
    if op == "<":
        return lambda env: 1.0 if a(env) < b(env) else 0.0
    if op == "<=":
        return lambda env: 1.0 if a(env) <= b(env) else 0.0
    if op == ">":
        return lambda env: 1.0 if a(env) > b(env) else 0.0
    if op == ">=":
        return lambda env: 1.0 if a(env) >= b(env) else 0.0
    if op == "==":
        return lambda env: 1.0 if a(env) == b(env) else 0.0
    if op == "!=":
        return lambda env: 1.0 if a(env) != b(env) else 0.0
    if op == "and":
        return lambda env: 1.0 if a(env) != 0.0 and b(env) != 0.0 else 0.0
    assert op == "or"
    return lambda env: 1.0 if a(env) != 0.0 or b(env) != 0.0 else 0.0
