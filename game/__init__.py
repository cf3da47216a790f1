"""Manila 2019: a text-based political strategy game with a batched, seeded simulation engine."""

__version__ = "0.1.0"
