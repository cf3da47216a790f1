"""The safe expression language of scenario files: parse -> check -> compile.

Scenario files come from strangers, so expressions are never handed to ``eval``. A hand-written tokenizer
and precedence-climbing parser accept only this grammar::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | "+" unary | atom
    atom    := NUMBER | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"

Length, nesting depth, node count and the size of numbers are bounded, so a hostile file can neither hang
the parser nor exhaust memory. Division by zero gives 0.

The same tree is evaluated two ways that agree to the bit: ``compile_numpy`` builds closures over a
``(variables, games)`` float64 array for the batched engine, and ``evaluate`` walks it with Python floats
for the reference engine. Both follow IEEE double arithmetic step by step in the same order.

>>> e = parse("clamp(x / 2, 0, 10) + (y > 3)")
>>> evaluate(e, {"x": 30.0, "y": 4.0})
11.0
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping

import numpy as np
from attrs import frozen

from ..errors import ExprError

__all__ = [
    "FUNCTIONS",
    "MAX_CONSTANT",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "RESULT_LIMIT",
    "Binary",
    "Call",
    "Name",
    "Node",
    "Num",
    "Unary",
    "compile_numpy",
    "compile_truth",
    "evaluate",
    "interval",
    "largest",
    "names_in",
    "parse",
]

MAX_LENGTH = 1000
MAX_DEPTH = 32
MAX_NODES = 200
MAX_CONSTANT = 1e9
RESULT_LIMIT = 1e12

# name -> (min args, max args)
FUNCTIONS: dict[str, tuple[int, int]] = {
    "min": (2, 8),
    "max": (2, 8),
    "clamp": (3, 3),
    "abs": (1, 1),
    "floor": (1, 1),
    "round": (1, 1),
    "if": (3, 3),
}
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
LOGIC = ("and", "or")
KEYWORDS = ("and", "or", "not")


@frozen
class Node:
    """Base of the expression tree; ``pos``/``end`` locate the node in the source text."""

    pos: int
    end: int


@frozen
class Num(Node):
    value: float


@frozen
class Name(Node):
    id: str


@frozen
class Unary(Node):
    op: str  # "-" or "not"
    operand: Node


@frozen
class Binary(Node):
    op: str
    left: Node
    right: Node


@frozen
class Call(Node):
    fn: str
    args: tuple[Node, ...]


# ---------------------------------------------------------------------------------------------- parsing

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|==|!=|[-+*/<>(),])
    """,
    re.VERBOSE,
)


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            hint = ""
            if text.startswith("**", pos):
                hint = " (there is no power operator; multiply instead)"
            elif ch in "&|":
                hint = " (write 'and' / 'or')"
            elif ch == "!":
                hint = " (write 'not')"
            elif ch == "=":
                hint = " (compare with '==')"
            elif ch in "'\"":
                hint = " (expressions have no strings)"
            elif ch in ".[]{}:;@":
                hint = " (only numbers, names, operators and function calls are allowed)"
            raise ExprError(f"unexpected character {ch!r}{hint}", text, pos)
        kind = m.lastgroup or ""
        if kind != "ws":
            if kind == "op" and m.group() == "*" and text.startswith("**", pos):
                raise ExprError("there is no power operator; multiply instead", text, pos, pos + 2)
            tokens.append((kind, m.group(), pos))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.nodes = 0
        self.depth = 0

    # -- helpers
    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str, tok: tuple[str, str, int] | None = None) -> ExprError:
        _kind, value, pos = tok or self.peek()
        return ExprError(message, self.text, pos, pos + max(1, len(value)))

    def count(self, node: Node) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExprError(f"expression too large (more than {MAX_NODES} operations)", self.text, node.pos)
        return node

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"expression nested too deeply (more than {MAX_DEPTH} levels)", self.text, pos)

    def is_op(self, *values: str) -> bool:
        kind, value, _ = self.peek()
        return kind in ("op", "name") and value in values

    # -- grammar
    def parse(self) -> Node:
        if not self.text.strip():
            raise ExprError("empty expression", self.text, 0)
        node = self.parse_or()
        kind, value, _pos = self.peek()
        if kind != "end":
            if kind == "op" and value in COMPARISONS:
                raise self.error("comparisons cannot be chained; use 'and'")
            raise self.error(f"unexpected {value!r} (expected an operator or the end)")
        return node

    def parse_or(self) -> Node:
        left = self.parse_and()
        while self.is_op("or"):
            self.take()
            right = self.parse_and()
            left = self.count(Binary(left.pos, right.end, "or", left, right))
        return left

    def parse_and(self) -> Node:
        left = self.parse_not()
        while self.is_op("and"):
            self.take()
            right = self.parse_not()
            left = self.count(Binary(left.pos, right.end, "and", left, right))
        return left

    def parse_not(self) -> Node:
        if self.is_op("not"):
            _, _, pos = self.take()
            self.enter(pos)
            operand = self.parse_not()
            self.depth -= 1
            return self.count(Unary(pos, operand.end, "not", operand))
        return self.parse_compare()

    def parse_compare(self) -> Node:
        left = self.parse_sum()
        kind, value, _ = self.peek()
        if kind == "op" and value in COMPARISONS:
            self.take()
            right = self.parse_sum()
            left = self.count(Binary(left.pos, right.end, value, left, right))
        return left

    def parse_sum(self) -> Node:
        left = self.parse_product()
        while self.is_op("+", "-"):
            _, op, _ = self.take()
            right = self.parse_product()
            left = self.count(Binary(left.pos, right.end, op, left, right))
        return left

    def parse_product(self) -> Node:
        left = self.parse_unary()
        while self.is_op("*", "/"):
            _, op, _ = self.take()
            right = self.parse_unary()
            left = self.count(Binary(left.pos, right.end, op, left, right))
        return left

    def parse_unary(self) -> Node:
        if self.is_op("-", "+"):
            _, op, pos = self.take()
            self.enter(pos)
            operand = self.parse_unary()
            self.depth -= 1
            if op == "+":
                return operand
            if isinstance(operand, Num):
                return Num(pos, operand.end, -operand.value)
            return self.count(Unary(pos, operand.end, "-", operand))
        return self.parse_atom()

    def parse_atom(self) -> Node:
        kind, value, pos = self.take()
        if kind == "num":
            number = float(value)
            if not math.isfinite(number) or abs(number) > MAX_CONSTANT:
                raise ExprError(f"number {value} is too large (at most {MAX_CONSTANT:g})", self.text, pos,
                                pos + len(value))
            return self.count(Num(pos, pos + len(value), number))
        if kind == "name":
            if value in KEYWORDS:
                raise ExprError(f"'{value}' needs something on its left", self.text, pos, pos + len(value))
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                return self.parse_call(value, pos)
            return self.count(Name(pos, pos + len(value), value))
        if kind == "op" and value == "(":
            self.enter(pos)
            node = self.parse_or()
            self.depth -= 1
            if self.peek()[1] != ")":
                raise self.error("missing ')'")
            self.take()
            return node
        if kind == "end":
            raise ExprError("the expression ends too early", self.text, pos)
        raise ExprError(f"unexpected {value!r}", self.text, pos, pos + len(value))

    def parse_call(self, fn: str, pos: int) -> Node:
        if fn not in FUNCTIONS:
            from ..errors import did_you_mean

            raise ExprError(
                f"unknown function '{fn}'{did_you_mean(fn, FUNCTIONS)}; functions are: "
                + ", ".join(FUNCTIONS),
                self.text, pos, pos + len(fn),
            )
        self.take()  # "("
        self.enter(pos)
        args = [self.parse_or()]
        while self.peek()[1] == ",":
            self.take()
            args.append(self.parse_or())
        if self.peek()[1] != ")":
            raise self.error(f"missing ')' after the arguments of {fn}()")
        _, _, close = self.take()
        self.depth -= 1
        low, high = FUNCTIONS[fn]
        if not low <= len(args) <= high:
            wanted = str(low) if low == high else f"{low} to {high}"
            raise ExprError(f"{fn}() takes {wanted} arguments, not {len(args)}", self.text, pos, close + 1)
        return self.count(Call(pos, close + 1, fn, tuple(args)))


