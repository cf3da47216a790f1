"""Save files: round trips, continuation, autosave rotation, changed scenarios, mutated files, the commands.

Every test plays the tutorial from a private copy (with its source file), so edits to the bundled file by
others, or by a test, never leak between tests.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.cli import main
from game.errors import SaveError
from game.format.scenario import load_scenario
from game.play.session import GameSession
from game.saves import (
    autosave,
    autosave_game,
    digest_of,
    game_digest,
    latest_save,
    list_saves,
    load_save,
    read_save,
    save_exists,
    save_stem,
    saves_dir,
    write_save,
)
from game.saves.savefile import checksum_of

ROOT = Path(__file__).resolve().parent.parent


def copy_tutorial(folder: Path) -> Path:
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "scenarios" / "tutorial.toml", folder / "tutorial.toml")
    shutil.copy(ROOT / "scenarios" / "sources" / "tutorial.txt", folder / "sources" / "tutorial.txt")
    return folder / "tutorial.toml"


def edit_scenario(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the tutorial no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def play_random(session: GameSession, rng: random.Random, limit: int | None = None) -> GameSession:
    """Choose random available options until the game ends (or ``limit`` choices were made)."""
    while not session.over and (limit is None or len(session.choices) < limit):
        session.choose(rng.choice([o.index for o in session.options() if o.available]))
    return session


@pytest.fixture
def scen_path(tmp_path) -> Path:
    return copy_tutorial(tmp_path / "scen")


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "saves"


# ------------------------------------------------------------------------------------------ round trips
def test_round_trip_keeps_everything(scen_path, folder):
    session = play_random(GameSession(load_scenario(scen_path), seed=11, game_index=3), random.Random(1), 4)
    path = write_save(session, "Round trip ✓", directory=folder)
    assert path.parent == folder and path.name == "round-trip.json"
    loaded = load_save("Round trip ✓", directory=folder)
    assert loaded.name == "Round trip ✓" and loaded.path == path and loaded.notes == ()
    assert loaded.session.choices == session.choices
    assert (loaded.session.seed, loaded.session.game_index) == (11, 3)
    assert loaded.session.snapshot() == session.snapshot()
    record = read_save(path)
    assert record.scenario_id == "tutorial" and record.scenario_sha256 == session.scenario.sha256
    assert Path(record.scenario_path) == scen_path.resolve()
    assert load_save(path).session.snapshot() == session.snapshot()  # by path too
    assert not list(folder.glob(".*.tmp"))


def test_save_exists_knows_which_names_would_replace_a_file(scen_path, folder):
    session = GameSession(load_scenario(scen_path), seed=2)
    assert not save_exists("Before the storm", folder)
    write_save(session, "Before the storm", directory=folder)
    assert save_exists("Before the storm", folder)
    assert save_exists("before the STORM!", folder)  # the same file name
    assert not save_exists("After the storm", folder)


@pytest.mark.parametrize("seed", [0, 5, 2**64 - 1])
def test_save_at_k_load_continue_is_bit_identical(scen_path, folder, seed):
    scenario = load_scenario(scen_path)
    straight = play_random(GameSession(scenario, seed=seed), random.Random(seed))
    assert straight.over
    for k in range(len(straight.choices) + 1):
        first = GameSession(scenario, seed=seed)
        for c in straight.choices[:k]:
            first.choose(c)
        write_save(first, f"k{k}", directory=folder)
        resumed = load_save(f"k{k}", directory=folder).session
        for c in straight.choices[k:]:
            resumed.choose(c)
        assert resumed.snapshot() == straight.snapshot()
        assert resumed.values().tobytes() == straight.values().tobytes()
        assert resumed.turn_digests() == straight.turn_digests()
        assert all(np.array_equal(a, b) for a, b in zip(resumed.state.history, straight.state.history))
        assert resumed.feed == straight.feed
        assert game_digest(resumed) == game_digest(straight)


def test_saves_dir_choice(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MANILA_SAVES_DIR", raising=False)
    assert saves_dir() == tmp_path / "saves"
    monkeypatch.setenv("MANILA_SAVES_DIR", str(tmp_path / "env"))
    assert saves_dir() == tmp_path / "env"
    assert saves_dir(tmp_path / "given") == tmp_path / "given"


@pytest.mark.parametrize(
    "name, stem",
    [
        ("My Game", "my-game"),
        ("../../x", "x"),
        ("a/b\\c", "a-b-c"),
        ("...", "save"),
        ("CON", "save-con"),
        ("autosave-1", "save-autosave-1"),
        ("x" * 200, "x" * 60),
        ("été 2031", "t-2031"),
        ("   ", "save"),
    ],
)
def test_save_stem_is_safe(name, stem):
    assert save_stem(name) == stem


# ------------------------------------------------------------------------------------------ autosaves
def test_autosave_rotation_never_touches_the_newest(scen_path, folder):
    session = GameSession(load_scenario(scen_path), seed=2)
    rng = random.Random(2)
    written = []
    while not session.over:
        session.choose(rng.choice([o.index for o in session.options() if o.available]))
        before = {p.name: p.read_bytes() for p in folder.glob("autosave-*.json")} if folder.exists() else {}
        newest_before = written[-1] if written else None
        path = autosave(session, folder)
        if newest_before is not None:
            assert path != newest_before  # the newest complete autosave is never the one replaced
            assert newest_before.read_bytes() == before[newest_before.name]
        written.append(path)
    game = autosave_game(session)
    assert sorted(p.name for p in folder.glob("*.json")) == [f"autosave-{game}-{i}.json" for i in (1, 2, 3)]
    assert [p.name for p in written[:4]] == [f"autosave-{game}-{i}.json" for i in (1, 2, 3, 1)]
    latest = latest_save(folder)
    assert latest.path == written[-1] and latest.autosave and latest.verified
    assert load_save(latest.path).session.snapshot() == session.snapshot()


def test_damaged_autosave_slot_is_reused(scen_path, folder):
    session = GameSession(load_scenario(scen_path), seed=2)
    first = autosave(session, folder)
    first.write_text("{broken")
    game = autosave_game(session)
    # the rotation goes by sequence (issue 10, case 8): the damaged slot is reused in its turn
    names = [autosave(session, folder).name for _ in range(3)]
    assert names == [f"autosave-{game}-{i}.json" for i in (2, 3, 1)]
    assert read_save(first).autosave
    (folder / f"autosave-{game}-last").unlink()  # without the sequence record: after the newest readable by date
    assert autosave(session, folder) == folder / f"autosave-{game}-2.json"


def test_every_game_has_its_own_autosaves(scen_path, folder):
    """Issue 12: five decisions of a new game wiped the autosaves of two finished games."""
    scenario = load_scenario(scen_path)
    finished = GameSession(scenario, seed=1)
    while not finished.over:
        finished.choose(next(o.index for o in finished.options() if o.available))
    kept = autosave(finished, folder)
    other = GameSession(scenario, seed=2)
    for _ in range(5):
        other.choose(next(o.index for o in other.options() if o.available))
        autosave(other, folder)
    assert kept.exists() and load_save(kept).session.over
    assert autosave_game(finished) != autosave_game(other)
    assert autosave_game(GameSession(scenario, seed=1, game_index=1)) != autosave_game(finished)


def test_only_the_most_recent_games_keep_autosaves(scen_path, folder, monkeypatch):
    import game.saves.autosaves as autosaves

    monkeypatch.setattr(autosaves, "AUTOSAVE_GAMES", 2)
    scenario = load_scenario(scen_path)
    sessions = [GameSession(scenario, seed=s) for s in range(4)]
    named = write_save(sessions[0], "keep me", directory=folder)
    paths = []
    for s in sessions:
        paths.append(autosave(s, folder))
        os.utime(paths[-1], ns=(len(paths) * 10**9, len(paths) * 10**9))  # strictly increasing file times
    assert [p.exists() for p in paths] == [False, False, True, True]
    assert named.exists()  # named saves are never removed
    assert not (folder / f"autosave-{autosave_game(sessions[0])}-last").exists()  # its sequence record too


def test_continue_offers_the_game_autosaved_last_whatever_the_dates(scen_path, folder, monkeypatch):
    """Per-game autosaves with the sequence record: a game autosaved under a clock a year ahead is not
    offered over another game played since."""
    from datetime import datetime, timedelta

    import game.saves.saves as saves_module

    class Future(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(days=365)

    scenario = load_scenario(scen_path)
    early, later = GameSession(scenario, seed=1), GameSession(scenario, seed=2)
    monkeypatch.setattr(saves_module, "datetime", Future)
    stale = autosave(early, folder)
    monkeypatch.setattr(saves_module, "datetime", datetime)
    later.choose(next(o.index for o in later.options() if o.available))
    current = autosave(later, folder)
    assert stale.exists() and latest_save(folder).path == current
    (folder / "autosave-last").unlink()  # without the record, the dates decide
    assert latest_save(folder).path == stale


# ------------------------------------------------------------------------------------------ changed scenarios
def _game_with(scenario_path: Path, event_id: str, option: int) -> tuple[GameSession, int]:
    """A tutorial game in which ``event_id`` was answered with ``option``; returns it and that turn."""
    scenario = load_scenario(scenario_path)
    for seed in range(200):
        rng = random.Random(seed)
        session = GameSession(scenario, seed=seed)
        while not session.over:
            options = [o.index for o in session.options() if o.available]
            if session.event.id == event_id and option in options:
                turn = session.turn
                session.choose(option)
                return play_random(session, rng), turn
            session.choose(rng.choice(options))
    raise AssertionError(f"no game answers {event_id} with option {option + 1}")


def test_changed_effect_reports_the_divergence_turn(scen_path, folder):
    session, turn = _game_with(scen_path, "storm", 0)
    assert turn >= 3
    write_save(session, "storm", directory=folder)
    edit_scenario(
        scen_path,
        'effects = { approval = "if(patrol >= 40, 5, 2)", fishers = 3 }',
        'effects = { approval = "if(patrol >= 40, 5, 2)", fishers = 4 }',
    )
    with pytest.raises(SaveError) as err:
        load_save("storm", directory=folder)
    assert err.value.path == str(folder / "storm.json")
    assert "scenario file" in err.value.reason and "has changed" in err.value.reason
    assert f"diverges from turn {turn} (" in err.value.reason
    [info] = list_saves(folder)
    assert not info.verified and f"turn {turn}" in info.problem


def test_option_no_longer_available_reports_its_turn(scen_path, folder):
    session, turn = _game_with(scen_path, "storm", 0)
    write_save(session, "storm", directory=folder)
    edit_scenario(scen_path, "cost = { treasury = 5 }", "cost = { treasury = 5000 }")
    with pytest.raises(SaveError, match=rf"diverges from turn {turn} .*not available in 'storm'"):
        load_save("storm", directory=folder)


def test_text_only_change_still_loads_with_a_note(scen_path, folder):
    session = play_random(GameSession(load_scenario(scen_path), seed=4), random.Random(4))
    write_save(session, "done", directory=folder)
    edit_scenario(scen_path, 'title = "Two Offers for Maravel"', 'title = "Two Offers for Maravel (2nd ed.)"')
    loaded = load_save("done", directory=folder)
    assert loaded.session.snapshot() == session.snapshot()
    assert any("changed since this save" in note for note in loaded.notes)


def test_scenario_without_a_file_saves_and_loads_by_id(scen_path, folder, monkeypatch):
    from game.format.scenario import load_scenario_text

    edit_scenario(scen_path, 'id = "tutorial"', 'id = "tutorial-text"')  # only the copy has this id
    monkeypatch.chdir(scen_path.parent.parent)  # ./scenarios: where a scenario is found by id
    (scen_path.parent.parent / "scenarios").mkdir()
    shutil.copytree(scen_path.parent, scen_path.parent.parent / "scenarios", dirs_exist_ok=True)
    scenario = load_scenario_text(scen_path.read_text(encoding="utf-8"), "<text>", scen_path.parent)
    assert scenario.sha256 == ""
    session = play_random(GameSession(scenario, seed=6), random.Random(6), 3)
    write_save(session, "textual", directory=folder)
    loaded = load_save("textual", directory=folder)
    assert loaded.session.snapshot() == session.snapshot() and loaded.notes == ()


def test_missing_scenario_is_a_clean_error(scen_path, folder):
    edit_scenario(scen_path, 'id = "tutorial"', 'id = "tutorial-copy"')
    write_save(GameSession(load_scenario(scen_path), seed=1), "gone", directory=folder)
    scen_path.unlink()
    with pytest.raises(SaveError, match="cannot find its scenario 'tutorial-copy'"):
        load_save("gone", directory=folder)


# ------------------------------------------------------------------------------------------ damaged files
@pytest.fixture(scope="module")
def base_save(tmp_path_factory):
    """A finished-enough save of the tutorial and the folder it lives in (shared by the property tests)."""
    root = tmp_path_factory.mktemp("mutations")
    scen = copy_tutorial(root / "scen")
    session = play_random(GameSession(load_scenario(scen), seed=9), random.Random(9), 5)
    path = write_save(session, "base", directory=root / "saves")
    return path, path.read_bytes()


def outcome(path: Path, data: bytes, original: bytes | None):
    """Load mutated bytes: a clean SaveError, or a load of a self-consistent file (of unchanged contents,
    unless ``original`` is None)."""
    path.write_bytes(data)
    try:
        loaded = load_save(path)
    except SaveError as exc:
        assert exc.path == str(path) and exc.reason
        return "error"
    body = json.loads(data)
    if original is not None:
        assert body == json.loads(original)
    snapshot = loaded.session.snapshot()
    assert loaded.session.choices == body["choices"]
    assert {k: snapshot[k] for k in body["snapshot"] if k in snapshot} == body["snapshot"]
    return "loaded"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_truncated_or_flipped_files_give_save_errors(base_save, data):
    path, original = base_save
    mutant = path.with_name("mutant.json")
    if data.draw(st.booleans(), label="truncate"):
        cut = data.draw(st.integers(0, len(original) - 1), label="cut")
        assert outcome(mutant, original[:cut], original) == "error" or cut == len(original) - 1
    else:
        raw = bytearray(original)
        for _ in range(data.draw(st.integers(1, 4), label="flips")):
            pos = data.draw(st.integers(0, len(raw) - 1), label="pos")
            raw[pos] ^= data.draw(st.integers(1, 255), label="xor")
        outcome(mutant, bytes(raw), original)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), fix_checksum=st.booleans())
def test_changed_values_and_removed_keys_give_save_errors(base_save, data, fix_checksum):
    """Also with the checksum recomputed, as a player editing the file would: then the replay must object."""
    path, original = base_save
    body = json.loads(original)
    where = data.draw(st.sampled_from([p for p in _paths(body) if p and p != ("checksum",)]), label="path")
    parent = body
    for key in where[:-1]:
        parent = parent[key]
    if data.draw(st.booleans(), label="remove"):
        del parent[where[-1]]
    else:
        parent[where[-1]] = data.draw(json_values, label="value")
    if fix_checksum:
        body["checksum"] = checksum_of(body)
    mutant = path.with_name("mutant.json")
    changed = body != json.loads(original)
    result = outcome(mutant, json.dumps(body).encode(), None if fix_checksum else original)
    if changed and not fix_checksum:
        assert result == "error"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"format": "manila-save"', "not valid JSON"),
        (b"[1, 2]", "not a Manila save"),
        (b'{"format": "manila-save", "version": 99}', "newer version"),
        (b'{"format": "manila-save", "version": "1"}', "version: must be a whole number"),
        (b'{"format": "manila-save", "version": 1, "seed": NaN}', "not valid JSON"),
        (b'{"format": "manila-save", "version": 1, "seed": 1' + b"0" * 5000 + b"}", "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_specific_damage_is_named(folder, content, reason):
    folder.mkdir()
    (folder / "bad.json").write_bytes(content)
    with pytest.raises(SaveError, match=reason):
        load_save("bad", directory=folder)


def test_wrong_types_are_all_reported(base_save, folder):
    body = json.loads(base_save[1])
    body["seed"], body["choices"][0], body["scenario"]["sha256"] = "0", True, 7
    body["checksum"] = checksum_of(body)
    folder.mkdir()
    (folder / "typed.json").write_text(json.dumps(body))
    with pytest.raises(SaveError) as err:
        load_save("typed", directory=folder)
    assert "seed: must be a whole number, not a string" in err.value.reason
    assert "choices[0]: must be a whole number, not true/false" in err.value.reason
    assert "scenario.sha256: must be a string" in err.value.reason


@pytest.mark.parametrize(
    "scenario_path", ["a\x00b", "/" + "x" * 5000, "relative/nowhere.toml", ""], ids=["nul", "long", "relative", "empty"]
)
def test_odd_scenario_paths_fall_back_to_the_id(base_save, folder, scenario_path):
    body = json.loads(base_save[1])
    body["scenario"]["path"] = scenario_path
    body["checksum"] = checksum_of(body)
    folder.mkdir()
    (folder / "odd.json").write_text(json.dumps(body))
    if "\x00" in scenario_path:  # not a possible path: the save is malformed, and says so
        with pytest.raises(SaveError, match=r"scenario\.path: malformed"):
            load_save("odd", directory=folder)
        return
    loaded = load_save("odd", directory=folder)  # the bundled tutorial, found by id, replays the same game
    assert loaded.session.scenario.id == "tutorial"
    assert loaded.session.scenario.sha256 == body["scenario"]["sha256"]
    assert list(loaded.record.choices) == body["choices"]
    assert loaded.session.snapshot() == body["snapshot"]


def test_impossible_file_names_are_save_errors(folder):
    with pytest.raises(SaveError):
        load_save("a\x00b.json", directory=folder)
    with pytest.raises(SaveError):
        load_save(Path("x\x00y"), directory=folder)
    with pytest.raises(SaveError):
        load_save("y" * 5000, directory=folder)
    with pytest.raises(SaveError):
        load_save("y" * 5000 + ".json", directory=folder)


def test_edited_choices_with_fixed_checksum_fail_the_replay(base_save, folder):
    body = json.loads(base_save[1])
    body["choices"][-1] = 1 - body["choices"][-1] if body["choices"][-1] in (0, 1) else 0
    body["checksum"] = checksum_of(body)
    folder.mkdir()
    (folder / "edited.json").write_text(json.dumps(body))
    with pytest.raises(SaveError, match=r"does not replay .* diverges from turn"):
        load_save("edited", directory=folder)


def test_listing_survives_bad_files(scen_path, folder):
    session = GameSession(load_scenario(scen_path), seed=3)
    good = write_save(session, "good", directory=folder)
    (folder / "junk.json").write_text("not json")
    (folder / "dir.json").mkdir()
    (folder / ".hidden.json.123.ab.tmp").write_text("half a save")
    infos = {i.path.name: i for i in list_saves(folder)}
    assert set(infos) == {"good.json", "junk.json", "dir.json"}
    assert infos["good.json"].verified and infos["good.json"].problem is None
    assert not infos["junk.json"].verified and "not valid JSON" in infos["junk.json"].problem
    assert not infos["dir.json"].verified
    assert latest_save(folder).path == good
    assert list_saves(folder / "missing") == []


def test_save_names_and_paths_resolve(scen_path, folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session = GameSession(load_scenario(scen_path), seed=3)
    path = write_save(session, "Gamma/3", directory=folder)
    assert path.name == "gamma-3.json"
    for what in ("Gamma/3", "gamma-3", "gamma-3.json", str(path), "saves/gamma-3.json", path):
        assert load_save(what, directory=folder).path.resolve() == path
    (tmp_path / "gamma-3").mkdir()  # a folder in the current directory does not hide the save
    assert load_save("gamma-3", directory=folder).path == path
    with pytest.raises(SaveError, match="no such save file"):
        load_save("elsewhere/gamma-3.json", directory=folder)


def test_unknown_save_name(folder):
    folder.mkdir()
    with pytest.raises(SaveError, match="no save of that name"):
        load_save("nothing", directory=folder)


# ------------------------------------------------------------------------------------------ commands
def test_play_headless_saves_and_replays(scen_path, folder, capsys):
    args = ["play", str(scen_path), "--choices", "1, 2,1", "--no-ui", "--save", "Scripted", "--saves-dir", str(folder)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "seed 0, game 0" in out and "Saved as 'Scripted'" in out
    digest = out.split("digest ")[1].split()[0]
    assert main(["replay", "Scripted", "--verbose", "--saves-dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"digest {digest}" in out and "OK: the replay matches" in out and "Turn 1 ·" in out
    # continue from the save, and the same game played straight through gives the same digest
    assert main(["play", "--load", "Scripted", "--choices", "1", "--no-ui", "--saves-dir", str(folder)]) == 0
    continued = capsys.readouterr().out.split("digest ")[1].split()[0]
    assert main(["play", str(scen_path), "--choices", "1,2,1,1", "--no-ui"]) == 0
    assert capsys.readouterr().out.split("digest ")[1].split()[0] == continued


@pytest.mark.parametrize("choices", ["1,,2", "a", "0", "-1", "1;2", "²"])
def test_play_headless_bad_choice_list_is_a_usage_error(scen_path, capsys, choices):
    assert main(["play", str(scen_path), "--choices", choices, "--no-ui"]) == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "--choices:" in err and "Traceback" not in err


def test_play_headless_unavailable_choice_names_turn_and_event(scen_path, folder, capsys):
    assert (
        main(["play", str(scen_path), "--choices", "1,2,1,9", "--no-ui", "--save", "x", "--saves-dir", str(folder)])
        == 1
    )
    err = capsys.readouterr().err
    assert "choice 4 of 4" in err and "turn 4" in err and "event 'storm' (Storm warning)" in err
    assert "nothing was saved" in err
    assert not folder.exists()
    assert main(["play", str(scen_path), "--choices", ",".join(["1"] * 40), "--no-ui"]) == 1
    assert "the game is already over" in capsys.readouterr().err


def test_play_headless_load_conflicts_and_missing_save(scen_path, folder, capsys):
    assert main(["play", str(scen_path), "--load", "x", "--no-ui", "--saves-dir", str(folder)]) == 2
    assert "--load continues a saved game" in capsys.readouterr().err
    assert main(["play", "--load", "nope", "--no-ui", "--saves-dir", str(folder)]) == 1
    assert "no save of that name" in capsys.readouterr().err


def test_replay_and_saves_report_problems(scen_path, folder, capsys, monkeypatch):
    monkeypatch.setenv("MANILA_SAVES_DIR", str(folder))
    session, turn = _game_with(scen_path, "storm", 0)
    write_save(session, "storm")
    (folder / "junk.json").write_text("{}")
    assert main(["saves"]) == 1  # a broken save: listed, and the exit status says so (issue 10, case 15)
    out = capsys.readouterr().out
    assert "storm" in out and "ok" in out and "BROKEN" in out and "not a Manila save file" in out
    edit_scenario(scen_path, "fishers = 3 }", "fishers = 4 }")
    assert main(["replay", "storm"]) == 1
    out = capsys.readouterr().out
    assert "DIVERGES" in out and f"diverges from turn {turn}" in out
    assert main(["replay", "junk"]) == 1
    assert "not a Manila save file" in capsys.readouterr().err
    folder_empty = folder.parent / "empty"
    assert main(["saves", "--saves-dir", str(folder_empty)]) == 0
    assert "No saves" in capsys.readouterr().out


def test_saved_digest_matches_record(scen_path, folder):
    session = GameSession(load_scenario(scen_path), seed=8)
    record = read_save(write_save(session, "d", directory=folder))
    assert digest_of(record.snapshot, record.turn_digests) == game_digest(session)


def test_domain_modules_do_not_import_textual():
    code = "import sys, game.saves, game.saves.savefile, game.cli.headless; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ issue 10, cases 7 and 9
def test_a_save_holding_an_overflowing_number_is_broken_and_hides_nothing(scen_path, folder, capsys, monkeypatch):
    """JSON's 1e999 is infinity: the file is reported broken; the other saves list, load and autosave."""
    monkeypatch.setenv("MANILA_SAVES_DIR", str(folder))
    session = GameSession(load_scenario(scen_path), seed=5)
    good = write_save(session, "good")
    bad = folder / "bad.json"
    body = json.loads(good.read_text())
    text = json.dumps(body).replace('"seed": 5', '"seed": 5, "extra": 1e999', 1)
    bad.write_text(text)
    with pytest.raises(SaveError, match="too large"):
        read_save(bad)
    infos = {i.path.name: i for i in list_saves(folder)}
    assert infos["good.json"].verified and not infos["bad.json"].verified
    assert "1e999" in infos["bad.json"].problem
    assert main(["saves"]) == 1
    assert "BROKEN" in capsys.readouterr().out
    (folder / f"autosave-{autosave_game(session)}-1.json").write_text(text)  # a broken slot does not stop autosaving
    assert autosave(session, folder).exists()


