"""Helpers for the API suites: the app over HTTP on a real embedded store, global IDs, a
complete dump of the stored graph, and checks of the error shapes the API promises.

Suites build one app per module with ``open_api(embedded_executor)`` (the session-wide
embedded server of ``tests/conftest.py``); the graph is emptied when the module starts.
"""

from __future__ import annotations

import base64
import json
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    # Starlette nudges towards httpx2; the TestClient itself works the same.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import httpx

from dealgraph.app import create_app
from dealgraph.settings import Settings
from domain.model import NodeKind
from graph.executor import Executor
from graph.statements import AUDIT_LABEL
from graph.store import GraphStore

CODES = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "CONFLICT",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "INTERNAL_SERVER_ERROR",
}

# What must never reach a client, whatever fails inside.
LEAKS = ("Traceback", "MATCH", "MERGE", "redis", "Redis", "falkordb", 'File "', "site-packages")

Json = dict[str, Any]


def gid(kind: NodeKind | str, node_id: str) -> str:
    """The global ID the API gives a store node."""
    name = kind.value if isinstance(kind, NodeKind) else kind
    return base64.b64encode(f"{name}:{node_id}".encode()).decode()


def raw(global_id: str) -> str:
    """The store id inside a global ID."""
    return base64.b64decode(global_id).decode().split(":", 1)[1]


@dataclass(frozen=True)
class Snapshot:
    """Everything stored: nodes and edges with all their properties, and the audit entries."""

    nodes: tuple[str, ...]
    edges: tuple[str, ...]
    audits: int


def snapshot(store: GraphStore) -> Snapshot:
    """Dump the whole graph straight from the executor (not counted as store round trips)."""
    ex = store.executor
    nodes = ex.read(
        f"MATCH (n) WHERE NOT n:{AUDIT_LABEL} RETURN labels(n) AS labels, properties(n) AS p", {}
    )
    edges = ex.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p", {}
    )
    audits = ex.read(f"MATCH (a:{AUDIT_LABEL}) RETURN count(a) AS count", {})[0]["count"]
    return Snapshot(
        nodes=tuple(sorted(json.dumps(row, sort_keys=True, default=str) for row in nodes)),
        edges=tuple(sorted(json.dumps(row, sort_keys=True, default=str) for row in edges)),
        audits=int(audits),
    )


class Api:
    """A GraphQL client over HTTP against the app, with the store it runs on."""

    def __init__(self, client: TestClient, store: GraphStore) -> None:
        self.client = client
        self.store = store

    def post(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """POST one operation as JSON."""
        body = {"query": query, "variables": dict(variables or {})}
        response: httpx.Response = self.client.post(
            "/graphql", json=body, headers=dict(headers or {})
        )
        return response

    def body(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> Json:
        """The JSON body of a POSTed operation (GraphQL answers with HTTP 200)."""
        response = self.post(query, variables, headers=headers)
        assert response.status_code == 200, response.text
        assert_no_leak(response.text)
        result: Json = response.json()
        return result

    def data(self, query: str, variables: Mapping[str, Any] | None = None) -> Json:
        """The data of an operation that must succeed without any error."""
        result = self.body(query, variables)
        assert "errors" not in result, result
        data: Json = result["data"]
        return data

    def mutate(self, query: str, variables: Mapping[str, Any] | None = None) -> Json:
        """The payload of the only mutation in ``query``, which must succeed."""
        data = self.data(query, variables)
        (payload,) = data.values()
        assert payload["userErrors"] == [], payload["userErrors"]
        result: Json = payload
        return result

    def refused(
        self, query: str, variables: Mapping[str, Any], code: str, field: list[str] | None = None
    ) -> list[Json]:
        """A mutation answered with userErrors of ``code`` (on ``field``), nothing written."""
        before = snapshot(self.store)
        data = self.data(query, variables)
        (payload,) = data.values()
        errors: list[Json] = payload["userErrors"]
        assert errors, f"expected userErrors with {code}, got {payload}"
        assert errors[0]["code"] == code, errors
        if field is not None:
            assert field in [e["field"] for e in errors], errors
        objects = [v for k, v in payload.items() if k != "userErrors"]
        assert all(v is None for v in objects), payload
        assert snapshot(self.store) == before, "a refused mutation changed the graph"
        return errors

    def top_error(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        code: str,
        *,
        contains: str = "",
    ) -> Json:
        """An operation answered with a top-level error of ``code``; nothing written."""
        before = snapshot(self.store)
        result = self.body(query, variables)
        errors = result.get("errors")
        assert errors, f"expected a {code} error, got {result}"
        assert_error_shape(result)
        assert errors[0]["extensions"]["code"] == code, errors
        assert contains in errors[0]["message"], errors
        assert snapshot(self.store) == before, "a refused operation changed the graph"
        first: Json = errors[0]
        return first


def assert_no_leak(text: str) -> None:
    """No stack trace, statement or store message in what a client receives."""
    for marker in LEAKS:
        assert marker not in text, f"{marker!r} reached the client: {text[:500]}"


def assert_error_shape(body: Mapping[str, Any]) -> None:
    """Every top-level error has a message and a code from the fixed set with a request id."""
    for error in body["errors"]:
        assert isinstance(error["message"], str)
        assert error["message"]
        assert error["extensions"]["code"] in CODES, error
        assert error["extensions"]["requestId"], error


def empty_graph(executor: Executor) -> None:
    """Remove every node and edge (audit entries too) and put the schema back."""
    executor.write("MATCH (n) DETACH DELETE n", {})
    executor.ensure_schema()


@contextmanager
def open_api(executor: Executor, *, mode: str = "development", empty: bool = True) -> Iterator[Api]:
    """The app over a store on ``executor`` (emptied first unless ``empty`` is false), driven
    through Starlette's TestClient."""
    if empty:
        empty_graph(executor)
    store = GraphStore(executor)
    # These suites test the API, not authentication (tests/security covers that).
    settings = Settings(data_dir=Path(tempfile.gettempdir()), mode=mode, auth_required=False)
    app = create_app(settings, store=store)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield Api(client, store)