def parse(text: str) -> Node:
    """Parse an expression, raising ``ExprError`` (with a caret position) on anything outside the grammar."""
    if not isinstance(text, str):
        raise ExprError("an expression must be a string")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression too long ({len(text)} characters; at most {MAX_LENGTH})",
                        text[:MAX_LENGTH], 0, 1)
    return _Parser(text).parse()


def names_in(node: Node) -> list[Name]:
    """Every ``Name`` node in the tree, in source order."""
    out: list[Name] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Name):
            out.append(n)
        elif isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Binary):
            stack.extend((n.right, n.left))
        elif isinstance(n, Call):
            stack.extend(reversed(n.args))
    out.sort(key=lambda x: x.pos)
    return out


# ------------------------------------------------------------------------------------ scalar semantics
# The reference semantics, one game at a time. numpy compilation below must agree to the bit.


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


def _round(x: float) -> float:
    """Half away from zero, as floor(|x| + 0.5) with the sign restored."""
    if not math.isfinite(x):
        return x
    r = float(math.floor(abs(x) + 0.5))
    return -r if x < 0 else r


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
    if isinstance(node, Unary):
        v = _eval(node.operand, env)
        return -v if node.op == "-" else float(not _truth(v))
    if isinstance(node, Binary):
        a = _eval(node.left, env)
        b = _eval(node.right, env)
        op = node.op
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return _div(a, b)
        if op == "and":
            return float(_truth(a) and _truth(b))
        if op == "or":
            return float(_truth(a) or _truth(b))
        if op == "<":
            return float(a < b)
        if op == "<=":
            return float(a <= b)
        if op == ">":
            return float(a > b)
        if op == ">=":
            return float(a >= b)
        if op == "==":
            return float(a == b)
        return float(a != b)
    assert isinstance(node, Call)
    args = [_eval(a, env) for a in node.args]
    fn = node.fn
    if fn == "min":
        acc = args[0]
        for v in args[1:]:
            acc = _min2(acc, v)
        return acc
    if fn == "max":
        acc = args[0]
        for v in args[1:]:
            acc = _max2(acc, v)
        return acc
    if fn == "clamp":
        return _min2(_max2(args[0], args[1]), args[2])
    if fn == "abs":
        return abs(args[0])
    if fn == "floor":
        return _floor(args[0])
    if fn == "round":
        return _round(args[0])
    # if
    return args[1] if _truth(args[0]) else args[2]


