"""The store keeps links consistent in its write statements: customer groups without cycles,
org-chart and influence links within one group, outsiders in chains and meetings only as
external members. A refused write changes nothing; export and import carry the groups."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealgraph.transfer import export_graph, import_graph
from domain.errors import DomainError
from domain.model import EdgeKind, NodeKind
from graph.chains import load_decision_chain
from graph.store import GraphStore

PERSON, CUSTOMER, DEAL = NodeKind.KEY_PERSON, NodeKind.CUSTOMER, NodeKind.OPPORTUNITY


@pytest.fixture
def groups(store: GraphStore) -> GraphStore:
    """Group g with subsidiary s (and s's own subsidiary s2), unrelated customer h; a person
    at each, and a deal with s."""
    store.create(CUSTOMER, {"name": "Group"}, node_id="g")
    store.create(CUSTOMER, {"name": "Sub"}, node_id="s", parent_id="g")
    store.create(CUSTOMER, {"name": "Sub sub"}, node_id="s2", parent_id="s")
    store.create(CUSTOMER, {"name": "Hospital"}, node_id="h")
    for person, customer in (("pg", "g"), ("ps", "s"), ("ps2", "s2"), ("ph", "h")):
        store.create_key_person(customer, {"name": f"Person {person}"}, node_id=person)
    store.create_opportunity("s", {"name": "Deal"}, node_id="d")
    return store


def _fields(error: pytest.ExceptionInfo[DomainError]) -> list[str]:
    return [p.field for p in error.value.problems]


def test_parent_and_subsidiaries_are_part_of_edges(groups: GraphStore) -> None:
    assert groups.parent_of("s") == "g"
    assert groups.parent_of("g") is None
    assert set(groups.groups_of(["s2"])["s2"]) == {"s2", "s", "g"}


def test_a_parent_cycle_is_refused_in_the_statement(groups: GraphStore) -> None:
    before = groups.get(CUSTOMER, "g")
    with pytest.raises(DomainError) as refused:
        groups.update(CUSTOMER, "g", {}, parent=("s2",))
    assert _fields(refused) == ["parentId"]
    assert "Sub sub cannot be the parent company of Group" in str(refused.value)
    assert groups.get(CUSTOMER, "g") == before
    assert groups.parent_of("g") is None
    moved = groups.update(CUSTOMER, "s2", {"name": "Sub two"}, parent=("g",))
    assert moved["name"] == "Sub two"
    assert groups.parent_of("s2") == "g"


def test_org_chart_links_across_groups_are_refused(groups: GraphStore) -> None:
    for edge in (EdgeKind.REPORTS_TO, EdgeKind.INFLUENCES):
        with pytest.raises(DomainError) as refused:
            groups.set_edge(edge, (PERSON, "ps"), (PERSON, "ph"))
        assert _fields(refused) == ["toId"]
    assert groups.neighbours(EdgeKind.REPORTS_TO, PERSON, PERSON, ["ps"])["ps"] == []
    groups.set_edge(EdgeKind.REPORTS_TO, (PERSON, "ps2"), (PERSON, "pg"))
    groups.set_edge(EdgeKind.INFLUENCES, (PERSON, "pg"), (PERSON, "ps2"))


def test_a_cycle_within_a_group_is_still_a_cycle(groups: GraphStore) -> None:
    groups.set_edge(EdgeKind.REPORTS_TO, (PERSON, "ps"), (PERSON, "pg"))
    with pytest.raises(DomainError) as refused:
        groups.set_edge(EdgeKind.REPORTS_TO, (PERSON, "pg"), (PERSON, "ps"))
    assert "cycle" in str(refused.value)


def test_chain_members_and_their_external_kind(groups: GraphStore) -> None:
    chain = EdgeKind.IN_DECISION_CHAIN
    with pytest.raises(DomainError) as refused:
        groups.set_edge(chain, (PERSON, "ph"), (DEAL, "d"), {"role": "USER"})
    assert _fields(refused) == ["fromId"]
    with pytest.raises(DomainError) as refused:
        groups.set_edge(
            chain, (PERSON, "ps2"), (DEAL, "d"), {"role": "USER", "external_kind": "GROUP_OFFICER"}
        )
    assert _fields(refused) == ["externalKind"], "a subsidiary's person is no group officer"
    groups.set_edge(
        chain, (PERSON, "pg"), (DEAL, "d"), {"role": "APPROVER", "external_kind": "GROUP_OFFICER"}
    )
    groups.set_edge(
        chain, (PERSON, "ph"), (DEAL, "d"), {"role": "USER", "external_kind": "TENDER_EXPERT"}
    )
    groups.set_edge(chain, (PERSON, "ps"), (DEAL, "d"), {"role": "DECISION_MAKER"})
    loaded = load_decision_chain(groups, "d")
    assert loaded is not None
    kinds = {m.person_id: m.external_kind for m in loaded.snapshot.members}
    assert kinds == {"pg": "GROUP_OFFICER", "ph": "TENDER_EXPERT", "ps": None}


def test_activities_keep_to_the_deal_or_its_external_members(groups: GraphStore) -> None:
    meeting = {"type": "MEETING", "occurred_at": 1, "summary": "Kick-off"}
    with pytest.raises(DomainError) as refused:
        groups.log_activity(meeting, person_ids=["ps", "ph"], opportunity_id="d")
    assert _fields(refused) == ["personIds.1"]
    assert "Person ph works at Hospital" in str(refused.value)
    groups.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (PERSON, "ph"),
        (DEAL, "d"),
        {"role": "USER", "external_kind": "CONSULTANT"},
    )
    groups.log_activity(meeting, person_ids=["ps", "ph"], opportunity_id="d")
    with pytest.raises(DomainError):
        groups.log_activity(meeting, person_ids=["ps2", "ph"])
    groups.log_activity(meeting, person_ids=["ps2", "pg"])


def test_export_and_import_carry_the_groups(groups: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "graph.jsonl"
    export_graph(groups, path)
    assert '"PART_OF"' in path.read_text(encoding="utf-8")
    groups.executor.write("MATCH (n) DETACH DELETE n", {})
    import_graph(groups, path)
    assert groups.parent_of("s2") == "s"
    assert groups.parent_of("s") == "g"


def test_a_customer_keeps_its_group_while_links_depend_on_it(groups: GraphStore) -> None:
    groups.set_edge(EdgeKind.REPORTS_TO, (PERSON, "ps2"), (PERSON, "pg"))
    before = groups.get(CUSTOMER, "s")
    with pytest.raises(DomainError) as refused:
        groups.update(CUSTOMER, "s", {"name": "Sub renamed"}, parent=(None,))
    assert _fields(refused) == ["parentId"]
    assert "Person ps2 and Person pg (Group)" in str(refused.value)
    assert groups.get(CUSTOMER, "s") == before
    assert groups.parent_of("s") == "g"
    groups.remove_edge(EdgeKind.REPORTS_TO, (PERSON, "ps2"), (PERSON, "pg"))
    groups.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (PERSON, "pg"),
        (DEAL, "d"),
        {"role": "APPROVER", "external_kind": "GROUP_OFFICER"},
    )
    with pytest.raises(DomainError) as refused:
        groups.update(CUSTOMER, "s", {}, parent=("h",))
    assert "Person pg of Group sits in the decision chain of Deal" in str(refused.value)
    groups.remove_edge(EdgeKind.IN_DECISION_CHAIN, (PERSON, "pg"), (DEAL, "d"))
    groups.update(CUSTOMER, "s", {}, parent=("h",))
    assert groups.parent_of("s") == "h"


def test_a_group_company_with_subsidiaries_is_not_deleted(groups: GraphStore) -> None:
    with pytest.raises(DomainError) as refused:
        groups.delete(CUSTOMER, "s", cascade=True)
    assert refused.value.code == "CONFLICT"
    assert "Sub is the parent company of Sub sub" in str(refused.value)
    assert groups.get(CUSTOMER, "s")["name"] == "Sub"
    groups.delete(CUSTOMER, "s2")
    assert groups.subsidiaries_of("s") == []
