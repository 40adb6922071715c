"""Helpers for the API suites: the app over HTTP on a real embedded store, global IDs, a
complete dump of the stored graph, and checks of the error shapes the API promises.

Suites build one app per module with ``open_api(embedded_executor)`` (the session-wide
embedded server of ``tests/conftest.py``); the graph is emptied when the module starts. The app
runs as deployed: authentication on, every request with a real bearer token of a user made the
way ``dealgraph user add`` makes them (``tests/people.py``) — an administrator unless a test acts
as someone else with ``api.as_(person)``.
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
from typing import Any, Final

with warnings.catch_warnings():
    # Starlette nudges towards httpx2; the TestClient itself works the same.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import httpx
from people import ADMIN_LOGIN, Person, add_person

from dealgraph.app import create_app
from dealgraph.settings import Settings
from domain.model import NodeKind
from graph.executor import Executor
from graph.statements import AUDIT_LABEL, WEBHOOK_EVENT_LABEL
from graph.store import GraphStore
from resolvers.derived import KEPT

CODES = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "CONFLICT",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "INTERNAL_SERVER_ERROR",
    "UNAVAILABLE",
}

# What must never reach a client, whatever fails inside: a stack trace, Cypher, or a message of
# either store (FalkorDB's server is a Redis; Neo4j's codes start "Neo." and its driver's
# exceptions live in neo4j.exceptions).
LEAKS = (
    "Traceback",
    "MATCH",
    "MERGE",
    "redis",
    "Redis",
    "falkordb",
    'File "',
    "site-packages",
    "Neo.ClientError",
    "Neo.DatabaseError",
    "Neo.TransientError",
    "neo4j.exceptions",
    "bolt://",
    "neo4j://",
)

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
    events: int = 0
    """Webhook events in the outbox (written with the audit entries)."""

    def changes_since(self, before: Snapshot) -> str:
        """What differs from ``before``, for a failure message: rows gone and new, and how
        many audit entries and webhook events were added."""
        lines = [
            f"{sign} {row}"
            for old, new in ((before.nodes, self.nodes), (before.edges, self.edges))
            for sign, rows in (("-", set(old) - set(new)), ("+", set(new) - set(old)))
            for row in sorted(rows)
        ]
        if self.audits != before.audits:
            lines.append(f"audit entries {before.audits} -> {self.audits}")
        if self.events != before.events:
            lines.append(f"webhook events {before.events} -> {self.events}")
        return "\n".join(lines[:20])


def snapshot(store: GraphStore) -> Snapshot:
    """Dump the whole graph straight from the executor (not counted as store round trips)."""
    ex = store.executor
    nodes = ex.read(
        f"MATCH (n) WHERE NOT n:{AUDIT_LABEL} AND NOT n:{WEBHOOK_EVENT_LABEL} "
        "RETURN labels(n) AS labels, properties(n) AS p",
        {},
    )
    edges = ex.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p", {}
    )
    audits = ex.read(f"MATCH (a:{AUDIT_LABEL}) RETURN count(a) AS count", {})[0]["count"]
    events = ex.read(f"MATCH (e:{WEBHOOK_EVENT_LABEL}) RETURN count(e) AS count", {})[0]["count"]
    return Snapshot(
        nodes=tuple(sorted(json.dumps(row, sort_keys=True, default=str) for row in nodes)),
        edges=tuple(sorted(json.dumps(row, sort_keys=True, default=str) for row in edges)),
        audits=int(audits),
        events=int(events),
    )


class Api:
    """A GraphQL client over HTTP against the app, with the store it runs on, sending the
    bearer token of ``person`` (none in development mode without authentication)."""

    def __init__(self, client: TestClient, store: GraphStore, person: Person | None = None) -> None:
        self.client = client
        self.store = store
        self.person = person

    def as_(self, person: Person) -> Api:
        """The same app and store, acting as ``person`` with their own token."""
        return Api(self.client, self.store, person)

    def post(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """POST one operation as JSON."""
        body = {"query": query, "variables": dict(variables or {})}
        sent = dict(self.person.authorization) if self.person else {}
        sent.update(headers or {})
        response: httpx.Response = self.client.post("/graphql", json=body, headers=sent)
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

    def trips(self, query: str, variables: Mapping[str, Any] | None = None) -> tuple[Json, int]:
        """The data of a query and the store round trips its resolvers cost: the request's
        round trips less those of an empty request (authenticating the caller). Exact while
        nothing else reads the store (``serve`` starts no warm-up nor webhook dispatcher)."""
        self.store.round_trips = 0
        self.data("{ __typename }")
        authentication = self.store.round_trips
        self.store.round_trips = 0
        data = self.data(query, variables)
        return data, self.store.round_trips - authentication

    def mutate(self, query: str, variables: Mapping[str, Any] | None = None) -> Json:
        """The payload of the only mutation in ``query``, which must succeed."""
        data = self.data(query, variables)
        (payload,) = data.values()
        assert payload["userErrors"] == [], payload["userErrors"]
        result: Json = payload
        return result

    def node(self, query: str, node_id: str, *, headers: Mapping[str, str] | None = None) -> Json:
        """``node(id:)`` read by this login with ``query`` (``$id``), which must succeed."""
        body = self.body(query, {"id": node_id}, headers=headers)
        assert "errors" not in body, body
        found: Json = body["data"]["node"]
        return found

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
        after = snapshot(self.store)
        assert after == before, (
            f"a refused mutation changed the graph:\n{after.changes_since(before)}"
        )
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
        after = snapshot(self.store)
        assert after == before, (
            f"a refused operation changed the graph:\n{after.changes_since(before)}"
        )
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
def open_api(
    executor: Executor,
    *,
    mode: str = "development",
    empty: bool = True,
    auth: bool = True,
    settings: Mapping[str, Any] | None = None,
) -> Iterator[Api]:
    """The app over a store on ``executor`` (emptied first unless ``empty`` is false), driven
    through Starlette's TestClient as the administrator; ``auth=False`` is development mode
    without authentication, for the tests whose subject it is. ``settings`` override fields
    of the app's ``Settings``."""
    if empty:
        empty_graph(executor)
    with serve(GraphStore(executor), mode=mode, auth=auth, settings=settings) as api:
        yield api


