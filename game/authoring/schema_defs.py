"""The parts of the scenario schema (``schema``): its building blocks and the definition of each table.

The blocks are ids, numbers within the engine's bounds, texts within the loader's limits, references to a
definition, and closed tables whose keys are checked against the loader's key lists (a key added to one
and not the other fails at once). ``defs()`` gives the ``$defs`` of the schema: expressions, dates,
effects, follow-ups, and the tables of variables, rules, events, options, branches, endings, score
components and advisers.
"""

from __future__ import annotations

from typing import Any

from ..expr import MAX_LENGTH
from ..format.keys import (
    ADVISER_KEYS,
    BRANCH_KEYS,
    ENDING_KEYS,
    EVENT_KEYS,
    FACTION_KEYS,
    FLAG_KEYS,
    LIMITS,
    METER_KEYS,
    OPTION_KEYS,
    RULE_KEYS,
    SCORE_KEYS,
)
from ..model import Good, ValueFormat
from ..numeric import MAX_NUMBER

__all__ = ["ID", "NUMBER", "TEXT", "defs", "ref", "table", "text"]

ID = {
    "type": "string",
    "pattern": "^[a-z][a-z0-9_]{0,39}$",
    "description": "a lower-case letter, then letters, digits or '_' (at most 40 characters)",
}
NUMBER = {"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER}
TEXT = {"type": "string", "maxLength": LIMITS["text"]}


def ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def text(limit: int | None = None, description: str = "") -> dict:
    out: dict[str, Any] = {"type": "string", "maxLength": limit or LIMITS["text"]}
    if description:
        out["description"] = description
    return out


def table(
    keys: tuple[str, ...], properties: dict[str, Any], required: tuple[str, ...] = (), description: str = ""
) -> dict:
    """A closed table: exactly the loader's keys (a typo is an error, as in the loader)."""
    differ = set(keys) ^ set(properties)
    if differ:  # a key added to the loader but not here (or the reverse): fail at once, loudly
        raise ValueError(f"schema and loader disagree about keys: {sorted(differ)}")
    out: dict[str, Any] = {
        "type": "object",
        "properties": {k: properties[k] for k in keys},
        "additionalProperties": False,
    }
    if required:
        out["required"] = list(required)
    if description:
        out["description"] = description
    return out


def defs() -> dict[str, Any]:
    effects = {"type": "object", "propertyNames": {"pattern": ID["pattern"]}, "additionalProperties": ref("expr")}
    start = {
        "oneOf": [NUMBER, {"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 2}],
        "description": "a number, or [low, high] drawn uniformly per game",
    }
    cites = {
        "type": "array",
        "items": {"type": "integer", "minimum": 1},
        "maxItems": LIMITS["list"],
        "description": "source paragraphs (numbered from 1) this draws on",
    }
    tags = {"type": "array", "items": {"type": "string"}, "maxItems": LIMITS["list"]}
    return {
        "id": ID,
        "expr": {
            "oneOf": [NUMBER, {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH}],
            "description": 'a number or an expression such as "0.1 * (50 - ties)"',
        },
        "date": {
            "oneOf": [
                {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"},
                {"type": "integer", "minimum": 1, "maximum": LIMITS["turns"]},
            ],
            "description": '"YYYY-MM", or a turn number (the first turn is 1)',
        },
        "effects": {**effects, "description": "variable = delta (a number or an expression)"},
        "sets": {**effects, "description": "variable = value (a number or an expression)"},
        "follow": {
            "type": "array",
            "maxItems": LIMITS["list"],
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["event", "after"],
                "properties": {"event": ID, "after": {"type": "integer", "minimum": 1, "maximum": LIMITS["turns"]}},
                "description": "schedule an event `after` turns later",
            },
        },
        "meter": table(
            METER_KEYS,
            {
                "label": text(80),
                "description": text(1000),
                "min": NUMBER,
                "max": NUMBER,
                "start": start,
                "drift": {**ref("expr"), "description": "change applied every turn"},
                "good": {"enum": [g.value for g in Good]},
                "bands": {
                    "type": "array",
                    "maxItems": 20,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["label"],
                        "properties": {"label": text(40), "below": NUMBER},
                    },
                },
                "hidden": {"type": "boolean"},
                "noise": {"type": "number", "minimum": 0, "maximum": MAX_NUMBER},
                "format": {"enum": [f.value for f in ValueFormat]},
                "unit": text(20),
            },
            ("label", "start"),
            "a continuous quantity",
        ),
        "flag": table(
            FLAG_KEYS,
            {
                "label": text(80),
                "description": text(1000),
                "min": {"type": "integer"},
                "max": {"type": "integer"},
                "start": {"type": "integer"},
                "stages": {"type": "array", "items": {"type": "string"}, "maxItems": LIMITS["list"]},
                "ladder": {"type": "boolean"},
                "hidden": {"type": "boolean"},
            },
            ("label",),
            "a whole number: a stage, a rung, a counter",
        ),
        "faction": table(
            FACTION_KEYS,
            {
                "label": text(80),
                "description": text(1000),
                "start": {
                    "oneOf": [
                        {"type": "number", "minimum": 0, "maximum": 100},
                        {
                            "type": "array",
                            "minItems": 2,
                            "maxItems": 2,
                            "items": {"type": "number", "minimum": 0, "maximum": 100},
                        },
                    ]
                },
                "weight": {
                    "oneOf": [
                        {"type": "number", "minimum": 0, "maximum": MAX_NUMBER},
                        {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH},
                    ],
                    "description": "weight in `support`: a number, or (format 2) an expression",
                },
                "drift": ref("expr"),
            },
            ("label", "start"),
            "a group whose support (0-100) feeds `support`",
        ),
        "rule": table(
            RULE_KEYS,
            {
                "id": ID,
                "label": text(120),
                "when": ref("expr"),
                "effects": ref("effects"),
                "set": ref("sets"),
                "follow": ref("follow"),
            },
            ("id", "label"),
            "a standing rule applied every turn",
        ),
        "branch": table(
            BRANCH_KEYS,
            {
                "chance": {
                    "oneOf": [
                        {"type": "number", "minimum": 0, "maximum": 1},
                        {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH},
                    ]
                },
                "text": TEXT,
                "effects": ref("effects"),
                "set": ref("sets"),
                "follow": ref("follow"),
            },
            ("chance",),
            "a chance branch of an option or an event",
        ),
        "option": table(
            OPTION_KEYS,
            {
                "id": ID,
                "label": text(300),
                "outcome": TEXT,
                "cite": cites,
                "available": ref("expr"),
                "cost": {
                    "type": "object",
                    "propertyNames": {"pattern": ID["pattern"]},
                    "additionalProperties": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_NUMBER},
                },
                "effects": ref("effects"),
                "set": ref("sets"),
                "follow": ref("follow"),
                "branches": {"type": "array", "items": ref("branch"), "maxItems": LIMITS["branches"]},
                "tags": tags,
                "visible": {**ref("expr"), "description": "(format 2) the option is offered only where this holds"},
                "hint": {**text(300), "description": "(format 2) shown with the option, e.g. for hidden effects"},
                "lasting": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["turns", "label", "effects"],
                    "properties": {
                        "turns": {"type": "integer", "minimum": 1, "maximum": LIMITS["turns"]},
                        "label": text(120),
                        "effects": {
                            "type": "object",
                            "minProperties": 1,
                            "propertyNames": {"pattern": ID["pattern"]},
                            "additionalProperties": NUMBER,
                        },
                    },
                    "description": "(format 2) changes that end by themselves after `turns` turns",
                },
            },
            ("id", "label"),
            "a choice, in the player's voice",
        ),
        "event": table(
            EVENT_KEYS,
            {
                "id": ID,
                "title": text(120),
                "text": TEXT,
                "cite": cites,
                "when": ref("expr"),
                "weight": ref("expr"),
                "once": {"type": "boolean"},
                "cooldown": {"type": "integer", "minimum": 0, "maximum": LIMITS["turns"]},
                "date": ref("date"),
                "from": ref("date"),
                "until": ref("date"),
                "tags": tags,
                "effects": ref("effects"),
                "set": ref("sets"),
                "follow": ref("follow"),
                "branches": {"type": "array", "items": ref("branch"), "maxItems": LIMITS["branches"]},
                "options": {"type": "array", "items": ref("option"), "maxItems": LIMITS["options"]},
                "max_fires": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": LIMITS["turns"],
                    "description": "(format 2) fires at most this often per game (0: no limit)",
                },
                "chance": {
                    "oneOf": [
                        {"type": "number", "minimum": 0, "maximum": 1},
                        {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH},
                    ],
                    "description": "(format 2) each turn, due with this probability",
                },
            },
            ("id", "title", "text"),
            "an event; without options it is news",
        ),
        "ending": table(
            ENDING_KEYS,
            {
                "id": ID,
                "title": text(120),
                "early": {"type": "boolean"},
                "when": ref("expr"),
                "epilogue": TEXT,
                "history": TEXT,
                "bonus": NUMBER,
            },
            ("id", "title", "epilogue"),
        ),
        "score": table(
            SCORE_KEYS,
            {
                "id": ID,
                "label": text(80),
                "value": ref("expr"),
                "weight": NUMBER,
                "over": {
                    "enum": ["final", "term"],
                    "description": "(format 2) count the value on the last day "
                    '("final") or its mean after each turn played ("term")',
                },
            },
            ("id", "label", "value"),
        ),
        "adviser": table(
            ADVISER_KEYS,
            {
                "id": ID,
                "name": text(80),
                "title": text(80),
                "leaning": text(400),
                "weights": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": NUMBER,
                    "description": "score component ids, variable ids or 'score', each with a weight",
                },
            },
            ("id", "name", "title", "leaning", "weights"),
            "a named adviser and what they care about",
        ),
    }
