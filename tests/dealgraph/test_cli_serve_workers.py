"""Several API workers: as many as the cores available by default, all on the one socket the
server checked, so the port is never free between the check and the workers answering."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from servers import stop_store_server

from dealgraph.cli import build_parser
from dealgraph.cores import available_cores
from dealgraph.serve import port_problem
from dealgraph.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_workers_default_to_the_cores_this_process_may_use() -> None:
    args = build_parser(load_settings({}, dotenv=None)).parse_args(["serve"])
    assert args.workers == available_cores()
    if hasattr(os, "sched_getaffinity"):
        assert available_cores() == len(os.sched_getaffinity(0))


def test_two_workers_keep_the_port_from_the_check_until_they_answer(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DEALGRAPH_DATA_DIR": os.fspath(tmp_path / "data"),
        "DEALGRAPH_AUTH_REQUIRED": "false",
    }
    command = [sys.executable, "-m", "dealgraph.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while port_problem("127.0.0.1", port) is None:
            assert time.monotonic() < deadline, "the server never listened"
            assert server.poll() is None, "the server stopped"
            time.sleep(0.02)
        ready = False
        while not ready:
            assert port_problem("127.0.0.1", port) is not None, "the port was free for a moment"
            assert time.monotonic() < deadline, "the workers never answered"
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
            except httpx.TransportError:
                time.sleep(0.05)
        answers = [
            httpx.post(
                f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"}, timeout=30
            ).status_code
            for _ in range(8)
        ]
        assert answers == [200] * 8
        second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert second.returncode == 1
        assert "already in use" in second.stderr
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        stop_store_server(tmp_path / "data")