ZH: Final = {"Accept-Language": "zh-CN"}
"""The headers of a request whose person reads Chinese."""
DAY_MS: Final = 86_400_000
"""A day in the milliseconds the API's times are given in."""

SECRET_KEYS: Final = ("ZmV3LWJ1dC1maXhlZC10ZXN0LWtleS0zMi1ieXRlcyE=",)
"""The server's secret keys in the tests (DEALGRAPH_SECRET_KEY), as a deployment configures
them; a dispatcher a test runs opens the stored secrets with the same."""


@contextmanager
def serve(
    store: GraphStore,
    *,
    mode: str = "development",
    auth: bool = True,
    settings: Mapping[str, Any] | None = None,
) -> Iterator[Api]:
    """The app over ``store`` as deployed (authentication on, acting as an administrator made
    through ``dealgraph user add``), or without authentication when ``auth`` is false."""
    # No warm-up and no webhook dispatcher unless a test asks: both read the store in the
    # background, where a test counts round trips. The dispatcher also keeps time by the real
    # clock while these stores keep a fixed one (2025): its first round would prune the outbox
    # as a month old, whenever it comes, and a refused write then seemed to change the graph.
    # Deliveries are tested with a dispatcher a test runs, and in served processes on real time.
    defaults: dict[str, Any] = {
        "data_dir": Path(tempfile.gettempdir()),
        "secret_keys": SECRET_KEYS,
        "warm_deals": 0,
        "webhooks_dispatch": False,
    }
    config = Settings(mode=mode, auth_required=auth, **(defaults | dict(settings or {})))
    KEPT.clear()  # as in a new server process: nothing kept from an earlier store
    app = create_app(config, store=store)
    admin = add_person(store, ADMIN_LOGIN, "admin") if auth else None
    # Raw requests of the client (``api.client.get(...)``) carry the administrator's token too.
    headers = admin.authorization if admin else None
    with TestClient(
        app, raise_server_exceptions=False, follow_redirects=False, headers=headers
    ) as client:
        yield Api(client, store, admin)
