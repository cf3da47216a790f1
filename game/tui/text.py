"""Formatting helpers shared by the screens and widgets: markup strings built from the session's data.

Everything here is pure (no widgets): it turns model values into Textual markup, escaping any text that comes
from a scenario file so that a stray ``[`` in an author's prose cannot break the display.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.markup import escape

from ..model import Good, Variable, VarKind
from ..play.views import FeedEntry, FeedKind

if TYPE_CHECKING:  # the title screen uses these helpers before any game (and the engine) is loaded
    from ..engine import Cause
    from ..play.optiontext import EffectNote
    from ..play.session import GameSession

__all__ = [
    "esc",
    "feed_markup",
    "fit",
    "kind_label",
    "ladder_bar",
    "ladder_colour",
    "note_markup",
    "range_bar",
    "spark",
    "tone",
    "trend",
    "turn_summary",
    "visible_variables",
    "wrap_items",
]

SPARK_CHARS = "▁▂▃▄▅▆▇█"


def esc(text: str) -> str:
    """Scenario text made safe for markup."""
    return escape(text)


def tone(var: Variable, delta: float) -> str:
    """The theme colour for a change of ``delta`` in ``var``: good, bad or neutral."""
    if delta == 0 or var.good is Good.NONE:
        return "$text-muted" if delta == 0 else "$accent"
    good = (delta > 0) == (var.good is Good.HIGH)
    return "$success" if good else "$error"


def trend(var: Variable, delta: float | None) -> tuple[str, int]:
    """A trend arrow with the size of the change, coloured by whether it is good for the player, and its
    length in cells."""
    if delta is None or round(abs(delta)) == 0:
        return "[$text-muted]·[/]", 1
    text = f"{'▲' if delta > 0 else '▼'}{round(abs(delta))}"
    return f"[{tone(var, delta)}]{text}[/]", len(text)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


def spark(values: Sequence[float], lo: float, hi: float, width: int) -> str:
    """A one-line sparkline on the variable's own scale (a flat meter looks flat), at most ``width`` wide."""
    if not values:
        return ""
    span = (hi - lo) or 1.0
    values = list(values)
    if len(values) > width:  # average into ``width`` buckets so the whole game stays in view
        edges = [round(i * len(values) / width) for i in range(width + 1)]
        values = [sum(values[a:b]) / (b - a) for a, b in zip(edges, edges[1:])]
    out = []
    for v in values:
        x = min(max((v - lo) / span, 0.0), 1.0)
        out.append(SPARK_CHARS[min(int(x * len(SPARK_CHARS)), len(SPARK_CHARS) - 1)])
    return "".join(out)


def range_bar(lo: float, hi: float, vmin: float, vmax: float, width: int) -> str:
    """A bar with the estimated range of a hidden meter shaded."""
    span = (vmax - vmin) or 1.0
    a = int(round((lo - vmin) / span * width))
    b = max(a + 1, int(round((hi - vmin) / span * width)))
    return "[$text-muted]" + "·" * a + "[/][$warning]" + "▒" * (b - a) + "[/][$text-muted]" + "·" * (width - b) + "[/]"


def ladder_colour(var: Variable, value: float) -> str:
    rungs = int(var.max - var.min)
    level = int(round(value - var.min))
    if level <= 0 or rungs <= 0:
        return "$success"
    return "$warning" if level / rungs < 0.6 else "$error"


def ladder_bar(var: Variable, value: float) -> str:
    """Rungs of an escalation ladder: filled up to the current one, coloured by how high it is."""
    rungs = int(var.max - var.min)
    level = min(max(int(round(value - var.min)), 0), rungs)
    if rungs <= 0:
        return ""
    return f"[{ladder_colour(var, value)}]{'■' * level}[/][$text-muted]{'□' * (rungs - level)}[/]"