def test_an_empty_save_name_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["play", "tutorial", "--no-ui", "--choices", "1", "--save", ""])
    assert info.value.code == 2
    assert "--save needs a name" in capsys.readouterr().err


def test_autosaves_rotate_by_sequence_when_the_clock_moves_back(scen_path, folder, monkeypatch):
    """An autosave dated in the future (the clock was moved back since) pins neither the rotation nor
    Continue (issue 10, case 8)."""
    from datetime import UTC, datetime, timedelta

    import game.saves.saves as saves_module

    class Future(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(days=365)

    session = GameSession(load_scenario(scen_path), seed=5)
    monkeypatch.setattr(saves_module, "datetime", Future)
    game = autosave_game(session)
    assert autosave(session, folder).name == f"autosave-{game}-1.json"  # dated a year ahead
    monkeypatch.setattr(saves_module, "datetime", datetime)
    written = []
    for _ in range(3):
        session.choose(next(o.index for o in session.options() if o.available))
        written.append(autosave(session, folder).name)
        latest = latest_save(folder)
        assert latest is not None and latest.path.name == written[-1]
        assert latest.choices == len(session.choices)
    assert written == [f"autosave-{game}-{i}.json" for i in (2, 3, 1)]
    assert read_save(folder / f"autosave-{game}-1.json").saved_at < datetime.now(UTC) + timedelta(days=1)
