"""The batched engine: compiled tables, counter-based randomness, the per-game columns and the turn phases.

``Game(scenario)`` compiles once; ``Game.new_games`` gives a ``State`` of B games resting at a decision;
policies see a read-only ``BatchView``.
"""

from .changes import Cause
from .columns import Columns, Results
from .compiled import Compiled, compile_scenario, turn_env
from .rng import Stream
from .state import Game, Moment, Observer, State, TraceEntry
from .view import BatchView, Policy

__all__ = [
    "BatchView",
    "Cause",
    "Columns",
    "Compiled",
    "Game",
    "Moment",
    "Observer",
    "Policy",
    "Results",
    "State",
    "Stream",
    "TraceEntry",
    "compile_scenario",
    "turn_env",
]
