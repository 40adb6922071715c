"""The store contract for edges: set and remove every edge kind between every allowed pair of
node kinds, defaults, property merging, single-per-source re-pointing, neighbours, refusals."""

from __future__ import annotations

import pytest
from store_support import REQUIRED_EDGE_PROPS, Factory, audit_entries, counted, refused, state

from domain.errors import ErrorCode
from domain.model import EDGE_SPECS, EdgeKind, NodeKind, defaults
from graph import statements as st
from graph.store import GraphStore

ENDPOINTS = sorted(st.SET_EDGE, key=str)


def _id(key: tuple[EdgeKind, NodeKind, NodeKind]) -> str:
    edge, source, target = key
    return f"{edge.value}:{source.value}->{target.value}"


@pytest.fixture
def make(store: GraphStore) -> Factory:
    return Factory(store)


def test_every_edge_kind_has_endpoints() -> None:
    assert {key[0] for key in ENDPOINTS} == set(EdgeKind)
    assert set(st.REMOVE_EDGE) == set(st.SET_EDGE)


@pytest.mark.parametrize("key", ENDPOINTS, ids=_id)
def test_set_neighbours_and_remove_every_edge(
    store: GraphStore, make: Factory, key: tuple[EdgeKind, NodeKind, NodeKind]
) -> None:
    edge, source_kind, target_kind = key
    spec = EDGE_SPECS[edge]
    source = make.node(source_kind, "src")["id"]
    target = make.node(target_kind, "dst")["id"]
    given = REQUIRED_EDGE_PROPS.get(edge, {})
    if spec.same_group:  # the two people's customers become one group
        employers = store.neighbours(
            EdgeKind.WORKS_AT, NodeKind.KEY_PERSON, NodeKind.CUSTOMER, [source, target]
        )
        ends = [(NodeKind.CUSTOMER, employers[i][0].node["id"]) for i in (target, source)]
        store.set_edge(EdgeKind.PART_OF, ends[0], ends[1])
    if edge is EdgeKind.IN_DECISION_CHAIN:  # a person of another customer than the deal's
        given = {**given, "external_kind": "CONSULTANT"}
    audits = state(store).audits
    # nodes with parents may already have edges of this kind (an activity's WITH, for one)
    had = [n.node["id"] for n in store.neighbours(edge, source_kind, target_kind, [source])[source]]

    props = store.set_edge(edge, (source_kind, source), (target_kind, target), given)
    expected = {**defaults(spec.fields), **given}
    assert {k: props.get(k) for k in expected} == expected
    assert props["created_at"] <= props["updated_at"]
    assert state(store).audits == audits + 1
    entry = audit_entries(store, f"{source}->{target}")[0]
    assert entry["operation"] == "set_edge"
    assert entry["target_kind"] == edge.value
    assert entry["changes"]["after"] == given

    out = store.neighbours(edge, source_kind, target_kind, [source])[source]
    expected_ids = [target] if EDGE_SPECS[edge].single_per_source else [*had, target]
    assert sorted(n.node["id"] for n in out) == sorted(expected_ids)
    assert next(n.edge for n in out if n.node["id"] == target) == props
    into = store.neighbours(edge, source_kind, target_kind, [target], incoming=True)[target]
    assert [n.node["id"] for n in into] == [source]

    removed = store.remove_edge(edge, (source_kind, source), (target_kind, target))
    assert removed == props
    left = store.neighbours(edge, source_kind, target_kind, [source])[source]
    assert target not in [n.node["id"] for n in left]
    assert audit_entries(store, f"{source}->{target}")[0]["operation"] == "remove_edge"
    with refused(store, ErrorCode.NOT_FOUND, "toId"):
        store.remove_edge(edge, (source_kind, source), (target_kind, target))


