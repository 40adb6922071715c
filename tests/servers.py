"""Helpers for suites that run dealgraph as a separate server process: a free port, the
server's store on either back end (``ServedBackend``, given by the ``served_backend`` fixture),
uvicorn started on it, and the server stopped with the embedded store's server it started."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from graph.backends.embedded import DB_FILE, EmbeddedExecutor
from graph.backends.neo4j import Neo4jExecutor
from graph.executor import Executor
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
READY_SECONDS = 90.0
"""How long a starting server may take to answer /readyz (the embedded store starts its own
server; a loaded machine is slow)."""


SESSION_NEO4J_PASSWORD = secrets.token_urlsafe(24)
"""The password of the user ``neo4j`` on the Neo4j the session starts itself (``tools/neo4j``
sets it as it starts): authentication on, as every deployed Neo4j has it, and new each session,
so nothing may rely on a password written down anywhere."""


def neo4j_login() -> tuple[str, str | None, str]:
    """User, password and database of the session's Neo4j: the ``DEALGRAPH_TEST_NEO4J_*`` of
    a server of one's own (``_URI`` set), else the one the session starts."""
    if not os.environ.get("DEALGRAPH_TEST_NEO4J_URI"):
        return "neo4j", SESSION_NEO4J_PASSWORD, "neo4j"
    return (
        os.environ.get("DEALGRAPH_TEST_NEO4J_USER", "neo4j"),
        os.environ.get("DEALGRAPH_TEST_NEO4J_PASSWORD") or None,
        os.environ.get("DEALGRAPH_TEST_NEO4J_DATABASE", "neo4j"),
    )


def store_env(store: str, data_dir: Path | None, neo4j_uri: str | None = None) -> dict[str, str]:
    """The settings that point a dealgraph process at one back end: the embedded store in
    ``data_dir``, or the session's Neo4j at ``neo4j_uri``."""
    env = {"DEALGRAPH_STORE": store}
    if data_dir is not None:
        env["DEALGRAPH_DATA_DIR"] = os.fspath(data_dir)
    if store == "neo4j":
        assert neo4j_uri is not None, "the Neo4j back end needs its URI"
        user, password, database = neo4j_login()
        env.update(
            DEALGRAPH_NEO4J_URI=neo4j_uri,
            DEALGRAPH_NEO4J_USER=user,
            DEALGRAPH_NEO4J_PASSWORD=password or "",
            DEALGRAPH_NEO4J_DATABASE=database,
        )
    return env


@dataclass(frozen=True, slots=True)
class ServedBackend:
    """One back end for a server process: seed it with ``open_store`` (and close that store),
    then start the server with ``env``. The Neo4j database is the session's, shared with the
    server; ``open_store`` empties it first, as the ``backend`` fixture does."""

    name: str
    data_dir: Path
    neo4j_uri: str | None = None

    def executor(self) -> Executor:
        """A new connection to this back end (the embedded one opens its store's server)."""
        if self.name == "neo4j":
            assert self.neo4j_uri is not None
            return Neo4jExecutor(self.neo4j_uri, *neo4j_login())
        return EmbeddedExecutor(self.data_dir, fsync="no")

    def open_store(self, clock: Callable[[], int] | None = None) -> GraphStore:
        """A GraphStore over an empty graph with the schema in place; close it before serving
        (the embedded store admits one process)."""
        executor = self.executor()
        executor.write("MATCH (n) DETACH DELETE n", {})
        executor.ensure_schema()
        return GraphStore(executor) if clock is None else GraphStore(executor, clock=clock)

    def env(self) -> dict[str, str]:
        """The settings of a server process on this back end."""
        return store_env(self.name, self.data_dir, self.neo4j_uri)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(
    backend: ServedBackend,
    settings: Mapping[str, str] | None = None,
    log: IO[bytes] | None = None,
) -> Iterator[str]:
    """uvicorn on the real app (``dealgraph.asgi``) on a free loopback port over ``backend``,
    with the settings' defaults (authentication on) and ``settings`` on top; yields the base
    URL once ready and stops the server (and the embedded store's server) after."""
    with serve_process(backend, settings, log) as (base, _):
        yield base


@contextlib.contextmanager
def serve_process(
    backend: ServedBackend,
    settings: Mapping[str, str] | None = None,
    log: IO[bytes] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """As ``serve``, yielding the server's process too, for a test that stops it itself."""
    port = free_port()
    inherited = {k: v for k, v in os.environ.items() if k != "DEALGRAPH_AUTH_REQUIRED"}
    env = {**inherited, "PYTHONPATH": os.fspath(ROOT), **backend.env(), **(settings or {})}
    output: IO[bytes] | int = log if log is not None else subprocess.DEVNULL
    command = [sys.executable, "-m", "uvicorn", "dealgraph.asgi:app", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process)
        yield base, process
    finally:
        stop_server(process, backend.data_dir)


def wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    """Wait until the server at ``base`` answers /readyz; fail at once when it stopped."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server stopped (exit {process.returncode})"
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"the server did not become ready within {READY_SECONDS:.0f} s")


def store_server_pid(data_dir: Path) -> int | None:
    """The process id of the embedded store's server on ``data_dir`` (None: none runs)."""
    with contextlib.suppress(OSError, ValueError, KeyError):
        registry = json.loads((data_dir / f"{DB_FILE}.settings").read_text())
        pid = int(Path(registry["pidfile"]).read_text().strip())
        if "redis" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
            return pid
    return None


def stop_store_server(data_dir: Path) -> None:
    """The embedded store's server outlives the API process that started it."""
    pid = store_server_pid(data_dir)
    if pid is not None:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


def stop_server(process: subprocess.Popen[bytes], data_dir: Path) -> None:
    """Stop an API server process (killed when it does not end within 30 s), then the
    embedded store's server it started on ``data_dir``."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    stop_store_server(data_dir)
