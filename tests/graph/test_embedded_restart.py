"""The embedded store's server is a process of its own: when it dies, the next call starts it
again on the same files, with every acknowledged write, instead of failing until someone
restarts the service."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
import redis

from domain.model import NodeKind
from graph.backends import embedded
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


def kill_server(store: GraphStore, how: signal.Signals = signal.SIGKILL) -> int:
    executor = store.executor
    assert isinstance(executor, EmbeddedExecutor)
    pid = executor.server_pid
    os.kill(pid, how)
    deadline = time.monotonic() + 10
    while executor.server_pid == pid:
        assert time.monotonic() < deadline, "the server did not die"
        time.sleep(0.05)
    return pid


def test_a_read_after_the_server_died_restarts_it_and_answers(
    store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    dead = kill_server(store)
    with caplog.at_level(logging.WARNING, logger="dealgraph.store.embedded"):
        assert store.get(K.CUSTOMER, "c1")["name"] == "Alpha"
    assert isinstance(store.executor, EmbeddedExecutor)
    assert store.executor.server_pid not in (0, dead)
    assert "died" in caplog.text
    assert "Nothing in its log says why" in caplog.text  # killed outright, it wrote nothing
    assert "Ready to accept connections" not in caplog.text
    assert "runs again" in caplog.text
    # the unique id constraint and the rest of the schema came back with it
    store.create(K.CUSTOMER, {"name": "Beta"}, node_id="c2")
    assert store.count(K.CUSTOMER) == 2


def test_the_crash_line_says_what_the_server_wrote_of_its_death(
    store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    kill_server(store, signal.SIGTERM)
    with caplog.at_level(logging.WARNING, logger="dealgraph.store.embedded"):
        assert store.get(K.CUSTOMER, "c1")["name"] == "Alpha"
    died = [r.getMessage() for r in caplog.records if "died" in r.getMessage()]
    assert len(died) == 1, caplog.text
    assert "Its log says: Received SIGTERM scheduling shutdown" in died[0]
    assert "Removing the unix socket file" not in died[0]  # housekeeping, not a cause


def test_a_write_that_met_a_dead_server_is_reported_unconfirmed_and_the_store_recovers(
    store: GraphStore,
) -> None:
    kill_server(store)
    with pytest.raises(StoreError, match="may or may not have been applied"):
        store.executor.write("CREATE (:Customer {id: 'c9', name: 'Gamma'})", {})
    assert UNCONFIRMED_WRITE.startswith("the embedded store's server stopped")
    assert store.executor.ping()
    assert store.get(K.CUSTOMER, "c1")["name"] == "Alpha"


def test_a_server_that_died_while_the_schema_was_ensured_is_started_again_with_it(
    store: GraphStore,
) -> None:
    """A start (the command, the app) ensures the schema first: a server that dies under it is
    started again on the same files, the schema ensured, rather than the start failing."""
    kill_server(store)
    store.ensure_schema()
    assert store.get(K.CUSTOMER, "c1")["name"] == "Alpha"
    with pytest.raises(Exception, match="already exists"):
        store.create(K.CUSTOMER, {"name": "Again"}, node_id="c1")


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


def test_closing_beside_a_server_that_hangs_leaves_it_as_it_is_within_seconds(
    tmp_path: Path,
) -> None:
    """A server stopped (SIGSTOP: a hung process, a frozen machine) would hold the close, and
    the API's stop with it, for the client's answer timeout (five minutes): the close wakes the
    threads still waiting on it and leaves it running, and once it wakes the data is there
    for the next process, which joins it."""
    folder = tmp_path / "data"
    executor = EmbeddedExecutor(folder)
    store = GraphStore(executor)
    store.ensure_schema()
    store.create(K.CUSTOMER, {"name": "Alpha"}, node_id="c1")
    pid = executor.server_pid
    waiting: list[StoreError] = []

    def read() -> None:
        try:
            executor.read("MATCH (c:Customer) RETURN c.id AS id", {})
        except StoreError as error:  # what the waiting thread met
            waiting.append(error)

    os.kill(pid, signal.SIGSTOP)
    try:
        thread = threading.Thread(target=read)
        thread.start()
        time.sleep(0.3)
        started = time.monotonic()
        executor.close()
        assert time.monotonic() - started < embedded.CLOSE_ANSWER_SECONDS + 3
        thread.join(timeout=5)
        assert not thread.is_alive(), "a thread still waits on the hung server"
        assert len(waiting) == 1
        assert psutil.pid_exists(pid)  # left as it is
    finally:
        os.kill(pid, signal.SIGCONT)
    again = EmbeddedExecutor(folder)
    try:
        assert again.server_pid == pid  # joined, not a second server
        assert again.read("MATCH (c:Customer) RETURN c.id AS id", {}) == [{"id": "c1"}]
    finally:
        again.close()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


# --- several processes on one folder ----------------------------------------------------------

CLIENT = Path(__file__).with_name("store_client.py")
ROOT = Path(__file__).resolve().parents[2]


class Client:
    """Another process using the same folder (a second API worker, a CLI command)."""

    def __init__(self, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, os.fspath(CLIENT), os.fspath(data_dir)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": os.fspath(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def answer(self, command: str | None = None) -> str:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        if command is not None:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def finish(self) -> None:
        if self.process.poll() is None:
            self.answer("close")
        self.process.wait(timeout=60)


def live_servers(data_dir: Path) -> list[int]:
    """redis-server processes whose working folder is ``data_dir``."""
    found = []
    for process in psutil.process_iter(["name", "cwd", "status"]):
        info = process.info
        if (
            info["name"] == "redis-server"
            and info["cwd"] == os.fspath(data_dir)
            and info["status"] != psutil.STATUS_ZOMBIE
        ):
            found.append(process.pid)
    return found


@pytest.mark.parametrize("attempt", range(3))
def test_processes_opening_one_folder_at_once_share_one_server(
    tmp_path: Path, attempt: int
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    clients = [Client(data_dir) for _ in range(3)]
    try:
        pids = {client.answer() for client in clients}
        assert len(pids) == 1, pids
        assert len(live_servers(data_dir)) == 1
    finally:
        for client in clients:
            client.finish()
    assert live_servers(data_dir) == []


def test_a_process_that_joined_the_server_recovers_from_its_crash(store: GraphStore) -> None:
    executor = store.executor
    assert isinstance(executor, EmbeddedExecutor)
    other = Client(executor.data_dir)
    try:
        assert other.answer() == f"server {executor.server_pid}"  # joined, not a second one
        dead = kill_server(store)
        assert other.answer("count") == "count 1"  # the other process restarted it
        assert store.get(K.CUSTOMER, "c1")["name"] == "Alpha"  # and this one joined it
        assert executor.server_pid not in (0, dead)
        assert other.answer("pid") == f"server {executor.server_pid}"
        assert live_servers(executor.data_dir) == [executor.server_pid]
    finally:
        other.finish()


def test_a_statement_answered_too_late_is_reported_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that holds back its answer (here paused) past the client's patience gives a
    StoreError saying what is known: a read may be tried again, a write may still land."""
    monkeypatch.setattr(embedded, "ANSWER_TIMEOUT_SECONDS", 0.5)
    executor = EmbeddedExecutor(tmp_path / "data")
    store = GraphStore(executor)
    store.ensure_schema()
    pauser = redis.Redis(unix_socket_path=executor._db.client.socket_file)
    pause: Any = pauser.execute_command  # untyped in redis-py
    # paused for 8 times the client's patience: on a loaded machine the statement may be sent
    # late, and still meets the pause; the server is then waited for, however long it takes
    try:
        pause("CLIENT", "PAUSE", "4000", "ALL")
        with pytest.raises(StoreError, match="did not confirm the write in time"):
            executor.write("CREATE (:Customer {id: 'late', name: 'Late'})", {})
        back = time.monotonic() + 30
        while not executor.ping():  # the same server answers again once it resumes
            assert time.monotonic() < back, "the server did not answer again"
        pause("CLIENT", "PAUSE", "4000", "ALL")
        with pytest.raises(StoreError, match="did not answer in time"):
            executor.read("MATCH (c:Customer) RETURN count(c) AS n", {})
    finally:
        pause("CLIENT", "UNPAUSE")
        pauser.close()
        executor.close()
