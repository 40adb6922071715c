"""The GraphQL-over-HTTP audit suite of the npm package ``graphql-http`` (``serverAudits``)
against the real server on both back ends: uvicorn, authentication on, a real token sent with
every audit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from servers import ServedBackend, serve

from graph.security_store import SecurityStore

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


def test_the_graphql_over_http_audits_pass_without_errors_or_warnings(
    served_backend: ServedBackend,
) -> None:
    node = require_audit()
    store = served_backend.open_store()
    security = SecurityStore(store)
    security.add_user("auditor", "viewer")
    token = security.issue_token("auditor").token
    store.close()

    with serve(served_backend) as base:
        url = f"{base}/graphql"
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