def test_setting_again_updates_and_keeps_other_properties(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    make.opportunity("c1", "o1")
    ends = (NodeKind.KEY_PERSON, "p1"), (NodeKind.OPPORTUNITY, "o1")
    first = store.set_edge(
        EdgeKind.IN_DECISION_CHAIN, *ends, {"role": "DECISION_MAKER", "attitude": "SKEPTIC"}
    )
    assert first["influence"] == "MEDIUM"
    # required fields are named on every set; the others not named keep their values
    second = store.set_edge(
        EdgeKind.IN_DECISION_CHAIN, *ends, {"role": "DECISION_MAKER", "influence": "DECISIVE"}
    )
    assert second["role"] == "DECISION_MAKER"
    assert second["attitude"] == "SKEPTIC"
    assert second["influence"] == "DECISIVE"
    assert second["created_at"] == first["created_at"]
    assert second["updated_at"] > first["updated_at"]
    links = store.neighbours(
        EdgeKind.IN_DECISION_CHAIN, NodeKind.KEY_PERSON, NodeKind.OPPORTUNITY, ["p1"]
    )["p1"]
    assert len(links) == 1


def test_single_per_source_edges_are_repointed(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    for pid in ("p1", "p2", "p3"):
        make.person("c1", pid)
    me = NodeKind.KEY_PERSON, "p1"
    store.set_edge(EdgeKind.REPORTS_TO, me, (NodeKind.KEY_PERSON, "p2"))
    store.set_edge(EdgeKind.REPORTS_TO, me, (NodeKind.KEY_PERSON, "p3"))
    bosses = store.neighbours(EdgeKind.REPORTS_TO, NodeKind.KEY_PERSON, NodeKind.KEY_PERSON, ["p1"])
    assert [n.node["id"] for n in bosses["p1"]] == ["p3"]
    # a kind without the rule keeps both
    store.set_edge(EdgeKind.KNOWS, me, (NodeKind.KEY_PERSON, "p2"))
    store.set_edge(EdgeKind.KNOWS, me, (NodeKind.KEY_PERSON, "p3"))
    known = store.neighbours(EdgeKind.KNOWS, NodeKind.KEY_PERSON, NodeKind.KEY_PERSON, ["p1"])
    assert sorted(n.node["id"] for n in known["p1"]) == ["p2", "p3"]


def test_works_at_repoints_a_person_to_a_new_employer(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.customer("c2")
    store.create_key_person("c1", {"name": "A"}, {"title": "CIO"}, node_id="p1")
    edge = store.set_edge(
        EdgeKind.WORKS_AT, (NodeKind.KEY_PERSON, "p1"), (NodeKind.CUSTOMER, "c2"), {"title": "CTO"}
    )
    assert edge["title"] == "CTO"
    jobs = store.neighbours(EdgeKind.WORKS_AT, NodeKind.KEY_PERSON, NodeKind.CUSTOMER, ["p1"])
    assert [n.node["id"] for n in jobs["p1"]] == ["c2"]


def test_neighbours_are_batched_and_sorted(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.customer("c2")
    make.person("c1", "p1", name="Zhao")
    make.person("c1", "p2", name="An")
    make.person("c2", "p3", name="Bo")
    result, trips = counted(
        store,
        lambda: store.neighbours(
            EdgeKind.WORKS_AT,
            NodeKind.KEY_PERSON,
            NodeKind.CUSTOMER,
            ["c1", "c2", "c-none"],
            incoming=True,
        ),
    )
    assert trips == 1
    assert [n.node["name"] for n in result["c1"]] == ["An", "Zhao"]
    assert [n.node["id"] for n in result["c2"]] == ["p3"]
    assert result["c-none"] == []


# --- refusals ------------------------------------------------------------------------------


def test_edge_to_a_missing_node_is_not_found(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    with refused(store, ErrorCode.NOT_FOUND, "toId", contains="No key person with this id exists"):
        store.set_edge(
            EdgeKind.REPORTS_TO, (NodeKind.KEY_PERSON, "p1"), (NodeKind.KEY_PERSON, "ghost")
        )
    with refused(store, ErrorCode.NOT_FOUND, "fromId"):
        store.set_edge(
            EdgeKind.REPORTS_TO, (NodeKind.KEY_PERSON, "ghost"), (NodeKind.KEY_PERSON, "p1")
        )
    # an existing id of another kind is still missing for this edge
    with refused(store, ErrorCode.NOT_FOUND, "toId"):
        store.set_edge(
            EdgeKind.REPORTS_TO, (NodeKind.KEY_PERSON, "p1"), (NodeKind.KEY_PERSON, "c1")
        )


def test_reports_to_cycles_are_refused(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    for pid in ("p1", "p2", "p3"):
        make.person("c1", pid)
    kp = NodeKind.KEY_PERSON
    store.set_edge(EdgeKind.REPORTS_TO, (kp, "p1"), (kp, "p2"))
    store.set_edge(EdgeKind.REPORTS_TO, (kp, "p2"), (kp, "p3"))
    with refused(store, ErrorCode.BAD_USER_INPUT, "toId", contains="cycle"):
        store.set_edge(EdgeKind.REPORTS_TO, (kp, "p3"), (kp, "p1"))
    with refused(store, ErrorCode.BAD_USER_INPUT, "toId", contains="cycle"):
        store.set_edge(EdgeKind.REPORTS_TO, (kp, "p2"), (kp, "p1"))
    # influence may go round: it has no cycle rule
    store.set_edge(EdgeKind.INFLUENCES, (kp, "p1"), (kp, "p2"))
    store.set_edge(EdgeKind.INFLUENCES, (kp, "p2"), (kp, "p1"))


@pytest.mark.parametrize("edge", [EdgeKind.REPORTS_TO, EdgeKind.INFLUENCES, EdgeKind.KNOWS])
def test_self_loops_are_refused(store: GraphStore, make: Factory, edge: EdgeKind) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    me = NodeKind.KEY_PERSON, "p1"
    with refused(store, ErrorCode.BAD_USER_INPUT, "toId", contains="themselves"):
        store.set_edge(edge, me, me)


def test_a_customer_is_not_its_own_parent(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    me = NodeKind.CUSTOMER, "c1"
    with refused(store, ErrorCode.BAD_USER_INPUT, "toId", contains="itself"):
        store.set_edge(EdgeKind.PART_OF, me, me)


def test_invalid_edge_properties_are_refused(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    make.opportunity("c1", "o1")
    store.create(NodeKind.TEAM_MEMBER, {"name": "Me"}, node_id="m1")
    ends = (NodeKind.KEY_PERSON, "p1"), (NodeKind.OPPORTUNITY, "o1")
    with refused(store, ErrorCode.BAD_USER_INPUT, "role", contains="is required"):
        store.set_edge(EdgeKind.IN_DECISION_CHAIN, *ends, {"attitude": "CHAMPION"})
    with refused(store, ErrorCode.BAD_USER_INPUT, "attitude", contains="must be one of"):
        store.set_edge(EdgeKind.IN_DECISION_CHAIN, *ends, {"role": "USER", "attitude": "LOVES_US"})
    with refused(store, ErrorCode.BAD_USER_INPUT, "needs", contains="at most 2000"):
        store.set_edge(EdgeKind.IN_DECISION_CHAIN, *ends, {"role": "USER", "needs": "n" * 2001})
    with refused(store, ErrorCode.BAD_USER_INPUT, "since", contains="YYYY-MM-DD"):
        store.set_edge(
            EdgeKind.KNOWS, (NodeKind.TEAM_MEMBER, "m1"), (NodeKind.KEY_PERSON, "p1"), {"since": 5}
        )
    with refused(store, ErrorCode.BAD_USER_INPUT, "role"):
        store.set_edge(
            EdgeKind.ON_TEAM, (NodeKind.TEAM_MEMBER, "m1"), (NodeKind.OPPORTUNITY, "o1"), {}
        )


def test_edges_between_wrong_kinds_are_refused(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    with refused(store, ErrorCode.BAD_USER_INPUT, "", contains="cannot join"):
        store.set_edge(EdgeKind.WORKS_AT, (NodeKind.CUSTOMER, "c1"), (NodeKind.KEY_PERSON, "p1"))
    with refused(store, ErrorCode.BAD_USER_INPUT, "", contains="cannot join"):
        store.remove_edge(EdgeKind.FOR, (NodeKind.KEY_PERSON, "p1"), (NodeKind.CUSTOMER, "c1"))
