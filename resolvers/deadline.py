"""A request's deadline (``graph.deadline``, where the back ends read it too), under the names
the API's layers use: the app sets it per request, ``resolvers.blocking`` awaits each hop to the
thread pool until it at most, and each Neo4j statement is given what is left of it."""

from __future__ import annotations

from graph.deadline import CURRENT_DEADLINE, Deadline, DeadlinePassedError

__all__ = ["CURRENT_DEADLINE", "Deadline", "DeadlinePassedError"]
