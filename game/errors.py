"""One exception tree for everything a user can get wrong.

Every error carries enough to be printed as a message an author or player can act on, never a traceback:
scenario problems name the file, the line and the key path; expression errors show a caret under the
offending part; save errors name the save file and the reason.
"""

from __future__ import annotations

import contextlib
import contextvars
import difflib
from collections.abc import Iterable, Iterator

from attrs import frozen

__all__ = [
    "ExprError",
    "ManilaError",
    "Problem",
    "ReplayDivergence",
    "SaveError",
    "ScenarioError",
    "did_you_mean",
    "suggestion_budget",
]

# Suggestions are the costly part of a message (difflib against every candidate). A hostile file can ask
# for hundreds of thousands of them, so one load allows only so many; the rest of its problems are
# reported without a suggestion. Ids are at most 40 characters, so longer words get none.
SUGGESTIONS_PER_LOAD = 200
MAX_WORD = 40
MAX_CANDIDATES = 2000
_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("suggestion_budget", default=None)


@contextlib.contextmanager
def suggestion_budget(count: int = SUGGESTIONS_PER_LOAD) -> Iterator[None]:
    """Allow at most ``count`` "did you mean" suggestions inside the block (one file's load)."""
    token = _budget.set([count])
    try:
        yield
    finally:
        _budget.reset(token)


class ManilaError(Exception):
    """Base class of every error the game reports to a user."""


class ExprError(ManilaError):
    """An expression that cannot be parsed or checked.

    ``pos`` and ``end`` are character offsets into ``text``; ``render()`` draws a caret line under them.
    """

    def __init__(self, message: str, text: str = "", pos: int = 0, end: int | None = None):
        super().__init__(message)
        self.message = message
        self.text = text
        self.pos = max(0, min(pos, len(text)))
        self.end = max(self.pos + 1, end if end is not None else self.pos + 1)

    def render(self, width: int = 100) -> str:
        """The expression (or a window of it) with ``^^^`` under the problem."""
        if not self.text:
            return ""
        text = self.text.replace("\n", " ").replace("\t", " ")
        start = max(0, self.pos - width // 2) if len(text) > width else 0
        window = text[start : start + width]
        caret_from = self.pos - start
        caret_len = max(1, min(self.end, start + width) - self.pos)
        prefix = "..." if start > 0 else ""
        return f"    {prefix}{window}\n    {' ' * (len(prefix) + caret_from)}{'^' * caret_len}"

    def __str__(self) -> str:
        return self.message


@frozen
class Problem:
    """One thing wrong with a scenario file."""

    file: str
    line: int | None
    path: str
    message: str
    detail: str = ""  # e.g. the caret rendering of an expression

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        head = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return f"{head}\n{self.detail}" if self.detail else head


class ScenarioError(ManilaError):
    """A scenario file that cannot be used; ``problems`` lists everything found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SaveError(ManilaError):
    """A save file that cannot be read, verified or written."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ReplayDivergence(ManilaError):
    """A replay that no longer matches: the scenario changed, or the save was tampered with."""

    def __init__(self, turn: int, reason: str, event: str = "", option: str = ""):
        super().__init__(f"replay diverges at turn {turn}: {reason}")
        self.turn = turn
        self.reason = reason
        self.event = event  # the id of the event whose choice no longer applies ('' when not known)
        self.option = option  # the id of the option chosen there ('' when not known)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a close match among candidates, or an empty string.

    Bounded work: within ``suggestion_budget`` only so many suggestions are made, a word longer than any id
    gets none, and only the first ``MAX_CANDIDATES`` candidates are compared.
    """
    budget = _budget.get()
    if len(word) > MAX_WORD or (budget is not None and budget[0] <= 0):
        return ""
    if budget is not None:
        budget[0] -= 1
    pool = []
    for c in candidates:
        pool.append(c)
        if len(pool) >= MAX_CANDIDATES:
            break
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
