"""The batched engine: compiled tables, counter-based randomness and the turn phases."""

from .compiled import Compiled, compile_scenario, turn_env
from .rng import Stream
from .state import BatchView, Game, Policy, State, TraceEntry

__all__ = ["BatchView", "Compiled", "Game", "Policy", "State", "Stream", "TraceEntry", "compile_scenario", "turn_env"]
