"""The saves folder: where it is, safe file names in it, atomic writes and bounded reads.

Writes go to a temporary file in the same folder, are flushed and fsynced, then renamed over the target
(``os.replace``) and the folder is fsynced, so a crash or ``kill -9`` at any instant leaves either the old
file or the new one. Temporary files left by writers killed long ago are removed by later writes.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from pathlib import Path

from ..errors import SaveError
from ..format.files import FileRefused, read_bounded

__all__ = [
    "ENV_VAR",
    "MAX_SAVE_BYTES",
    "atomic_write",
    "read_save_bytes",
    "remove_stale_temps",
    "save_exists",
    "save_stem",
    "saves_dir",
]

ENV_VAR = "MANILA_SAVES_DIR"
MAX_SAVE_BYTES = 20_000_000  # far above any real save; stops a stray huge file from eating memory
_STALE_TEMP_SECONDS = 600
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def saves_dir(override: str | os.PathLike | None = None) -> Path:
    """The saves folder: ``override`` if given, else ``$MANILA_SAVES_DIR``, else ``./saves``.

    The folder is not created here (writing creates it); a missing folder simply has no saves.
    """
    if override is not None and str(override) != "":
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR, "")
    return Path(env).expanduser() if env else Path.cwd() / "saves"


def save_stem(name: str) -> str:
    """A safe file name (without ``.json``) for a player-given save name.

    Lower case letters, digits, ``-``, ``_`` and ``.`` survive; every other run of characters becomes one
    ``-``; the result is at most 60 characters, never empty, never hidden (leading dots), never an
    autosave slot name and never a reserved Windows device name. Different names can share a stem; the
    newer save then replaces the older one, as saving under the same name does.

    >>> save_stem("Before the storm!"), save_stem("../../etc/passwd"), save_stem("autosave-2"), save_stem("")
    ('before-the-storm', 'etc-passwd', 'save-autosave-2', 'save')
    """
    stem = re.sub(r"[^a-z0-9._-]+", "-", name.lower())
    stem = re.sub(r"-{2,}", "-", stem).strip("-.")[:60].strip("-.")
    if not stem:
        return "save"
    if stem.startswith("autosave-") or stem.split(".")[0] in _WINDOWS_RESERVED:
        return f"save-{stem}"
    return stem


def save_exists(name: str, directory: str | os.PathLike | None = None) -> bool:
    """Whether saving under ``name`` would replace a file (cheap: nothing is read or replayed)."""
    return (saves_dir(directory) / f"{save_stem(name)}.json").exists()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that any crash leaves either the old file or the complete new one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    except OSError as exc:
        raise SaveError(str(path), f"cannot write the save: {exc.strerror or exc}") from None
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); folders cannot be opened this way on Windows."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path) -> None:
    """Delete temporary files left by writers that were killed long ago (recent ones may still be live)."""
    cutoff = time.time() - _STALE_TEMP_SECONDS
    for tmp in folder.glob(".*.json.*.tmp"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass


def read_save_bytes(path: Path) -> bytes:
    try:
        return read_bounded(path, MAX_SAVE_BYTES)
    except FileRefused as exc:
        reason = str(exc)
        if reason == "no such file":
            reason = "no such save file"
        elif reason.startswith("file too large"):
            reason = f"too large to be a save ({reason[len('file too large (') : -1]})"
        name = repr(str(path)) if "\x00" in str(path) else str(path)
        raise SaveError(name, reason) from None
