"""A store that hangs under a running server (takes statements, never answers: a frozen process
or machine), as an operator meets it, on both back ends: the people using the app are told
within the request's deadline that the store is unavailable, the server's other answers are
not held meanwhile, and once the store wakes the same login is served again.

The embedded store's own server is stopped with SIGSTOP; Neo4j, shared by the suite, is reached
through a TCP relay that stops passing bytes either way.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from api_helpers import serve
from people import add_person
from servers import neo4j_login
from tcp_relay import Relay

from graph.backends.embedded import EmbeddedExecutor
from graph.backends.neo4j import Neo4jExecutor
from graph.executor import Executor
from graph.store import GraphStore

TIMEOUT = 2
"""The request's deadline these servers run with (DEALGRAPH_REQUEST_TIMEOUT_SECONDS)."""
LIST = "{ customers(first: 1) { nodes { id } } }"
CREATE = """mutation New($i: CustomerCreateInput!) { customerCreate(input: $i) {
  customer { id } userErrors { message } } }"""


@dataclass
class Hangable:
    executor: Executor
    freeze: Callable[[], None]
    thaw: Callable[[], None]


def embedded(tmp_path: Path) -> Iterator[Hangable]:
    executor = EmbeddedExecutor(tmp_path / "data")
    pid = executor.server_pid
    try:
        yield Hangable(
            executor,
            lambda: os.kill(pid, signal.SIGSTOP),
            lambda: os.kill(pid, signal.SIGCONT),
        )
    finally:
        os.kill(pid, signal.SIGCONT)
        executor.close()


def neo4j(uri: str) -> Iterator[Hangable]:
    parts = urlsplit(uri)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 7687))
    executor = Neo4jExecutor(f"bolt://127.0.0.1:{relay.port}", *neo4j_login(), wait_seconds=2)
    try:
        yield Hangable(executor, relay.freeze, relay.thaw)
    finally:
        relay.thaw()
        executor.close()
        relay.cut()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def hangable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Hangable]:
    if request.param == "embedded":
        yield from embedded(tmp_path)
    else:
        yield from neo4j(request.getfixturevalue("neo4j_uri"))


def test_a_request_while_the_store_hangs_is_answered_by_its_deadline_and_served_after(
    hangable: Hangable,
) -> None:
    hangable.executor.write("MATCH (n) DETACH DELETE n", {})
    hangable.executor.ensure_schema()
    store = GraphStore(hangable.executor)
    settings = {"request_timeout_seconds": TIMEOUT, "neo4j_wait_seconds": 1}
    with serve(store, settings=settings) as admin:
        li = admin.as_(add_person(store, "li", "account_manager"))
        assert li.data(LIST)["customers"]["nodes"] == []

        hangable.freeze()
        for language, said in (("en", "unavailable"), ("zh-CN", "不可用")):
            started = time.monotonic()
            response = li.post(LIST, headers={"Accept-Language": language})
            waited = time.monotonic() - started
            # without the deadline: the driver's receive timeout, minutes
            assert TIMEOUT - 0.5 < waited < 2 * TIMEOUT, waited
            assert response.status_code == 503  # the credentials could not be read
            (error,) = response.json()["errors"]
            assert error["extensions"]["code"] == "UNAVAILABLE"  # send it again shortly
            assert said in error["message"], error
            assert error["extensions"]["requestId"] in error["message"]  # to quote to support
            assert "Traceback" not in response.text

        # a change sent meanwhile never ran (who sent it could not be checked): the person
        # saving a form is told it was not saved, not that their sign-in failed
        for language, said in (("en", "your change was not saved"), ("zh-CN", "您的修改没有保存")):
            response = li.post(
                CREATE, {"i": {"name": "江州中医院"}}, headers={"Accept-Language": language}
            )
            assert response.status_code == 503
            (error,) = response.json()["errors"]
            assert error["extensions"]["code"] == "UNAVAILABLE"
            assert said in error["message"], error

        # a request held by the hung store does not hold the others: the loop is free
        held = threading.Thread(target=li.post, args=(LIST,))
        held.start()
        time.sleep(0.2)
        started = time.monotonic()
        assert admin.client.get("/healthz").status_code == 200
        assert time.monotonic() - started < 0.5
        ready = admin.client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable"
        assert time.monotonic() - started < 2 * TIMEOUT
        held.join()

        hangable.thaw()
        assert li.data(LIST)["customers"]["nodes"] == []
        assert admin.client.get("/readyz").json()["status"] == "ready"
