"""A small world with two teams, and the app with authentication on, for the security suites.

Alice (account manager) is on the team of opportunity ``o-ours`` at customer ``c-ours``. Bob is
on ``o-secret`` at ``c-secret``; everything there carries the marker ``SECRET`` in its text, so
a test can assert that nothing of it reaches Alice. Dora (sales director) manages Bob. Vic is a
viewer on Alice's team; Ada is an administrator; Dan is a sales director with no team.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from api_helpers import gid
from people import add_person

from dealgraph.app import create_app
from dealgraph.settings import Settings
from domain.model import EdgeKind, NodeKind
from graph.executor import Executor
from graph.security_store import SecurityStore
from graph.store import GraphStore

MARK = "SECRET"
Json = dict[str, Any]

HIDDEN: dict[NodeKind, str] = {
    NodeKind.CUSTOMER: "c-secret",
    NodeKind.OPPORTUNITY: "o-secret",
    NodeKind.KEY_PERSON: "p-secret",
    NodeKind.ACTIVITY: "a-secret",
    NodeKind.WORK_PLAN_ITEM: "w-secret",
    NodeKind.APPROVAL: "ap-secret",
}
"""One node of each scoped kind that Alice may not see."""

VISIBLE: dict[NodeKind, str] = {
    NodeKind.CUSTOMER: "c-ours",
    NodeKind.OPPORTUNITY: "o-ours",
    NodeKind.KEY_PERSON: "p-ours",
    NodeKind.COMPETITOR: "rival",
    NodeKind.TEAM_MEMBER: "m-alice",
}


@dataclass
class World:
    """The seeded store and a token per user."""

    store: GraphStore
    tokens: dict[str, str] = field(default_factory=dict)


def empty(executor: Executor) -> None:
    executor.write("MATCH (n) DETACH DELETE n", {})
    executor.ensure_schema()


def seed(executor: Executor) -> World:
    """Empty the graph and build the two-team world."""
    empty(executor)
    store = GraphStore(executor)
    for cid, name in (("c-ours", "Ours Hospital"), ("c-secret", f"{MARK} Bank")):
        store.create(NodeKind.CUSTOMER, {"name": name, "notes": f"{name} notes"}, node_id=cid)
    store.create_opportunity("c-ours", {"name": "Ours deal"}, node_id="o-ours")
    store.create_opportunity("c-secret", {"name": f"{MARK} deal"}, node_id="o-secret")
    store.create_key_person("c-ours", {"name": "Li Ours"}, {"title": "CIO"}, node_id="p-ours")
    store.create_key_person(
        "c-secret",
        {"name": f"{MARK} Wang", "email": "wang@secret.example", "notes": f"{MARK} notes"},
        {"title": f"{MARK} CFO"},
        node_id="p-secret",
    )
    store.create(NodeKind.COMPETITOR, {"name": "Rival Ltd"}, node_id="rival")
    for mid, name in (("m-alice", "Alice"), ("m-bob", "Bob")):
        store.create(NodeKind.TEAM_MEMBER, {"name": name}, node_id=mid)
    store.create(NodeKind.TEAM_MEMBER, {"name": "Dora", "role": "SALES_DIRECTOR"}, node_id="m-dora")
    store.create(NodeKind.WORK_PLAN_ITEM, {"title": f"{MARK} dinner with Wang"}, node_id="w-secret")
    store.create(
        NodeKind.APPROVAL,
        {"process": "2-1", "request": json.dumps({"note": MARK})},
        node_id="ap-secret",
    )
    store.log_activity(
        {"type": "VISIT", "occurred_at": 1_700_000_000_000, "summary": f"{MARK} lunch"},
        person_ids=["p-secret"],
        member_ids=["m-bob"],
        opportunity_id="o-secret",
        node_id="a-secret",
    )
    edges: list[tuple[EdgeKind, tuple[NodeKind, str], tuple[NodeKind, str], Json]] = [
        (
            EdgeKind.ON_TEAM,
            (NodeKind.TEAM_MEMBER, "m-alice"),
            (NodeKind.OPPORTUNITY, "o-ours"),
            {"role": "ACCOUNT_MANAGER"},
        ),
        (
            EdgeKind.ON_TEAM,
            (NodeKind.TEAM_MEMBER, "m-bob"),
            (NodeKind.OPPORTUNITY, "o-secret"),
            {"role": "ACCOUNT_MANAGER"},
        ),
        (
            EdgeKind.IN_DECISION_CHAIN,
            (NodeKind.KEY_PERSON, "p-ours"),
            (NodeKind.OPPORTUNITY, "o-ours"),
            {"role": "DECISION_MAKER"},
        ),
        (
            EdgeKind.IN_DECISION_CHAIN,
            (NodeKind.KEY_PERSON, "p-secret"),
            (NodeKind.OPPORTUNITY, "o-secret"),
            {"role": "DECISION_MAKER", "needs": f"{MARK} needs"},
        ),
        # Ties across the two customers: visible from Alice's side, must not reveal Wang.
        (EdgeKind.KNOWS, (NodeKind.KEY_PERSON, "p-ours"), (NodeKind.KEY_PERSON, "p-secret"), {}),
        (EdgeKind.KNOWS, (NodeKind.TEAM_MEMBER, "m-alice"), (NodeKind.KEY_PERSON, "p-secret"), {}),
        (EdgeKind.KNOWS, (NodeKind.TEAM_MEMBER, "m-alice"), (NodeKind.KEY_PERSON, "p-ours"), {}),
        (EdgeKind.CLOSE_TO, (NodeKind.COMPETITOR, "rival"), (NodeKind.KEY_PERSON, "p-secret"), {}),
        (
            EdgeKind.COMPETES_FOR,
            (NodeKind.COMPETITOR, "rival"),
            (NodeKind.OPPORTUNITY, "o-secret"),
            {},
        ),
        (
            EdgeKind.COMPETES_FOR,
            (NodeKind.COMPETITOR, "rival"),
            (NodeKind.OPPORTUNITY, "o-ours"),
            {},
        ),
        (
            EdgeKind.PLANNED_FOR,
            (NodeKind.WORK_PLAN_ITEM, "w-secret"),
            (NodeKind.OPPORTUNITY, "o-secret"),
            {},
        ),
        (
            EdgeKind.TARGETS,
            (NodeKind.WORK_PLAN_ITEM, "w-secret"),
            (NodeKind.KEY_PERSON, "p-secret"),
            {},
        ),
        (
            EdgeKind.ASSIGNED_TO,
            (NodeKind.WORK_PLAN_ITEM, "w-secret"),
            (NodeKind.TEAM_MEMBER, "m-bob"),
            {},
        ),
        (
            EdgeKind.REQUESTED_FOR,
            (NodeKind.APPROVAL, "ap-secret"),
            (NodeKind.OPPORTUNITY, "o-secret"),
            {},
        ),
    ]
    for edge, source, target, props in edges:
        store.set_edge(edge, source, target, props)
    # An influence tie across the two customers, as data written before ties were kept within
    # one group (the store refuses it now): it still must not reveal Wang.
    executor.write(
        "MATCH (a:KeyPerson {id: 'p-ours'}), (b:KeyPerson {id: 'p-secret'}) "
        "CREATE (a)-[:INFLUENCES {strength: 'MODERATE', created_at: 1, updated_at: 1}]->(b)",
        {},
    )
    security = SecurityStore(store)
    security.set_manages("m-dora", "m-bob")
    world = World(store)
    for name, role, member in (
        ("alice", "account_manager", "m-alice"),
        ("bob", "account_manager", "m-bob"),
        ("dora", "sales_director", "m-dora"),
        ("vic", "viewer", "m-alice"),
        ("ada", "admin", None),
        ("dan", "sales_director", None),
    ):
        world.tokens[name] = add_person(store, name, role, member).token
    return world


def secure_settings(**changes: Any) -> Settings:
    """Settings with authentication on (the default), data in a temporary folder."""
    return replace(Settings(data_dir=Path(tempfile.gettempdir()), warm_deals=0), **changes)


class Client:
    """The app over HTTP as one user (or anonymous)."""

    def __init__(self, http: TestClient, token: str | None) -> None:
        self.http = http
        self.token = token

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def post(self, query: str, variables: Mapping[str, Any] | None = None) -> Any:
        return self.http.post(
            "/graphql",
            json={"query": query, "variables": dict(variables or {})},
            headers=self.headers(),
        )

    def gql(self, query: str, variables: Mapping[str, Any] | None = None) -> Json:
        response = self.post(query, variables)
        assert response.status_code < 500, response.text
        body: Json = response.json()
        return body


@contextmanager
def open_app(store: GraphStore, settings: Settings | None = None) -> Iterator[TestClient]:
    app = create_app(settings or secure_settings(), store=store)
    with TestClient(app, raise_server_exceptions=False) as http:
        yield http


def codes(body: Mapping[str, Any]) -> list[str]:
    """Every error code of a response: top-level errors and payload userErrors."""
    found = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "userErrors" and isinstance(item, list):
                    found.extend(e.get("code") for e in item if isinstance(e, dict))
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body.get("data"))
    return [c for c in found if c]


def text(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False)


__all__ = ["HIDDEN", "MARK", "VISIBLE", "Client", "World", "codes", "gid", "open_app", "seed"]
