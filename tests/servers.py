"""Helpers for suites that run dealgraph as a separate server process: a free port, and the
server stopped with the embedded store's server it started."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
from pathlib import Path

from graph.backends.embedded import DB_FILE


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def stop_store_server(data_dir: Path) -> None:
    """The embedded store's server outlives the API process that started it."""
    with contextlib.suppress(OSError, ValueError, KeyError):
        registry = json.loads((data_dir / f"{DB_FILE}.settings").read_text())
        pid = int(Path(registry["pidfile"]).read_text().strip())
        if "redis" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
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
