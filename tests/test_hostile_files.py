"""Hostile scenario files (issue 10, cases 3-6): each is refused with a clear message and bounded work.

Times are not asserted here (speed is measured, never asserted); each case is sized so that the unbounded
code it guards against would fail the assertion on the message or take minutes.
"""

from __future__ import annotations

import os

import pytest

from game.errors import ScenarioError, did_you_mean, suggestion_budget
from game.format import load_scenario_text

HEAD = """format = 1
[scenario]
id = "t"
title = "T"
summary = "S"
role = "R"
start = "2000-01"
turns = 12
[meters.m]
label = "M"
start = 0
"""

TAIL = """[[endings]]
id = "end"
title = "End"
epilogue = "."
[[score]]
id = "s"
label = "S"
value = "m"
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "hostile.toml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    "key",
    [
        '"\\"".' + ".".join(["a"] * 3000),  # a quoted first part with an escaped quote
        "'x'." + ".".join(["a"] * 3000),
        '"a.b".' + " . ".join(["a"] * 3000),  # spaces around the dots
    ],
)
def test_deep_dotted_keys_are_refused_before_parsing(key):
    assert _problems(f"{key} = 1\n") == ["hostile.toml:1: key nested too deeply (more than 32 dotted parts)"]


def test_deep_dotted_keys_inside_inline_tables_are_refused():
    text = HEAD + "x = { b = 1, " + ".".join(["a"] * 3000) + " = 1 }\n"
    assert _problems(text) == ["hostile.toml:12: key nested too deeply (more than 32 dotted parts)"]


def test_a_quoted_key_with_dots_inside_is_not_deep():
    """Dots inside a quoted key are not separators; 33 of them are fine."""
    text = HEAD.replace("[meters.m]", '[meters.m]\n"' + "." * 40 + '" = 1')
    assert any("unknown key" in p for p in _problems(text))


def test_many_unknown_keys_are_listed_up_to_a_limit_with_a_count():
    problems = _problems(HEAD + "".join(f"zq{i} = 1\n" for i in range(3000)) + TAIL)
    assert len(problems) == 201
    assert problems[-1] == "hostile.toml: ... and 2,800 more problems (only the first 200 are listed)"


def test_suggestions_are_bounded_per_load():
    with suggestion_budget(2):
        made = [did_you_mean("mx", ["m", "mm"]) for _ in range(5)]
    assert made == [" (did you mean 'm'?)"] * 2 + [""] * 3
    assert did_you_mean("mx", ["m"]) == " (did you mean 'm'?)"  # outside a load: no budget
    assert did_you_mean("m" * 41, ["m" * 40]) == ""  # longer than any id


def test_follow_ups_to_many_events_are_checked_by_lookup():
    """30,000 follow-ups over 1,000 events load (membership was a list scan per follow-up)."""
    events = "".join(
        f'[[events]]\nid = "e{i}"\ntitle = "E"\ntext = "E"\nfollow = ['
        + ", ".join(f'{{ event = "e{(i * 31 + j) % 1000}", after = 1 }}' for j in range(30))
        + "]\n"
        for i in range(1000)
    )
    scenario = load_scenario_text(HEAD + events + TAIL, "many.toml")
    assert sum(len(e.follow) for e in scenario.events) == 30000


# ------------------------------------------------------------------ case 5: ./scenarios is untrusted too
def test_a_hostile_file_in_local_scenarios_breaks_no_command(tmp_path, monkeypatch, capsys):
    from game.cli import main
    from game.format.catalog import list_scenarios

    local = tmp_path / "scenarios"
    local.mkdir()
    (local / "deep.toml").write_text("x = " + "{ a = " * 5000 + "1" + " }" * 5000 + "\n")
    (local / "zero.toml").symlink_to("/dev/zero")
    os.mkfifo(local / "fifo.toml")
    monkeypatch.chdir(tmp_path)
    assert {i.id for i in list_scenarios()} >= {"tutorial", "manila-2019"}
    assert main(["sim", "tutorial", "--games", "2"]) == 0
    assert main(["validate", "tutorial"]) == 0
    assert "ok" in capsys.readouterr().out


def test_a_path_is_used_without_scanning_the_folders(tmp_path, monkeypatch):
    from game.format import catalog

    def boom():
        raise AssertionError("scanned the folders")

    monkeypatch.setattr(catalog, "list_scenarios", boom)
    path = tmp_path / "x.toml"
    path.write_text("")
    assert catalog.resolve_scenario(str(path)) == path


# ------------------------------------------------------------------ case 6: special files, links, NUL
@pytest.mark.parametrize("make", ["zero", "urandom", "fifo"])
def test_special_files_are_refused_without_reading(tmp_path, make):
    from game.format import load_scenario

    path = tmp_path / "s.toml"
    if make == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(f"/dev/{make}")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems[0].message == "is not a regular file (a device, pipe or socket)"


def _with_source(tmp_path, source: str) -> list[str]:
    from game.format import load_scenario

    path = tmp_path / "s.toml"
    path.write_text(HEAD.replace("turns = 12", f'turns = 12\nsource = "{source}"') + TAIL)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [p.message for p in info.value.problems]


def test_a_source_linking_outside_its_folder_is_refused(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "link").symlink_to("/etc/passwd")
    (message,) = _with_source(tmp_path, "sources/link")
    assert message.startswith("source file 'sources/link' is outside its folder")


def test_a_source_that_is_a_device_or_folder_or_has_nul_is_refused(tmp_path):
    (tmp_path / "zero").symlink_to("/dev/zero")
    (tmp_path / "folder").mkdir()
    assert _with_source(tmp_path, "folder") == ["source file 'folder' is a folder (directory), not a file"]
    assert _with_source(tmp_path, "zero")[0].startswith("source file 'zero' is ")
    assert _with_source(tmp_path, "a\\u0000b") == ["must not contain a NUL character"]


def test_a_save_that_is_a_device_is_refused(tmp_path):
    from game.errors import SaveError
    from game.saves import read_save

    path = tmp_path / "s.json"
    path.symlink_to("/dev/zero")
    with pytest.raises(SaveError) as info:
        read_save(path)
    assert "not a regular file" in str(info.value)


# ------------------------------------------------------------------ validation gaps
def test_an_id_ending_in_a_newline_is_refused():
    problems = _problems(
        HEAD.replace("[meters.m]", "[meters.m]\n") + '[[events]]\nid = "e\\n"\ntitle = "E"\ntext = "E"\n' + TAIL
    )
    assert any("events[0].id" in p for p in problems)
    problems = _problems(HEAD.replace('id = "t"', 'id = "t\\n"') + TAIL)
    assert any("scenario.id" in p for p in problems)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("weight", '"0-5"', "events[0].weight: must not be negative"),
        ("chance", '"1+1"', "a probability must be between 0 and 1, not 2"),
    ],
)
def test_constant_expressions_are_checked_like_numbers(key, value, message):
    if key == "weight":
        event = f'[[events]]\nid = "e"\ntitle = "E"\ntext = "E"\nweight = {value}\n'
        event += 'options = [{ id = "o", label = "O" }]\n'
    else:
        event = f'[[events]]\nid = "e"\ntitle = "E"\ntext = "E"\nbranches = [{{ chance = {value}, text = "B" }}]\n'
    assert any(message in p for p in _problems(HEAD + event + TAIL))


def test_non_ascii_digits_are_not_numbers():
    event = '[[events]]\nid = "e"\ntitle = "E"\ntext = "E"\nwhen = "３ + ٣ > 1"\n'
    assert any("events[0].when" in p for p in _problems(HEAD + event + TAIL))


def test_a_byte_order_mark_is_named():
    (message,) = _problems("\ufeff" + HEAD + TAIL)
    assert "byte-order mark (BOM)" in message and message.startswith("hostile.toml:1:")


def test_a_file_as_the_saves_folder_is_explained(tmp_path):
    from game.errors import SaveError
    from game.format import load_scenario
    from game.format.catalog import resolve_scenario
    from game.play.session import GameSession
    from game.saves import write_save

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    session = GameSession(load_scenario(resolve_scenario("tutorial")), seed=1)
    with pytest.raises(SaveError, match="is a file, not a folder"):
        write_save(session, "x", directory=not_a_folder)
