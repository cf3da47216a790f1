"""Parsing expressions: a hand-written tokenizer and precedence-climbing parser for the grammar in
``game.expr``, with bounded length, depth, node count and constants, and errors that point at the text."""

from __future__ import annotations

import math
import re

from ..errors import ExprError
from .tree import (
    COMPARISONS,
    FUNCTIONS,
    KEYWORDS,
    MAX_CONSTANT,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    MEMORY_FUNCTIONS,
    Binary,
    Call,
    Memory,
    Name,
    Node,
    Num,
    Unary,
)

__all__ = ["parse"]

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|==|!=|[-+*/<>(),])
    """,
    re.VERBOSE,
)


def _tokenize(text: str, memory: bool = False) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None and memory and text[pos] == ".":
            tokens.append(("op", ".", pos))  # only memory calls accept it (event.option)
            pos += 1
            continue
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
    def __init__(self, text: str, memory: bool = False):
        self.text = text
        self.memory = memory
        self.tokens = _tokenize(text, memory)
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
                raise ExprError(
                    f"number {value} is too large (at most {MAX_CONSTANT:g})", self.text, pos, pos + len(value)
                )
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
        if fn in MEMORY_FUNCTIONS and self.memory:
            return self.parse_memory(fn, pos)
        if fn not in FUNCTIONS:
            from ..errors import did_you_mean

            known = [*FUNCTIONS, *MEMORY_FUNCTIONS] if self.memory else list(FUNCTIONS)
            hint = " (fired, chosen and since need 'format = 2')" if fn in MEMORY_FUNCTIONS else ""
            raise ExprError(
                f"unknown function '{fn}'{did_you_mean(fn, known)}; functions are: " + ", ".join(known) + hint,
                self.text,
                pos,
                pos + len(fn),
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

    def parse_memory(self, fn: str, pos: int) -> Node:
        self.take()  # "("
        kind, event, epos = self.take()
        if kind != "name" or event in KEYWORDS:
            raise ExprError(
                f"{fn}() names an event{' or an option' if fn != 'fired' else ''}, e.g. {_MEMORY_EXAMPLE[fn]}",
                self.text,
                epos,
                epos + max(1, len(event)),
            )
        option = ""
        if self.peek()[:2] == ("op", "."):
            self.take()
            kind, option, opos = self.take()
            if kind != "name":
                raise ExprError("expected an option id after '.'", self.text, opos, opos + max(1, len(option)))
        kind, value, cpos = self.take()
        if (kind, value) != ("op", ")"):
            raise ExprError(
                f"{fn}() takes one event or option, e.g. {_MEMORY_EXAMPLE[fn]}",
                self.text,
                cpos,
                cpos + max(1, len(value)),
            )
        if fn == "fired" and option:
            raise ExprError(
                "fired() counts an event; for an option write chosen(event.option)", self.text, pos, cpos + 1
            )
        if fn == "chosen" and not option:
            raise ExprError("chosen() names an option: chosen(event.option)", self.text, pos, cpos + 1)
        return self.count(Memory(pos, cpos + 1, fn, event, option))


_MEMORY_EXAMPLE = {
    "fired": "fired(offer)",
    "chosen": "chosen(offer.accept)",
    "since": "since(offer) or since(offer.accept)",
}


def parse(text: str, *, memory: bool = False) -> Node:
    """Parse an expression, raising ``ExprError`` (with a caret position) on anything outside the grammar.

    ``memory`` enables the format-2 calls fired(), chosen() and since()."""
    if not isinstance(text, str):
        raise ExprError("an expression must be a string")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression too long ({len(text)} characters; at most {MAX_LENGTH})", text[:MAX_LENGTH], 0, 1)
    return _Parser(text, memory).parse()
