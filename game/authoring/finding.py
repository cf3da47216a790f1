"""One thing ``manila lint`` found: a code, a key path and a message, placed in the file like a problem of
``manila validate``."""

from __future__ import annotations

from attrs import frozen

__all__ = ["Finding"]


@frozen
class Finding:
    code: str
    path: str
    message: str
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message} [{self.code}]"
