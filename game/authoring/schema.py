"""A JSON Schema (draft 2020-12) of the scenario format, for editors that validate and complete TOML.

The schema checks the shape of a file: keys, types, ids, dates, ranges and limits. It cannot check what
needs the whole file (names used in expressions, follow-up targets, "one option always available",
citations against the source); ``manila validate`` does that. The allowed keys of each table come from
the loader's own key lists, so the two cannot drift apart silently (a test compares them).
"""

from __future__ import annotations

from typing import Any

from ..expr import MAX_LENGTH
from ..format.keys import (
    ADVICE_KEYS,
    ADVISER_KEYS,
    BRANCH_KEYS,
    ENDING_KEYS,
    EVENT_KEYS,
    FACTION_KEYS,
    FLAG_KEYS,
    FORMAT_VERSION,
    FORMATS,
    LIMITS,
    MAX_ADVISERS,
    MAX_CONSULTATIONS,
    METER_KEYS,
    OPTION_KEYS,
    RULE_KEYS,
    SCENARIO_KEYS,
    SCORE_KEYS,
    TOP_KEYS,
    V2_KEYS,
)
from ..model import Good, TurnUnit, ValueFormat
from ..numeric import MAX_NUMBER

__all__ = ["SCHEMA_ID", "scenario_schema"]

SCHEMA_ID = "https://manila-2019.invalid/schema/scenario-format-2.json"

