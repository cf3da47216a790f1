"""Modal dialogs: questions, saving and loading, explanations, the source, the advisers, the score."""

from .advisor import AdvisorDialog
from .citation import CitationDialog
from .confirm import ConfirmDialog
from .explain import ExplainDialog
from .load import LoadDialog
from .save import SaveDialog
from .score import ScoreDialog

__all__ = [
    "AdvisorDialog",
    "CitationDialog",
    "ConfirmDialog",
    "ExplainDialog",
    "LoadDialog",
    "SaveDialog",
    "ScoreDialog",
]
