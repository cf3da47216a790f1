"""Random valid scenarios, written as TOML text from the format (docs/scenario-format.md), for differential fuzzing.

``scenarios()`` is a hypothesis strategy: every construct of the format can appear (meters, hidden meters,
flags with stages and ladders, factions and ``support``, drift, rules with ``when``/``effects``/``set``/
``follow``, news and decision events with dates, windows, ``once``, ``cooldown``, weights, their own effects
and branches, options with ``available``, costs, effects, sets, branches, follow-ups and tags, early and final
endings with bonuses, score components, format 2's scores over the term) and values reach the extremes the
format allows (constants of 1e9, bounds of +-1e9, products that overflow, division by zero). Because the
text is built from hypothesis draws, a failing scenario shrinks to a small one.
"""

from __future__ import annotations

import json
from functools import cache

from hypothesis import strategies as st

__all__ = ["scenarios"]


# Strategies are built once and cached: building them on every draw costs more than drawing from them.
@cache
def _ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.integers(lo, hi)


@cache
def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False)


@cache
def _pick(options: tuple) -> st.SearchStrategy:
    return st.sampled_from(options)


def _one(draw, options) -> object:
    return draw(_pick(tuple(options)))


def _int(draw, lo: int, hi: int) -> int:
    return draw(_ints(lo, hi))


def _bool(draw) -> bool:
    return draw(_BOOL)


_BOOL = st.booleans()

BUILTINS = ("turn", "turns", "year", "month", "support", "true", "false")
NUMBERS = (0, 1, 2, 3, 5, 10, 50, 100, 0.5, 0.1, 0.001, 2.5, 1e9, 1e-9, 999999999, 123.456)
SIGNED = tuple(n * s for n in NUMBERS for s in (1, -1))
WHOLE = (0, 1, -1, 2, -3, 1000000000, -1000000000)
METER_BOUNDS = ((0, 100), (0, 1), (-50, 50), (-1e9, 1e9), (0, 0.001), (10, 20), (-100, 0))
COMPARE = ("<", "<=", ">", ">=", "==", "!=")
ARITH = ("+", "-", "*", "/")
FUNCTIONS = ("min", "max", "clamp", "abs", "floor", "round", "if")
KINDS = ("leaf", "leaf", "arith", "compare", "logic", "unary", "call", "product")
TAGS = ("pro_a", "pro_b", "hawk")


def _num(value: float) -> str:
    """A number as TOML and the expression grammar both read it."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _str(text: str) -> str:
    return json.dumps(text)  # a TOML basic string for plain ASCII text


def _expr(draw, names: tuple[str, ...], depth: int) -> str:
    """An expression over ``names`` (always parenthesised, so no comparison chains)."""
    kind = _one(draw, KINDS) if depth > 0 else "leaf"
    if kind == "leaf":
        return _one(draw, names + BUILTINS) if _bool(draw) else _num(_one(draw, NUMBERS))
    if kind in ("arith", "compare", "logic"):
        op = _one(draw, {"arith": ARITH, "compare": COMPARE, "logic": ("and", "or")}[kind])
        return f"({_expr(draw, names, depth - 1)} {op} {_expr(draw, names, depth - 1)})"
    if kind == "unary":
        return f"({_one(draw, ('-', 'not '))}{_expr(draw, names, depth - 1)})"
    if kind == "product":  # overflows to inf (and NaN once multiplied by 0) for large values
        factor = _one(draw, names)
        count = _int(draw, 2, 30)
        tail = _one(draw, ("", " * 0", " + 1", " - " + " * ".join([factor] * count)))
        return "(" + " * ".join([factor] * count) + tail + ")"
    fn = _one(draw, FUNCTIONS)
    arity = {"min": _int(draw, 2, 3), "max": _int(draw, 2, 3), "clamp": 3, "if": 3}.get(fn, 1)
    return f"{fn}({', '.join(_expr(draw, names, depth - 1) for _ in range(arity))})"


def _varying(expr: str, names: tuple[str, ...]) -> str:
    """The expression made to depend on a variable, so the loader's checks of constants (whole numbers for
    flags, probabilities within 0..1, weights not negative) never apply to it; the value is unchanged."""
    return f"{expr} + 0 * {names[0]}"


def _value(draw, names: tuple[str, ...], whole: bool) -> str:
    """An effect's value: a number (whole for flags) or an expression."""
    if _bool(draw):
        return _num(_one(draw, WHOLE if whole else SIGNED))
    return _str(_varying(_expr(draw, names, _int(draw, 0, 3)), names))


