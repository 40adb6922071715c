"""A request's deadline: past it the request is answered, not held by a store that never does.

The drivers bound connecting and retrying (``DEALGRAPH_NEO4J_WAIT_SECONDS``), but not a database
that takes a statement and never answers (a hung process, a frozen machine): Neo4j's driver then
waits for the receive timeout the server announced (two minutes by default), the embedded store
for its answer timeout (five minutes). Every hop of a request to the thread pool is awaited
until the request's deadline only (``resolvers.blocking``); a thread still stuck in a driver is
left to it, and its late answer is dropped.

It lives here, below the resolvers, so that a back end can give a statement what is left of it
as the statement's own timeout: Neo4j then ends a transaction that waits on a lock another
transaction holds at the deadline, and the thread comes back. The request sets it and the pool
copies it into the thread that runs the statement; outside a request (the CLI, background work)
there is none, and no statement is bounded.
"""

from __future__ import annotations

import math
import time
from contextvars import ContextVar
from dataclasses import dataclass

from graph.executor import StoreError


@dataclass(slots=True)
class Deadline:
    """When the request must be answered by (``time.monotonic()``), and what it waits on."""

    at: float
    seconds: int
    writes: bool = False
    """The operation is a mutation: a change cut off may still be applied after the answer."""

    @classmethod
    def after(cls, seconds: int) -> Deadline:
        """The deadline ``seconds`` from now."""
        return cls(time.monotonic() + seconds, seconds)

    def left(self) -> float:
        """Seconds left until the deadline (zero or less: passed)."""
        return self.at - time.monotonic()

    def statement_seconds(self) -> float:
        """How long a statement sent now may take: the time left, rounded up to the millisecond
        (a store counting milliseconds then ends it at the deadline, never before it). Raises
        ``DeadlinePassedError`` once the deadline has passed: the answer could not be used."""
        left = self.left()
        if left <= 0:
            raise DeadlinePassedError(self)
        return math.ceil(left * 1000) / 1000


CURRENT_DEADLINE: ContextVar[Deadline | None] = ContextVar("dealgraph_deadline", default=None)
"""The deadline of the request being served (None outside a request: the CLI, background work)."""


class DeadlinePassedError(StoreError):
    """The store did not answer before the request's deadline."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__(f"no answer from the store within {deadline.seconds} s")
        self.deadline = deadline
