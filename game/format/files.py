"""Reading untrusted files with bounded work: scenarios, their sources, saves.

Every read goes through ``read_bounded``: regular files only (``/dev/zero``, a FIFO or a folder is refused
before reading, and a FIFO cannot block the open), at most ``limit`` bytes (a file that grows while being
read is refused too), and, where the file must stay inside a folder, checked against that folder after
symbolic links are resolved (a lexical ``..`` check is not enough).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["FileRefused", "read_bounded"]


class FileRefused(Exception):
    """A file that is not read; the message says why, in words for the user (without the path)."""


def read_bounded(path: Path, limit: int, inside: Path | None = None) -> bytes:
    """The bytes of ``path``: a regular file of at most ``limit`` bytes (inside ``inside`` if given)."""
    try:
        if inside is not None:
            real, folder = path.resolve(), inside.resolve()
            if not real.is_relative_to(folder):
                raise FileRefused(f"is outside its folder {folder}")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileRefused:
        raise
    except FileNotFoundError:
        raise FileRefused("no such file") from None
    except ValueError:  # a NUL byte in the name
        raise FileRefused("is not a valid file name") from None
    except OSError as exc:
        raise FileRefused(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileRefused("is a folder (directory), not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("is not a regular file (a device, pipe or socket)")
        if info.st_size > limit:
            raise FileRefused(f"file too large ({info.st_size:,} bytes; at most {limit:,})")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise FileRefused(f"file too large (more than {limit:,} bytes)")
        return b"".join(chunks)
    except OSError as exc:
        raise FileRefused(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
