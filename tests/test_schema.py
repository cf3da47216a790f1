"""The JSON Schema of the scenario format: valid draft 2020-12, accepts every good file, rejects broken ones."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from game.authoring.schema import scenario_schema
from game.authoring.starter import starter_text
from game.cli import main
from game.format import keys as loader

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "scenarios").glob("*.toml"))
VALID_FIXTURES = [
    Path(__file__).parent / "data" / "authoring" / n
    for n in ("static_flaws.toml", "sim_flaws.toml", "dominant.toml", "radar-deal.toml")
]
VALID_FIXTURES.append(Path(__file__).parent / "data" / "engine" / "probe_v2.toml")  # every format-2 feature


@pytest.fixture(scope="module")
def validator():
    schema = scenario_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_draft_2020_12():
    assert scenario_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", BUNDLED + VALID_FIXTURES, ids=lambda p: p.name)
def test_valid_scenarios_match_the_schema(validator, path):
    with open(path, "rb") as fh:
        document = tomllib.load(fh)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize("full", [False, True], ids=["starter", "full"])
def test_starter_matches_the_schema(validator, full):
    validator.validate(tomllib.loads(starter_text("starter", full)))


@pytest.fixture(scope="module")
def good_doc():
    """The starter: a valid document that we own, so its shape (indices below) is stable."""
    return tomllib.loads(starter_text("good"))


def _break(doc: dict, change) -> dict:
    doc = copy.deepcopy(doc)
    change(doc)
    return doc


BROKEN = {
    "misspelled event key": lambda d: d["events"][0].update(titel="Typo"),
    "unknown top-level table": lambda d: d.update(meter={}),
    "number written as a string": lambda d: d["meters"]["approval"].update(start="55"),
    "unknown meter key": lambda d: d["meters"]["approval"].update(colour="red"),
    "bad meter id": lambda d: d["meters"].update({"Bad-Id": {"label": "x", "start": 1}}),
    "missing format": lambda d: d.pop("format"),
    "unsupported format": lambda d: d.update(format=3),
    "unknown score count": lambda d: d["score"][0].update(over="mean"),
    "bad date": lambda d: d["scenario"].update(start="2031-13"),
    "chance above 1": lambda d: d["events"][1]["options"][0]["branches"][0].update(chance=1.5),
    "follow-up without after": lambda d: d["events"][0]["options"][0]["follow"][0].pop("after"),
    "negative cost": lambda d: d["events"][5]["options"][0]["cost"].update(treasury=-5),
    "no endings": lambda d: d.update(endings=[]),
    "option without label": lambda d: d["events"][0]["options"][0].pop("label"),
    "too many turns": lambda d: d["scenario"].update(turns=601),
    "bool where a number goes": lambda d: d["events"][0]["options"][0]["effects"].update(approval=True),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_documents_are_rejected(validator, good_doc, name):
    assert validator.is_valid(good_doc)
    assert not validator.is_valid(_break(good_doc, BROKEN[name]))


@pytest.fixture(scope="module")
def full_doc():
    """The full starter: a valid format-2 document that uses every format-2 key."""
    return tomllib.loads(starter_text("good", full=True))


def _event(doc: dict, event_id: str) -> dict:
    return next(e for e in doc["events"] if e["id"] == event_id)


def _option(doc: dict, event_id: str, option_id: str) -> dict:
    return next(o for o in _event(doc, event_id)["options"] if o["id"] == option_id)


BROKEN_V2 = {
    "lasting without turns": lambda d: _option(d, "pact_offer", "accept")["lasting"].pop("turns"),
    "lasting amount as an expression": lambda d: _option(d, "pact_offer", "accept")["lasting"]["effects"].update(
        approval="-4"
    ),
    "lasting for 0 turns": lambda d: _option(d, "pact_offer", "accept")["lasting"].update(turns=0),
    "unknown lasting key": lambda d: _option(d, "pact_offer", "accept")["lasting"].update(until=5),
    "negative max_fires": lambda d: _event(d, "dock_strike").update(max_fires=-1),
    "event chance above 1": lambda d: _event(d, "dock_strike").update(chance=1.5),
    "hint as a number": lambda d: _option(d, "dock_strike", "send_army").update(hint=3),
    "visible as a bool": lambda d: _option(d, "dock_strike", "send_army").update(visible=True),
    "negative faction weight": lambda d: d["factions"]["business"].update(weight=-1),
    "empty faction weight expression": lambda d: d["factions"]["dockers"].update(weight=""),
}


@pytest.mark.parametrize("name", BROKEN_V2)
def test_broken_format_2_documents_are_rejected(validator, full_doc, name):
    assert validator.is_valid(full_doc)
    assert not validator.is_valid(_break(full_doc, BROKEN_V2[name]))


V2_IN_FORMAT_1 = {
    "event max_fires": lambda d: d["events"][5].update(max_fires=2),
    "event chance": lambda d: d["events"][5].update(chance=0.2),
    "option visible": lambda d: d["events"][0]["options"][2].update(visible="turn > 1"),
    "option hint": lambda d: d["events"][0]["options"][2].update(hint="Nobody will notice."),
    "option lasting": lambda d: d["events"][0]["options"][2].update(
        lasting={"turns": 2, "label": "Silence", "effects": {"approval": -1}}
    ),
    "score over": lambda d: d["score"][0].update(over="term"),
    "faction weight expression": lambda d: d.update(factions={"army": {"label": "Army", "start": 50, "weight": "1"}}),
}


@pytest.mark.parametrize("name", V2_IN_FORMAT_1)
def test_format_2_keys_need_format_2(validator, good_doc, name):
    """As in the loader, a format-2 key in a format-1 file is an error; the same file in format 2 is fine."""
    assert good_doc["format"] == 1
    broken = _break(good_doc, V2_IN_FORMAT_1[name])
    assert not validator.is_valid(broken)
    broken["format"] = 2
    assert validator.is_valid(broken)


def test_schema_keys_are_the_loader_keys():
    schema = scenario_schema()
    defs = schema["$defs"]
    pairs = {
        "meter": loader.METER_KEYS,
        "flag": loader.FLAG_KEYS,
        "faction": loader.FACTION_KEYS,
        "rule": loader.RULE_KEYS,
        "event": loader.EVENT_KEYS,
        "option": loader.OPTION_KEYS,
        "branch": loader.BRANCH_KEYS,
        "ending": loader.ENDING_KEYS,
        "score": loader.SCORE_KEYS,
    }
    for name, keys in pairs.items():
        assert list(defs[name]["properties"]) == list(keys), name
    assert list(schema["properties"]) == list(loader.TOP_KEYS)
    assert list(schema["properties"]["scenario"]["properties"]) == list(loader.SCENARIO_KEYS)


def test_schema_command_prints_the_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == scenario_schema()


def test_schema_command_writes_a_file(tmp_path, capsys):
    target = tmp_path / "scenario.schema.json"
    assert main(["schema", "--output", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == scenario_schema()
    assert main(["schema", "--output", str(tmp_path / "missing" / "x.json")]) == 1
    assert "cannot write" in capsys.readouterr().err