_ID = {
    "type": "string",
    "pattern": "^[a-z][a-z0-9_]{0,39}$",
    "description": "a lower-case letter, then letters, digits or '_' (at most 40 characters)",
}
_NUMBER = {"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER}
_TEXT = {"type": "string", "maxLength": LIMITS["text"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def _text(limit: int | None = None, description: str = "") -> dict:
    out: dict[str, Any] = {"type": "string", "maxLength": limit or LIMITS["text"]}
    if description:
        out["description"] = description
    return out


def _table(
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


def _defs() -> dict[str, Any]:
    effects = {"type": "object", "propertyNames": {"pattern": _ID["pattern"]}, "additionalProperties": _ref("expr")}
    start = {
        "oneOf": [_NUMBER, {"type": "array", "items": _NUMBER, "minItems": 2, "maxItems": 2}],
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
        "id": _ID,
        "expr": {
            "oneOf": [_NUMBER, {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH}],
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
                "properties": {"event": _ID, "after": {"type": "integer", "minimum": 1, "maximum": LIMITS["turns"]}},
                "description": "schedule an event `after` turns later",
            },
        },
        "meter": _table(
            METER_KEYS,
            {
                "label": _text(80),
                "description": _text(1000),
                "min": _NUMBER,
                "max": _NUMBER,
                "start": start,
                "drift": {**_ref("expr"), "description": "change applied every turn"},
                "good": {"enum": [g.value for g in Good]},
                "bands": {
                    "type": "array",
                    "maxItems": 20,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["label"],
                        "properties": {"label": _text(40), "below": _NUMBER},
                    },
                },
                "hidden": {"type": "boolean"},
                "noise": {"type": "number", "minimum": 0, "maximum": MAX_NUMBER},
                "format": {"enum": [f.value for f in ValueFormat]},
                "unit": _text(20),
            },
            ("label", "start"),
            "a continuous quantity",
        ),
        "flag": _table(
            FLAG_KEYS,
            {
                "label": _text(80),
                "description": _text(1000),
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
        "faction": _table(
            FACTION_KEYS,
            {
                "label": _text(80),
                "description": _text(1000),
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
                "drift": _ref("expr"),
            },
            ("label", "start"),
            "a group whose support (0-100) feeds `support`",
        ),
        "rule": _table(
            RULE_KEYS,
            {
                "id": _ID,
                "label": _text(120),
                "when": _ref("expr"),
                "effects": _ref("effects"),
                "set": _ref("sets"),
                "follow": _ref("follow"),
            },
            ("id", "label"),
            "a standing rule applied every turn",
        ),
        "branch": _table(
            BRANCH_KEYS,
            {
                "chance": {
                    "oneOf": [
                        {"type": "number", "minimum": 0, "maximum": 1},
                        {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH},
                    ]
                },
                "text": _TEXT,
                "effects": _ref("effects"),
                "set": _ref("sets"),
                "follow": _ref("follow"),
            },
            ("chance",),
            "a chance branch of an option or an event",
        ),
        "option": _table(
            OPTION_KEYS,
            {
                "id": _ID,
                "label": _text(300),
                "outcome": _TEXT,
                "cite": cites,
                "available": _ref("expr"),
                "cost": {
                    "type": "object",
                    "propertyNames": {"pattern": _ID["pattern"]},
                    "additionalProperties": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_NUMBER},
                },
                "effects": _ref("effects"),
                "set": _ref("sets"),
                "follow": _ref("follow"),
                "branches": {"type": "array", "items": _ref("branch"), "maxItems": LIMITS["branches"]},
                "tags": tags,
                "visible": {**_ref("expr"), "description": "(format 2) the option is offered only where this holds"},
                "hint": {**_text(300), "description": "(format 2) shown with the option, e.g. for hidden effects"},
                "lasting": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["turns", "label", "effects"],
                    "properties": {
                        "turns": {"type": "integer", "minimum": 1, "maximum": LIMITS["turns"]},
                        "label": _text(120),
                        "effects": {
                            "type": "object",
                            "minProperties": 1,
                            "propertyNames": {"pattern": _ID["pattern"]},
                            "additionalProperties": _NUMBER,
                        },
                    },
                    "description": "(format 2) changes that end by themselves after `turns` turns",
                },
            },
            ("id", "label"),
            "a choice, in the player's voice",
        ),
        "event": _table(
            EVENT_KEYS,
            {
                "id": _ID,
                "title": _text(120),
                "text": _TEXT,
                "cite": cites,
                "when": _ref("expr"),
                "weight": _ref("expr"),
                "once": {"type": "boolean"},
                "cooldown": {"type": "integer", "minimum": 0, "maximum": LIMITS["turns"]},
                "date": _ref("date"),
                "from": _ref("date"),
                "until": _ref("date"),
                "tags": tags,
                "effects": _ref("effects"),
                "set": _ref("sets"),
                "follow": _ref("follow"),
                "branches": {"type": "array", "items": _ref("branch"), "maxItems": LIMITS["branches"]},
                "options": {"type": "array", "items": _ref("option"), "maxItems": LIMITS["options"]},
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
        "ending": _table(
            ENDING_KEYS,
            {
                "id": _ID,
                "title": _text(120),
                "early": {"type": "boolean"},
                "when": _ref("expr"),
                "epilogue": _TEXT,
                "history": _TEXT,
                "bonus": _NUMBER,
            },
            ("id", "title", "epilogue"),
        ),
        "score": _table(
            SCORE_KEYS,
            {
                "id": _ID,
                "label": _text(80),
                "value": _ref("expr"),
                "weight": _NUMBER,
                "over": {
                    "enum": ["final", "term"],
                    "description": "(format 2) count the value on the last day "
                    '("final") or its mean after each turn played ("term")',
                },
            },
            ("id", "label", "value"),
        ),
        "adviser": _table(
            ADVISER_KEYS,
            {
                "id": _ID,
                "name": _text(80),
                "title": _text(80),
                "leaning": _text(400),
                "weights": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": _NUMBER,
                    "description": "score component ids, variable ids or 'score', each with a weight",
                },
            },
            ("id", "name", "title", "leaning", "weights"),
            "a named adviser and what they care about",
        ),
    }


def _format_1_limits() -> dict[str, Any]:
    """In a format-1 file the format-2 keys (and a faction weight written as an expression) are errors, as in
    the loader, which says how to fix it: write ``format = 2`` at the top of the file."""

    if set(V2_KEYS) != {EVENT_KEYS, OPTION_KEYS, SCORE_KEYS}:  # a table gained format-2 keys: place them here
        raise ValueError("schema and loader disagree about the tables with format-2 keys")

    def v2_only(keys: tuple[str, ...]) -> dict[str, Any]:
        return {
            k: {"not": {}, "description": "a format-2 key: write format = 2 at the top"} for k in sorted(V2_KEYS[keys])
        }

    return {
        "if": {"properties": {"format": {"const": 1}}, "required": ["format"]},
        "then": {
            "properties": {
                "events": {
                    "items": {
                        "properties": {
                            **v2_only(EVENT_KEYS),
                            "options": {"items": {"properties": v2_only(OPTION_KEYS)}},
                        }
                    }
                },
                "score": {"items": {"properties": v2_only(SCORE_KEYS)}},
                "factions": {"additionalProperties": {"properties": {"weight": {"type": "number"}}}},
            }
        },
    }


def scenario_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict."""
    variables = {"type": "object", "propertyNames": {"pattern": _ID["pattern"]}}
    scenario = _table(
        SCENARIO_KEYS,
        {
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,59}$"},
            "title": _text(200),
            "summary": _TEXT,
            "role": _text(200),
            "start": {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "description": '"YYYY-MM"'},
            "turns": {"type": "integer", "minimum": 1, "maximum": LIMITS["turns"]},
            "unit": {"enum": [u.value for u in TurnUnit]},
            "decisions": {"type": "integer", "minimum": 1, "maximum": LIMITS["decisions"]},
            "source": {"type": "string", "description": "a plain-text file, relative to the scenario file"},
            "source_title": _text(300),
            "version": _text(40),
            "authors": {"type": "array", "items": {"type": "string"}},
            "sides": {
                "type": "array",
                "items": {"type": "string"},
                "uniqueItems": True,
                "description": "option tags naming the sides the player can favour (default: the pro_* tags)",
            },
        },
        ("id", "title", "summary", "role", "start", "turns"),
        "metadata and calendar",
    )
    top = _table(
        TOP_KEYS,
        {
            "format": {
                "enum": list(FORMATS),
                "description": f"the format version ({FORMAT_VERSION} is the newest; keys marked (format 2) need it)",
            },
            "scenario": scenario,
            "meters": {**variables, "minProperties": 1, "additionalProperties": _ref("meter")},
            "flags": {**variables, "additionalProperties": _ref("flag")},
            "factions": {**variables, "additionalProperties": _ref("faction")},
            "glossary": {"type": "object", "additionalProperties": {"type": "string"}},
            "history": {
                "type": "object",
                "propertyNames": {"pattern": r"^\d{4}-(0[1-9]|1[0-2])$"},
                "additionalProperties": _text(4000),
                "description": "what really happened, by month",
            },
            "rules": {"type": "array", "items": _ref("rule"), "maxItems": LIMITS["events"]},
            "events": {"type": "array", "items": _ref("event"), "maxItems": LIMITS["events"]},
            "endings": {"type": "array", "items": _ref("ending"), "minItems": 1, "maxItems": 100},
            "score": {"type": "array", "items": _ref("score"), "minItems": 1, "maxItems": 50},
            "advice": _table(
                ADVICE_KEYS,
                {
                    "consultations": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": MAX_CONSULTATIONS,
                        "description": "times a game the advisers can be consulted (0: the default)",
                    },
                },
                (),
                "how often the advisers can be consulted",
            ),
            "advisers": {"type": "array", "items": _ref("adviser"), "maxItems": MAX_ADVISERS},
        },
        ("format", "scenario", "meters", "endings", "score"),
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Manila 2019 scenario (formats 1 and 2)",
        "description": "A scenario file for Manila 2019; see docs/scenario-format.md. Check a file fully "
        "with `manila validate FILE`.",
        **top,
        "allOf": [_format_1_limits()],
        "$defs": _defs(),
    }
