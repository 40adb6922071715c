"""Helpers for the store suites: complete state dumps, node factories and error checks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from domain.errors import DomainError, ErrorCode
from domain.model import EdgeKind, NodeKind
from domain.records import ActivityRecord, KeyPersonRecord, OpportunityRecord
from graph.statements import AUDIT_LABEL, WEBHOOK_EVENT_LABEL
from graph.store import GraphStore, Node

# The smallest valid property map of each node kind created through ``GraphStore.create``.
MINIMAL: dict[NodeKind, dict[str, Any]] = {
    NodeKind.CUSTOMER: {"name": "Acme Hospital"},
    NodeKind.COMPETITOR: {"name": "Rival Soft"},
    NodeKind.TEAM_MEMBER: {"name": "Wang Min"},
    NodeKind.WORK_PLAN_ITEM: {"title": "Visit the CIO"},
    NodeKind.APPROVAL: {"process": "2-1"},
}

# Required properties of the edge kinds that have any.
REQUIRED_EDGE_PROPS: dict[EdgeKind, dict[str, Any]] = {
    EdgeKind.IN_DECISION_CHAIN: {"role": "TECHNICAL_EVALUATOR"},
    EdgeKind.ON_TEAM: {"role": "ACCOUNT_MANAGER"},
}


@dataclass(frozen=True)
class State:
    """Everything stored: nodes and edges with all their properties, and the audit count."""

    nodes: list[str]
    edges: list[str]
    audits: int
    events: int = 0
    """Webhook events in the outbox (written with the audit entries)."""

    @property
    def counts(self) -> tuple[int, int, int]:
        """(domain nodes, edges, audit entries)."""
        return len(self.nodes), len(self.edges), self.audits


def state(store: GraphStore) -> State:
    """Dump the whole graph (directly on the executor: not counted as store round trips)."""
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
    return State(
        nodes=sorted(json.dumps(row, sort_keys=True) for row in nodes),
        edges=sorted(json.dumps(row, sort_keys=True) for row in edges),
        audits=int(audits),
        events=int(events),
    )


def audit_entries(store: GraphStore, target_id: str | None = None) -> list[dict[str, Any]]:
    """All audit entries (for one target), newest first, with ``changes`` decoded."""
    page = store.audit_log(target_id, limit=10_000)
    entries = []
    for item in page.items:
        entry = dict(item)
        entry["changes"] = json.loads(entry["changes"])
        entries.append(entry)
    return entries


@contextmanager
def refused(
    store: GraphStore, code: ErrorCode, field: str, *, contains: str = ""
) -> Iterator[None]:
    """Expect a DomainError with this code on this field, and the graph left exactly as it was."""
    before = state(store)
    with pytest.raises(DomainError) as caught:
        yield
    error = caught.value
    assert error.code is code, f"{error.code} != {code}: {error}"
    fields = [p.field for p in error.problems]
    assert field in fields, f"{field!r} not among {fields}: {error}"
    assert contains in str(error)
    after = state(store)
    assert after == before, "a refused write changed the graph"


class Factory:
    """Creates valid nodes of any kind, with the parents they need."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._n = 0

    def _next(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}-{self._n}"

    def customer(self, node_id: str | None = None, **props: Any) -> Node:
        return self.store.create(
            NodeKind.CUSTOMER,
            {"name": "Customer", **props},
            node_id=node_id or self._next("c"),
        )

    def person(self, customer_id: str, node_id: str | None = None, **props: Any) -> KeyPersonRecord:
        return self.store.create_key_person(
            customer_id, {"name": "Person", **props}, node_id=node_id or self._next("p")
        )

    def opportunity(
        self, customer_id: str, node_id: str | None = None, **props: Any
    ) -> OpportunityRecord:
        return self.store.create_opportunity(
            customer_id, {"name": "Deal", **props}, node_id=node_id or self._next("o")
        )

    def activity(
        self,
        person_ids: list[str],
        node_id: str | None = None,
        *,
        member_ids: tuple[str, ...] = (),
        opportunity_id: str | None = None,
        **props: Any,
    ) -> ActivityRecord:
        return self.store.log_activity(
            {"type": "VISIT", "occurred_at": self.store.clock(), "summary": "met", **props},
            person_ids=person_ids,
            member_ids=member_ids,
            opportunity_id=opportunity_id,
            node_id=node_id or self._next("a"),
        )

    def node(self, kind: NodeKind, node_id: str | None = None) -> Mapping[str, Any]:
        """A node of any kind; kinds with parents get a fresh customer (and person)."""
        node_id = node_id or self._next(kind.value.lower())
        if kind is NodeKind.KEY_PERSON:
            return self.person(self.customer()["id"], node_id)
        if kind is NodeKind.OPPORTUNITY:
            return self.opportunity(self.customer()["id"], node_id)
        if kind is NodeKind.ACTIVITY:
            person = self.person(self.customer()["id"])
            return self.activity([person["id"]], node_id)
        return self.store.create(kind, MINIMAL[kind], node_id=node_id)


def counted(store: GraphStore, action: Callable[[], Any]) -> tuple[Any, int]:
    """Run an action and return its result with the number of store round trips it took."""
    start = store.round_trips
    result = action()
    return result, store.round_trips - start