def _changes(draw, key: str, names: tuple[str, ...], flags: frozenset[str]) -> str:
    """``effects = {...}`` or ``set = {...}`` over some of the variables, or nothing."""
    chosen = sorted({_one(draw, names) for _ in range(_int(draw, 0, 3))})
    if not chosen:
        return ""
    parts = [f"{var} = {_value(draw, names, var in flags)}" for var in chosen]
    return f"{key} = {{ {', '.join(parts)} }}"


def _follow(draw, events: tuple[str, ...], longest: int) -> str:
    items = [(_one(draw, events), _int(draw, 1, longest)) for _ in range(_int(draw, 0, 2))]
    if not items:
        return ""
    return "follow = [" + ", ".join(f'{{ event = "{e}", after = {a} }}' for e, a in items) + "]"


def _bundle(draw, g: _Names) -> list[str]:
    """The changes of one bundle (effects, set, follow), as key = value lines."""
    lines = [
        _changes(draw, "effects", g.names, g.flags),
        _changes(draw, "set", g.names, g.flags),
        _follow(draw, g.events, g.longest),
    ]
    return [x for x in lines if x]


def _inline(lines: list[str]) -> str:
    return "{ " + ", ".join(lines) + " }"


def _branches(draw, g: _Names) -> list[str]:
    out = []
    for k in range(_int(draw, 0, 3)):
        if _bool(draw):
            chance = _num(_one(draw, (0, 0.25, 0.5, 1, 0.999)))
        else:
            chance = _str(_varying(_expr(draw, g.names, 2), g.names))
        out.append(_inline([f"chance = {chance}", f'text = "branch {k}"', *_bundle(draw, g)]))
    return out


class _Names:
    """What the parts of one scenario may refer to."""

    def __init__(self, names: list[str], flags: list[str], events: list[str], turns: int):
        self.names = tuple(names)
        self.flags = frozenset(flags)
        self.events = tuple(events)
        self.longest = max(1, turns)


