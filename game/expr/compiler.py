"""Compiling expressions to closures over numpy arrays, for the batched engine.

A compiled function takes ``(X, env)``: ``X`` is the ``(variables, games)`` float64 state, ``env`` maps the
built-in per-turn names to floats. Constant sub-trees are folded with the scalar evaluator, so both engines
agree on them; every operation matches ``game.expr.scalar`` to the bit.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

import numpy as np

from ..numeric import MAX_NUMBER, round_half_away, round_half_away_array
from .interval import largest
from .scalar import _eval, _floor, evaluate, sanitize
from .tree import LOGIC, RESULT_LIMIT, Binary, Call, Memory, Name, Node, Num, Unary, is_logic, memory_key

__all__ = ["compile_numpy", "compile_truth"]

# It returns a float or a 1-D array over games (bool arrays for logic).
Compiled = Callable[[np.ndarray, Mapping[str, float]], "np.ndarray | float"]


def compile_numpy(
    node: Node,
    resolve: Callable[[str], Callable[[np.ndarray, Mapping[str, float]], np.ndarray | float]],
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[Compiled, bool]:
    """Compile to a closure over numpy arrays; returns ``(function, is_constant)``.

    ``resolve(name)`` gives a loader for a name (a row of X, a per-turn built-in, a derived value).
    Constant sub-trees are folded with the scalar evaluator, so both engines agree on them.
    """
    needs_sanitize = bounds is None or not largest(node, bounds) <= MAX_NUMBER
    fn, const = _compile(node, resolve)
    if const is not None:
        value = evaluate(node, {})
        return (lambda X, env, v=value: v), True

    if is_logic(node):

        def number(X, env):
            return _num(fn(X, env))

    else:
        number = fn  # already a number: only comparisons and logic give booleans

    if not needs_sanitize:
        return number, False

    def sanitized(X, env):
        with np.errstate(all="ignore"):  # overflow is expected here and cleaned up below
            v = number(X, env)
        if isinstance(v, np.ndarray):
            v = np.nan_to_num(v, nan=0.0, posinf=RESULT_LIMIT, neginf=-RESULT_LIMIT)
            return np.minimum(np.maximum(v, -RESULT_LIMIT), RESULT_LIMIT)  # np.clip, without its overhead
        return sanitize(v)

    return sanitized, False


def compile_truth(node: Node, resolve, bounds=None):
    """Compile a condition: a closure giving a bool array (or a Python bool) of ``value != 0``.

    Comparisons and logic already give 0/1, so their boolean results are used as they are, without the
    round trip through float64 that ``compile_numpy`` makes; other expressions go through it.
    """
    if is_logic(node):
        fn, const = _compile(node, resolve)
        if const is None:
            if bounds is not None and largest(node, bounds) <= MAX_NUMBER:
                return lambda X, env: _bool(fn(X, env))

            def guarded(X, env):
                # operands may overflow; comparisons of inf or NaN then agree with the scalar evaluator
                with np.errstate(all="ignore"):
                    return _bool(fn(X, env))

            return guarded
    number, _ = compile_numpy(node, resolve, bounds)
    return lambda X, env: _bool(number(X, env))


def _numeric(f, node: Node):
    """``f`` giving a number: as it is, unless ``node`` is a comparison or logic (then its booleans become
    0.0/1.0). Every other node already gives a float or a float64 array, so ``_num`` would change nothing."""
    if is_logic(node):
        return lambda X, env: _num(f(X, env))
    return f


def _num(v):
    """A number (float64 array or float) from any value; booleans become 0.0/1.0."""
    if isinstance(v, np.ndarray):
        return v.astype(np.float64) if v.dtype == np.bool_ else v
    return float(v)


def _bool(v):
    if isinstance(v, np.ndarray):
        return v if v.dtype == np.bool_ else v != 0.0
    return bool(v != 0.0)


def _np_div(a, b):
    if isinstance(b, np.ndarray):
        a_arr = np.broadcast_to(np.asarray(a, dtype=np.float64), b.shape)
        out = np.zeros(b.shape, dtype=np.float64)
        np.divide(a_arr, b, out=out, where=b != 0.0)
        return out
    if b == 0.0:
        return np.zeros_like(a) if isinstance(a, np.ndarray) else 0.0
    return a / b


def _np_round(x):
    return round_half_away_array(x) if isinstance(x, np.ndarray) else round_half_away(x)


def _np_floor(x):
    return np.floor(x) if isinstance(x, np.ndarray) else _floor(x)


_BINARY = {
    "+": lambda a, b: _num(a) + _num(b),
    "-": lambda a, b: _num(a) - _num(b),
    "*": lambda a, b: _num(a) * _num(b),
    "/": lambda a, b: _np_div(_num(a), _num(b)),
    "<": lambda a, b: _num(a) < _num(b),
    "<=": lambda a, b: _num(a) <= _num(b),
    ">": lambda a, b: _num(a) > _num(b),
    ">=": lambda a, b: _num(a) >= _num(b),
    "==": lambda a, b: _num(a) == _num(b),
    "!=": lambda a, b: _num(a) != _num(b),
    "and": lambda a, b: np.logical_and(_bool(a), _bool(b)),
    "or": lambda a, b: np.logical_or(_bool(a), _bool(b)),
}


_DIRECT = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _np_div,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def _compile(node: Node, resolve):
    """Returns (closure, constant-or-None)."""
    if isinstance(node, Num):
        v = node.value
        return (lambda X, env: v), v
    if isinstance(node, Name):
        return resolve(node.id), None
    if isinstance(node, Memory):
        return resolve(memory_key(node)), None
    if isinstance(node, Unary):
        f, c = _compile(node.operand, resolve)
        if c is not None:
            v = _eval(node, {})
            return (lambda X, env: v), v
        if node.op == "-":
            f = _numeric(f, node.operand)
            return (lambda X, env: -f(X, env)), None
        return (lambda X, env: np.logical_not(_bool(f(X, env)))), None
    if isinstance(node, Binary):
        fa, ca = _compile(node.left, resolve)
        fb, cb = _compile(node.right, resolve)
        if ca is not None and cb is not None:
            v = _eval(node, {})
            return (lambda X, env: v), v
        if node.op in _DIRECT and not is_logic(node.left) and not is_logic(node.right):
            # both sides are numbers already: skip the conversions (the common `flag == 2`, `a * 0.1`)
            f = _DIRECT[node.op]
            if cb is not None:
                return (lambda X, env: f(fa(X, env), cb)), None
            if ca is not None:
                return (lambda X, env: f(ca, fb(X, env))), None
            return (lambda X, env: f(fa(X, env), fb(X, env))), None
        if node.op in LOGIC and is_logic(node.left) and is_logic(node.right):
            f = np.logical_and if node.op == "and" else np.logical_or
            return (lambda X, env: f(fa(X, env), fb(X, env))), None
        op = _BINARY[node.op]
        return (lambda X, env: op(fa(X, env), fb(X, env))), None
    assert isinstance(node, Call)
    parts = [_compile(a, resolve) for a in node.args]
    if all(c is not None for _, c in parts):
        v = _eval(node, {})
        return (lambda X, env: v), v
    fns = [_numeric(f, a) for (f, _), a in zip(parts, node.args)]
    name = node.fn
    if name in ("min", "max"):
        reduce2 = np.minimum if name == "min" else np.maximum

        def minmax(X, env):
            acc = fns[0](X, env)
            for f in fns[1:]:
                acc = reduce2(acc, f(X, env))
            return acc

        return minmax, None
    if name == "clamp":
        fx, flo, fhi = fns
        return (lambda X, env: np.minimum(np.maximum(fx(X, env), flo(X, env)), fhi(X, env))), None
    if name == "abs":
        (fx,) = fns
        return (lambda X, env: np.abs(fx(X, env))), None
    if name == "floor":
        (fx,) = fns
        return (lambda X, env: _np_floor(fx(X, env))), None
    if name == "round":
        (fx,) = fns
        return (lambda X, env: _np_round(fx(X, env))), None
    fc, fa, fb = parts[0][0], fns[1], fns[2]

    def if_(X, env):
        c = _bool(fc(X, env))
        a, b = fa(X, env), fb(X, env)
        if isinstance(c, np.ndarray):
            return np.where(c, a, b)
        return a if c else b

    return if_, None
