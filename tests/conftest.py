"""Shared fixtures: a fresh GraphStore per test on every configured back end.

The embedded back end (FalkorDB through falkordblite) always runs: one server per test session
in a temporary folder, emptied before each test. Neo4j runs only when
``DEALGRAPH_TEST_NEO4J_URI`` is set (with ``DEALGRAPH_TEST_NEO4J_USER``, ``_PASSWORD`` and
``_DATABASE``); its database is wiped before each test, so point it at a scratch database.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator

import pytest

from graph.backends.embedded import EmbeddedExecutor
from graph.executor import Executor
from graph.store import GraphStore

NEO4J_URI_VAR = "DEALGRAPH_TEST_NEO4J_URI"
CLOCK_START = 1_760_000_000_000  # a fixed instant (2025-10-09) so stored times are predictable


def counting_clock(start: int = CLOCK_START) -> Callable[[], int]:
    """A clock that advances one millisecond per reading: every write gets a distinct time."""
    ticks = itertools.count(start)
    return lambda: next(ticks)


@pytest.fixture(scope="session")
def embedded_executor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedExecutor]:
    """One embedded server for the whole session (durability is tested on its own)."""
    executor = EmbeddedExecutor(tmp_path_factory.mktemp("falkordb"), fsync="no")
    executor.ensure_schema()
    yield executor
    executor.close()


@pytest.fixture(scope="session")
def neo4j_executor() -> Iterator[Executor]:
    """A Neo4j connection from the environment, or a skip that says how to enable it."""
    uri = os.environ.get(NEO4J_URI_VAR)
    if not uri:
        pytest.skip(f"Neo4j back end not configured: set {NEO4J_URI_VAR} (and _USER/_PASSWORD)")
    from graph.backends.neo4j import Neo4jExecutor

    executor = Neo4jExecutor(
        uri,
        os.environ.get("DEALGRAPH_TEST_NEO4J_USER", "neo4j"),
        os.environ.get("DEALGRAPH_TEST_NEO4J_PASSWORD", ""),
        os.environ.get("DEALGRAPH_TEST_NEO4J_DATABASE", "neo4j"),
    )
    yield executor
    executor.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request: pytest.FixtureRequest) -> Executor:
    """The executor of one back end, with an empty graph and the schema in place."""
    executor: Executor = request.getfixturevalue(f"{request.param}_executor")
    executor.write("MATCH (n) DETACH DELETE n", {})
    executor.ensure_schema()
    return executor


@pytest.fixture
def store(backend: Executor) -> GraphStore:
    """A fresh GraphStore over an empty graph, with a deterministic clock."""
    return GraphStore(backend, clock=counting_clock())
