"""The save file format at the edge: ``SaveRecord`` <-> bytes, with strict checks (docs/saves.md).

``parse_save_bytes`` turns any bytes into a ``SaveRecord`` or raises ``SaveError(path, reason)``: empty,
not UTF-8, not JSON (truncated files land here), not a Manila save, a newer format version, wrong or
missing or unknown keys (all reported at once, as ``key.path: problem``) and a checksum that does not match
the contents (a file edited by hand or damaged in a way that still parses). It never replays anything:
``game.saves`` does that.

The checksum is the SHA-256 of the canonical JSON of every other key (sorted keys, no spaces, UTF-8), so
the layout of the file does not matter, only its values. It guards against accidents, not against a
player who wants to cheat: anyone can recompute it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from attrs import frozen

from ..errors import SaveError

__all__ = ["FORMAT", "FORMAT_VERSION", "SaveRecord", "checksum_of", "dump_record", "parse_save_bytes"]

FORMAT = "manila-save"
FORMAT_VERSION = 1

_TOP_KEYS = (
    "format",
    "version",
    "name",
    "kind",
    "saved_at",
    "app_version",
    "scenario",
    "seed",
    "game_index",
    "choices",
    "date",
    "snapshot",
    "turn_digests",
    "checksum",
)
_SCENARIO_KEYS = ("id", "title", "sha256", "path")
_SNAPSHOT_REQUIRED = ("turn", "over", "values", "choices")
_SHA256_OR_EMPTY = re.compile(r"(?:[0-9a-f]{64})?")  # empty: the scenario did not come from a file
_HEX16 = re.compile(r"[0-9a-f]{16}")
_MAX_CHOICE = 1000  # far above any event's option count; keeps absurd numbers away from the engine


@frozen
class SaveRecord:
    """The contents of one save file, checked. ``choices`` are 0-based option indices."""

    path: Path
    name: str
    autosave: bool
    saved_at: datetime  # timezone-aware (UTC when written by this module)
    app_version: str
    scenario_id: str
    scenario_title: str
    scenario_sha256: str
    scenario_path: str  # absolute path of the scenario file when saved ('' if it had none)
    seed: int
    game_index: int
    choices: tuple[int, ...]
    date_label: str  # the in-game date when saved, for listings that cannot load the scenario
    snapshot: dict  # GameSession.snapshot() when saved
    turn_digests: tuple[str, ...]  # GameSession.turn_digests() when saved


def _body(record: SaveRecord) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "name": record.name,
        "kind": "autosave" if record.autosave else "named",
        "saved_at": record.saved_at.isoformat(timespec="microseconds"),
        "app_version": record.app_version,
        "scenario": {
            "id": record.scenario_id,
            "title": record.scenario_title,
            "sha256": record.scenario_sha256,
            "path": record.scenario_path,
        },
        "seed": record.seed,
        "game_index": record.game_index,
        "choices": list(record.choices),
        "date": record.date_label,
        "snapshot": record.snapshot,
        "turn_digests": list(record.turn_digests),
    }


def checksum_of(body: dict) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``body`` without its ``checksum`` key."""
    rest = {k: v for k, v in body.items() if k != "checksum"}
    text = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def dump_record(record: SaveRecord) -> bytes:
    """The file's bytes (indented JSON, UTF-8, ending in a newline); ValueError for NaN or infinity."""
    body = _body(record)
    body["checksum"] = checksum_of(body)
    return (json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    """JSON numbers such as ``1e999`` overflow to infinity, which no save holds (and which breaks checksums)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is too large")
    return value


def parse_save_bytes(data: bytes, path: Path) -> SaveRecord:
    """Check ``data`` and build its record; raises ``SaveError(path, reason)`` for every kind of problem."""
    where = str(path)
    if not data.strip():
        raise SaveError(where, "the file is empty (damaged, or the save never finished)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SaveError(where, f"not a save file: not UTF-8 text (byte {exc.start}); damaged?") from None
    try:
        body = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise SaveError(
            where,
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); the file is truncated or damaged",
        ) from None
    except (ValueError, RecursionError) as exc:
        raise SaveError(where, f"not valid JSON ({str(exc) or type(exc).__name__}); damaged?") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise SaveError(where, f'not a Manila save file (no "format": "{FORMAT}" at the top)')
    version = body.get("version")
    if type(version) is not int or version < 1:
        raise SaveError(where, f"version: must be a whole number from 1, not {_show(version)}")
    if version > FORMAT_VERSION:
        app = _show(body.get("app_version"))
        raise SaveError(
            where,
            f"written by a newer version of Manila (save format {version}, app {app}); "
            f"this version reads format {FORMAT_VERSION} and older: update the game to "
            "load it",
        )
    check = _Checker()
    record = check.record(body, path)
    if check.problems:
        shown = "; ".join(check.problems[:6]) + (
            f"; and {len(check.problems) - 6} more" if len(check.problems) > 6 else ""
        )
        raise SaveError(where, f"not a valid save: {shown}")
    if body["checksum"] != checksum_of(body):
        raise SaveError(where, "the contents do not match the file's checksum: it was edited or damaged")
    return record


def _show(value: Any) -> str:
    plain = isinstance(value, (str, int, float, bool, type(None)))
    text = json.dumps(value) if plain else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


class _Checker:
    """Collects every problem as ``key.path: reason`` (strict types: no bool for int, no "3" for 3)."""

    def __init__(self):
        self.problems: list[str] = []

    def bad(self, key: str, message: str) -> None:
        self.problems.append(f"{key}: {message}")

    def keys(self, table: dict, allowed: tuple[str, ...], required: tuple[str, ...], prefix: str = ""):
        self.problems += [f"{prefix}{key}: unknown key" for key in table if key not in allowed]
        self.problems += [f"{prefix}{key}: missing" for key in required if key not in table]

    def string(self, value: Any, key: str, pattern: re.Pattern | None = None, empty: bool = True) -> str:
        if not isinstance(value, str):
            self.bad(key, f"must be a string, not {_kind(value)}")
        elif pattern is not None and not pattern.fullmatch(value):
            self.bad(key, f"malformed ({_show(value)})")
        elif not empty and not value:
            self.bad(key, "must not be empty")
        else:
            return value
        return ""

    def integer(self, value: Any, key: str, low: int, high: int) -> int:
        if type(value) is not int:
            self.bad(key, f"must be a whole number, not {_kind(value)}")
        elif not low <= value < high:
            self.bad(key, f"out of range ({_show(value)})")
        else:
            return value
        return low

    def record(self, body: dict, path: Path) -> SaveRecord | None:
        self.keys(body, _TOP_KEYS, _TOP_KEYS)
        scenario = body.get("scenario")
        if not isinstance(scenario, dict):
            self.bad("scenario", f"must be an object, not {_kind(scenario)}")
            scenario = {}
        else:
            self.keys(scenario, _SCENARIO_KEYS, _SCENARIO_KEYS, "scenario.")
        kind = body.get("kind")
        if kind not in ("named", "autosave"):
            self.bad("kind", f'must be "named" or "autosave", not {_show(kind)}')
        saved_at = self.timestamp(body.get("saved_at"))
        self.string(body.get("checksum"), "checksum", re.compile(r"sha256:[0-9a-f]{64}"))
        choices = body.get("choices")
        if not isinstance(choices, list):
            self.bad("choices", f"must be an array, not {_kind(choices)}")
            choices = []
        record = SaveRecord(
            path=path,
            name=self.string(body.get("name"), "name"),
            autosave=kind == "autosave",
            saved_at=saved_at,
            app_version=self.string(body.get("app_version"), "app_version"),
            scenario_id=self.string(scenario.get("id"), "scenario.id", empty=False),
            scenario_title=self.string(scenario.get("title"), "scenario.title"),
            scenario_sha256=self.string(scenario.get("sha256"), "scenario.sha256", _SHA256_OR_EMPTY),
            scenario_path=self.string(scenario.get("path"), "scenario.path", re.compile(r"[^\x00]*")),
            seed=self.integer(body.get("seed"), "seed", 0, 2**64),
            game_index=self.integer(body.get("game_index"), "game_index", 0, 2**62),
            choices=tuple(self.integer(k, f"choices[{i}]", 0, _MAX_CHOICE) for i, k in enumerate(choices)),
            date_label=self.string(body.get("date"), "date"),
            snapshot=self.snapshot(body.get("snapshot")),
            turn_digests=self.digests(body.get("turn_digests")),
        )
        return record

    def timestamp(self, value: Any) -> datetime:
        fallback = datetime.fromtimestamp(0).astimezone()
        if not isinstance(value, str):
            self.bad("saved_at", f"must be a string, not {_kind(value)}")
            return fallback
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            self.bad("saved_at", f"not a date and time ({_show(value)})")
            return fallback
        if when.tzinfo is None:
            self.bad("saved_at", "has no time zone")
            return fallback
        return when

    def snapshot(self, value: Any) -> dict:
        if not isinstance(value, dict):
            self.bad("snapshot", f"must be an object, not {_kind(value)}")
            return {"turn": 0, "over": False, "values": {}, "choices": 0}
        self.keys(value, tuple(value), _SNAPSHOT_REQUIRED, "snapshot.")
        self.integer(value.get("turn", 0), "snapshot.turn", 0, 10**6)
        self.integer(value.get("choices", 0), "snapshot.choices", 0, 10**7)
        if not isinstance(value.get("over", False), bool):
            self.bad("snapshot.over", f"must be true or false, not {_kind(value['over'])}")
        values = value.get("values", {})
        if not isinstance(values, dict):
            self.bad("snapshot.values", f"must be an object, not {_kind(values)}")
        else:
            for var, x in values.items():
                if type(x) not in (int, float) or not math.isfinite(x):
                    self.bad(f"snapshot.values.{var}", f"must be a number, not {_kind(x)}")
        return value

    def digests(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.bad("turn_digests", f"must be an array, not {_kind(value)}")
            return ()
        return tuple(self.string(d, f"turn_digests[{i}]", _HEX16) for i, d in enumerate(value))
