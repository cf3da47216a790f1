"""A JSON Schema (draft 2020-12) of the scenario format, for editors that validate and complete TOML.

The schema checks the shape of a file: keys, types, ids, dates, ranges and limits. It cannot check what
needs the whole file (names used in expressions, follow-up targets, "one option always available",
citations against the source); ``manila validate`` does that. The allowed keys of each table come from
the loader's own key lists, so the two cannot drift apart silently (a test compares them).
"""

from __future__ import annotations

from typing import Any

from ..format.keys import (
    ADVICE_KEYS,
    EVENT_KEYS,
    FORMAT_VERSION,
    FORMATS,
    LIMITS,
    MAX_ADVISERS,
    MAX_CONSULTATIONS,
    OPTION_KEYS,
    SCENARIO_KEYS,
    SCORE_KEYS,
    TOP_KEYS,
    V2_KEYS,
)
from ..model import TurnUnit
from .schema_defs import ID, TEXT, defs, ref, table, text

__all__ = ["SCHEMA_ID", "scenario_schema"]

SCHEMA_ID = "https://manila-2019.invalid/schema/scenario-format-2.json"


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
    variables = {"type": "object", "propertyNames": {"pattern": ID["pattern"]}}
    scenario = table(
        SCENARIO_KEYS,
        {
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,59}$"},
            "title": text(200),
            "summary": TEXT,
            "role": text(200),
            "start": {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "description": '"YYYY-MM"'},
            "turns": {"type": "integer", "minimum": 1, "maximum": LIMITS["turns"]},
            "unit": {"enum": [u.value for u in TurnUnit]},
            "decisions": {"type": "integer", "minimum": 1, "maximum": LIMITS["decisions"]},
            "source": {"type": "string", "description": "a plain-text file, relative to the scenario file"},
            "source_title": text(300),
            "version": text(40),
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
    top = table(
        TOP_KEYS,
        {
            "format": {
                "enum": list(FORMATS),
                "description": f"the format version ({FORMAT_VERSION} is the newest; keys marked (format 2) need it)",
            },
            "scenario": scenario,
            "meters": {**variables, "minProperties": 1, "additionalProperties": ref("meter")},
            "flags": {**variables, "additionalProperties": ref("flag")},
            "factions": {**variables, "additionalProperties": ref("faction")},
            "glossary": {"type": "object", "additionalProperties": {"type": "string"}},
            "history": {
                "type": "object",
                "propertyNames": {"pattern": r"^\d{4}-(0[1-9]|1[0-2])$"},
                "additionalProperties": text(4000),
                "description": "what really happened, by month",
            },
            "rules": {"type": "array", "items": ref("rule"), "maxItems": LIMITS["events"]},
            "events": {"type": "array", "items": ref("event"), "maxItems": LIMITS["events"]},
            "endings": {"type": "array", "items": ref("ending"), "minItems": 1, "maxItems": 100},
            "score": {"type": "array", "items": ref("score"), "minItems": 1, "maxItems": 50},
            "advice": table(
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
            "advisers": {"type": "array", "items": ref("adviser"), "maxItems": MAX_ADVISERS},
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
        "$defs": defs(),
    }
