"""Verifying a save by replaying it: find its scenario, replay the choices, find where it diverges.

Used by ``game.saves`` (loading and listing) and ``manila replay``; ``game.saves`` re-exports the public
names, so callers need not know about this module. Domain code: no printing, no interface.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from .. import __version__
from ..errors import ManilaError, ReplayDivergence, SaveError
from ..model import Scenario
from .savefile import SaveRecord

if TYPE_CHECKING:
    from ..play.session import GameSession

__all__ = ["Replay", "describe_divergence", "digest_of", "file_stamp", "game_digest", "replay_record"]


@frozen
class Replay:
    """The result of replaying a save: the session as far as the replay got, and where it diverged.

    ``divergence`` is None when the replay reproduced the saved snapshot and every turn digest.
    """

    record: SaveRecord
    session: GameSession
    scenario: Scenario
    scenario_changed: bool  # the scenario file's SHA-256 differs from the one in the save
    divergence: ReplayDivergence | None


def describe_divergence(replay: Replay) -> str:
    """Why a replay that diverged is refused, with the turn and date, for a ``SaveError`` or the terminal."""
    d = replay.divergence
    record, scenario = replay.record, replay.scenario
    turn = max(1, min(d.turn, scenario.turns))
    where = f"turn {d.turn} ({scenario.date_label(turn)})"
    if replay.scenario_changed:
        return (
            f"its scenario file {scenario.path} has changed since the game was saved, and the replay "
            f"diverges from {where}: {d.reason}"
        )
    engine = f"; it was saved by version {record.app_version}" if record.app_version != __version__ else ""
    return f"the save does not replay (edited or damaged{engine}): it diverges from {where}: {d.reason}"


def _find_scenario(record: SaveRecord, cache: dict) -> Scenario:
    """The save's scenario: the file it names if that still holds the same scenario id (even if edited:
    it is the file in use), else a bundled or local scenario with that id, preferring one whose SHA-256
    matches the save. ``cache`` maps (path, mtime, size) to a loaded scenario or the error it raised, so
    that listing many saves loads each scenario once.
    """
    from ..format.catalog import list_scenarios

    problems: list[str] = []

    def usable(path: Path) -> Scenario | None:
        found = _load_scenario_cached(path, cache)
        if isinstance(found, Scenario):
            if found.id == record.scenario_id:
                return found
            problems.append(f"{path} now holds scenario '{found.id}'")
        else:
            problems.append(f"{path} has problems ({str(found).splitlines()[0]})")
        return None

    try:
        stored = Path(record.scenario_path).resolve() if record.scenario_path else None
    except (OSError, ValueError):  # not a usable path on this system: look for the scenario by id
        stored = None
    if stored is not None and _is_file(stored) and (scenario := usable(stored)):
        return scenario
    try:
        others = [info.path.resolve() for info in list_scenarios() if info.id == record.scenario_id]
    except OSError:
        others = []
    loaded = [s for path in dict.fromkeys(others) if path != stored and (s := usable(path))]
    for scenario in loaded:
        if scenario.sha256 == record.scenario_sha256:
            return scenario
    if loaded:
        return loaded[0]
    if stored is not None and not _is_file(stored):
        problems.insert(0, f"{stored} is gone")
    where = f": {'; '.join(problems)}" if problems else ""
    raise SaveError(str(record.path), f"cannot find its scenario '{record.scenario_id}'{where}")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system, say
        return False


def _load_scenario_cached(path: Path, cache: dict) -> Scenario | Exception:
    from ..format.scenario import load_scenario

    key = (path, file_stamp(path))
    if key not in cache:
        try:
            cache[key] = load_scenario(path)
        except (ManilaError, OSError) as exc:  # ScenarioError is a ManilaError
            cache[key] = exc
    return cache[key]


def file_stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return 0, 0


def replay_record(record: SaveRecord, cache: dict | None = None) -> Replay:
    """Replay a save's choices and compare with its snapshot and digests (``cache``: see _find_scenario).

    The divergence reported is the earliest turn at which something differs: a turn digest, a choice that
    is no longer available, the number of turns or the final snapshot. Raises ``SaveError`` only when the
    scenario cannot be found or the engine fails.
    """
    from ..play.session import GameSession  # the engine loads with the first replay, not with the listing

    scenario = _find_scenario(record, {} if cache is None else cache)
    try:
        session = GameSession(scenario, record.seed, record.game_index)
        stopped = session.play_choices(record.choices)
    except (ValueError, IndexError, KeyError, TypeError, ArithmeticError) as exc:
        raise SaveError(
            str(record.path),
            f"the replay failed inside the engine ({type(exc).__name__}: {exc})"
            " — please report this with the save file",
        ) from None
    got = session.turn_digests()
    divergence = None
    for i, (mine, saved) in enumerate(zip(got, record.turn_digests)):
        if mine != saved:
            divergence = ReplayDivergence(i + 1, f"the state after turn {i + 1} differs from the save")
            break
    if divergence is None:
        divergence = stopped
    if divergence is None and len(got) != len(record.turn_digests):
        divergence = ReplayDivergence(
            min(len(got), len(record.turn_digests)) + 1,
            f"the save records {len(record.turn_digests)} completed turns, the replay {len(got)}",
        )
    mine = session.snapshot()
    # keys that only one side records (added to or dropped from snapshots since the save) are not compared
    keys = sorted(k for k in record.snapshot if k in mine and mine[k] != record.snapshot[k])
    if divergence is None and keys:
        divergence = ReplayDivergence(session.turn, f"the saved snapshot differs from the replay in {', '.join(keys)}")
    changed = bool(record.scenario_sha256) and scenario.sha256 != record.scenario_sha256  # '': not known
    return Replay(record, session, scenario, changed, divergence)


def game_digest(session: GameSession) -> str:
    """16 hex digits summing up the whole game so far: equal digests mean identical games."""
    return digest_of(session.snapshot(), session.turn_digests())


def digest_of(snapshot: dict, turn_digests) -> str:
    """``game_digest`` of a saved game, from its snapshot and turn digests."""
    body = json.dumps([snapshot, list(turn_digests)], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:16]
