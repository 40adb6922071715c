"""`dealgraph serve` on the embedded store, as an operator meets it: when the store's server
cannot start (a damaged folder), the server's log says why, in the words of the store server's
own log (which lives in a scratch folder removed with it), naming the data folder, once per
outage; the tries to start it again and the store's return are in the log too, under the
``dealgraph`` loggers that ``dealgraph serve`` configures. A server that cannot even open its
store at start says why in one line and stops with uvicorn's start-failure code, no trace."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
from people import add_person
from servers import ROOT, free_port, stop_server, store_server_pid, wait_ready

from graph.backends.embedded import EmbeddedExecutor
from graph.store import GraphStore

LIST = {"query": "{ customers(first: 1) { nodes { id } } }"}
STARTUP_FAILURE = 3
"""uvicorn's exit code for a server that failed to start (its supervisor stops on it)."""
DAMAGED = b"not a manifest\n"


def serve(data_dir: Path, port: int, log: Path, workers: int) -> subprocess.Popen[bytes]:
    """`dealgraph serve` as deployed (authentication on), its output to ``log``."""
    env = {
        **os.environ,
        "PYTHONPATH": os.fspath(ROOT),
        "DEALGRAPH_STORE": "embedded",
        "DEALGRAPH_DATA_DIR": os.fspath(data_dir),
        "DEALGRAPH_AUTH_REQUIRED": "true",
        "DEALGRAPH_WARM_DEALS": "0",
    }
    command = [sys.executable, "-m", "dealgraph.cli", "serve", "--port", str(port)]
    with open(log, "wb") as out:
        return subprocess.Popen(
            [*command, "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def manifest(data_dir: Path) -> Path:
    return data_dir / "appendonlydir" / "appendonly.aof.manifest"


def seeded(data_dir: Path) -> str:
    """A store with the schema and an administrator; its token. The store's server stops."""
    executor = EmbeddedExecutor(data_dir)
    try:
        store = GraphStore(executor)
        store.ensure_schema()
        return add_person(store, "admin", "admin").token
    finally:
        executor.close()


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the store's server did not die"
        time.sleep(0.05)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_damaged_folder_stops_the_start_in_one_line_saying_why(
    tmp_path: Path, workers: int
) -> None:
    data_dir = tmp_path / "data"
    seeded(data_dir)
    manifest(data_dir).write_bytes(DAMAGED)
    log = tmp_path / "serve.log"
    process = serve(data_dir, free_port(), log, workers)
    try:
        assert process.wait(timeout=120) == STARTUP_FAILURE
    finally:
        stop_server(process, data_dir)
    said = log.read_text()
    assert "Traceback" not in said, said
    refusals = [line for line in said.splitlines() if "cannot start" in line]
    assert refusals, said
    for line in refusals:
        assert line.startswith("ERROR:    worker ["), line
        assert f"cannot start: the embedded store in {data_dir} cannot be used: " in line
        assert "its server did not start; its log says: " in line, line
        assert "Invalid AOF manifest file format" in line, line


def test_a_server_that_will_not_start_again_is_explained_once_then_its_return(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    token = seeded(data_dir)
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    log = tmp_path / "serve.log"
    process = serve(data_dir, port, log, workers=1)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process)
        assert httpx.post(f"{base}/graphql", json=LIST, headers=headers).status_code == 200
        pid = store_server_pid(data_dir)
        assert pid is not None
        kept = manifest(data_dir).read_bytes()
        kill(pid)
        manifest(data_dir).write_bytes(DAMAGED)
        # the first request meets the crash and a start that fails; the tries back off from 1 s
        for _ in range(3):
            answer = httpx.post(f"{base}/graphql", json=LIST, headers=headers)
            assert answer.status_code == 503, answer.text
            assert answer.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
            time.sleep(1.5)
        manifest(data_dir).write_bytes(kept)
        deadline = time.monotonic() + 60
        while httpx.post(f"{base}/graphql", json=LIST, headers=headers).status_code != 200:
            assert time.monotonic() < deadline, "the store did not come back"
            time.sleep(0.3)
    finally:
        stop_server(process, data_dir)
    lines = log.read_text().splitlines()
    folder = data_dir.resolve()
    said = [line for line in lines if line.startswith(("ERROR:", "WARNING:", "INFO:"))]
    why = [line for line in said if "its server did not start" in line]
    assert len(why) == 1, lines  # once per outage, however many tries
    assert why[0].startswith(f"ERROR:    the embedded store in {folder}: its server did not start;")
    assert "Invalid AOF manifest file format" in why[0]
    tries = [line for line in lines if "is still down; starting it again" in line]
    assert tries, lines
    assert all(
        t == f"INFO:     the embedded store's server in {folder} is still down; starting it again"
        for t in tries
    ), tries
    back = [line for line in lines if "store back after" in line]
    (line,) = back
    assert line.startswith(f"INFO:     embedded store in {folder}: "), lines
    traced = [
        line
        for line, after in itertools.pairwise(lines)
        if after.startswith("Traceback") and line.startswith(("ERROR:", "WARNING:", "INFO:"))
    ]
    assert len(traced) == 1, traced  # the outage's trace, once, with its first failure
    assert traced[0].startswith("WARNING:  "), traced