# ------------------------------------------------------------------------------------ interval analysis


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


# ------------------------------------------------------------------------------------ numpy compilation

# A compiled function takes (X, env): X is the (variables, games) float64 state, env maps the built-in
# per-turn names to floats. It returns a float or a 1-D array over games (bool arrays for logic).
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
    needs_sanitize = bounds is None or not largest(node, bounds) <= MAX_CONSTANT
    fn, const = _compile(node, resolve)
    if const is not None:
        value = evaluate(node, {})
        return (lambda X, env, v=value: v), True
    if not needs_sanitize:
        return _as_number(fn), False

    number = _as_number(fn)

    def sanitized(X, env):
        with np.errstate(all="ignore"):  # overflow is expected here and cleaned up below
            v = number(X, env)
        if isinstance(v, np.ndarray):
            v = np.nan_to_num(v, nan=0.0, posinf=RESULT_LIMIT, neginf=-RESULT_LIMIT)
            return np.clip(v, -RESULT_LIMIT, RESULT_LIMIT)
        return sanitize(v)

    return sanitized, False


def compile_truth(node: Node, resolve, bounds=None):
    """Compile a condition: a closure giving a bool array (or a Python bool) of ``value != 0``.

    Comparisons and logic already give 0/1, so their boolean results are used as they are, without the
    round trip through float64 that ``compile_numpy`` makes; other expressions go through it.
    """
    is_logic = (isinstance(node, Binary) and (node.op in COMPARISONS or node.op in LOGIC)) or (
        isinstance(node, Unary) and node.op == "not")
    if is_logic:
        fn, const = _compile(node, resolve)
        if const is None:
            if bounds is not None and largest(node, bounds) <= MAX_CONSTANT:
                return lambda X, env: _bool(fn(X, env))

            def guarded(X, env):
                # operands may overflow; comparisons of inf or NaN then agree with the scalar evaluator
                with np.errstate(all="ignore"):
                    return _bool(fn(X, env))

            return guarded
    number, _ = compile_numpy(node, resolve, bounds)
    return lambda X, env: _bool(number(X, env))


