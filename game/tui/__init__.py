"""The terminal interface (Textual). Nothing outside ``game.tui`` and ``game.cli`` may import it.

``run_tui(args)`` is the entry point used by ``manila play``; ``ManilaApp`` is the application (tests drive it
with Textual's Pilot).
"""

__all__ = ["ManilaApp", "run_tui"]


def __getattr__(name: str):
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
