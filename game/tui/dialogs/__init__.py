"""Modal dialogs: questions, saving and loading, explanations, the source, the advisers, the score.

Each is imported from its module on first use: the title screen must not load the game's screens (and, with
them, the engine).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import lazy_exports

if TYPE_CHECKING:
    from .advisor import AdvisorDialog
    from .citation import CitationDialog
    from .confirm import ConfirmDialog
    from .explain import ExplainDialog
    from .load import LoadDialog
    from .save import SaveDialog
    from .score import ScoreDialog

_HOME = {
    "AdvisorDialog": "advisor",
    "CitationDialog": "citation",
    "ConfirmDialog": "confirm",
    "ExplainDialog": "explain",
    "LoadDialog": "load",
    "SaveDialog": "save",
    "ScoreDialog": "score",
}

__all__ = [
    "AdvisorDialog",
    "CitationDialog",
    "ConfirmDialog",
    "ExplainDialog",
    "LoadDialog",
    "SaveDialog",
    "ScoreDialog",
]


__getattr__ = lazy_exports(__name__, _HOME)
