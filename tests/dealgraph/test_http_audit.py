"""The GraphQL-over-HTTP audit suite of the npm package ``graphql-http`` (``serverAudits``)
against the real server: uvicorn, authentication on, a real token sent with every audit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from servers import free_port, stop_server

from graph.backends.embedded import EmbeddedExecutor
from graph.security_store import SecurityStore
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parents[2]
AUDIT_DIR = ROOT / "tools" / "http-audit"
PACKAGE = AUDIT_DIR / "node_modules" / "graphql-http" / "package.json"


def require_audit() -> str:
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "node is not on PATH"
    elif not PACKAGE.exists():
        problem = "graphql-http is missing: run `make http-deps`"
    if problem is None:
        assert node is not None
        return node
    if os.environ.get("CI"):
        pytest.fail(f"the HTTP audit cannot run in CI: {problem}")
    pytest.skip(f"HTTP audit unavailable: {problem}")


@contextmanager
def served(data_dir: Path) -> Iterator[str]:
    """uvicorn on the real app (``dealgraph.asgi``) with the settings' defaults: auth on."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.fspath(ROOT), "DEALGRAPH_DATA_DIR": os.fspath(data_dir)}
    env.pop("DEALGRAPH_AUTH_REQUIRED", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "dealgraph.asgi:app", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not become ready")
        yield f"{base}/graphql"
    finally:
        stop_server(process, data_dir)


def test_the_graphql_over_http_audits_pass_without_errors_or_warnings(tmp_path: Path) -> None:
    node = require_audit()
    data_dir = tmp_path / "data"
    store = GraphStore(EmbeddedExecutor(data_dir))
    store.ensure_schema()
    security = SecurityStore(store)
    security.add_user("auditor", "viewer")
    token = security.issue_token("auditor").token
    store.close()

    with served(data_dir) as url:
        unauthenticated = httpx.post(url, json={"query": "{ __typename }"})
        assert unauthenticated.status_code == 401  # the audits really run under authentication
        run = subprocess.run(
            [node, "audit.mjs", url],
            cwd=AUDIT_DIR,
            env={**os.environ, "DEALGRAPH_AUDIT_TOKEN": token},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.stdout, run.stderr
    report = json.loads(run.stdout)
    assert report["counts"]["error"] == 0, report["problems"]
    assert report["counts"]["warn"] == 0, report["problems"]
    assert report["counts"]["ok"] > 40, report
    assert run.returncode == 0, run.stderr
