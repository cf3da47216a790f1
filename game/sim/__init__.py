"""Headless simulation: seeded, chunked, multi-process batch runs with digests and summaries (``sim``),
and the speed benchmark of the batched engine against the reference engine (``bench``). No printing."""

from .bench import run_bench
from .sim import BLOCK, DEFAULT_CHUNK, ChunkResult, SimResult, run_chunk, run_sim, summary_dict

__all__ = ["BLOCK", "DEFAULT_CHUNK", "ChunkResult", "SimResult", "run_bench", "run_chunk", "run_sim", "summary_dict"]
