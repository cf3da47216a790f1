"""``manila new``: a commented starter scenario that validates, plays and lints clean.

The starter is a small fictional crisis (a port lease offered by one power and opposed by another) built
to be edited: every section says what it does and points to the format reference. ``--full`` writes the
same crisis grown to show every section of the format and every format-2 feature. Both are written as
text, not generated from the model, so that their comments survive; the texts live in
``game/authoring/starters/*.toml`` (package data), this module names the file and fills in the id.
"""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path

from ..errors import ManilaError

__all__ = ["StarterNameError", "starter_target", "starter_text", "write_starter"]

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")  # a valid scenario id (scenario.SCENARIO_ID_RE)


class StarterNameError(ValueError):
    """A NAME that cannot become a scenario id (a usage error, not a file problem)."""


def starter_target(name: str) -> tuple[Path, str]:
    """``(path, scenario id)`` for ``manila new NAME``.

    ``NAME`` is a bare name (``turkey-s400`` gives ``./turkey-s400.toml``) or a path, with or without
    ``.toml``. The file name without ``.toml`` becomes the scenario id, so it must be a valid id.

    >>> starter_target("scenarios/radar")
    (PosixPath('scenarios/radar.toml'), 'radar')
    """
    if not name.strip():
        raise StarterNameError("the name is empty")
    path = Path(name)
    if path.suffix != ".toml":
        path = path.with_name(path.name + ".toml")
    stem = path.name[: -len(".toml")]
    if not _NAME_RE.match(stem):
        suggestion = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:60]
        hint = f" (e.g. '{suggestion}')" if suggestion and _NAME_RE.match(suggestion) else ""
        raise StarterNameError(
            f"'{stem}' cannot be a scenario id: use lower-case letters, digits, '-' and "
            f"'_', starting with a letter or digit{hint}"
        )
    return path, stem


def write_starter(name: str, full: bool = False) -> Path:
    """Write the starter for ``name`` (``full``: the complete one); never overwrites (``ManilaError`` if the
    file exists)."""
    path, scenario_id = starter_target(name)
    folder = path.parent
    if not folder.is_dir():
        raise ManilaError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(starter_text(scenario_id, full))
    except FileExistsError:
        raise ManilaError(
            f"{path} already exists; choose another name or move the file away first "
            "(manila new never overwrites a file)"
        ) from None
    except OSError as exc:
        raise ManilaError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def starter_text(scenario_id: str, full: bool = False) -> str:
    """The starter scenario's TOML for a scenario id (assumed valid); ``full``: the complete starter, which
    shows every section of the format and every format-2 feature."""
    title = " ".join(part.capitalize() for part in re.split(r"[-_]+", scenario_id) if part) or scenario_id
    return _template(full).replace("@ID@", scenario_id).replace("@TITLE@", title)


def _template(full: bool) -> str:
    """The starter's text as shipped in ``game/authoring/starters/`` (package data): ``@ID@`` and ``@TITLE@``
    are replaced, the rest is written as is. ``full.toml`` is the same crisis grown into a tour of every
    section of the format and every format-2 feature; both validate, play and lint clean
    (tests/test_authoring.py)."""
    name = "full.toml" if full else "starter.toml"
    return importlib.resources.files("game.authoring").joinpath("starters", name).read_text(encoding="utf-8")
