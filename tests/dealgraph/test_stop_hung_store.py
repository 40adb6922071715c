"""Stopping the server (SIGTERM, as systemd or a container runtime does) with a request under
way, on both back ends, as deployed (uvicorn, authentication on, the default 30 s request
deadline, the webhook dispatcher and the warm-up running):

* while the store hangs, the stop takes seconds, not the request's deadline and then the
  background work's (44 s before), and the request under way is still answered, UNAVAILABLE;
* while the store is alive but slow, the request under way finishes and is answered with its
  result before the server stops: nothing that would finish is cut.

The embedded store's server is stopped with SIGSTOP (hung) or holds writes back with ``CLIENT
PAUSE`` (slow); Neo4j, shared by the suite, is reached through a TCP relay that stops passing
bytes (hung), or has the customer locked by another transaction (slow).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import redis
from api_helpers import gid
from neo4j_locks import node_locked
from people import add_person
from servers import ServedBackend, serve_process, store_server_pid
from tcp_relay import Relay

from domain.model import NodeKind
from graph.backends.embedded import DB_FILE

STOP_WITHIN = 15.0
"""A generous bound for a loaded two-core machine: the stop waits about 3 s for the store to
answer; before, 44 s (the 30 s deadline, then the dispatcher's 15 s)."""
SLOW_SECONDS = 4.0
"""How long the slow store holds the request's write back after the stop signal."""
LIST = "{ customers(first: 1) { nodes { id } } }"
RENAME = """mutation Rename($id: ID!, $i: CustomerUpdateInput!) {
  customerUpdate(id: $id, input: $i) { customer { name } userErrors { message } } }"""


class Asked:
    """One request sent on a thread of its own: what came back, or what went wrong."""

    def __init__(self, base: str, token: str, query: str, variables: dict[str, Any]) -> None:
        self.answer: httpx.Response | None = None
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._send, args=(base, token, query, variables))
        self._thread.start()

    def _send(self, base: str, token: str, query: str, variables: dict[str, Any]) -> None:
        try:
            self.answer = httpx.post(
                f"{base}/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {token}"},
                timeout=120,
            )
        except Exception as error:
            self.error = error

    def result(self) -> httpx.Response:
        self._thread.join(timeout=120)
        assert self.answer is not None, f"the request under way got no answer: {self.error!r}"
        return self.answer


def stopped_in(process: Any) -> float:
    """SIGTERM to the server; the seconds until it has exited."""
    started = time.monotonic()
    process.terminate()
    process.wait(timeout=120)
    return time.monotonic() - started


@contextlib.contextmanager
def served(
    backend: ServedBackend, relay: Relay | None, log: Path
) -> Iterator[tuple[str, Any, str]]:
    """The real server over ``backend`` (through ``relay`` for Neo4j), with one customer; yields
    the base URL, the process, and the token of an administrator made as ``dealgraph user``
    makes one."""
    store = backend.open_store()
    store.create(NodeKind.CUSTOMER, {"name": "Alpha"}, node_id="c1")
    token = add_person(store, "wang", "admin").token
    store.close()
    settings = {"DEALGRAPH_REQUEST_TIMEOUT_SECONDS": "30"}
    if relay is not None:
        settings["DEALGRAPH_NEO4J_URI"] = f"bolt://127.0.0.1:{relay.port}"
    with log.open("wb") as output, serve_process(backend, settings, output) as (base, process):
        yield base, process, token


@pytest.fixture
def relay(served_backend: ServedBackend) -> Iterator[Relay | None]:
    if served_backend.name != "neo4j":
        yield None
        return
    assert served_backend.neo4j_uri is not None
    parts = urlsplit(served_backend.neo4j_uri)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 7687))
    try:
        yield relay
    finally:
        relay.thaw()
        relay.cut()


def test_a_server_stops_within_seconds_while_its_store_hangs_and_answers_the_request_under_way(
    served_backend: ServedBackend, relay: Relay | None, tmp_path: Path
) -> None:
    with served(served_backend, relay, tmp_path / "server.log") as (base, process, token):
        freeze, thaw = _hang(served_backend, relay)
        try:
            freeze()
            asked = Asked(base, token, LIST, {})
            time.sleep(1)  # under way: waiting on the store
            took = stopped_in(process)
            assert took < STOP_WITHIN, took
            answer = asked.result()
        finally:
            thaw()
    assert answer.status_code == 503, answer.text  # its credentials could not be checked
    (error,) = answer.json()["errors"]
    assert error["extensions"]["code"] == "UNAVAILABLE", error
    said = (tmp_path / "server.log").read_text()
    assert "stopping while the store does not answer" in said, said


def test_a_server_stopped_while_its_store_is_slow_answers_the_request_under_way_first(
    served_backend: ServedBackend, relay: Relay | None, tmp_path: Path
) -> None:
    with served(served_backend, relay, tmp_path / "server.log") as (base, process, token):
        with _slow_writes(served_backend):
            asked = Asked(base, token, RENAME, {"id": gid("Customer", "c1"), "i": _rename()})
            time.sleep(1)  # under way: its write held back
            took = stopped_in(process)
        answer = asked.result()
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "data": {"customerUpdate": {"customer": {"name": "Alpha Group"}, "userErrors": []}}
    }
    assert took > SLOW_SECONDS - 1.5, "the stop did not wait for the request"
    assert "stopping while the store does not answer" not in (tmp_path / "server.log").read_text()


def _rename() -> dict[str, Any]:
    return {"version": 1, "name": "Alpha Group"}


def _hang(
    backend: ServedBackend, relay: Relay | None
) -> tuple[Callable[[], None], Callable[[], None]]:
    """How to make the served store hang (it takes statements and never answers) and wake."""
    if relay is not None:
        return relay.freeze, relay.thaw
    pid = store_server_pid(backend.data_dir)
    assert pid is not None, "the served app runs no embedded store server"
    return (lambda: os.kill(pid, signal.SIGSTOP)), (lambda: os.kill(pid, signal.SIGCONT))


@contextlib.contextmanager
def _slow_writes(backend: ServedBackend) -> Iterator[None]:
    """For ``SLOW_SECONDS`` from now the store answers, but holds the customer's write back:
    Neo4j has the customer locked by another transaction; the embedded store pauses its
    writers. Either lets go by itself, while the test waits for the server to stop."""
    if backend.name == "neo4j":
        assert backend.neo4j_uri is not None
        uri = backend.neo4j_uri
        held, done = threading.Event(), threading.Event()

        def hold() -> None:
            with node_locked(uri, "Customer", "c1"):
                held.set()
                done.wait(SLOW_SECONDS)

        holder = threading.Thread(target=hold)
        holder.start()
        assert held.wait(30), "the customer was not locked"
        try:
            yield
        finally:
            holder.join()
        return
    registry = json.loads((backend.data_dir / f"{DB_FILE}.settings").read_text())
    pauser = redis.Redis(unix_socket_path=registry["unixsocket"])
    pause: Any = pauser.execute_command  # untyped in redis-py
    try:
        pause("CLIENT", "PAUSE", str(int(SLOW_SECONDS * 1000)), "WRITE")
        yield
    finally:
        pauser.close()
