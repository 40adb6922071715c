"""The store's housekeeping for the ``dealgraph`` command: open it with its schema in place,
and count what it holds. The command reaches the store through here, never directly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from domain.model import NodeKind
from graph.executor import Executor, StoreError
from graph.store import GraphStore

__all__ = ["StoreError", "opened", "summary"]
"""``StoreError``: what the command reports, in one line, when the store cannot be used."""


@contextmanager
def opened(executor: Executor) -> Iterator[GraphStore]:
    """The store over ``executor`` with its schema ensured, closed on the way out."""
    store = GraphStore(executor)
    try:
        store.ensure_schema()
        yield store
    finally:
        store.close()


def summary(store: GraphStore) -> str:
    """One line counting the nodes of each kind."""
    counts = ", ".join(f"{store.count(kind)} {kind.value}" for kind in NodeKind)
    return f"store holds: {counts}"
