"""Reading the sections around the events: ``[[rules]]``, ``[[endings]]``, ``[[score]]``, ``[[advisers]]`` and
``[advice]``, ``[glossary]`` and ``[history]``."""

from __future__ import annotations

from ..errors import did_you_mean
from ..model import Adviser, Ending, Expr, Rule, ScoreComponent, ScoreOver, Variable
from .keys import ADVICE_KEYS, ADVISER_KEYS, ENDING_KEYS, LIMITS, MAX_ADVISERS, MAX_CONSULTATIONS, RULE_KEYS, SCORE_KEYS
from .scenario_reader import ScenarioReader
from .toml_reader import describe as _kind

__all__ = ["SectionReader"]

SCORE_OVER = {o.value: o for o in ScoreOver}


class SectionReader(ScenarioReader):
    """A ``ScenarioReader`` that reads the rules, endings, score, advisers, glossary and history."""

    def glossary(self, raw: dict) -> list[tuple[str, str]]:
        if "glossary" not in raw:
            return []
        t = self.table(raw["glossary"], "glossary")
        out = []
        for term, definition in (t or {}).items():
            if not isinstance(definition, str):
                self.problem(f"glossary.{term}", f"must be a string, not {_kind(definition)}")
            else:
                out.append((term, definition))
        return out

    def history(self, raw: dict) -> list[tuple[int, str]]:
        """``[history]``: what really happened, keyed by month ("2020-02" = "..."), shown beside the player's
        own term on the ending screen; returned as (turn, text) in date order."""
        if "history" not in raw:
            return []
        t = self.table(raw["history"], "history")
        out = []
        for date, text in (t or {}).items():
            path = f"history.{date}"
            if not isinstance(text, str):
                self.problem(path, f"must be a string, not {_kind(text)}")
                continue
            if len(text) > 4000:
                self.problem(path, f"is {len(text)} characters long; keep a history note under 4000")
                continue
            turn = self.date({date: date}, date, "history")
            if turn is None:
                continue
            self.placeholders(text, path, allow_hidden=True)
            out.append((turn, text))
        return sorted(out, key=lambda item: item[0])

    def rules(self, raw: dict) -> list[Rule]:
        out: list[Rule] = []
        seen: set[str] = set()
        for p, t in self.array_of_tables(raw, "rules", "", LIMITS["events"]):
            self.check_keys(t, RULE_KEYS, p)
            rid = self.ident(t, p, seen, "rule")
            when = self.expr(t["when"], f"{p}.when") if "when" in t else None
            out.append(
                Rule(
                    rid, self.text(t, "label", p, limit=120), when, tuple(self.effects(t, p)), tuple(self.follows(t, p))
                )
            )
        return out

    def endings(self, raw: dict) -> list[Ending]:
        out: list[Ending] = []
        seen: set[str] = set()
        for p, t in self.array_of_tables(raw, "endings", "", 100):
            self.check_keys(t, ENDING_KEYS, p)
            eid = self.ident(t, p, seen, "ending")
            epilogue = self.text(t, "epilogue", p)
            history = self.text(t, "history", p, default="")
            self.placeholders(epilogue, f"{p}.epilogue", allow_hidden=True)
            self.placeholders(history, f"{p}.history", allow_hidden=True)
            out.append(
                Ending(
                    id=eid,
                    title=self.text(t, "title", p, limit=120),
                    epilogue=epilogue,
                    early=self.boolean(t, "early", p),
                    when=self.expr(t["when"], f"{p}.when") if "when" in t else None,
                    history=history,
                    bonus=self.number(t, "bonus", p, default=0.0) or 0.0,
                )
            )
        finals = [e for e in out if not e.early]
        if not finals:
            self.problem("endings", "at least one final ending ([[endings]] without 'early = true') is needed")
        elif finals[-1].when is not None:
            self.problem(
                "endings",
                f"the last final ending ('{finals[-1].id}') must have no 'when', so that some ending always applies",
            )
        return out

    def score(self, raw: dict) -> list[ScoreComponent]:
        out: list[ScoreComponent] = []
        seen: set[str] = set()
        for p, t in self.array_of_tables(raw, "score", "", 50):
            self.check_keys(t, SCORE_KEYS, p)
            sid = self.ident(t, p, seen, "score component")
            value = self.expr(t.get("value", 0), f"{p}.value") if "value" in t else None
            if "value" not in t:
                self.problem(p, "missing required key 'value'")
            over_text = self.text(t, "over", p, default="final")
            over = SCORE_OVER.get(over_text)
            if over is None:
                self.problem(
                    f"{p}.over",
                    'must be "final" (the value on the last day) or "term" (the mean over '
                    f"the turns played), not '{over_text}'{did_you_mean(over_text, SCORE_OVER)}",
                )
            out.append(
                ScoreComponent(
                    sid,
                    self.text(t, "label", p, limit=80),
                    value or Expr.number(0.0),
                    self.number(t, "weight", p, default=1.0) or 0.0,
                    over or ScoreOver.FINAL,
                )
            )
        if not out:
            self.problem("score", "a scenario needs at least one [[score]] component")
        return out

    def consultations(self, raw: dict) -> int:
        if "advice" not in raw:
            return 0
        t = self.table(raw["advice"], "advice")
        if t is None:
            return 0
        self.check_keys(t, ADVICE_KEYS, "advice")
        return self.integer(t, "consultations", "advice", default=0, low=0, high=MAX_CONSULTATIONS) or 0

    def advisers(self, raw: dict, variables: list[Variable], score: list[ScoreComponent]) -> list[Adviser]:
        out: list[Adviser] = []
        seen: set[str] = set()
        keys = ["score", *(c.id for c in score), *(v.id for v in variables)]
        for p, t in self.array_of_tables(raw, "advisers", "", MAX_ADVISERS):
            self.check_keys(t, ADVISER_KEYS, p)
            aid = self.ident(t, p, seen, "adviser")
            weights = []
            table = self.table(t.get("weights", {}), f"{p}.weights") if "weights" in t else None
            if "weights" not in t:
                self.problem(
                    p,
                    "missing required key 'weights' (what this adviser cares about, e.g. "
                    "weights = { economy = 2, score = 1 })",
                )
            for key, value in (table or {}).items():
                sub = f"{p}.weights.{key}"
                if key not in keys:
                    self.problem(
                        sub,
                        f"unknown '{key}'{did_you_mean(key, keys)}: use a score component id, a variable id or 'score'",
                    )
                elif (
                    isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) > 1e6
                ):
                    self.problem(sub, f"must be a number, not {value!r}")
                else:
                    weights.append((key, float(value)))
            if table is not None and not table:
                self.problem(f"{p}.weights", "needs at least one weight")
            out.append(
                Adviser(
                    id=aid,
                    name=self.text(t, "name", p, limit=80),
                    title=self.text(t, "title", p, limit=80),
                    leaning=self.text(t, "leaning", p, limit=400),
                    weights=tuple(weights),
                )
            )
        return out
