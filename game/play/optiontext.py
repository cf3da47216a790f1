"""An option's likely effects and its costs as text, the same in every interface (TUI, plain play, headless).

Every effect is said in symbols *and* words, so nothing depends on colour: ``▲▲ Patrol (good)`` in the TUI,
``Patrol: up (good)`` in plain play. Visible meters show their direction and size (one to three arrows),
hidden meters and ladders only their direction (the size of a hidden move is the analysts' secret; a ladder
moves in rungs), flags set to a named stage show that stage, and effects that depend on the situation or on
chance show ``?``.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from ..model import EffectMode, Good, Option, Scenario, ValueFormat, Variable, VarKind

__all__ = ["EffectNote", "cost_words", "effect_notes", "good_word"]


@frozen
class EffectNote:
    """One variable an option moves, as far as the player's staff can tell."""

    var_id: str
    label: str
    sign: int  # +1 up, -1 down, 0 unknown (depends on the situation or chance)
    size: int  # 1–3 for visible meters; 0 when only the direction is told (hidden meters, ladders)
    good: bool | None  # whether the move is good for the player (None: neither, or unknown)
    stage: str = ""  # a flag set to this named stage
    ladder: bool = False

    @property
    def arrows(self) -> str:
        if self.stage and not (self.ladder and self.sign):
            return "→"
        if self.sign == 0:
            return "?"
        return ("▲" if self.sign > 0 else "▼") * max(self.size, 1)

    @property
    def verdict(self) -> str:
        return good_word(self.good)

    def symbols(self) -> str:
        """``▲▲ Patrol (good)``, ``▲ US pressure: a rung up (bad)``, ``→ Helicopter deal: “signed”``."""
        if self.ladder and self.sign:
            body = f"{self.label}: a rung {'up' if self.sign > 0 else 'down'}"
            body += f", to “{self.stage}”" if self.stage else ""
        elif self.stage:
            body = f"{self.label}: “{self.stage}”"
        else:
            body = self.label
        verdict = f" ({self.verdict})" if self.verdict else ""
        return f"{self.arrows} {body}{verdict}"

    def words(self) -> str:
        """For screen readers and pipes: ``Patrol: up a lot (good)``."""
        if self.ladder and self.sign:
            move = f"a rung {'up' if self.sign > 0 else 'down'}" + (f", to “{self.stage}”" if self.stage else "")
        elif self.stage:
            move = f"becomes “{self.stage}”"
        elif self.sign == 0:
            move = "may change (depends on the situation or on chance)"
        else:
            way = "up" if self.sign > 0 else "down"
            move = {0: way, 1: f"{way} a little", 2: way, 3: f"{way} a lot"}[self.size]
        verdict = f" ({self.verdict})" if self.verdict else ""
        return f"{self.label}: {move}{verdict}"


def good_word(good: bool | None) -> str:
    return "" if good is None else "good" if good else "bad"


def _good(var: Variable, sign: int) -> bool | None:
    if sign != 0 and var.kind is VarKind.FLAG and var.ladder:
        return sign < 0  # an escalation ladder: every rung up is pressure on the player
    if sign == 0 or var.good is Good.NONE:
        return None
    return (sign > 0) == (var.good is Good.HIGH)


def _size(delta: float) -> int:
    return 1 if abs(delta) < 5 else 2 if abs(delta) < 10 else 3


def effect_notes(scenario: Scenario, option: Option, values: Sequence[float] | None = None) -> tuple[EffectNote, ...]:
    """What the option moves, in file order, one note per variable (hidden flags are the engine's business).
    With the current ``values``, a flag moved by a fixed step also names the stage it would reach."""
    known: dict[str, float] = {}
    stages: dict[str, str] = {}
    unknown: list[str] = []
    for eff in option.effects:
        var = scenario.variable(eff.var)
        constant = eff.value.constant
        if eff.mode is EffectMode.ADD and constant is not None:
            known[eff.var] = known.get(eff.var, 0.0) + constant
        elif eff.mode is EffectMode.SET and constant is not None and var.stages and var.stage(constant):
            stages[eff.var] = var.stage(constant)
        elif eff.var not in unknown:
            unknown.append(eff.var)
    for branch in option.branches:
        for eff in branch.effects:
            if eff.var not in unknown and eff.var not in known and eff.var not in stages:
                unknown.append(eff.var)
    notes = []
    order = list(dict.fromkeys([*(e.var for e in option.effects), *unknown]))
    for var_id in order:
        var = scenario.variable(var_id)
        if var.hidden and var.kind is VarKind.FLAG:
            continue
        ladder = var.kind is VarKind.FLAG and var.ladder
        if var_id in stages:
            notes.append(EffectNote(var_id, var.label, 0, 0, None, stage=stages[var_id]))
        elif var_id in known:
            delta = known[var_id]
            if delta == 0:
                continue
            sign = 1 if delta > 0 else -1
            quiet = var.hidden or var.kind is VarKind.FLAG
            stage = ""
            if var.kind is VarKind.FLAG and values is not None:
                now = float(values[scenario.var_index(var_id)])
                stage = var.stage(min(max(now + delta, var.min), var.max))
            size = 0 if quiet else _size(delta)
            notes.append(EffectNote(var_id, var.label, sign, size, _good(var, sign), stage=stage, ladder=ladder))
        elif (var_id in unknown and var.kind is not VarKind.FLAG) or ladder:
            notes.append(EffectNote(var_id, var.label, 0, 0, None, ladder=ladder))
    return tuple(notes)


def cost_words(scenario: Scenario, option: Option) -> str:
    """``costs 2.0 bn PHP from the defense budget`` ('' for a free option)."""
    from .session import format_value

    parts = []
    for var_id, amount in option.cost:
        var = scenario.variable(var_id)
        amount_text = format_value(var, amount)
        parts.append(
            f"{amount_text} from {var.label.lower()}"
            if var.format is ValueFormat.MONEY
            else f"{amount_text} {var.label.lower()}"
        )
    return "costs " + ", ".join(parts) if parts else ""
