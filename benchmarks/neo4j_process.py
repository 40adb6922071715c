"""Neo4j Community from ``tools/neo4j`` in its own JVM, for the ``--store neo4j`` benchmarks.

Each start serves a fresh, empty database on a free loopback port with authentication on, as
deployed: the user ``neo4j`` with this process's own password (``PASSWORD``; ``login_env`` gives
the settings a dealgraph process logs in with). The tool's harness gives every start its own
database folder and removes it on stop. The
server stops when this process closes its standard input, so a benchmark that dies leaves no
server behind. Build the tool first with ``make neo4j-build`` (Java 17 and Maven).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Final

ROOT: Final = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's code, not an installed one

from graph.backends.neo4j import Neo4jExecutor  # noqa: E402
from graph.store import GraphStore  # noqa: E402

TOOL: Final = ROOT / "tools" / "neo4j"
CLASSPATH: Final = TOOL / "target" / "classpath.txt"
HEAP: Final = "2g"
"""JVM heap of each benchmark server."""
PAGECACHE: Final = "2g"
"""Page cache of each benchmark server: room for the whole graph, as on a production server
(the tool's own default is the test harness's 8 MiB, which makes every large read a disk read)."""
USER: Final = "neo4j"
PASSWORD: Final = secrets.token_urlsafe(24)
"""The password of ``USER`` on every server this process starts, new each run."""


def login_env() -> dict[str, str]:
    """The settings a dealgraph process logs in to these servers with."""
    return {"DEALGRAPH_NEO4J_USER": USER, "DEALGRAPH_NEO4J_PASSWORD": PASSWORD}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Neo4jProcess:
    """One Neo4j server: ``start()`` returns its Bolt URI once it accepts connections."""

    def __init__(self, folder: Path, heap: str = HEAP, pagecache: str = PAGECACHE) -> None:
        self.folder = folder
        self.heap = heap
        self.pagecache = pagecache
        self.uri = ""
        self.seconds_to_start = 0.0
        self._process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None

    def start(self) -> str:
        if not CLASSPATH.is_file():
            raise SystemExit("tools/neo4j is not built: run `make neo4j-build` (Java 17, Maven)")
        self.folder.mkdir(parents=True, exist_ok=True)
        classpath = f"{TOOL / 'target' / 'classes'}:{CLASSPATH.read_text().strip()}"
        began = time.perf_counter()
        self._log = (self.folder / "server.log").open("w")
        self._process = subprocess.Popen(
            ["java", f"-Xms{self.heap}", f"-Xmx{self.heap}",
             f"-Ddealgraph.neo4j.pagecache={self.pagecache}", "-cp", classpath,
             "dealgraph.neo4j.Server", str(free_port()), str(self.folder / "data"),
             "--stop-on-eof"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env={**os.environ, "DEALGRAPH_NEO4J_PASSWORD": PASSWORD},  # made USER's at start
        )  # fmt: skip
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()  # blocks until ready or exited
        if not line.startswith("bolt://"):
            self._process.wait(timeout=60)
            tail = (self.folder / "server.log").read_text()[-2000:]
            raise SystemExit(f"Neo4j did not start (exit {self._process.returncode}): {tail}")
        self.uri = line
        self.seconds_to_start = time.perf_counter() - began
        print(f"  Neo4j started in {self.seconds_to_start:.0f}s at {line}", file=sys.stderr)
        return line

    @property
    def pid(self) -> int:
        """The server's process id (to stop it with SIGSTOP: a database that hangs)."""
        assert self._process is not None, "not started"
        return self._process.pid

    def open_store(self) -> GraphStore:
        """A store on this server's database, schema in place."""
        store = GraphStore(Neo4jExecutor(self.uri, USER, PASSWORD))
        store.ensure_schema()
        return store

    def stop(self) -> None:
        """Stop the server (closing its input) and wait for it to finish."""
        if self._process is not None and self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Neo4jProcess:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
