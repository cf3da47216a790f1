"""Simulations on a Dask cluster (the optional extra ``pip install 'manila-game[cluster]'``).

``cluster_executor(address)`` connects to a running Dask scheduler and yields its
``concurrent.futures.Executor``, which ``run_sim`` (and ``run_balance``) accept like any other: the chunks
then run on the cluster's workers and the results, digest included, are the same as in one process. The
workers need this package installed (they import ``game.sim.sim`` to play their chunks). Dask is imported
here only, and only when a cluster is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from ..errors import ManilaError

__all__ = ["CLUSTER_EXTRA", "CONNECT_TIMEOUT_S", "ClusterUnavailable", "cluster_executor"]

CLUSTER_EXTRA = "pip install 'manila-game[cluster]'"
CONNECT_TIMEOUT_S = 10


class ClusterUnavailable(ManilaError):
    """Dask is not installed, so no cluster can be used (a usage error for the command line)."""


def cluster_executor(address: str) -> AbstractContextManager[Executor]:
    """The executor of the Dask cluster whose scheduler is at ``address`` (``tcp://host:8786``), connected
    for a ``with`` block. Raises ``ClusterUnavailable`` at once without Dask (before any work starts), and
    ``ManilaError`` on entering the block when the scheduler cannot be reached."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterUnavailable(f"--scheduler needs Dask, which is not installed: {CLUSTER_EXTRA}") from None
    return _connected(Client, address)


@contextmanager
def _connected(client_class: Any, address: str) -> Iterator[Executor]:
    try:
        client = client_class(address, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ManilaError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        # pure=False: every chunk is its own task (Dask would otherwise hash each task's arguments, the
        # whole scenario included, to find duplicates, and there are none)
        yield client.get_executor(pure=False)
    finally:
        client.close()
