"""The vocabulary of the scenario format: its version, the keys each table may have (anything else is
reported as a typo) and the size limits that keep the work bounded for any file. The JSON Schema
(``game.authoring.schema``) is built from the same tuples."""

from __future__ import annotations

__all__ = [
    "ADVICE_KEYS",
    "ADVISER_KEYS",
    "BRANCH_KEYS",
    "ENDING_KEYS",
    "EVENT_KEYS",
    "FACTION_KEYS",
    "FLAG_KEYS",
    "FORMATS",
    "FORMAT_VERSION",
    "LABEL_CELLS",
    "LASTING_KEYS",
    "LIMITS",
    "MAX_ADVISERS",
    "MAX_CONSULTATIONS",
    "METER_KEYS",
    "OPTION_KEYS",
    "RULE_KEYS",
    "SCENARIO_KEYS",
    "SCORE_KEYS",
    "TOP_KEYS",
    "V2_KEYS",
]

FORMAT_VERSION = 2  # the newest format; every format in FORMATS is read
FORMATS = (1, 2)
LIMITS = {
    "file_bytes": 512_000,  # Manila, the largest bundled scenario, is about 180 KB
    "variables": 200,
    "events": 1000,
    "options": 12,
    "branches": 8,
    "turns": 600,
    "decisions": 5,
    "text": 20_000,
    "list": 1000,
}
# How many character cells of a label the game's interface shows before it cuts the rest with "…", in its
# standard layout (a terminal at least 110 columns wide, where the country panel is 65 cells wide).
# ``game.tui`` lays its rows out with these numbers; ``manila lint`` warns about longer labels.
LABEL_CELLS = {
    "meter": 25,  # a meter's or faction's label, beside its value, trend and band
    "band": 10,  # a meter's band label
    "stage": 20,  # a flag's stage name (beside a ladder's rungs, with room for the "new" mark)
}

TOP_KEYS = (
    "format",
    "scenario",
    "meters",
    "flags",
    "factions",
    "glossary",
    "history",
    "rules",
    "events",
    "endings",
    "score",
    "advice",
    "advisers",
)
SCENARIO_KEYS = (
    "id",
    "title",
    "summary",
    "role",
    "start",
    "turns",
    "unit",
    "decisions",
    "source",
    "source_title",
    "version",
    "authors",
    "sides",
)
METER_KEYS = (
    "label",
    "description",
    "min",
    "max",
    "start",
    "drift",
    "good",
    "bands",
    "hidden",
    "noise",
    "format",
    "unit",
)
FLAG_KEYS = ("label", "description", "min", "max", "start", "stages", "ladder", "hidden")
FACTION_KEYS = ("label", "description", "start", "weight", "drift")
RULE_KEYS = ("id", "label", "when", "effects", "set", "follow")
EVENT_KEYS = (
    "id",
    "title",
    "text",
    "cite",
    "when",
    "weight",
    "once",
    "cooldown",
    "date",
    "from",
    "until",
    "tags",
    "effects",
    "set",
    "follow",
    "branches",
    "options",
    "max_fires",
    "chance",
)
OPTION_KEYS = (
    "id",
    "label",
    "outcome",
    "cite",
    "available",
    "cost",
    "effects",
    "set",
    "follow",
    "branches",
    "tags",
    "visible",
    "hint",
    "lasting",
)
BRANCH_KEYS = ("chance", "text", "effects", "set", "follow")
ENDING_KEYS = ("id", "title", "early", "when", "epilogue", "history", "bonus")
SCORE_KEYS = ("id", "label", "value", "weight", "over")
LASTING_KEYS = ("turns", "label", "effects")
# keys that only format 2 reads; in a format-1 file each is reported with the fix ("format = 2")
# (per table: a branch's 'chance' is format 1, an event's is format 2)
V2_KEYS: dict[tuple[str, ...], frozenset[str]] = {
    EVENT_KEYS: frozenset({"max_fires", "chance"}),
    OPTION_KEYS: frozenset({"visible", "hint", "lasting"}),
    SCORE_KEYS: frozenset({"over"}),
}
ADVICE_KEYS = ("consultations",)
ADVISER_KEYS = ("id", "name", "title", "leaning", "weights")
MAX_ADVISERS = 4
MAX_CONSULTATIONS = 1000
