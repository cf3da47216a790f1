"""The scenario loader: the tutorial loads, broken files give every problem with line and key path, and
random mutations of the tutorial never crash it or execute anything."""

from __future__ import annotations

import builtins
import contextlib
import os
import subprocess
import time
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.errors import Problem, ScenarioError
from game.format.scenario import LIMITS, load_scenario, load_scenario_bytes, load_scenario_text
from game.model import Scenario

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "scenarios" / "tutorial.toml"
TUTORIAL_TEXT = TUTORIAL.read_text(encoding="utf-8")

# A small valid scenario; each broken case below changes one thing in it.
BASE = """\
format = 1

[scenario]
id = "mini"
title = "Mini"
summary = "A tiny scenario for tests."
role = "Tester"
start = "2030-01"
turns = 6
source = "source.txt"

[meters.ties]
label = "Ties"
start = 50

[meters.secret]
label = "Secret"
start = 10
hidden = true

[flags.stage]
label = "Stage"
max = 2

[[events]]
id = "first"
title = "First"
text = "Something happens."
cite = [1]

  [[events.options]]
  id = "yes"
  label = "Yes"
  effects = { ties = 5 }

  [[events.options]]
  id = "no"
  label = "No"

[[events]]
id = "second"
title = "Second"
text = "Something else happens."
weight = 0

[[endings]]
id = "end"
title = "The end"
epilogue = "Done, with ties {ties} and a secret {secret}."

[[score]]
id = "ties"
label = "Ties"
value = "ties"
"""

SOURCE = "Paragraph one.\n\nParagraph two.\n\nParagraph three.\n"