def wrap_items(items: Sequence[tuple[str, str]], width: int, indent: int, sep: str = "  ", hang: int = 0) -> list[str]:
    """Pack (markup, plain text) items into lines of at most ``width`` cells, each starting with ``indent``
    spaces (``indent + hang`` after the first); words of a single long item are wrapped too. Returns markup
    lines."""
    lines: list[str] = []
    cur, cur_len = "", 0
    room = max(width - indent - hang, 10)
    for markup, plain in items:
        if cur and cur_len + len(sep) + len(plain) > room:
            lines.append(cur)
            cur, cur_len = "", 0
        if not cur and len(plain) > room:
            words, buf = plain.split(" "), ""
            # a long plain item (a label, a reason): wrap its words and keep its style on every line
            style = markup[: markup.index("]") + 1] if markup.startswith("[") else ""
            for word in words:
                if buf and len(buf) + 1 + len(word) > room:
                    lines.append(f"{style}{esc(buf)}{'[/]' if style else ''}")
                    buf = word
                else:
                    buf = f"{buf} {word}" if buf else word
            cur, cur_len = f"{style}{esc(buf)}{'[/]' if style else ''}", len(buf)
            continue
        cur = f"{cur}{sep}{markup}" if cur else markup
        cur_len = cur_len + len(sep) + len(plain) if cur_len else len(plain)
    if cur:
        lines.append(cur)
    return [" " * (indent + (hang if i else 0)) + line for i, line in enumerate(lines)]


def note_markup(note: EffectNote) -> str:
    """An effect in symbols and words (``▲▲ Patrol (good)``), coloured by whether it is good for the player."""
    colour = "$accent" if note.good is None else "$success" if note.good else "$error"
    return f"[{colour}]{esc(note.symbols())}[/]"


# by ``Cause.value``, so that this module does not import the engine
_CAUSE_LABELS = {
    "news": "Event",
    "event": "Event",
    "option": "Your choice",
    "branch": "Chance",
    "event_branch": "Chance",
    "rule": "Rule",
    "drift": "Drift",
    "bounds": "Limits",
    "lasting": "Lasting",
    "expiry": "Ends",
}


def kind_label(kind: Cause) -> str:
    """A short word for a cause of change (the "why did this change?" lists)."""
    return _CAUSE_LABELS[kind.value]


def feed_markup(entries: Sequence[FeedEntry], width: int = 0) -> list[str]:
    """The feed as markup lines, with a heading whenever the date changes; wrapped with hanging indents
    when ``width`` is given."""
    lines: list[str] = []
    date = None

    def put(indent: int, items: list[tuple[str, str]], hang: int = 0) -> None:
        if width:
            lines.extend(wrap_items(items, width, indent, sep=" ", hang=hang))
        else:
            lines.append(" " * indent + " ".join(m for m, _ in items))

    for e in entries:
        if e.date != date:
            date = e.date
            lines.append(f"[b $accent]── {esc(e.date)} ──[/]")
        if e.kind is FeedKind.NEWS:
            put(0, [(f"[b]• {esc(e.title)}[/]", f"• {e.title}")], hang=2)
            if e.text:
                put(2, [(f"[$text-muted]{esc(e.text)}[/]", e.text)])
        elif e.kind is FeedKind.EVENT:
            put(0, [(f"[b $secondary]? {esc(e.title)}[/]", f"? {e.title}")], hang=2)
        elif e.kind is FeedKind.CHOICE:
            put(2, [(f"[b]→ {esc(e.title)}[/]", f"→ {e.title}")], hang=2)
            if e.text:
                put(4, [(esc(e.text), e.text)])
        elif e.kind is FeedKind.OUTCOME:
            put(4, [(f"[$warning]◇ {esc(e.text)}[/]", f"◇ {e.text}")], hang=2)
        elif e.kind is FeedKind.ENDING:
            put(0, [(f"[b $success]★ {esc(e.title)}[/]", f"★ {e.title}")])
    return lines


def visible_variables(session: GameSession, kind: VarKind | None = None) -> list[Variable]:
    """Variables the player may look at (hidden flags are the engine's business)."""
    out = []
    for v in session.scenario.variables:
        if kind is not None and v.kind is not kind:
            continue
        if v.hidden and v.kind is VarKind.FLAG:
            continue
        out.append(v)
    return out


def turn_summary(session: GameSession) -> str:
    s = session.scenario
    unit = s.unit.value
    dec = f"{s.decisions} decision{'s' if s.decisions != 1 else ''}"
    return f"{s.turns} turns of a {unit} each, from {s.date_label(1)} to {s.date_label(s.turns)}; {dec} a turn."