def _as_number(fn):
    def number(X, env):
        v = fn(X, env)
        if isinstance(v, np.ndarray):
            return v.astype(np.float64) if v.dtype == np.bool_ else v
        return float(v)

    return number


def _num(v):
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
    if isinstance(x, np.ndarray):
        r = np.floor(np.abs(x) + 0.5)
        return np.where(x < 0, -r, r)
    return _round(x)


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
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": _np_div,
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}


def _gives_bool(node: Node) -> bool:
    """Whether a node evaluates to a boolean (comparisons, logic) rather than a number."""
    return (isinstance(node, Binary) and (node.op in COMPARISONS or node.op in LOGIC)) or (
        isinstance(node, Unary) and node.op == "not")


def _compile(node: Node, resolve):
    """Returns (closure, constant-or-None)."""
    if isinstance(node, Num):
        v = node.value
        return (lambda X, env: v), v
    if isinstance(node, Name):
        return resolve(node.id), None
    if isinstance(node, Unary):
        f, c = _compile(node.operand, resolve)
        if c is not None:
            v = _eval(node, {})
            return (lambda X, env: v), v
        if node.op == "-":
            return (lambda X, env: -_num(f(X, env))), None
        return (lambda X, env: np.logical_not(_bool(f(X, env)))), None
    if isinstance(node, Binary):
        fa, ca = _compile(node.left, resolve)
        fb, cb = _compile(node.right, resolve)
        if ca is not None and cb is not None:
            v = _eval(node, {})
            return (lambda X, env: v), v
        if node.op in _DIRECT and not _gives_bool(node.left) and not _gives_bool(node.right):
            # both sides are numbers already: skip the conversions (the common `flag == 2`, `a * 0.1`)
            f = _DIRECT[node.op]
            if cb is not None:
                return (lambda X, env: f(fa(X, env), cb)), None
            if ca is not None:
                return (lambda X, env: f(ca, fb(X, env))), None
            return (lambda X, env: f(fa(X, env), fb(X, env))), None
        if node.op in LOGIC and _gives_bool(node.left) and _gives_bool(node.right):
            f = np.logical_and if node.op == "and" else np.logical_or
            return (lambda X, env: f(fa(X, env), fb(X, env))), None
        op = _BINARY[node.op]
        return (lambda X, env: op(fa(X, env), fb(X, env))), None
    assert isinstance(node, Call)
    parts = [_compile(a, resolve) for a in node.args]
    if all(c is not None for _, c in parts):
        v = _eval(node, {})
        return (lambda X, env: v), v
    fns = [f for f, _ in parts]
    name = node.fn
    if name in ("min", "max"):
        reduce2 = np.minimum if name == "min" else np.maximum

        def minmax(X, env):
            acc = _num(fns[0](X, env))
            for f in fns[1:]:
                acc = reduce2(acc, _num(f(X, env)))
            return acc

        return minmax, None
    if name == "clamp":
        fx, flo, fhi = fns
        return (lambda X, env: np.minimum(np.maximum(_num(fx(X, env)), _num(flo(X, env))),
                                          _num(fhi(X, env)))), None
    if name == "abs":
        (fx,) = fns
        return (lambda X, env: np.abs(_num(fx(X, env)))), None
    if name == "floor":
        (fx,) = fns
        return (lambda X, env: _np_floor(_num(fx(X, env)))), None
    if name == "round":
        (fx,) = fns
        return (lambda X, env: _np_round(_num(fx(X, env)))), None
    fc, fa, fb = fns

    def if_(X, env):
        c = _bool(fc(X, env))
        a, b = _num(fa(X, env)), _num(fb(X, env))
        if isinstance(c, np.ndarray):
            return np.where(c, a, b)
        return a if c else b

    return if_, None
