"""Names a package exports but loads on first use (PEP 562), so that importing the package stays cheap.

``manila --help``, the title screen and scenario loading must not import numpy, the engine or the game's
screens; packages whose names live in heavy modules export them through ``lazy_exports``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping

__all__ = ["lazy_exports"]


def lazy_exports(package: str, home: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package`` that imports ``package.home[name]`` when ``name`` is first
    asked for and returns its attribute ``name``::

        __getattr__ = lazy_exports(__name__, {"GameScreen": "game", "TitleScreen": "title"})
    """

    def __getattr__(name: str) -> object:
        if name in home:
            return getattr(importlib.import_module(f"{package}.{home[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
