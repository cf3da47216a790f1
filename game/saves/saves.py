"""Save files: versioned JSON, written atomically, verified by replaying them (format: docs/saves.md).

This module writes, reads, loads and lists saves; it is the public face of the feature (``game.saves``).

A game is a pure function of its scenario, seed, game index and choices, so a save is also a replay. It
stores those plus a snapshot of the state and a digest per completed turn; loading replays the choices
from the seed and accepts the save only if the replay reproduces the snapshot and every digest. A save
whose scenario file changed is still loaded when the replay matches, and otherwise reports the turn from
which it diverges.

Every problem with a file (missing, damaged, truncated, not JSON, wrong types, written by a newer version,
edited, scenario gone or changed) raises ``SaveError(path, reason)``; nothing a file contains produces any
other exception. ``list_saves`` never fails because of one bad file: each entry says whether it verifies.

Writes are atomic: a crash or ``kill -9`` at any instant leaves either the old file or the new one
(``folder``: the saves folder, file names, atomic writes). Every game has its own rotating autosaves, and
only the most recently played games keep theirs (``autosaves``).

Listing is fast (``list_saves(verify=False)`` reads the files without replaying them); ``verify_save`` then
checks one entry by replay, which an interface runs in the background.

This module is domain code: it never prints and never imports the interface.

>>> from game.format.scenario import load_scenario
>>> from game.play.session import GameSession
>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> session = GameSession(load_scenario("scenarios/tutorial.toml"), seed=3)
>>> _ = session.choose(0)
>>> path = write_save(session, "Before the storm", directory=folder)
>>> path.name
'before-the-storm.json'
>>> loaded = load_save("Before the storm", directory=folder)
>>> loaded.session.choices, loaded.name
([0], 'Before the storm')
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from .. import __version__
from ..errors import SaveError, did_you_mean
from .autosaves import (
    AUTOSAVE_GAMES,
    AUTOSAVE_SLOTS,
    autosave_game,
    forget_old_games,
    last_autosave,
    next_autosave_slot,
    record_last,
)
from .folder import ENV_VAR, atomic_write, read_save_bytes, remove_stale_temps, save_exists, save_stem, saves_dir
from .savefile import FORMAT_VERSION, SaveRecord, dump_record, parse_save_bytes
from .saveverify import Replay, describe_divergence, digest_of, file_stamp, game_digest, replay_record

if TYPE_CHECKING:  # a session comes in or is made by the replay: listing saves needs no engine
    from ..play.session import GameSession

__all__ = [
    "AUTOSAVE_GAMES",
    "AUTOSAVE_SLOTS",
    "ENV_VAR",
    "FORMAT_VERSION",
    "LoadedSave",
    "Replay",
    "SaveInfo",
    "SaveRecord",
    "autosave",
    "autosave_game",
    "describe_divergence",
    "digest_of",
    "game_digest",
    "last_autosave",
    "latest_save",
    "list_saves",
    "load_save",
    "read_save",
    "replay_record",
    "resolve_save_path",
    "save_exists",
    "save_stem",
    "saves_dir",
    "verify_save",
    "write_save",
]


# ---------------------------------------------------------------------------------------------- value types
@frozen
class LoadedSave:
    """A verified save: ``session`` is a GameSession continued to the saved point, ready for more choices."""

    session: GameSession
    record: SaveRecord
    notes: tuple[str, ...] = ()  # harmless things worth telling the player (scenario edited, older app)

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def path(self) -> Path:
        return self.record.path

    @property
    def saved_at(self) -> datetime:
        return self.record.saved_at

    @property
    def autosave(self) -> bool:
        return self.record.autosave


@frozen
class SaveInfo:
    """One entry of ``list_saves``. Fields read from the file are None when the file cannot be read."""

    name: str
    path: Path
    verified: bool | None  # None: read but not yet checked by replay (``list_saves(verify=False)``)
    problem: str | None  # why it does not verify (None when it does or has not been checked)
    autosave: bool = False
    scenario_id: str | None = None
    scenario_title: str | None = None
    turn: int | None = None
    date_label: str | None = None
    saved_at: datetime | None = None
    over: bool | None = None
    choices: int | None = None


# ---------------------------------------------------------------------------------------------- writing
def write_save(
    session: GameSession, name: str | None = None, *, directory: str | os.PathLike | None = None, autosave: bool = False
) -> Path:
    """Save ``session`` atomically and return the file's path; raises ``SaveError`` if it cannot be written.

    A named save goes to ``<save_stem(name)>.json`` and replaces an earlier save of the same name (the
    default name is the scenario id and the time). ``autosave=True`` writes the next slot of the autosave
    rotation instead; ``name`` is then only the displayed name (default "Autosave").
    """
    folder = saves_dir(directory)
    if folder.exists() and not folder.is_dir():
        raise SaveError(str(folder), "is a file, not a folder: give a folder for the saves (--saves-dir)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(str(folder), f"cannot create the saves folder: {exc.strerror or exc}") from None
    now = datetime.now(UTC)
    if autosave:
        path = next_autosave_slot(folder, autosave_game(session))
        name = name or "Autosave"
    else:
        name = name if name is not None and name.strip() else f"{session.scenario.id} {now:%Y-%m-%d %H.%M.%S}"
        path = folder / f"{save_stem(name)}.json"
    scenario = session.scenario
    scenario_path = str(Path(scenario.path).resolve()) if scenario.path else ""
    record = SaveRecord(
        path=path,
        name=name,
        autosave=autosave,
        saved_at=now,
        app_version=__version__,
        scenario_id=scenario.id,
        scenario_title=scenario.title,
        scenario_sha256=scenario.sha256,
        scenario_path=scenario_path,
        seed=session.seed,
        game_index=session.game_index,
        choices=tuple(int(k) for k in session.choices),
        date_label=session.date_label,
        snapshot=session.snapshot(),
        turn_digests=tuple(session.turn_digests()),
    )
    try:
        data = dump_record(record)
    except ValueError as exc:  # a NaN or infinity in the state: refuse rather than write an unloadable file
        raise SaveError(str(path), f"the game state cannot be saved: {exc}") from None
    atomic_write(path, data)
    if autosave:
        record_last(folder, autosave_game(session), int(path.stem.rsplit("-", 1)[1]))
    remove_stale_temps(folder)
    if autosave:
        forget_old_games(folder, autosave_game(session))
    return path


def autosave(session: GameSession, directory: str | os.PathLike | None = None) -> Path:
    """Write the next autosave slot (call it after every turn); returns the path written."""
    return write_save(session, directory=directory, autosave=True)


# ---------------------------------------------------------------------------------------------- reading
def read_save(path: str | os.PathLike) -> SaveRecord:
    """Read and check a save file without replaying it (format, types, version, checksum)."""
    path = Path(path)
    return parse_save_bytes(read_save_bytes(path), path)


def resolve_save_path(path_or_name: str | os.PathLike, directory: str | os.PathLike | None = None) -> Path:
    """The file meant by a save name or a path (the file may not exist: reading it then says so).

    A ``Path`` is used as is. A string is looked up in the saves folder first, as the name given when
    saving (``"Gamma/3"`` finds ``gamma-3.json``) or as a file name there (``autosave-2``,
    ``gamma-3.json``); failing that, a string that looks like a path (a separator, or ``.json``) is a path.
    """
    if isinstance(path_or_name, os.PathLike):
        return Path(path_or_name)
    text = str(path_or_name)
    folder = saves_dir(directory)
    looks_like_path = "/" in text or os.sep in text or text.endswith(".json")
    candidates = [folder / f"{save_stem(text)}.json"]
    if not looks_like_path:
        candidates.append(folder / f"{text}.json")
    elif "/" not in text and os.sep not in text:
        candidates.insert(0, folder / text)
    if looks_like_path and _exists(Path(text)):
        return Path(text)
    for candidate in candidates:
        if text.strip() and _exists(candidate):
            return candidate
    if looks_like_path:
        return Path(text)
    names = [p.stem for p in folder.glob("*.json")] if folder.is_dir() else []
    raise SaveError(text, f"no save of that name in {folder}{did_you_mean(save_stem(text), names)}")


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long for the system, a NUL character
        return False


def load_save(path_or_name: str | os.PathLike, *, directory: str | os.PathLike | None = None) -> LoadedSave:
    """Load and verify a save (a path, or a save name looked up in the saves folder).

    The choices are replayed from the seed on the scenario file the save names (or, if that file is gone or
    now holds something else, the scenario with the same id among the bundled and local ones); the save is
    accepted only if the replay reproduces its snapshot and every turn digest. Raises ``SaveError`` naming
    the file and the reason otherwise, and for anything wrong with the file itself.
    """
    return _load(resolve_save_path(path_or_name, directory), {})


def _load(path: Path, cache: dict) -> LoadedSave:
    record = read_save(path)
    replay = replay_record(record, cache)
    if replay.divergence is not None:
        raise SaveError(str(path), describe_divergence(replay))
    notes = []
    if replay.scenario_changed:
        notes.append(
            f"the scenario file {replay.scenario.path} changed since this save, but the game replays identically"
        )
    if record.app_version != __version__:
        notes.append(f"saved by version {record.app_version} (this is {__version__})")
    return LoadedSave(replay.session, record, tuple(notes))


# ---------------------------------------------------------------------------------------------- listing
def list_saves(directory: str | os.PathLike | None = None, *, verify: bool = True) -> list[SaveInfo]:
    """Every ``*.json`` file in the saves folder, newest first, verified by replay unless ``verify=False``
    (then entries that read well have ``verified=None``: check them with ``verify_save``).

    Never raises because of a file: unreadable or unverifiable saves are listed with ``verified=False`` and
    the reason in ``problem``. A missing folder has no saves.
    """
    folder = saves_dir(directory)
    try:
        paths = sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))
    except OSError:
        return []
    cache: dict = {}
    entries: list[tuple[float, SaveInfo]] = []
    for path in paths:
        info = _info(path, cache, verify)
        when = info.saved_at.timestamp() if info.saved_at else file_stamp(path)[0] / 1e9
        entries.append((when, info))
    entries.sort(key=lambda e: (-e[0], e[1].name))
    return [info for _, info in entries]


def latest_save(directory: str | os.PathLike | None = None) -> SaveInfo | None:
    """The newest save that verifies (autosave or named), or None.

    Of the autosaves only the one written last (by sequence) counts when that is known, so an autosave
    dated in the future by a clock that was moved back is never offered over the game played since.
    """
    infos = list_saves(directory)
    current = last_autosave(directory)
    if current is not None:
        infos = [i for i in infos if not i.autosave or i.path.name == current]
    return next((info for info in infos if info.verified), None)


def verify_save(info: SaveInfo, cache: dict | None = None) -> SaveInfo:
    """``info`` checked by replay (pass one ``cache`` dict for many saves: each scenario loads once)."""
    if info.verified is not None:
        return info
    return _info(info.path, {} if cache is None else cache, True)


def _info(path: Path, cache: dict, verify: bool = True) -> SaveInfo:
    try:
        record = read_save(path)
    except SaveError as exc:
        return SaveInfo(name=path.stem, path=path, verified=False, problem=exc.reason)
    if not verify:
        return _info_of(record, path, None, None)
    problem = None
    try:
        replay = replay_record(record, cache)
        if replay.divergence is not None:
            problem = describe_divergence(replay)
    except SaveError as exc:
        problem = exc.reason
    except Exception as exc:
        problem = f"unexpected error while verifying ({type(exc).__name__}: {exc})"
    return _info_of(record, path, problem is None, problem)


def _info_of(record: SaveRecord, path: Path, verified: bool | None, problem: str | None) -> SaveInfo:
    snap = record.snapshot
    return SaveInfo(
        name=record.name,
        path=path,
        verified=verified,
        problem=problem,
        autosave=record.autosave,
        scenario_id=record.scenario_id,
        scenario_title=record.scenario_title,
        turn=snap["turn"],
        date_label=record.date_label,
        saved_at=record.saved_at,
        over=snap["over"],
        choices=len(record.choices),
    )
