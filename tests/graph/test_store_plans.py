"""The statements every request runs find their nodes by key or by walking from a bound node:
a label scan there costs every request in proportion to the whole store (all team members,
all audit entries), however small the caller's share of it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from graph import statements as st
from graph.backends.embedded import EmbeddedExecutor
from graph.backends.neo4j import Neo4jExecutor
from graph.executor import Executor

PER_REQUEST: Mapping[str, tuple[str, dict[str, Any]]] = {
    "PRINCIPAL_BY_TOKEN": (st.PRINCIPAL_BY_TOKEN, {"token_id": "t1"}),
    "PRINCIPAL_BY_USER": (st.PRINCIPAL_BY_USER, {"user_id": "u1"}),
    "AUDIT_SINCE": (st.AUDIT_SINCE, {"since": 0, "limit": 100}),
}
SCANS = ("label scan", "labelscan", "all nodes scan", "allnodesscan")


def _operators(executor: Executor, statement: str, params: dict[str, Any]) -> list[str]:
    """The operators of the back end's plan for ``statement`` (EXPLAIN: nothing runs). The
    executors keep their connections private; a plan is a test's question, not the API's."""
    if isinstance(executor, EmbeddedExecutor):
        plan = executor._graph.explain(statement, params)
        return [line.strip() for line in str(plan).splitlines()]
    assert isinstance(executor, Neo4jExecutor)
    summary = executor._driver.execute_query(
        "EXPLAIN " + statement, params, database_=executor._database
    ).summary
    found: list[str] = []
    assert summary.plan is not None
    pending: list[dict[str, Any]] = [summary.plan]
    while pending:
        node = pending.pop()
        found.append(str(node["operatorType"]))
        pending.extend(node.get("children", []))
    return found


@pytest.mark.parametrize("name", sorted(PER_REQUEST))
def test_per_request_statements_scan_no_label(backend: Executor, name: str) -> None:
    statement, params = PER_REQUEST[name]
    operators = _operators(backend, statement, params)
    assert operators, "no plan"
    scans = [op for op in operators if any(scan in op.lower() for scan in SCANS)]
    assert scans == [], f"{name} scans: {scans}"
