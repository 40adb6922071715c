"""A Neo4j Community of the tests' own, started from ``tools/neo4j`` (``make neo4j-build``):
the session's (``conftest``), or one a test stops to meet an outage as deployed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Final

from servers import SESSION_NEO4J_PASSWORD

NEO4J_TOOL: Final = Path(__file__).resolve().parent.parent / "tools" / "neo4j"
NEO4J_CLASSPATH: Final = NEO4J_TOOL / "target" / "classpath.txt"
NEO4J_START_TIMEOUT: Final = 600.0
"""Seconds a starting Neo4j may take: about 20 s on an idle machine, minutes on a loaded one."""
NEO4J_JVM_OPTIONS: Final = ("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC")


class Neo4jServer:
    """Neo4j Community started in the background from ``tools/neo4j``, its user ``neo4j``
    logging in with ``SESSION_NEO4J_PASSWORD``.

    The session's is started as soon as collection shows a Neo4j test, so its start-up (tens of
    seconds) overlaps the embedded tests; the server stops when its standard input closes, so
    even a killed test run leaves none behind.
    """

    def __init__(self) -> None:
        self.uri: str | None = None
        self.failure: str | None = None
        self.seconds_to_start = 0.0
        self._folder = Path(tempfile.mkdtemp(prefix="dealgraph-neo4j-"))
        self._process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None
        self._ready = threading.Event()
        threading.Thread(target=self._start, name="neo4j-start", daemon=True).start()

    def _start(self) -> None:
        began = time.monotonic()
        try:
            self.uri = self._launch()
        except Exception as error:  # any failure is reported by the fixture, once
            self.failure = str(error)
        self.seconds_to_start = time.monotonic() - began
        self._ready.set()

    def _launch(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        classpath = f"{NEO4J_TOOL / 'target' / 'classes'}:{NEO4J_CLASSPATH.read_text().strip()}"
        self._log = (self._folder / "server.log").open("w")
        self._process = subprocess.Popen(
            [
                "java",
                *NEO4J_JVM_OPTIONS,
                "-cp",
                classpath,
                "dealgraph.neo4j.Server",
                str(port),
                str(self._folder / "data"),
                "--stop-on-eof",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            # the setting dealgraph logs in with: the tool makes it the user neo4j's password
            env={**os.environ, "DEALGRAPH_NEO4J_PASSWORD": SESSION_NEO4J_PASSWORD},
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()  # blocks until ready or exited
        if not line.startswith("bolt://"):
            self._process.wait(timeout=30)
            tail = (self._folder / "server.log").read_text()[-2000:]
            raise RuntimeError(f"Neo4j did not start (exit {self._process.returncode}): {tail}")
        return line

    def wait(self) -> str:
        """The Bolt URI once the server accepts connections; raises with the reason if not."""
        if not self._ready.wait(NEO4J_START_TIMEOUT):
            self.failure = f"Neo4j did not start within {NEO4J_START_TIMEOUT:.0f} s"
        if self.failure or self.uri is None:
            raise RuntimeError(self.failure or "Neo4j did not start")
        return self.uri

    def stop(self) -> None:
        """Stop the server (closing its input) and remove its data."""
        if self._process is not None and self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._log is not None:
            self._log.close()
        shutil.rmtree(self._folder, ignore_errors=True)
