"""The store's rows are what ``domain.records`` says: every key a record names, of its type,
on both back ends (a record naming a key the store never returns would check nothing)."""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any

import pytest
from store_support import REQUIRED_EDGE_PROPS, Factory

from domain import records
from domain.model import EDGE_SPECS, EdgeKind, NodeKind
from domain.record_codegen import edge_record_name
from graph import statements as st
from graph.store import GraphStore

ENDPOINTS = sorted(st.SET_EDGE, key=str)


@pytest.fixture
def make(store: GraphStore) -> Factory:
    return Factory(store)


def _conforms(row: Mapping[str, Any], record: Any) -> None:
    hints = typing.get_type_hints(record)
    assert set(row) <= set(hints), f"{record.__name__}: {set(row) - set(hints)}"
    assert record.__required_keys__ <= set(row), record.__name__
    for key, value in row.items():
        hint = hints[key]
        wanted = (int, float) if hint is float else hint  # a whole float may come back an int
        assert isinstance(value, wanted), (record.__name__, key, value)
        assert hint is bool or not isinstance(value, bool), (record.__name__, key, value)


@pytest.mark.parametrize("kind", list(NodeKind), ids=str)
def test_a_stored_node_is_its_record(store: GraphStore, make: Factory, kind: NodeKind) -> None:
    node_id = make.node(kind)["id"]
    record = getattr(records, f"{kind.value}Record")
    _conforms(store.get(kind, node_id), record)
    listed = store.list_page(kind, limit=100).items
    for row in listed:
        _conforms(row, record)


@pytest.mark.parametrize("key", ENDPOINTS, ids=lambda k: f"{k[0]}:{k[1]}->{k[2]}")
def test_a_stored_edge_is_its_record(
    store: GraphStore, make: Factory, key: tuple[EdgeKind, NodeKind, NodeKind]
) -> None:
    edge, source_kind, target_kind = key
    source = make.node(source_kind, "src")["id"]
    target = make.node(target_kind, "dst")["id"]
    given = dict(REQUIRED_EDGE_PROPS.get(edge, {}))
    if EDGE_SPECS[edge].same_group:  # the two people's customers become one group
        employers = store.neighbours(
            EdgeKind.WORKS_AT, NodeKind.KEY_PERSON, NodeKind.CUSTOMER, [source, target]
        )
        ends = [(NodeKind.CUSTOMER, employers[i][0].node["id"]) for i in (target, source)]
        store.set_edge(EdgeKind.PART_OF, ends[0], ends[1])
    if edge is EdgeKind.IN_DECISION_CHAIN:  # a person of another customer than the deal's
        given["external_kind"] = "CONSULTANT"
    record = getattr(records, edge_record_name(edge))
    _conforms(store.set_edge(edge, (source_kind, source), (target_kind, target), given), record)
    for reached in store.neighbours(edge, source_kind, target_kind, [source])[source]:
        _conforms(reached.edge, record)
