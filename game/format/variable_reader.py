"""Reading the variables: ``[meters.ID]``, ``[factions.ID]`` and ``[flags.ID]``, with their bounds, starts and
drifts.

``VariableReader`` also records each variable's kind (and which are meters or hidden) as it goes, so that the
expressions and texts read after it can check every name they use.
"""

from __future__ import annotations

from typing import Any

from ..expr import FUNCTIONS, names_in
from ..model import BUILTIN_NAMES, Variable, VarKind
from .keys import FACTION_KEYS, FLAG_KEYS, LIMITS, METER_KEYS
from .scenario_reader import ScenarioReader
from .toml_reader import ID_RE

__all__ = ["RESERVED", "VariableReader"]

RESERVED = set(BUILTIN_NAMES) | set(FUNCTIONS) | {"and", "or", "not"}


class VariableReader(ScenarioReader):
    """A ``ScenarioReader`` that reads the meters, factions and flags."""

    def variables(self, raw: dict) -> list[Variable]:
        sections = (
            ("meters", VarKind.METER, METER_KEYS),
            ("factions", VarKind.FACTION, FACTION_KEYS),
            ("flags", VarKind.FLAG, FLAG_KEYS),
        )
        tables: list[tuple[str, VarKind, tuple, str, dict]] = []
        for section, kind, keys in sections:
            if section not in raw:
                continue
            t = self.table(raw[section], section)
            if t is None:
                continue
            for var_id, body in t.items():
                path = f"{section}.{var_id}"
                if not ID_RE.match(var_id):
                    self.problem(
                        path, f"'{var_id}' is not a valid id: use a lower-case letter, then letters, digits or '_'"
                    )
                    continue
                if var_id in RESERVED:
                    self.problem(path, f"'{var_id}' is a built-in name; choose another id")
                    continue
                if var_id in self.var_kinds:
                    self.problem(path, f"id '{var_id}' is already used by another meter, faction or flag")
                    continue
                body = self.table(body, path)
                if body is None:
                    continue
                self.var_kinds[var_id] = kind
                if kind is VarKind.METER:
                    self.meters.add(var_id)
                    if body.get("hidden") is True:
                        self.hidden.add(var_id)
                if kind is VarKind.FLAG and body.get("hidden") is True:
                    self.hidden.add(var_id)
                tables.append((var_id, kind, keys, path, body))
        if not any(k is VarKind.METER for k in self.var_kinds.values()):
            self.problem("meters", "a scenario needs at least one meter ([meters.ID])")
        if len(tables) > LIMITS["variables"]:
            self.problem("meters", f"too many variables ({len(tables)}; at most {LIMITS['variables']})")
        out = []
        for var_id, kind, keys, path, body in tables:
            self.check_keys(body, keys, path)
            v = self.variable(var_id, kind, path, body)
            if v is not None:
                out.append(v)
        order = {VarKind.METER: 0, VarKind.FACTION: 1, VarKind.FLAG: 2}
        return sorted(out, key=lambda v: order[v.kind])  # stable: file order within a kind

    def variable(self, var_id: str, kind: VarKind, p: str, body: dict) -> Variable | None:
        label = self.text(body, "label", p, limit=80)
        description = self.text(body, "description", p, default="", limit=1000)
        extra: dict[str, Any] = {}
        lo: float | None
        hi: float | None
        start_range: tuple[float, float] | None
        if kind is VarKind.FLAG:
            lo = self.integer(body, "min", p, default=0)
            hi = self.integer(body, "max", p, default=1)
            if lo is None or hi is None:
                return None
            if hi <= lo:
                self.problem(f"{p}.max", f"max ({hi}) must be greater than min ({lo})")
                return None
            start = self.integer(body, "start", p, default=lo)
            start_range = (float(start if start is not None else lo),) * 2
            stages = self.strings(body, "stages", p)
            if stages and len(stages) != hi - lo + 1:
                self.problem(
                    f"{p}.stages",
                    f"needs exactly {hi - lo + 1} names (one for each value {lo}..{hi}), not {len(stages)}",
                )
            extra.update(stages=stages, ladder=self.boolean(body, "ladder", p), hidden=self.boolean(body, "hidden", p))
            if extra["ladder"] and not stages:
                self.problem(f"{p}.ladder", "a ladder needs 'stages' naming its rungs")
        else:
            if kind is VarKind.FACTION:
                lo, hi = 0.0, 100.0
                if self.fmt >= 2 and isinstance(body.get("weight"), str):
                    wexpr = self.expr(body["weight"], f"{p}.weight")
                    if wexpr is not None and any(n.id == "support" for n in names_in(wexpr.node)):
                        self.problem(
                            f"{p}.weight",
                            "a faction's weight cannot depend on 'support' (support is "
                            "the weighted mean of the factions)",
                        )
                        wexpr = None
                    extra.update(weight=1.0, weight_expr=wexpr)
                else:
                    weight = self.number(body, "weight", p, default=1.0)
                    if weight is not None and weight < 0:
                        self.problem(f"{p}.weight", "must not be negative")
                    extra["weight"] = weight or 0.0
            else:
                lo = self.number(body, "min", p, default=0.0)
                hi = self.number(body, "max", p, default=100.0)
                if lo is None or hi is None:
                    return None
                if hi <= lo:
                    self.problem(f"{p}.max", f"max ({hi:g}) must be greater than min ({lo:g})")
                    return None
                extra.update(self.meter_extras(body, p, lo, hi))
            start_range = self.start_range(body, p, lo, hi)
            if "drift" in body:
                extra["drift"] = self.expr(body["drift"], f"{p}.drift")
        if start_range is None:
            return None
        for s in start_range:
            if not lo <= s <= hi:
                self.problem(f"{p}.start", f"start {s:g} is outside the bounds {lo:g}..{hi:g}")
                return None
        return Variable(
            id=var_id,
            kind=kind,
            label=label,
            description=description,
            min=float(lo),
            max=float(hi),
            start=start_range,
            **extra,
        )
