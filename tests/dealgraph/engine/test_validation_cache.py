"""A repeated query skips validation only under the limits it passed with
(dealgraph.engine.limits)."""

from __future__ import annotations

import asyncio

from dealgraph.engine.limits import _VALID_DOCUMENTS, CURRENT_LIMITS, Limits
from dealgraph.engine.served import schema
from graph.store import GraphStore
from resolvers.context import RequestContext

DEEP = "{ keyPersons(first: 1) { nodes { reportsTo { reportsTo { reportsTo { id } } } } } }"


def errors(store: GraphStore, query: str, limits: Limits) -> list[str]:
    token = CURRENT_LIMITS.set(limits)
    try:
        result = asyncio.run(schema.execute(query, context_value=RequestContext(store)))
    finally:
        CURRENT_LIMITS.reset(token)
    return [error.message for error in result.errors or ()]


def test_valid_once_is_not_valid_under_stricter_limits(store: GraphStore) -> None:
    assert errors(store, DEEP, Limits()) == []
    assert (DEEP, Limits()) in _VALID_DOCUMENTS
    for _ in range(2):
        [message] = errors(store, DEEP, Limits(max_depth=3))
        assert "depth" in message
    assert (DEEP, Limits(max_depth=3)) not in _VALID_DOCUMENTS
    assert errors(store, DEEP, Limits()) == []


def test_invalid_queries_are_checked_every_time(store: GraphStore) -> None:
    for _ in range(2):
        [message] = errors(store, "{ keyPersons { nodes { noSuchField } } }", Limits())
        assert "noSuchField" in message
