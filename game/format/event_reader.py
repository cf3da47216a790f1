"""Reading events, their options and chance branches (the largest part of a scenario file)."""

from __future__ import annotations

from ..errors import did_you_mean
from ..expr import evaluate, memory_in, names_in
from ..model import Branch, Event, Expr, Lasting, Option, VarKind
from ..numeric import MAX_NUMBER
from .keys import BRANCH_KEYS, EVENT_KEYS, LASTING_KEYS, LIMITS, OPTION_KEYS
from .scenario_reader import ScenarioReader
from .toml_reader import describe as _kind

__all__ = ["EventReader"]


def _fixed(expr: Expr) -> float | None:
    """The value of an expression without names (``"0-5"`` as much as ``5``), or None if it has names or
    memory calls (format 2's ``fired(EVENT)``: not known until play)."""
    if expr.constant is not None:
        return expr.constant
    return None if names_in(expr.node) or memory_in(expr.node) else evaluate(expr.node, {})


class EventReader(ScenarioReader):
    """A ``ScenarioReader`` that reads ``[[events]]`` with their options and branches."""

    def events(self, raw: dict) -> list[Event]:
        out: list[Event] = []
        seen: set[str] = set()
        for p, t in self.array_of_tables(raw, "events", "", LIMITS["events"]):
            self.check_keys(t, EVENT_KEYS, p)
            eid = self.ident(t, p, seen, "event")
            self.current_event = eid
            text = self.text(t, "text", p)
            self.placeholders(text, f"{p}.text")
            title = self.text(t, "title", p, limit=120)
            self.placeholders(title, f"{p}.title")
            weight = self.expr(t.get("weight", 1), f"{p}.weight")
            if weight is not None and (_fixed(weight) or 0.0) < 0:
                self.problem(f"{p}.weight", "must not be negative")
            options = [self.option(sub, o) for sub, o in self.array_of_tables(t, "options", p, LIMITS["options"])]
            option_ids = set()
            for i, o in enumerate(options):
                if o.id in option_ids:
                    self.problem(f"{p}.options[{i}].id", f"duplicate option id '{o.id}' in this event")
                option_ids.add(o.id)
            if options and not any(o.always_available for o in options):
                self.problem(
                    f"{p}.options",
                    "at least one option must always be available (no 'available', "
                    "no 'cost' and no 'visible'), so a decision can never be stuck",
                )
            event = Event(
                id=eid,
                title=title,
                text=text,
                cite=self.cites(t, p),
                when=self.expr(t["when"], f"{p}.when") if "when" in t else None,
                weight=weight or Expr.number(1.0),
                once=self.boolean(t, "once", p),
                cooldown=self.integer(t, "cooldown", p, default=0, low=0, high=LIMITS["turns"]) or 0,
                date_turn=self.date(t, "date", p),
                from_turn=self.date(t, "from", p),
                until_turn=self.date(t, "until", p),
                tags=self.strings(t, "tags", p),
                effects=tuple(self.effects(t, p)),
                follow=tuple(self.follows(t, p)),
                branches=self.branches(t, p),
                options=tuple(options),
                max_fires=self.integer(t, "max_fires", p, default=0, low=0, high=LIMITS["turns"]) or 0,
                chance=self.expr(t["chance"], f"{p}.chance") if "chance" in t else None,
            )
            if (
                event.chance is not None
                and _fixed(event.chance) is not None
                and not 0 <= (_fixed(event.chance) or 0.0) <= 1
            ):
                self.problem(
                    f"{p}.chance",
                    f"a probability must be between 0 and 1, not {_fixed(event.chance):g} "
                    "(for a mean time of N turns, write 1/N)",
                )
            if "chance" in t and event.date_turn is not None:
                self.problem(f"{p}.chance", "a dated event cannot also have a chance each turn")
            if "chance" in t and "weight" in t:
                self.problem(
                    f"{p}.weight", "an event with a 'chance' each turn is never drawn by weight; drop 'weight'"
                )
            if event.from_turn and event.until_turn and event.until_turn < event.from_turn:
                self.problem(f"{p}.until", "'until' is before 'from'")
            if event.date_turn is not None and ("from" in t or "until" in t):
                self.problem(f"{p}.date", "a dated event cannot also have 'from'/'until'")
            out.append(event)
        return out

    def branches(self, t: dict, p: str) -> tuple[Branch, ...]:
        out = []
        for sub, b in self.array_of_tables(t, "branches", p, LIMITS["branches"]):
            self.check_keys(b, BRANCH_KEYS, sub)
            chance = self.expr(b.get("chance"), f"{sub}.chance") if "chance" in b else None
            if "chance" not in b:
                self.problem(sub, "missing required key 'chance' (a probability 0..1 or an expression)")
            elif chance is not None and _fixed(chance) is not None and not 0 <= (_fixed(chance) or 0.0) <= 1:
                self.problem(f"{sub}.chance", f"a probability must be between 0 and 1, not {_fixed(chance):g}")
            text = self.text(b, "text", sub, default="")
            self.placeholders(text, f"{sub}.text")
            out.append(
                Branch(chance or Expr.number(0.0), text, tuple(self.effects(b, sub)), tuple(self.follows(b, sub)))
            )
        return tuple(out)

    def option(self, p: str, t: dict) -> Option:
        self.check_keys(t, OPTION_KEYS, p)
        oid = self.ident(t, p, set(), "option")
        label = self.text(t, "label", p, limit=300)
        outcome = self.text(t, "outcome", p, default="")
        self.placeholders(label, f"{p}.label")
        self.placeholders(outcome, f"{p}.outcome")
        cost = []
        if "cost" in t:
            ct = self.table(t["cost"], f"{p}.cost") or {}
            for var, amount in ct.items():
                sub = f"{p}.cost.{var}"
                if self.var_kinds.get(var) is not VarKind.METER:
                    self.problem(
                        sub, f"costs are paid from meters; '{var}' is not a meter{did_you_mean(var, self.meters)}"
                    )
                elif isinstance(amount, bool) or not isinstance(amount, (int, float)):
                    self.problem(sub, f"a cost must be a number, not {_kind(amount)}")
                elif not 0 < amount <= MAX_NUMBER:
                    self.problem(sub, "a cost must be a positive number (use effects for gains)")
                else:
                    cost.append((var, float(amount)))
        hint = self.text(t, "hint", p, default="", limit=300)
        self.placeholders(hint, f"{p}.hint")
        return Option(
            id=oid,
            label=label,
            outcome=outcome,
            cite=self.cites(t, p),
            available=self.expr(t["available"], f"{p}.available") if "available" in t else None,
            cost=tuple(cost),
            effects=tuple(self.effects(t, p)),
            follow=tuple(self.follows(t, p)),
            branches=self.branches(t, p),
            tags=self.strings(t, "tags", p),
            visible=self.expr(t["visible"], f"{p}.visible") if "visible" in t else None,
            hint=hint,
            lasting=self.lasting(t, p, f"{self.current_event}.{oid}"),
        )

    def lasting(self, t: dict, p: str, owner: str) -> Lasting | None:
        """Format 2: ``lasting = { turns = N, label = "...", effects = { var = amount } }``."""
        if "lasting" not in t:
            return None
        sub = f"{p}.lasting"
        body = self.table(t["lasting"], sub)
        if body is None:
            return None
        self.check_keys(body, LASTING_KEYS, sub)
        turns = self.integer(body, "turns", sub, low=1, high=LIMITS["turns"])
        label = self.text(body, "label", sub, limit=120)
        changes = []
        raw = self.table(body.get("effects", {}), f"{sub}.effects") or {}
        if not raw:
            self.problem(f"{sub}.effects", "a lasting effect needs effects = { variable = amount }")
        for var, amount in raw.items():
            vpath = f"{sub}.effects.{var}"
            if var not in self.var_kinds:
                self.problem(vpath, f"unknown variable '{var}'{did_you_mean(var, self.var_kinds)}")
            elif isinstance(amount, bool) or not isinstance(amount, (int, float)):
                self.problem(vpath, f"a lasting change is a number (it is taken back as written), not {_kind(amount)}")
            elif not abs(amount) <= MAX_NUMBER:
                self.problem(vpath, "number out of range (at most 1e9 in size)")
            elif self.var_kinds[var] is VarKind.FLAG and amount != int(amount):
                self.problem(vpath, f"'{var}' is a flag and takes whole numbers, not {amount:g}")
            else:
                changes.append((var, float(amount)))
        if turns is None or not changes:
            return None
        return Lasting(owner, label, turns, tuple(changes))