def replace(old: str, new: str, text: str = BASE, count: int = 1) -> str:
    assert text.count(old) >= count, f"{old!r} not in the base text"
    return text.replace(old, new, count)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based number of the line holding the nth occurrence of needle."""
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def load(text: str, folder: Path, name: str = "mini.toml") -> Scenario:
    return load_scenario_text(text, name, folder)


def problems_of(text: str, folder: Path | None, name: str = "mini.toml") -> tuple[Problem, ...]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, name, folder)
    problems = info.value.problems
    assert problems, "a ScenarioError must list at least one problem"
    for p in problems:
        assert p.file == name
        assert p.message
    return problems


# --------------------------------------------------------------------------------------------- valid


def test_tutorial_loads():
    s = load_scenario(TUTORIAL)
    assert s.id == "tutorial"
    assert s.turns == 12
    assert len(s.events) >= 5
    assert s.paragraphs, "the tutorial cites a source"
    assert any(v.hidden for v in s.variables if hasattr(v, "hidden"))
    assert s.sha256 and len(s.sha256) == 64


def test_tutorial_loads_from_text_and_bytes():
    s = load_scenario_text(TUTORIAL_TEXT, "tutorial.toml", TUTORIAL.parent)
    b = load_scenario_bytes(TUTORIAL.read_bytes(), "tutorial.toml", TUTORIAL.parent)
    assert s.id == b.id == "tutorial"
    assert [e.id for e in s.events] == [e.id for e in b.events]


def test_base_fixture_is_valid(folder):
    s = load(BASE, folder)
    assert s.id == "mini"
    assert len(s.paragraphs) == 3


def test_base_without_source_is_valid():
    text = replace('source = "source.txt"\n', "")
    text = replace("cite = [1]\n", "", text)
    assert load_scenario_text(text, "mini.toml", None).paragraphs == ()


# --------------------------------------------------------------------------------------- broken files

# (id, text, key path, message fragments, line needle (or None for no line), n-th occurrence of the needle)
CASES = [
    (
        "unknown-key-did-you-mean",
        replace('label = "Ties"\n', 'label = "Ties"\ndescripton = "x"\n'),
        "meters.ties.descripton",
        ["unknown key 'descripton'", "did you mean 'description'?"],
        "descripton",
        1,
    ),
    (
        "unknown-top-level-key",
        replace("format = 1\n", "format = 1\nevnets = []\n"),
        "evnets",
        ["unknown key 'evnets'", "did you mean 'events'?"],
        "evnets",
        1,
    ),
    (
        "string-for-a-number",
        replace("start = 50\n", 'start = "3"\n'),
        "meters.ties.start",
        ["must be a number", "'3'", "without quotes"],
        'start = "3"',
        1,
    ),
    (
        "string-for-turns",
        replace("turns = 6\n", 'turns = "6"\n'),
        "scenario.turns",
        ["must be a whole number", "without quotes"],
        'turns = "6"',
        1,
    ),
    (
        "missing-required-key",
        replace('title = "First"\n', ""),
        "events[0]",
        ["missing required key 'title'"],
        "[[events]]",
        1,
    ),
    (
        "missing-meter-start",
        replace("start = 50\n", ""),
        "meters.ties",
        ["missing required key 'start'"],
        "[meters.ties]",
        1,
    ),
    (
        "unknown-name-in-expression",
        replace("weight = 0\n", 'weight = 0\nwhen = "tyes > 3"\n'),
        "events[1].when",
        ["unknown name 'tyes'", "did you mean 'ties'?"],
        'when = "tyes > 3"',
        1,
    ),
    (
        "expression-syntax-error",
        replace('value = "ties"', 'value = "ties +* 2"'),
        "score[0].value",
        ["in expression"],
        'value = "ties +* 2"',
        1,
    ),
    (
        "follow-up-to-missing-event",
        replace("effects = { ties = 5 }\n", 'effects = { ties = 5 }\n  follow = [{ event = "secnod", after = 1 }]\n'),
        "events[0].options[0].follow[0].event",
        ["unknown event 'secnod'", "did you mean 'second'?"],
        "follow = [",
        1,
    ),
    (
        "duplicate-event-id",
        replace('id = "second"', 'id = "first"'),
        "events[1].id",
        ["duplicate event id 'first'"],
        'id = "first"',
        2,
    ),
    (
        "probability-out-of-range",
        replace('  label = "No"\n', '  label = "No"\n    [[events.options.branches]]\n    chance = 1.5\n'),
        "events[0].options[1].branches[0].chance",
        ["probability", "between 0 and 1", "1.5"],
        "chance = 1.5",
        1,
    ),
    (
        "bounds-min-not-below-max",
        replace("start = 50\n", "start = 50\nmin = 50\nmax = 50\n"),
        "meters.ties.max",
        ["max (50) must be greater than min (50)"],
        "max = 50",
        1,
    ),
    (
        "flag-bounds-reversed",
        replace("max = 2\n", "min = 3\nmax = 2\n"),
        "flags.stage.max",
        ["must be greater than min"],
        "max = 2",
        1,
    ),
    (
        "start-outside-bounds",
        replace("start = 50\n", "start = 150\n"),
        "meters.ties.start",
        ["outside the bounds", "0..100"],
        "start = 150",
        1,
    ),
    (
        "start-range-outside-bounds",
        replace("start = 50\n", "start = [50, 120]\n"),
        "meters.ties.start",
        ["outside the bounds"],
        "start = [50, 120]",
        1,
    ),
    (
        "citation-beyond-paragraph-count",
        replace("cite = [1]", "cite = [1, 4]"),
        "events[0].cite[1]",
        ["paragraph 4 does not exist", "the source has 3"],
        "cite = [1, 4]",
        1,
    ),
    (
        "stages-count-mismatch",
        replace("max = 2\n", 'max = 2\nstages = ["none", "some"]\n'),
        "flags.stage.stages",
        ["needs exactly 3 names", "not 2"],
        "stages = ",
        1,
    ),
    (
        "last-final-ending-has-when",
        replace('title = "The end"\n', 'title = "The end"\nwhen = "ties > 10"\n'),
        "endings",
        ["last final ending ('end') must have no 'when'"],
        "[[endings]]",
        1,
    ),
    (
        "no-option-always-available",
        replace(
            '  label = "Yes"\n',
            '  label = "Yes"\n  available = "ties > 10"\n',
            replace('  label = "No"\n', '  label = "No"\n  cost = { ties = 5 }\n'),
        ),
        "events[0].options",
        ["at least one option must always be available"],
        "[[events.options]]",
        1,
    ),
    (
        "bad-date-month-13",
        replace("weight = 0\n", 'weight = 0\ndate = "2030-13"\n'),
        "events[1].date",
        ["'2030-13' is not a date", "YYYY-MM"],
        'date = "2030-13"',
        1,
    ),
    (
        "bad-date-format",
        replace("weight = 0\n", 'weight = 0\nfrom = "March 2030"\n'),
        "events[1].from",
        ["is not a date"],
        'from = "March 2030"',
        1,
    ),
    (
        "date-outside-the-game",
        replace("weight = 0\n", 'weight = 0\ndate = "2035-01"\n'),
        "events[1].date",
        ["outside the game"],
        'date = "2035-01"',
        1,
    ),
    (
        "bad-scenario-start",
        replace('start = "2030-01"', 'start = "2030-1"'),
        "scenario.start",
        ["is not a date"],
        'start = "2030-1"',
        1,
    ),
    (
        "unknown-placeholder",
        replace('text = "Something happens."', 'text = "Ties are {tise}."'),
        "events[0].text",
        ["unknown placeholder '{tise}'", "did you mean 'ties'?"],
        "Ties are {tise}",
        1,
    ),
    (
        "hidden-meter-in-placeholder",
        replace('text = "Something happens."', 'text = "The secret is {secret}."'),
        "events[0].text",
        ["would reveal a hidden value"],
        '{secret}."',
        1,
    ),
    (
        "unmatched-brace",
        replace('text = "Something happens."', 'text = "Something {happens."'),
        "events[0].text",
        ["unmatched '{'"],
        "Something {happens",
        1,
    ),
    (
        "effect-on-unknown-variable",
        replace("effects = { ties = 5 }", "effects = { ties = 5, tie = 1 }"),
        "events[0].options[0].effects.tie",
        ["unknown variable 'tie'", "did you mean 'ties'?"],
        "tie = 1",
        1,
    ),
    (
        "effect-on-built-in",
        replace("effects = { ties = 5 }", "effects = { turn = 1 }"),
        "events[0].options[0].effects.turn",
        ["built-in names cannot be changed"],
        "turn = 1",
        1,
    ),
    (
        "fractional-flag-effect",
        replace("effects = { ties = 5 }", "effects = { ties = 5 }\n  set = { stage = 1.5 }"),
        "events[0].options[0].set.stage",
        ["flag", "whole numbers"],
        "stage = 1.5",
        1,
    ),
    (
        "negative-weight",
        replace("weight = 0\n", "weight = -1\n"),
        "events[1].weight",
        ["must not be negative"],
        "weight = -1",
        1,
    ),
    (
        "bad-id",
        replace('id = "second"', 'id = "Second Event"'),
        "events[1].id",
        ["not a valid id"],
        'id = "Second Event"',
        1,
    ),
    (
        "variable-named-like-a-built-in",
        replace("[flags.stage]", "[flags.turn]"),
        "flags.turn",
        ["built-in name"],
        "[flags.turn]",
        1,
    ),
    (
        "wrong-format-version",
        replace("format = 1", "format = 3"),
        "format",
        ["format 3 is not supported"],
        "format = 3",
        1,
    ),
    ("missing-format", replace("format = 1\n", ""), "format", ["missing 'format = 2'"], None, 1),
    (
        "bool-for-number",
        replace("start = 50\n", "start = true\n"),
        "meters.ties.start",
        ["must be a number", "boolean true"],
        "start = true",
        1,
    ),
    (
        "table-expected",
        replace("[meters.secret]\nlabel", "[meters.secret]\nbands = 3\nlabel"),
        "meters.secret.bands",
        ["must be an array of tables"],
        "bands = 3",
        1,
    ),
    (
        "bare-dangerous-name",
        replace('value = "ties"', 'value = "eval"'),
        "score[0].value",
        ["unknown name 'eval'"],
        'value = "eval"',
        1,
    ),
    (
        "hostile-expression",
        replace('value = "ties"', '''value = "__import__('os').system('true')"'''),
        "score[0].value",
        ["in expression", "unexpected character"],
        'value = "__import__',
        1,
    ),
    (
        "huge-constant",
        replace("weight = 0\n", 'weight = "1e999"\n'),
        "events[1].weight",
        ["too large"],
        'weight = "1e999"',
        1,
    ),
    (
        "too-many-turns",
        replace("turns = 6\n", "turns = 100000\n"),
        "scenario.turns",
        ["between 1 and 600"],
        "turns = 100000",
        1,
    ),
    (
        "source-with-dotdot",
        replace('source = "source.txt"', 'source = "../../etc/passwd"'),
        "scenario.source",
        ["relative", "'..'"],
        'source = "../../etc/passwd"',
        1,
    ),
    (
        "source-missing",
        replace('source = "source.txt"', 'source = "nope.txt"'),
        "scenario.source",
        ["not found"],
        'source = "nope.txt"',
        1,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_scenario_reports_the_problem(case, folder):
    _, text, path, fragments, needle, nth = case
    problems = problems_of(text, folder)
    matching = [p for p in problems if p.path == path]
    assert matching, f"no problem at {path}; got:\n" + "\n".join(map(str, problems))
    problem = matching[0]
    for fragment in fragments:
        assert fragment in problem.message, f"{fragment!r} not in {problem.message!r}"
    if needle is not None:
        assert problem.line == line_of(text, needle, nth), str(problem)
    assert str(problem).startswith(f"mini.toml:{problem.line}: {path}: " if problem.line else f"mini.toml: {path}: ")


@pytest.mark.parametrize(
    "case",
    [
        c
        for c in CASES
        if c[0]
        not in ("missing-meter-start", "start-range-outside-bounds", "missing-format", "variable-named-like-a-built-in")
    ],
    ids=lambda c: c[0],
)
def test_a_single_mistake_gives_a_single_problem(case, folder):
    problems = problems_of(case[1], folder)
    assert len(problems) == 1, "\n".join(map(str, problems))


def test_unknown_name_has_a_caret_detail(folder):
    text = replace("weight = 0\n", 'weight = "ties / 2 + tyes"\n')
    (problem,) = problems_of(text, folder)
    assert problem.path == "events[1].weight"
    expr_line, caret_line = problem.detail.split("\n")
    assert expr_line.strip() == "ties / 2 + tyes"
    column = caret_line.index("^")
    assert expr_line[column : column + 4] == "tyes"
    assert caret_line.strip() == "^^^^"
    assert str(problem).endswith(problem.detail)


def test_syntax_error_has_a_caret_detail(folder):
    text = replace('value = "ties"', 'value = "min(ties, 1) < 2 < 3"')
    (problem,) = problems_of(text, folder)
    expr_line, caret_line = problem.detail.split("\n")
    assert "chained" in problem.message
    assert expr_line[caret_line.index("^")] == "<"
    assert expr_line[: caret_line.index("^")].count("<") == 1


def test_invalid_toml_gives_line_and_column(folder):
    text = replace('title = "Mini"', 'title = "Mini')
    (problem,) = problems_of(text, folder)
    assert problem.line == line_of(text, 'title = "Mini')
    assert "invalid TOML" in problem.message
    assert "line" in problem.message and "column" in problem.message


@pytest.mark.parametrize(
    "text",
    ["format = 1\n[scenario\n", "= 3\n", "a = 1\na = 2\n", "x = [1, 2\n", "[[events]]\n[events]\n", "x = 1979-05-27T"],
)
def test_various_invalid_toml(text):
    (problem,) = problems_of(text, None)
    assert problem.message.startswith("invalid TOML")
    assert problem.line is not None


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "# only a comment\n"[:0] + "\t\n"])
def test_empty_file(text):
    (problem,) = problems_of(text, None)
    assert "empty" in problem.message


def test_comment_only_file_reports_what_is_missing():
    problems = problems_of("# just a comment\n", None)
    assert any("format" in p.message for p in problems)
    assert any("[scenario]" in p.message for p in problems)


def test_empty_file_on_disk(tmp_path):
    path = tmp_path / "empty.toml"
    path.write_bytes(b"")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.file == str(path)
    assert "empty" in problem.message


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not UTF-8"),
        (bytes(range(256)) * 4, "binary"),
        (b"format = 1\n\x00\x01\x02", "NUL"),
        (b'format = 1\ntitle = "caf\xe9"\n', "not UTF-8"),
        (os.urandom(4096) + b"\xff", ""),
    ],
)
def test_binary_file(tmp_path, data, fragment):
    path = tmp_path / "binary.toml"
    path.write_bytes(data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert fragment in problem.message
    assert "binary" in problem.message or "invalid TOML" in problem.message


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b"format = 1\n\n# caf\xe9\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.line == 3


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.toml"
    line = b"# " + b"x" * 97 + b"\n"
    path.write_bytes(BASE.encode() + line * (LIMITS["file_bytes"] // len(line) + 1))
    assert path.stat().st_size > LIMITS["file_bytes"]
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert "too large" in problem.message
    with pytest.raises(ScenarioError) as info:
        load_scenario_bytes(path.read_bytes(), "huge.toml", tmp_path)
    assert "too large" in info.value.problems[0].message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nope.toml")
    assert "no such file" in info.value.problems[0].message
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path)
    assert "directory" in info.value.problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 100_000 + "]" * 100_000 + "\n",
        "x = " + "[" * 5_000 + "\n",
        "x = " + "{a = " * 20_000 + "1" + "}" * 20_000 + "\n",
        "[" + ".".join(["a"] * 50_000) + "]\n",
        ".".join(["a"] * 50_000) + " = 1\n",
        'x = "ok"\n' + ".".join(['"a"'] * 20_000) + " = 1\n",
        BASE.replace("cite = [1]", "tags = " + "[" * 800 + "]" * 800),
    ],
    ids=[
        "arrays-100k",
        "unclosed-arrays",
        "inline-tables-20k",
        "dotted-header-50k",
        "dotted-key-50k",
        "quoted-dotted-key-20k",
        "nested-in-valid-file",
    ],
)
def test_deeply_nested_input(text, folder):
    started = time.perf_counter()
    problems = problems_of(text, folder)
    assert time.perf_counter() - started < 1.0
    assert all(len(str(p)) < 2000 for p in problems)


def test_dotted_keys_of_legal_depth_still_parse(folder):
    text = replace('[meters.ties]\nlabel = "Ties"', '[meters.ties]\nlabel.a.b = "Ties"')
    problems = problems_of(text, folder)  # a table where a string belongs, but parsed, with a line
    assert any(p.path == "meters.ties.label" for p in problems)
    deep = ".".join(["k"] * 40) + " = 1\n"
    (problem,) = problems_of(BASE + deep, folder)
    assert "nested too deeply" in problem.message
    assert problem.line == BASE.count("\n") + 1


# ------------------------------------------------------------------------------------ all at once


def test_three_distinct_errors_give_three_problems(folder):
    text = replace('label = "Ties"\n', 'label = "Ties"\nlabl = "x"\n')  # unknown key
    text = replace('id = "second"', 'id = "first"', text)  # duplicate id
    text = replace('value = "ties"', 'value = "ties + nope"', text)  # unknown name
    problems = problems_of(text, folder)
    assert len(problems) == 3, "\n".join(map(str, problems))
    assert {p.path for p in problems} == {"meters.ties.labl", "events[1].id", "score[0].value"}
    lines = {p.path: p.line for p in problems}
    assert lines["meters.ties.labl"] == line_of(text, "labl")
    assert lines["events[1].id"] == line_of(text, 'id = "first"', 2)
    assert lines["score[0].value"] == line_of(text, "ties + nope")
    # and the exception's message lists them all
    with pytest.raises(ScenarioError) as info:
        load(text, folder)
    assert str(info.value).count("mini.toml:") == 3


def test_many_errors_across_sections_are_all_reported(folder):
    text = BASE
    for old, new in [
        ("turns = 6", 'turns = "6"'),
        ("start = 50", "start = 500"),
        ("max = 2\n", 'max = 2\nstages = ["a"]\n'),
        ("cite = [1]", "cite = [9]"),
        ('text = "Something else happens."', 'text = "{nope}"'),
        ('value = "ties"', 'value = "ties +"'),
    ]:
        text = replace(old, new, text)
    problems = problems_of(text, folder)
    paths = {p.path for p in problems}
    assert {
        "scenario.turns",
        "meters.ties.start",
        "flags.stage.stages",
        "events[0].cite[0]",
        "events[1].text",
        "score[0].value",
    } <= paths, "\n".join(map(str, problems))


# ------------------------------------------------------------------------- mutations of the tutorial


@contextlib.contextmanager
def nothing_executed(sentinel: Path):
    """Anything reaching eval/exec/compile or starting a process fails the test loudly."""

    def boom(*args, **kwargs):
        raise AssertionError(f"executed: {args!r}")

    with (
        mock.patch.multiple(builtins, eval=boom, exec=boom, compile=boom),
        mock.patch.object(os, "system", boom),
        mock.patch.object(subprocess, "Popen", boom),
    ):
        yield
    assert not sentinel.exists(), "loading a scenario created a file"


SENTINEL = Path(os.environ.get("TMPDIR", "/tmp")) / f"manila-loader-sentinel-{os.getpid()}"

TOKENS = [
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    '"',
    '"""',
    "'",
    "#",
    ",",
    ".",
    "\\",
    "\n",
    "\x00",
    "\t",
    "\ufeff",
    "1e999",
    "-1",
    "0",
    "1.5",
    "nan",
    "inf",
    "true",
    "9" * 30,
    "2031-13",
    "1979-05-27T07:32:00Z",
    "__import__('os').system('touch " + str(SENTINEL) + "')",
    "eval('1')",
    "lambda: 1",
    "9**9**9",
    "{west_resolve}",
    "{nope}",
    "{{",
    "}}",
    "x.__class__",
    "[" * 50,
    "]" * 50,
    "\u202e",
    "é",
    "🙂",
    "[[events]]",
    "[[events.options]]",
    "[[events.options.branches]]",
    "[meters.x]",
    "[[endings]]",
    'when = "approval < 1"',
    'follow = [{ event = "nope", after = 1 }]',
    "cite = [999]",
    "chance = 2",
]
TUTORIAL_LINES = TUTORIAL_TEXT.split("\n")


