"""Store-level bulk transfer: batched, idempotent import and keyset-paged export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from domain.errors import DomainError
from domain.model import EdgeKind, NodeKind, RecordEdgeKind, RecordKind
from graph import transfer as gt
from graph.backends.embedded import EmbeddedExecutor
from graph.executor import Executor, StoreError
from graph.store import GraphStore

PERSON = NodeKind.KEY_PERSON
CUSTOMER = NodeKind.CUSTOMER
WORKS_AT = (EdgeKind.WORKS_AT, PERSON, CUSTOMER)
KNOWS = (EdgeKind.KNOWS, PERSON, PERSON)
USER, TOKEN = RecordKind.USER, RecordKind.API_TOKEN
AUTHENTICATES = (RecordEdgeKind.AUTHENTICATES, TOKEN, USER)


@pytest.fixture
def xfer_store(backend: Executor) -> GraphStore:
    """An empty store on each back end."""
    return GraphStore(backend)


def _node(node_id: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"id": node_id, "name": name, "version": 1, "created_at": 1, "updated_at": 1, **extra}


def _edge(from_id: str, to_id: str, **props: Any) -> dict[str, Any]:
    return {"from_id": from_id, "to_id": to_id, "props": {"created_at": 1, **props}}


def _people(count: int) -> list[dict[str, Any]]:
    return [_node(f"p{i:04d}", f"Person {i}") for i in range(count)]


def test_import_sends_one_statement_per_batch_and_reports_each_batch(
    xfer_store: GraphStore,
) -> None:
    batches: list[int] = []
    xfer_store.round_trips = 0
    written = gt.import_nodes(
        xfer_store, PERSON, _people(25), batch_size=10, on_batch=batches.append
    )
    assert written == 25
    assert batches == [10, 10, 5]
    assert xfer_store.round_trips == 3
    assert xfer_store.count(PERSON) == 25


def test_import_is_idempotent_and_replaces_properties(xfer_store: GraphStore) -> None:
    gt.import_nodes(xfer_store, CUSTOMER, [_node("c1", "Old", region="North")])
    gt.import_nodes(xfer_store, CUSTOMER, [_node("c1", "New")])
    gt.import_nodes(xfer_store, CUSTOMER, [_node("c1", "New")])
    assert xfer_store.count(CUSTOMER) == 1
    assert xfer_store.get(CUSTOMER, "c1") == _node("c1", "New")


def test_edges_merge_and_a_single_edge_kind_is_re_pointed(xfer_store: GraphStore) -> None:
    gt.import_nodes(xfer_store, CUSTOMER, [_node("c1", "A"), _node("c2", "B")])
    gt.import_nodes(xfer_store, PERSON, _people(3))
    gt.import_edges(xfer_store, WORKS_AT, [_edge("p0000", "c1", title="CIO")])
    gt.import_edges(xfer_store, WORKS_AT, [_edge("p0000", "c2", title="CEO")])
    gt.import_edges(xfer_store, KNOWS, [_edge("p0000", "p0001"), _edge("p0000", "p0002")])
    gt.import_edges(xfer_store, KNOWS, [_edge("p0000", "p0001", level="STRONG")])
    exported = [e for page in gt.export_edges(xfer_store, WORKS_AT) for e in page]
    assert [(e.from_id, e.to_id, e.props) for e in exported] == [
        ("p0000", "c2", {"created_at": 1, "title": "CEO"})
    ]
    knows = [e for page in gt.export_edges(xfer_store, KNOWS) for e in page]
    assert [(e.to_id, e.props.get("level")) for e in knows] == [
        ("p0001", "STRONG"),
        ("p0002", None),
    ]


def test_an_edge_to_a_missing_node_is_an_error_not_a_silent_drop(xfer_store: GraphStore) -> None:
    gt.import_nodes(xfer_store, PERSON, _people(1))
    with pytest.raises(StoreError, match="end node is missing"):
        gt.import_edges(xfer_store, WORKS_AT, [_edge("p0000", "nowhere")])


def test_export_pages_by_id_and_sees_every_node_once(xfer_store: GraphStore) -> None:
    people = _people(23)
    gt.import_nodes(xfer_store, PERSON, reversed(people))
    xfer_store.round_trips = 0
    pages = list(gt.export_nodes(xfer_store, PERSON, page_size=10))
    assert [len(p) for p in pages] == [10, 10, 3]
    assert xfer_store.round_trips == 3
    assert [n for page in pages for n in page] == people


def test_export_edges_pages_over_sources_including_those_without_edges(
    xfer_store: GraphStore,
) -> None:
    gt.import_nodes(xfer_store, PERSON, _people(12))
    gt.import_edges(xfer_store, KNOWS, [_edge("p0011", "p0000"), _edge("p0003", "p0004")])
    pages = list(gt.export_edges(xfer_store, KNOWS, page_size=5))
    assert len(pages) == 3
    assert [(e.from_id, e.to_id) for page in pages for e in page] == [
        ("p0003", "p0004"),
        ("p0011", "p0000"),
    ]
    assert gt.count_edges(xfer_store)[KNOWS] == 2


def test_store_round_trip_reproduces_nodes_and_edges(
    tmp_path: Path, xfer_store: GraphStore
) -> None:
    gt.import_nodes(xfer_store, CUSTOMER, [_node("c1", "A", employees=10)])
    gt.import_nodes(xfer_store, PERSON, _people(7))
    gt.import_edges(xfer_store, WORKS_AT, [_edge(f"p{i:04d}", "c1") for i in range(7)])
    gt.import_nodes(xfer_store, USER, [{"id": "ann", "name": "ann", "role": "admin"}])
    tokens = [{"id": f"t{i}", "hash": "ab" * 32, "label": "", "created_at": i} for i in range(4)]
    gt.import_nodes(xfer_store, TOKEN, tokens)
    gt.import_edges(xfer_store, AUTHENTICATES, [_edge(f"t{i}", "ann") for i in range(4)])
    target = GraphStore(EmbeddedExecutor(tmp_path / "target", fsync="no"))
    target.ensure_schema()
    try:
        for kind in (CUSTOMER, PERSON, USER, TOKEN):
            for nodes in gt.export_nodes(xfer_store, kind, page_size=3):
                gt.import_nodes(target, kind, nodes, batch_size=2)
        for key in (WORKS_AT, AUTHENTICATES):
            for edges in gt.export_edges(xfer_store, key, page_size=3):
                rows = [_edge(e.from_id, e.to_id) | {"props": e.props} for e in edges]
                gt.import_edges(target, key, rows, batch_size=2)
        for kind in (CUSTOMER, PERSON, USER, TOKEN):
            assert list(gt.export_nodes(target, kind)) == list(gt.export_nodes(xfer_store, kind))
        for key in (WORKS_AT, AUTHENTICATES):
            assert list(gt.export_edges(target, key)) == list(gt.export_edges(xfer_store, key))
        assert gt.count_all(target) == gt.count_all(xfer_store)
        assert gt.count_all(target)["ApiToken"] == 4
    finally:
        target.close()


def test_record_checks_apply_the_model_field_specs() -> None:
    assert gt.check_node(CUSTOMER, _node("c1", "A", region=None)) == _node("c1", "A")
    with pytest.raises(DomainError, match="employees: must be a whole number"):
        gt.check_node(CUSTOMER, _node("c1", "A", employees="many"))
    with pytest.raises(DomainError, match="name: is required"):
        gt.check_node(CUSTOMER, {"id": "c1", "version": 1, "created_at": 1, "updated_at": 1})
    with pytest.raises(DomainError, match="id: must be 1-100"):
        gt.check_node(CUSTOMER, _node("bad id!", "A"))
    with pytest.raises(DomainError, match="bogus: is not a field"):
        gt.check_node(CUSTOMER, _node("c1", "A", bogus=1))
    assert gt.check_edge(EdgeKind.KNOWS, {"level": "STRONG"}) == {"level": "STRONG"}
    with pytest.raises(DomainError, match="level: must be one of"):
        gt.check_edge(EdgeKind.KNOWS, {"level": "BEST_FRIENDS"})
    assert gt.edge_key("WORKS_AT", "KeyPerson", "Customer") == WORKS_AT
    assert gt.edge_key("WORKS_AT", "Customer", "KeyPerson") is None
    assert gt.edge_key("LIKES", "KeyPerson", "KeyPerson") is None


def test_system_records_are_checked_against_their_model_specs() -> None:
    violation = {
        "id": "v1",
        "key": "RULE:o1:x",
        "rule": "RULE",
        "opportunity_id": "o1",
        "detected_at": 5,
        "acknowledged": False,
    }
    assert gt.check_node(RecordKind.VIOLATION, violation) == violation
    with pytest.raises(DomainError, match="key: is required"):
        gt.check_node(RecordKind.VIOLATION, {k: v for k, v in violation.items() if k != "key"})
    with pytest.raises(DomainError, match="acknowledged: must be true or false"):
        gt.check_node(RecordKind.VIOLATION, violation | {"acknowledged": "no"})
    with pytest.raises(DomainError, match="id: must be 1-100"):
        gt.check_node(USER, {"id": "", "name": "x", "role": "admin"})
    with pytest.raises(DomainError, match="secret: is not a field"):
        gt.check_node(TOKEN, {"id": "t1", "hash": "ab", "secret": "s"})
    with pytest.raises(DomainError, match="version: is not a field"):
        gt.check_node(USER, {"id": "u1", "name": "x", "role": "admin", "version": 1})
    # An Approval keeps the process's own properties besides its API fields.
    approval = _node("a1", "x", history="[]", requester_id="m1", opportunity_id="o1")
    approval = {k: v for k, v in approval.items() if k != "name"} | {"process": "1-1"}
    assert gt.check_node(NodeKind.APPROVAL, approval) == approval
    assert gt.check_edge(RecordEdgeKind.MANAGES, {"created_at": 1}) == {"created_at": 1}
    with pytest.raises(DomainError, match="updated_at: is not a field"):
        gt.check_edge(RecordEdgeKind.ACTS_AS, {"updated_at": 1})
    assert gt.edge_key("AUTHENTICATES", "ApiToken", "User") == AUTHENTICATES
    assert gt.edge_key("AUTHENTICATES", "User", "ApiToken") is None
    assert gt.edge_key("MANAGES", "TeamMember", "TeamMember") is not None
    assert gt.label_of("Violation") is RecordKind.VIOLATION
    assert gt.label_of("Customer") is CUSTOMER
    assert gt.label_of("Lead") is None
