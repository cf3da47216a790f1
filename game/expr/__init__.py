"""The safe expression language of scenario files: parse -> check -> evaluate or compile.

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
             | MEMORY "(" NAME ("." NAME)? ")"           (format 2: fired, chosen, since)

Memory calls name an event or an option (``fired(offer)``, ``chosen(offer.accept)``, ``since(offer)``); they
are parsed only when ``memory=True`` (format-2 files), so format-1 files read exactly as before.

Length, nesting depth, node count and the size of numbers are bounded, so a hostile file can neither hang
the parser nor exhaust memory. Division by zero gives 0.

The same tree is evaluated two ways that agree to the bit: ``compile_numpy`` builds closures over a
``(variables, games)`` float64 array for the batched engine, and ``evaluate`` walks it with Python floats
for the reference engine. Both follow IEEE double arithmetic step by step in the same order.

Modules: ``tree`` (nodes and limits), ``parser``, ``scalar`` (the reference semantics), ``interval``
(conservative value ranges) and ``compiler`` (numpy closures). ``compiler`` is imported on first use of
``compile_numpy`` or ``compile_truth``: reading a scenario needs no numpy.

>>> e = parse("clamp(x / 2, 0, 10) + (y > 3)")
>>> evaluate(e, {"x": 30.0, "y": 4.0})
11.0
"""

from typing import TYPE_CHECKING

from .interval import interval, largest
from .parser import parse
from .scalar import compile_scalar, evaluate
from .tree import (
    COMPARISONS,
    FUNCTIONS,
    MAX_CONSTANT,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    MEMORY_FUNCTIONS,
    RESULT_LIMIT,
    SINCE_NEVER,
    Binary,
    Call,
    Memory,
    Name,
    Node,
    Num,
    Unary,
    is_logic,
    memory_in,
    memory_key,
    names_in,
)

__all__ = [
    "COMPARISONS",
    "FUNCTIONS",
    "MAX_CONSTANT",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "MEMORY_FUNCTIONS",
    "RESULT_LIMIT",
    "SINCE_NEVER",
    "Binary",
    "Call",
    "Memory",
    "Name",
    "Node",
    "Num",
    "Unary",
    "compile_numpy",
    "compile_scalar",
    "compile_truth",
    "evaluate",
    "interval",
    "is_logic",
    "largest",
    "memory_in",
    "memory_key",
    "names_in",
    "parse",
]
if TYPE_CHECKING:
    from .compiler import compile_numpy, compile_truth

_LAZY = ("compile_numpy", "compile_truth")  # in .compiler, which imports numpy


def __getattr__(name: str):
    if name in _LAZY:
        from . import compiler

        return getattr(compiler, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
