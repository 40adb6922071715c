"""The embedded store's server is a process of its own: when it dies, the next call starts it
again on the same files, with every acknowledged write, instead of failing until someone
restarts the service."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.model import NodeKind
from graph.backends.embedded import UNCONFIRMED_WRITE, EmbeddedExecutor
from graph.executor import StoreError
from graph.store import GraphStore

K = NodeKind


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    executor = EmbeddedExecutor(tmp_path / "data")
    opened = GraphStore(executor)
    opened.ensure_schema()
    opened.create(K.CUSTOMER, {"name": "Alpha"}, node_id="c1")
    try:
        yield opened
    finally:
        executor.close()


def kill_server(store: GraphStore) -> int:
    executor = store.executor
    assert isinstance(executor, EmbeddedExecutor)
    pid = executor.server_pid
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while executor.server_pid == pid:
        assert time.monotonic() < deadline, "the server did not die"
        time.sleep(0.05)
    return pid


def test_a_read_after_the_server_died_restarts_it_and_answers(
    store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    dead = kill_server(store)
    with caplog.at_level(logging.WARNING, logger="graph.backends.embedded"):
        assert store.get(K.CUSTOMER, "c1")["name"] == "Alpha"
    assert isinstance(store.executor, EmbeddedExecutor)
    assert store.executor.server_pid not in (0, dead)
    assert "died" in caplog.text
    assert "runs again" in caplog.text
    # the unique id constraint and the rest of the schema came back with it
    store.create(K.CUSTOMER, {"name": "Beta"}, node_id="c2")
    assert store.count(K.CUSTOMER) == 2


def test_a_write_that_met_a_dead_server_is_reported_unconfirmed_and_the_store_recovers(
    store: GraphStore,
) -> None:
    kill_server(store)
    with pytest.raises(StoreError, match="may or may not have been applied"):
        store.executor.write("CREATE (:Customer {id: 'c9', name: 'Gamma'})", {})
    assert UNCONFIRMED_WRITE.startswith("the embedded store's server stopped")
    assert store.executor.ping()
    assert store.get(K.CUSTOMER, "c1")["name"] == "Alpha"


def test_readiness_restarts_a_dead_server(store: GraphStore) -> None:
    dead = kill_server(store)
    assert store.executor.ping()
    assert isinstance(store.executor, EmbeddedExecutor)
    assert store.executor.server_pid not in (0, dead)


def test_a_closed_store_stays_closed(tmp_path: Path) -> None:
    executor = EmbeddedExecutor(tmp_path / "data")
    executor.close()
    assert not executor.ping()
    with pytest.raises(StoreError):
        executor.read("RETURN 1 AS one", {})
    assert executor.server_pid == 0