def _mutations():
    index = st.integers(0, len(TUTORIAL_LINES) - 1)
    return st.lists(
        st.one_of(
            st.tuples(st.just("delete"), index),
            st.tuples(st.just("duplicate"), index),
            st.tuples(st.just("replace"), index, st.sampled_from(TUTORIAL_LINES)),
            st.tuples(st.just("flip"), index, st.integers(0, 200), st.characters(codec="utf-8")),
            st.tuples(st.just("insert"), index, st.integers(0, 200), st.sampled_from(TOKENS)),
            st.tuples(st.just("line"), index, st.text(max_size=40)),
        ),
        min_size=1,
        max_size=6,
    )


def mutate(ops) -> str:
    lines = list(TUTORIAL_LINES)
    for op in ops:
        i = op[1] % max(1, len(lines))
        if not lines:
            lines = [""]
        kind = op[0]
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "replace":
            lines[i] = op[2]
        elif kind == "flip":
            line = lines[i]
            j = op[2] % (len(line) + 1)
            lines[i] = line[:j] + op[3] + line[j + 1 :]
        elif kind == "insert":
            line = lines[i]
            j = op[2] % (len(line) + 1)
            lines[i] = line[:j] + op[3] + line[j:]
        else:
            lines.insert(i, op[2])
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutations())
def test_mutations_of_the_tutorial_never_crash(ops):
    text = mutate(ops)
    started = time.perf_counter()
    with nothing_executed(SENTINEL):
        try:
            scenario = load_scenario_text(text, "tutorial.toml", TUTORIAL.parent)
        except ScenarioError as exc:
            assert exc.problems
            for p in exc.problems:
                assert isinstance(p, Problem)
                assert p.line is None or 1 <= p.line <= text.count("\n") + 1
                str(p)
        else:
            assert isinstance(scenario, Scenario)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"load took {elapsed:.2f} s"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(data):
    with nothing_executed(SENTINEL):
        try:
            load_scenario_bytes(data, "random.toml", None)
        except ScenarioError as exc:
            assert exc.problems


@pytest.mark.parametrize("cut", [0.1, 0.25, 0.5, 0.75, 0.9, 0.99])
def test_truncated_tutorial(cut):
    text = TUTORIAL_TEXT[: int(len(TUTORIAL_TEXT) * cut)]
    try:
        load_scenario_text(text, "tutorial.toml", TUTORIAL.parent)
    except ScenarioError as exc:
        assert exc.problems
