"""What the benchmarks that start ``dealgraph serve`` share."""

from __future__ import annotations

import subprocess
import time

import httpx


def wait_ready(base: str, server: subprocess.Popen[bytes], within: float = 120.0) -> None:
    """Return once the server at ``base`` answers ``/readyz``; SystemExit when its process
    stopped or it took longer than ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("the server did not become ready")
        time.sleep(0.2)
