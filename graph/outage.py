"""Whether a store answers, and since when it has not: what an operator reads in the log.

While a database is down every request fails the same way; its stack trace once tells the
operator everything, a hundred times hides the line saying it came back. A back end keeps one
``Outage``: each failure to reach the store asks it whether this failure began an outage (its
trace is then worth logging), and the first answer after one logs how long the store was gone.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from graph.executor import StoreError

log = logging.getLogger("dealgraph.store")


class StoreUnreachableError(StoreError):
    """The store did not answer at all (down, unreachable, refusing connections): a passing
    fault, not a bug, so it is logged in one line, its trace once per outage."""

    def __init__(self, message: str, *, where: str, first: bool) -> None:
        super().__init__(message)
        self.where = where
        """The store's address, without credentials (``neo4j at bolt://db:7687``)."""
        self.first = first
        """Whether this failure began the outage: the one whose trace is logged."""


def address(uri: str) -> str:
    """A store's URI as a log may show it: scheme, host and port, no user, password or query."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class Outage:
    """One store's availability, shared by the threads of a process."""

    def __init__(self, where: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.where = where
        self._clock = clock
        self._lock = threading.Lock()
        self._since: float | None = None

    def failed(self, error: BaseException) -> StoreUnreachableError:
        """The error to raise for a failure to reach the store, noting when the outage began."""
        with self._lock:
            first = self._since is None
            if first:
                self._since = self._clock()
        return StoreUnreachableError(
            f"{type(error).__name__}: {error}", where=self.where, first=first
        )

    def answered(self) -> None:
        """The store answered: if it had been gone, say that it is back and after how long.
        Cheap while it is up (one attribute read, no lock), as it runs after every statement."""
        if self._since is None:
            return
        with self._lock:
            since, self._since = self._since, None
        if since is not None:
            log.info("%s: store back after %.1f s", self.where, self._clock() - since)
