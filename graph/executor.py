"""The narrow interface a back end implements: run one statement, get plain rows back.

Everything above it (``graph.store``) is back-end neutral. Rows are lists of dicts holding only
plain values (str, int, float, bool, None, lists, dicts): statements never return driver
objects, so nothing of a driver leaks upwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

Row = dict[str, Any]


class StoreError(Exception):
    """The store failed (unreachable, internal error). Never shown to API clients verbatim."""


class StoreConflictError(StoreError):
    """The store refused a write because it would break a uniqueness constraint."""


class Executor(Protocol):
    """A connection to one graph database."""

    name: str

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        """Run a read-only statement."""
        ...

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        """Run a statement that may write; it is atomic on its own."""
        ...

    def ensure_schema(self) -> None:
        """Create constraints and indexes; safe to run at every start."""
        ...

    def ping(self) -> bool:
        """True when the database answers."""
        ...

    def close(self, *, hung: bool = False) -> None:
        """Release connections (and stop an embedded server this process started). ``hung``:
        the database did not answer just now, so the close does not wait on it again."""
        ...
