"""Shared fixtures: a fresh GraphStore per test on every back end.

The embedded back end (FalkorDB through falkordblite) always runs: one server per test session
in a temporary folder, emptied before each test. The Neo4j back end runs on the server named by
``DEALGRAPH_TEST_NEO4J_URI`` (with ``_USER``, ``_PASSWORD``, ``_DATABASE``; its database is
wiped before each test, so point it at a scratch database), or else on a Neo4j Community that
the session starts itself from ``tools/neo4j`` (``make neo4j-build``) when Java is installed,
with authentication on and a password of its own (``servers.neo4j_login``).
Without either, the Neo4j half is left out with one line saying why; with ``CI=true`` that is
an error instead, so CI never passes on one back end only.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Final

import pytest
from neo4j_server import NEO4J_CLASSPATH, Neo4jServer
from servers import ServedBackend, neo4j_login

from graph.backends.embedded import EmbeddedExecutor
from graph.backends.neo4j import Neo4jExecutor
from graph.executor import Executor
from graph.store import GraphStore

# Servers the tests start (uvicorn, `dealgraph serve`) warm no chains unless a test asks: the
# warm-up would load chains while tests count round trips. Apps made in process: api_helpers.
os.environ.setdefault("DEALGRAPH_WARM_DEALS", "0")

NEO4J_URI_VAR = "DEALGRAPH_TEST_NEO4J_URI"
CLOCK_START = 1_760_000_000_000  # a fixed instant (2025-10-09) so stored times are predictable
BACKENDS: Final = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]
"""The params of every fixture that runs a suite on both back ends."""


def counting_clock(start: int = CLOCK_START) -> Callable[[], int]:
    """A clock that advances one millisecond per reading: every write gets a distinct time."""
    ticks = itertools.count(start)
    return lambda: next(ticks)


def neo4j_unavailable() -> str | None:
    """Why this session cannot run the Neo4j half (None when it can)."""
    if os.environ.get(NEO4J_URI_VAR):
        return None
    if shutil.which("java") is None:
        return "no Java on PATH (install OpenJDK 17 and Maven, then `make neo4j-build`)"
    if not NEO4J_CLASSPATH.is_file():
        return "tools/neo4j is not built (run `make neo4j-build`)"
    return None


_NEO4J_SERVER: Neo4jServer | None = None
_NEO4J_LEFT_OUT: list[str] = []


@pytest.hookimpl(trylast=True)  # after `-m`/`-k` have deselected what will not run
def pytest_sessionstart(session: pytest.Session) -> None:
    """A run stopped with SIGTERM (``make test`` stops its browser half so when the other is
    interrupted) ends as on Ctrl-C: its servers, stores and browsers are torn down, not left
    running."""
    signal.signal(signal.SIGTERM, _interrupted)


def _interrupted(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start Neo4j early when the session has Neo4j tests, or leave them out saying why."""
    global _NEO4J_SERVER
    wanted = [item for item in items if item.get_closest_marker("neo4j")]
    if not wanted:
        return
    reason = neo4j_unavailable()
    if reason is None:
        if not os.environ.get(NEO4J_URI_VAR):
            _NEO4J_SERVER = Neo4jServer()
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI needs the Neo4j back end: {reason}")
    items[:] = [item for item in items if not item.get_closest_marker("neo4j")]
    config.hook.pytest_deselected(items=wanted)
    _NEO4J_LEFT_OUT.append(f"Neo4j half left out ({len(wanted)} tests): {reason}")


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say where the Neo4j half runs."""
    if os.environ.get(NEO4J_URI_VAR):
        return f"neo4j: {os.environ[NEO4J_URI_VAR]}"
    return None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line on the Neo4j half: left out and why, or how long its server took to start."""
    for line in _NEO4J_LEFT_OUT:
        terminalreporter.write_line(line, yellow=True)
    if _NEO4J_SERVER is not None and _NEO4J_SERVER.uri:
        terminalreporter.write_line(
            f"Neo4j started in {_NEO4J_SERVER.seconds_to_start:.0f} s at {_NEO4J_SERVER.uri}"
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    if _NEO4J_SERVER is not None:
        _NEO4J_SERVER.stop()


@pytest.fixture(scope="session")
def embedded_executor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedExecutor]:
    """One embedded server for the whole session (durability is tested on its own)."""
    executor = EmbeddedExecutor(tmp_path_factory.mktemp("falkordb"), fsync="no")
    executor.ensure_schema()
    yield executor
    executor.close()


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    """The Bolt URI of the session's Neo4j: the configured one, or the one started here."""
    uri = os.environ.get(NEO4J_URI_VAR)
    if uri:
        return uri
    if _NEO4J_SERVER is None:
        pytest.skip(f"Neo4j back end not available: {neo4j_unavailable()}")
    try:
        return _NEO4J_SERVER.wait()
    except RuntimeError as error:
        pytest.fail(f"Neo4j back end could not start: {error}", pytrace=False)


@pytest.fixture(scope="session")
def neo4j_executor(neo4j_uri: str) -> Iterator[Executor]:
    """A connection to the session's Neo4j, schema in place."""
    executor = Neo4jExecutor(neo4j_uri, *neo4j_login())
    executor.ensure_schema()
    yield executor
    executor.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Executor:
    """The executor of one back end, with an empty graph and the schema in place."""
    executor: Executor = request.getfixturevalue(f"{request.param}_executor")
    executor.write("MATCH (n) DETACH DELETE n", {})
    executor.ensure_schema()
    return executor


@pytest.fixture(scope="session", params=BACKENDS)
def api_executor(request: pytest.FixtureRequest) -> Executor:
    """The executor the API suites run on, once per back end (``open_api(api_executor)``)."""
    executor: Executor = request.getfixturevalue(f"{request.param}_executor")
    return executor


@pytest.fixture(params=BACKENDS)
def served_backend(request: pytest.FixtureRequest, tmp_path: Path) -> ServedBackend:
    """The back end a separate server process runs on, once per back end: seed it through
    ``open_store``, then start the server with its ``env`` (``servers.serve``)."""
    uri = request.getfixturevalue("neo4j_uri") if request.param == "neo4j" else None
    return ServedBackend(request.param, tmp_path / "data", uri)


@pytest.fixture
def store(backend: Executor) -> GraphStore:
    """A fresh GraphStore over an empty graph, with a deterministic clock."""
    return GraphStore(backend, clock=counting_clock())