@st.composite
def scenarios(draw) -> str:
    """The TOML text of a random valid scenario."""
    turns = _int(draw, 1, 16)
    decisions = _int(draw, 1, 3)
    unit = _one(draw, ("month", "quarter", "year"))
    start_year, start_month = _int(draw, 1990, 2040), _int(draw, 1, 12)
    fmt = _int(draw, 1, 2)
    out = [
        f"format = {fmt}",
        "[scenario]",
        'id = "fuzz"',
        'title = "Fuzz"',
        'summary = "A random scenario."',
        'role = "Tester"',
        f'start = "{start_year}-{start_month:02d}"',
        f"turns = {turns}",
        f'unit = "{unit}"',
        f"decisions = {decisions}",
    ]

    meters = [f"m{i}" for i in range(_int(draw, 1, 4))]
    flags = [f"f{i}" for i in range(_int(draw, 0, 2))]
    factions = [f"p{i}" for i in range(_int(draw, 0, 2))]
    events = [f"e{i}" for i in range(_int(draw, 1, 6))]
    g = _Names(meters + flags + factions, flags, events, turns)
    names = g.names

    for m in meters:
        lo, hi = _one(draw, METER_BOUNDS)
        out += [f"[meters.{m}]", f'label = "Meter {m}"', f"min = {_num(lo)}", f"max = {_num(hi)}"]
        a = draw(_floats(lo, hi))
        if _bool(draw):
            b = draw(_floats(a, hi))
            out.append(f"start = [{_num(a)}, {_num(b)}]")
        else:
            out.append(f"start = {_num(a)}")
        if _bool(draw):
            out.append(f"drift = {_value(draw, names, False)}")
        if _bool(draw):
            out += ["hidden = true", f"noise = {_num(_one(draw, (0, 1, 10, 1e6)))}"]
    for f in flags:
        lo = _int(draw, -3, 1)
        hi = lo + _int(draw, 1, 4)
        out += [f"[flags.{f}]", f'label = "Flag {f}"', f"min = {lo}", f"max = {hi}", f"start = {_int(draw, lo, hi)}"]
        if _bool(draw):
            out.append("stages = [" + ", ".join(f'"s{k}"' for k in range(hi - lo + 1)) + "]")
            if _bool(draw):
                out.append("ladder = true")
        if _bool(draw):
            out.append("hidden = true")
    for p in factions:
        out += [
            f"[factions.{p}]",
            f'label = "Faction {p}"',
            f"start = {_num(_one(draw, (0, 30, 50, 100, 77.7)))}",
            f"weight = {_num(_one(draw, (0, 1, 2, 0.5)))}",
        ]
        if _bool(draw):
            out.append(f"drift = {_value(draw, names, False)}")

    def when(key: str = "when") -> list[str]:
        return [f"{key} = {_str(_expr(draw, names, 2))}"] if _bool(draw) else []

    for r in range(_int(draw, 0, 3)):
        out += ["[[rules]]", f'id = "r{r}"', f'label = "Rule {r}"', *when(), *_bundle(draw, g)]

    def date() -> str:
        t = _int(draw, 1, turns)
        if _bool(draw):
            return str(t)
        months = {"month": 1, "quarter": 3, "year": 12}[unit] * (t - 1)
        y, m = divmod(start_month - 1 + months, 12)
        return f'"{start_year + y}-{m + 1:02d}"'

    for k, e in enumerate(events):
        out += ["[[events]]", f'id = "{e}"', f'title = "Event {k}"', f'text = "Something happens ({k})."', *when()]
        timing = _one(draw, ("none", "date", "window"))
        if timing == "date":
            out.append(f"date = {date()}")
        elif timing == "window":
            a, b = sorted((_int(draw, 1, turns), _int(draw, 1, turns)))
            out += [f"from = {a}", f"until = {b}"]
        if _bool(draw):
            w = (
                _num(_one(draw, (0, 1, 3, 0.0005, 1e6, 1e9)))
                if _bool(draw)
                else _str(_varying(_expr(draw, names, 2), names))
            )
            out.append(f"weight = {w}")
        if _bool(draw):
            out.append("once = true")
        elif _bool(draw):
            out.append(f"cooldown = {_int(draw, 0, 3)}")
        out += _bundle(draw, g)
        branches = _branches(draw, g)
        if branches:
            out.append("branches = [" + ", ".join(branches) + "]")
        if _int(draw, 0, 3):  # most events are decisions
            options = []
            for o in range(_int(draw, 1, 4)):
                lines = [f'id = "o{o}"', f'label = "Option {o}"']
                if o > 0 and _bool(draw):
                    lines += when("available")
                if o > 0 and _bool(draw):
                    lines.append(f"cost = {{ {_one(draw, meters)} = {_num(_one(draw, (1, 5, 0.5, 1e9)))} }}")
                if _bool(draw):
                    tags = sorted({_one(draw, TAGS) for _ in range(_int(draw, 0, 2))})
                    lines.append("tags = [" + ", ".join(f'"{t}"' for t in tags) + "]")
                lines += _bundle(draw, g)
                option_branches = _branches(draw, g)
                if option_branches:
                    lines.append("branches = [" + ", ".join(option_branches) + "]")
                options.append(_inline(lines))
            out.append("options = [\n  " + ",\n  ".join(options) + ",\n]")

    for k in range(_int(draw, 0, 2)):
        out += [
            "[[endings]]",
            f'id = "early{k}"',
            f'title = "Early {k}"',
            "early = true",
            f"when = {_str(_expr(draw, names, 2))}",
            f"bonus = {_num(_one(draw, NUMBERS))}",
            'epilogue = "Early."',
        ]
    finals = _int(draw, 1, 2)
    for k in range(finals):
        out += ["[[endings]]", f'id = "final{k}"', f'title = "Final {k}"', 'epilogue = "Done at {turn}."']
        if k < finals - 1:
            out.append(f"when = {_str(_expr(draw, names, 2))}")
        if _bool(draw):
            out.append(f"bonus = {_num(-_one(draw, NUMBERS))}")
    for k in range(_int(draw, 1, 2)):
        out += [
            "[[score]]",
            f'id = "s{k}"',
            f'label = "Score {k}"',
            f"value = {_str(_expr(draw, names, 2))}",
            f"weight = {_num(_one(draw, (1, 0.5, -2, 1e9)))}",
        ]
        if fmt == 2 and _bool(draw):
            out.append(f'over = "{_one(draw, ("term", "final"))}"')
    return "\n".join(out) + "\n"
