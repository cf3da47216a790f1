"""Text that follows the state (format 2): placeholders, conditional text, variants and values in any text.

A text is parsed once into parts; nothing in it is ever executed, and expressions go through ``game.expr``::

    {approval}                      a placeholder, as in format 1 ({ID}, {ID.band}, {ID.estimate}, {date} ...)
    {if EXPR: shown if true}        conditional text; nothing when false
    {if EXPR: if true | if false}   with an alternative
    {one of: a | b | c}             one variant, drawn from the game's random numbers (stable within a turn)
    {= EXPR}                        the value of an expression, rounded to a whole number
    {{ and }}                       literal braces

Bodies may contain placeholders and further ``{if}``/``{one of}``/``{=}`` parts (nested at most
``MAX_DEPTH`` deep); ``|`` separates alternatives and cannot appear in a body as a character. Format-1 texts
never reach this module (their placeholders are read as they always were).

>>> parts = parse_template("Ties are {if ties > 50: warm | cool} ({ties}).")
>>> [type(p).__name__ for p in parts]
['str', 'Cond', 'str', 'Placeholder', 'str']
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Iterator

from attrs import frozen

from ..errors import ExprError
from .parser import parse
from .tree import Node

__all__ = [
    "MAX_DEPTH",
    "Cond",
    "OneOf",
    "Part",
    "Placeholder",
    "TemplateError",
    "Value",
    "expressions",
    "parse_template",
    "render_template",
    "variant_slot",
    "walk",
]

MAX_DEPTH = 8


class TemplateError(ValueError):
    """A malformed text, with a message for the author (and an expression error when one caused it)."""

    def __init__(self, message: str, expr_error: ExprError | None = None):
        super().__init__(message)
        self.message = message
        self.expr_error = expr_error


@frozen
class Placeholder:
    name: str  # "approval", "approval.band", "date" ...


@frozen
class Cond:
    text: str  # the expression as written
    node: Node
    then: tuple[Part, ...]
    otherwise: tuple[Part, ...]


@frozen
class OneOf:
    variants: tuple[tuple[Part, ...], ...]
    slot: int  # which draw of the text (stable: from the text and the part's position)


@frozen
class Value:
    text: str
    node: Node


Part = str | Placeholder | Cond | OneOf | Value


def variant_slot(source: str, position: int) -> int:
    """A 24-bit draw slot for a ``{one of}`` at ``position`` of a text: the same text draws the same way."""
    return (zlib.crc32(f"{position}:{source}".encode()) & 0xFFFFFF) or 1


@functools.lru_cache(maxsize=4096)
def parse_template(text: str) -> tuple[Part, ...]:
    """Parse a text; raises ``TemplateError`` naming the first problem. (Cached: texts are shown often.)"""
    parts, _end = _parse(text, 0, 0, text, top=True)
    return parts


def _parse(text: str, pos: int, depth: int, source: str, *, top: bool) -> tuple[tuple[Part, ...], int]:
    """Parts from ``pos`` up to the end (top level) or up to an unescaped ``|`` or ``}`` (in a body)."""
    parts: list[Part] = []
    buf: list[str] = []
    i = pos
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "{" and text.startswith("{{", i):
            buf.append("{")
            i += 2
            continue
        if ch == "}" and top and text.startswith("}}", i):
            buf.append("}")
            i += 2
            continue
        if not top and ch in "|}":
            break
        if ch == "}":
            raise TemplateError("unmatched '}' in text (write '}}' for a literal brace)")
        if ch == "{":
            if buf:
                parts.append("".join(buf))
                buf = []
            part, i = _parse_brace(text, i, depth, source)
            parts.append(part)
            continue
        buf.append(ch)
        i += 1
    if buf:
        parts.append("".join(buf))
    return tuple(parts), i


def _parse_brace(text: str, start: int, depth: int, source: str) -> tuple[Part, int]:
    """A ``{...}`` part starting at ``start``; returns it and the position after its ``}``."""
    if depth >= MAX_DEPTH:
        raise TemplateError(f"text nested too deeply (more than {MAX_DEPTH} levels of '{{if}}' / '{{one of}}')")
    inner = start + 1
    head = text[inner : inner + 8].lstrip()
    if head.startswith("if ") or head.startswith("if("):
        colon = text.find(":", inner)
        close = text.find("}", inner)
        if colon < 0 or (0 <= close < colon):
            raise TemplateError("'{if' needs a condition and a colon: {if EXPR: text | other text}")
        expr_text = text[text.index("if", inner) + 2 : colon].strip()
        node = _expr(expr_text)
        then, i = _parse(text, colon + 1, depth + 1, source, top=False)
        otherwise: tuple[Part, ...] = ()
        if i < len(text) and text[i] == "|":
            otherwise, i = _parse(text, i + 1, depth + 1, source, top=False)
            if i < len(text) and text[i] == "|":
                raise TemplateError("'{if' has at most two alternatives: {if EXPR: if true | if false}")
        if i >= len(text):
            raise TemplateError("'{if' is not closed with '}'")
        return Cond(expr_text, node, _strip(then), _strip(otherwise)), i + 1
    if head.startswith("one of:"):
        i = text.index("one of:", inner) + len("one of:")
        variants = []
        while True:
            body, i = _parse(text, i, depth + 1, source, top=False)
            variants.append(_strip(body))
            if i >= len(text):
                raise TemplateError("'{one of:' is not closed with '}'")
            if text[i] == "}":
                break
            i += 1  # "|"
        if len(variants) < 2:
            raise TemplateError("'{one of:' needs at least two variants separated by '|'")
        return OneOf(tuple(variants), variant_slot(source, start)), i + 1
    if head.startswith("="):
        close = text.find("}", inner)
        if close < 0:
            raise TemplateError("'{=' is not closed with '}'")
        expr_text = text[text.index("=", inner) + 1 : close].strip()
        return Value(expr_text, _expr(expr_text)), close + 1
    close = text.find("}", inner)
    opening = text.find("{", inner)
    if close < 0 or (0 <= opening < close):
        raise TemplateError("unmatched '{' in text (write '{{' for a literal brace)")
    return Placeholder(text[inner:close].strip()), close + 1


def _strip(parts: tuple[Part, ...]) -> tuple[Part, ...]:
    """Spaces around a body (after ':' and around '|') are layout, not text."""
    out = list(parts)
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return tuple(p for p in out if p != "")


def _expr(text: str) -> Node:
    try:
        return parse(text, memory=True)
    except ExprError as exc:
        raise TemplateError(f"in expression '{text}': {exc.message}", exc) from None


def walk(parts: tuple[Part, ...]) -> Iterator[Part]:
    """Every part, nested ones included."""
    for p in parts:
        yield p
        if isinstance(p, Cond):
            yield from walk(p.then)
            yield from walk(p.otherwise)
        elif isinstance(p, OneOf):
            for v in p.variants:
                yield from walk(v)


def expressions(parts: tuple[Part, ...]) -> list[tuple[str, Node]]:
    """(text, node) of every expression in the parts."""
    return [(p.text, p.node) for p in walk(parts) if isinstance(p, (Cond, Value))]


def render_template(
    parts: tuple[Part, ...],
    placeholder: Callable[[str], str],
    value: Callable[[Node], float],
    draw: Callable[[int], float],
) -> str:
    """The text for one game: ``placeholder(name)`` fills ``{name}``, ``value(node)`` evaluates an
    expression, ``draw(slot)`` gives a uniform number in [0, 1) for a ``{one of}``."""
    out: list[str] = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, Placeholder):
            out.append(placeholder(p.name))
        elif isinstance(p, Cond):
            out.append(render_template(p.then if value(p.node) != 0.0 else p.otherwise, placeholder, value, draw))
        elif isinstance(p, OneOf):
            k = min(int(draw(p.slot) * len(p.variants)), len(p.variants) - 1)
            out.append(render_template(p.variants[k], placeholder, value, draw))
        else:
            v = value(p.node)
            r = float(int(abs(v) + 0.5))
            out.append(str(int(-r if v < 0 else r)))
    return "".join(out)
