"""The store contract for nodes: create, read, update and delete of every kind, the audit entry
of every write, and every refusal with its code, field and an untouched graph."""

from __future__ import annotations

from typing import Any

import pytest
from store_support import MINIMAL, Factory, audit_entries, counted, refused, state

from domain.errors import DomainError, ErrorCode
from domain.model import NODE_SPECS, EdgeKind, NodeKind, defaults
from graph.scope import Actor
from graph.store import GraphStore, TeamLink

ALL_KINDS = list(NodeKind)
PLAIN_KINDS = list(MINIMAL)

# One field of each kind that an update may change, with a valid new value.
CHANGE: dict[NodeKind, tuple[str, object]] = {
    NodeKind.CUSTOMER: ("industry", "Healthcare"),
    NodeKind.KEY_PERSON: ("email", "li@example.com"),
    NodeKind.COMPETITOR: ("website", "https://rival.example"),
    NodeKind.OPPORTUNITY: ("stage", "REQUIREMENTS"),
    NodeKind.TEAM_MEMBER: ("role", "SOLUTION_MANAGER"),
    NodeKind.ACTIVITY: ("outcome", "POSITIVE"),
    NodeKind.WORK_PLAN_ITEM: ("status", "DONE"),
    NodeKind.APPROVAL: ("state", "APPROVED"),
}


@pytest.fixture
def make(store: GraphStore) -> Factory:
    return Factory(store)


def test_every_kind_has_a_change_case() -> None:
    assert set(CHANGE) == set(NodeKind)
    assert set(MINIMAL) | {NodeKind.KEY_PERSON, NodeKind.OPPORTUNITY, NodeKind.ACTIVITY} == set(
        NodeKind
    )


# --- create ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PLAIN_KINDS, ids=str)
def test_create_stores_fields_defaults_and_system_fields(store: GraphStore, kind: NodeKind) -> None:
    node = store.create(kind, MINIMAL[kind], node_id="n-1")
    assert node["id"] == "n-1"
    assert node["version"] == 1
    assert node["created_at"] == node["updated_at"]
    for key, value in {**defaults(NODE_SPECS[kind].fields), **MINIMAL[kind]}.items():
        assert node[key] == value
    assert store.get(kind, "n-1") == node
    assert store.count(kind) == 1


def test_create_without_id_assigns_a_unique_one(store: GraphStore) -> None:
    first = store.create(NodeKind.CUSTOMER, {"name": "A"})
    second = store.create(NodeKind.CUSTOMER, {"name": "A"})
    assert first["id"] != second["id"]
    assert len(store.get_many(NodeKind.CUSTOMER, [first["id"], second["id"]])) == 2


@pytest.mark.parametrize("kind", [NodeKind.KEY_PERSON, NodeKind.OPPORTUNITY, NodeKind.ACTIVITY])
def test_kinds_with_parents_are_not_created_bare(store: GraphStore, kind: NodeKind) -> None:
    before = state(store)
    with pytest.raises(ValueError, match="its own operation"):
        store.create(kind, {"name": "x"})
    assert state(store) == before


def test_create_key_person_links_the_customer(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    person = store.create_key_person(
        "c1", {"name": "张三"}, {"title": "CIO", "department": "IT"}, node_id="p1"
    )
    assert person["name"] == "张三"
    assert person["version"] == 1
    found = store.neighbours(EdgeKind.WORKS_AT, NodeKind.KEY_PERSON, NodeKind.CUSTOMER, ["p1"])
    [job] = found["p1"]
    assert job.node["id"] == "c1"
    assert job.edge["title"] == "CIO"
    assert job.edge["department"] == "IT"


def test_create_opportunity_links_the_customer_and_applies_defaults(
    store: GraphStore, make: Factory
) -> None:
    make.customer("c1")
    opp = store.create_opportunity("c1", {"name": "HIS upgrade", "amount": 1_000}, node_id="o1")
    assert opp["stage"] == "VALIDATE"
    assert opp["grade"] == "C"
    assert opp["currency"] == "CNY"
    assert opp["decision_process_known"] is False
    assert opp["stage_entered_at"] == opp["created_at"]
    page = store.list_page(NodeKind.OPPORTUNITY, filters={"customer_id": "c1"})
    assert [o["id"] for o in page.items] == ["o1"]


def test_a_creator_on_the_team_is_one_write_naming_them(store: GraphStore, make: Factory) -> None:
    store.create(NodeKind.TEAM_MEMBER, {"name": "Li Na"}, node_id="m1")
    account = store.create(
        NodeKind.CUSTOMER, {"name": "Bank"}, node_id="c1", team=TeamLink("m1", "ACCOUNT_MANAGER")
    )
    store.create_opportunity(
        "c1", {"name": "Core"}, node_id="o1", team=TeamLink("m1", "LEAD_EXPERT")
    )
    teams = store.neighbours(EdgeKind.ON_TEAM, NodeKind.TEAM_MEMBER, NodeKind.OPPORTUNITY, ["m1"])[
        "m1"
    ]
    assert [(t.node["id"], t.edge["role"], t.edge["phase"]) for t in teams] == [
        ("o1", "LEAD_EXPERT", "DEAL")
    ]
    accounts = store.neighbours(EdgeKind.ON_TEAM, NodeKind.TEAM_MEMBER, NodeKind.CUSTOMER, ["m1"])
    assert [a.node["id"] for a in accounts["m1"]] == [account["id"]]
    for target in ("c1", "o1"):
        (entry,) = audit_entries(store, target)
        assert entry["operation"] == "create"
        assert entry["changes"]["team"]["member_id"] == "m1"
        assert "m1" in entry["subjects"].split()


def test_a_creator_whose_member_is_gone_creates_nothing(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    with pytest.raises(DomainError):
        store.create_opportunity(
            "c1", {"name": "Core"}, node_id="o1", team=TeamLink("gone", "ACCOUNT_MANAGER")
        )
    with pytest.raises(DomainError):
        store.create(
            NodeKind.CUSTOMER, {"name": "X"}, node_id="c2", team=TeamLink("gone", "ACCOUNT_MANAGER")
        )
    assert store.get_many(NodeKind.OPPORTUNITY, ["o1"]) == {}
    assert store.get_many(NodeKind.CUSTOMER, ["c2"]) == {}
    assert audit_entries(store, "o1") == []
    assert audit_entries(store, "c2") == []


def test_log_activity_links_people_members_and_opportunity(
    store: GraphStore, make: Factory
) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    make.person("c1", "p2")
    make.opportunity("c1", "o1")
    store.create(NodeKind.TEAM_MEMBER, {"name": "Me"}, node_id="m1")
    act = store.log_activity(
        {"type": "DEMO", "occurred_at": 1_760_000_000_000, "summary": "demo"},
        person_ids=["p1", "p2", "p1"],
        member_ids=["m1"],
        opportunity_id="o1",
        node_id="a1",
    )
    assert act["outcome"] == "NEUTRAL"
    rows = store.executor.read(
        "MATCH (a:Activity {id: 'a1'})-[r]-(x) RETURN type(r) AS t, x.id AS id", {}
    )
    assert sorted((r["t"], r["id"]) for r in rows) == [
        ("ABOUT", "o1"),
        ("DID", "m1"),
        ("WITH", "p1"),
        ("WITH", "p2"),
    ]


def test_log_activity_without_opportunity_or_members(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    make.activity(["p1"], "a1")
    rows = store.executor.read(
        "MATCH (a:Activity {id: 'a1'})-[r]-(x) RETURN type(r) AS t, x.id AS id", {}
    )
    assert [(r["t"], r["id"]) for r in rows] == [("WITH", "p1")]


# --- read ----------------------------------------------------------------------------------


def test_get_many_is_one_round_trip_and_skips_unknown_ids(store: GraphStore, make: Factory) -> None:
    for i in range(5):
        make.customer(f"c{i}", name=f"C{i}")
    found, trips = counted(
        store, lambda: store.get_many(NodeKind.CUSTOMER, ["c0", "c3", "nope", "c3"])
    )
    assert trips == 1
    assert sorted(found) == ["c0", "c3"]
    assert found["c3"]["name"] == "C3"
    assert counted(store, lambda: store.get_many(NodeKind.CUSTOMER, []))[1] == 0


def test_get_of_another_kind_is_not_found(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.get(NodeKind.COMPETITOR, "c1")


# --- update --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_KINDS, ids=str)
def test_update_changes_bumps_version_and_audits(
    store: GraphStore, make: Factory, kind: NodeKind
) -> None:
    node = make.node(kind, "n-1")
    field, value = CHANGE[kind]
    audits = state(store).audits
    updated = store.update(
        kind, "n-1", {field: value}, expected_version=1, actor=Actor("u1", "Li Lei")
    )
    assert updated[field] == value
    assert updated["version"] == 2
    assert updated["updated_at"] > node["updated_at"]
    assert updated["created_at"] == node["created_at"]
    assert store.get(kind, "n-1") == updated
    assert state(store).audits == audits + 1
    entry = audit_entries(store, "n-1")[0]
    assert entry["operation"] == "update"
    assert entry["actor_id"] == "u1"
    assert entry["actor_name"] == "Li Lei"
    assert entry["target_kind"] == kind.value
    assert entry["changes"] == {"before": {field: node.get(field)}, "after": {field: value}}


def test_update_with_none_clears_an_optional_field(store: GraphStore, make: Factory) -> None:
    make.customer("c1", industry="Health")
    updated = store.update(NodeKind.CUSTOMER, "c1", {"industry": None})
    assert "industry" not in updated
    assert updated["version"] == 2


def test_update_without_change_writes_nothing(store: GraphStore, make: Factory) -> None:
    make.customer("c1", industry="Health")
    before = state(store)
    same = store.update(NodeKind.CUSTOMER, "c1", {"industry": "Health"})
    assert same["version"] == 1
    assert state(store) == before


# --- delete --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_KINDS, ids=str)
def test_delete_removes_node_and_edges_and_audits(
    store: GraphStore, make: Factory, kind: NodeKind
) -> None:
    node = make.node(kind, "n-1")
    before = state(store)
    store.delete(kind, "n-1", expected_version=1)
    after = state(store)
    assert after.audits == before.audits + 1
    assert len(after.nodes) == len(before.nodes) - 1
    assert not any('"n-1"' in edge for edge in after.edges)
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.get(kind, "n-1")
    entry = audit_entries(store, "n-1")[0]
    assert entry["operation"] == "delete"
    assert entry["changes"] == {"before": node}


def test_delete_customer_with_opportunities_needs_cascade(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.customer("c2")
    make.person("c1", "p1")
    make.person("c2", "p2")
    make.opportunity("c1", "o1")
    make.opportunity("c1", "o2")
    make.opportunity("c2", "o3")
    with refused(store, ErrorCode.CONFLICT, "cascade", contains="2 opportunities"):
        store.delete(NodeKind.CUSTOMER, "c1")
    audits = state(store).audits
    store.delete(NodeKind.CUSTOMER, "c1", cascade=True)
    assert sorted(store.get_many(NodeKind.CUSTOMER, ["c1", "c2"])) == ["c2"]
    assert sorted(store.get_many(NodeKind.OPPORTUNITY, ["o1", "o2", "o3"])) == ["o3"]
    assert sorted(store.get_many(NodeKind.KEY_PERSON, ["p1", "p2"])) == ["p2"]
    assert state(store).audits == audits + 1
    assert audit_entries(store, "c1")[0]["operation"] == "delete"


def test_delete_customer_without_opportunities_takes_its_people(
    store: GraphStore, make: Factory
) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    store.delete(NodeKind.CUSTOMER, "c1")
    assert store.count(NodeKind.KEY_PERSON) == 0
    assert store.count(NodeKind.CUSTOMER) == 0


# --- audit ---------------------------------------------------------------------------------


def test_every_write_makes_exactly_one_audit_entry(store: GraphStore, make: Factory) -> None:
    def one_entry(action: object, operation: str, target: str) -> None:
        before = state(store).audits
        assert callable(action)
        action()
        assert state(store).audits == before + 1
        assert audit_entries(store, target)[0]["operation"] == operation

    one_entry(lambda: make.customer("c1"), "create", "c1")
    one_entry(lambda: make.person("c1", "p1"), "create", "p1")
    one_entry(lambda: make.person("c1", "p2"), "create", "p2")
    one_entry(lambda: make.opportunity("c1", "o1"), "create", "o1")
    one_entry(lambda: make.activity(["p1"], "a1", opportunity_id="o1"), "create", "a1")
    one_entry(lambda: store.update(NodeKind.CUSTOMER, "c1", {"region": "East"}), "update", "c1")
    edge = (NodeKind.KEY_PERSON, "p1"), (NodeKind.KEY_PERSON, "p2")
    one_entry(lambda: store.set_edge(EdgeKind.REPORTS_TO, *edge), "set_edge", "p1->p2")
    one_entry(lambda: store.remove_edge(EdgeKind.REPORTS_TO, *edge), "remove_edge", "p1->p2")
    one_entry(lambda: store.delete(NodeKind.ACTIVITY, "a1"), "delete", "a1")
    created = audit_entries(store, "p1")[-1]
    assert created["changes"]["after"]["name"] == "Person"
    assert created["changes"]["customer_id"] == "c1"
    assert created["actor_id"] == "system"


def test_audit_log_pages_newest_first(store: GraphStore, make: Factory) -> None:
    for i in range(7):
        make.customer(f"c{i}")
    first = store.audit_log(None, limit=3)
    assert first.total == 7
    seen = [e["target_id"] for e in first.items]
    last = first.items[-1]
    rest = store.audit_log(None, after=(last["at"], last["id"]), limit=10)
    seen += [e["target_id"] for e in rest.items]
    assert seen == [f"c{i}" for i in reversed(range(7))]


# --- refusals ------------------------------------------------------------------------------


def test_unknown_ids_are_not_found(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.get(NodeKind.CUSTOMER, "nope")
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.update(NodeKind.CUSTOMER, "nope", {"region": "East"})
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.delete(NodeKind.CUSTOMER, "nope")
    with refused(store, ErrorCode.NOT_FOUND, "customerId"):
        store.create_key_person("nope", {"name": "A"})
    with refused(store, ErrorCode.NOT_FOUND, "customerId"):
        store.create_opportunity("nope", {"name": "A"})


def test_log_activity_with_missing_references(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    props = {"type": "CALL", "occurred_at": 1, "summary": "x"}
    with refused(store, ErrorCode.NOT_FOUND, "personIds.1", contains="No key person with this id"):
        store.log_activity(props, person_ids=["p1", "zz"])
    with refused(store, ErrorCode.NOT_FOUND, "memberIds.0"):
        store.log_activity(props, person_ids=["p1"], member_ids=["m-x"])
    with refused(store, ErrorCode.NOT_FOUND, "opportunityId"):
        store.log_activity(props, person_ids=["p1"], opportunity_id="o-x")
    with refused(store, ErrorCode.BAD_USER_INPUT, "personIds"):
        store.log_activity(props, person_ids=[])


def test_duplicate_ids_conflict(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    make.opportunity("c1", "o1")
    make.activity(["p1"], "a1")
    with refused(store, ErrorCode.CONFLICT, "id", contains="already exists"):
        store.create(NodeKind.CUSTOMER, {"name": "again"}, node_id="c1")
    with refused(store, ErrorCode.CONFLICT, "id"):
        store.create_key_person("c1", {"name": "again"}, node_id="p1")
    with refused(store, ErrorCode.CONFLICT, "id"):
        store.create_opportunity("c1", {"name": "again"}, node_id="o1")
    with refused(store, ErrorCode.CONFLICT, "id"):
        make.activity(["p1"], "a1")


def test_same_id_in_another_kind_is_allowed(store: GraphStore, make: Factory) -> None:
    make.customer("x1")
    store.create(NodeKind.COMPETITOR, {"name": "Rival"}, node_id="x1")
    assert store.get(NodeKind.COMPETITOR, "x1")["name"] == "Rival"


def test_a_competitor_is_one_record_per_name_as_people_mean_it(store: GraphStore) -> None:
    """Full-width letters, letter case and runs of spaces (full-width ones too) do not make
    another company, at a create or a rename; other letters, or a space between two words where
    there was none, do."""
    store.create(NodeKind.COMPETITOR, {"name": "Gamma Soft"}, node_id="x1")
    for typed in ("ＧＡＭＭＡ  soft", "gamma\u3000Soft", " Ｇａｍｍａ Ｓｏｆｔ "):
        with refused(store, ErrorCode.CONFLICT, "name"):
            store.create(NodeKind.COMPETITOR, {"name": typed})
    store.create(NodeKind.COMPETITOR, {"name": "GammaSoft"}, node_id="x2")
    with refused(store, ErrorCode.CONFLICT, "name"):
        store.update(NodeKind.COMPETITOR, "x2", {"name": "ｇａｍｍａ soft"}, expected_version=1)


def test_a_competitor_stored_without_a_name_key_is_keyed_at_the_start(store: GraphStore) -> None:
    """A store of an older version holds competitors with no name key: the start keys them, so
    the rule holds for them as for new ones."""
    store.create(NodeKind.COMPETITOR, {"name": "Ｒｉｖａｌ  Ltd"}, node_id="x1")
    store.executor.write("MATCH (n:Competitor) REMOVE n.name_key", {})
    store.ensure_schema()
    assert store.get(NodeKind.COMPETITOR, "x1")["name_key"] == "rival ltd"
    with refused(store, ErrorCode.CONFLICT, "name"):
        store.create(NodeKind.COMPETITOR, {"name": "RIVAL Ltd"})


@pytest.mark.parametrize(
    ("props", "field", "message"),
    [
        ({"name": "A", "grade": "Z"}, "grade", "must be one of"),
        ({"name": "A", "stage": "done"}, "stage", "must be one of"),
        ({}, "name", "is required"),
        ({"name": "   "}, "name", "must not be blank"),
        ({"name": "A", "amount": "100"}, "amount", "whole number"),
        ({"name": "A", "amount": 1.5}, "amount", "whole number"),
        ({"name": "A", "amount": -1}, "amount", "at least 0"),
        ({"name": "A", "decision_process_known": "yes"}, "decision_process_known", "true or"),
        ({"name": "A", "expected_close_date": "2025-13-01"}, "expected_close_date", "calendar"),
        ({"name": "A", "expected_close_date": "1 May 2025"}, "expected_close_date", "YYYY"),
        ({"name": "A" * 201}, "name", "at most 200"),
        ({"name": "A", "currency": "cny"}, "currency", "ISO 4217 currency code in capitals"),
        ({"name": "A", "currency": "RMB"}, "currency", 'for "RMB" write CNY'),
        ({"name": "A", "currency": "XYZ"}, "currency", '"XYZ" is not one'),
        ({"name": "A", "owner": "me"}, "owner", "not a field"),
    ],
)
def test_invalid_input_is_refused_before_writing(
    store: GraphStore, make: Factory, props: dict[str, object], field: str, message: str
) -> None:
    make.customer("c1")
    with refused(store, ErrorCode.BAD_USER_INPUT, field, contains=message):
        store.create_opportunity("c1", props, node_id="o1")


def test_invalid_updates_are_refused(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.person("c1", "p1")
    with refused(store, ErrorCode.BAD_USER_INPUT, "employees", contains="whole number"):
        store.update(NodeKind.CUSTOMER, "c1", {"employees": "many"})
    with refused(store, ErrorCode.BAD_USER_INPUT, "name", contains="is required"):
        store.update(NodeKind.CUSTOMER, "c1", {"name": None})
    with refused(store, ErrorCode.BAD_USER_INPUT, "notes", contains="at most 5000"):
        store.update(NodeKind.KEY_PERSON, "p1", {"notes": "x" * 5001})
    with refused(store, ErrorCode.BAD_USER_INPUT, "id"):
        store.create(NodeKind.CUSTOMER, {"name": "A"}, node_id="bad id!")
    with refused(store, ErrorCode.BAD_USER_INPUT, "email", contains="e-mail address"):
        store.update(NodeKind.KEY_PERSON, "p1", {"email": "not-an-email"})
    store.update(NodeKind.KEY_PERSON, "p1", {"email": "zhou.bin@example.com"})


def test_invalid_key_person_job_is_refused(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    with refused(store, ErrorCode.BAD_USER_INPUT, "worksAt.title", contains="at most 200"):
        store.create_key_person("c1", {"name": "A"}, {"title": "x" * 201})
    with refused(store, ErrorCode.BAD_USER_INPUT, "worksAt.salary"):
        store.create_key_person("c1", {"name": "A"}, {"salary": 1})


def test_stale_version_is_a_conflict(store: GraphStore, make: Factory) -> None:
    make.customer("c1")
    make.opportunity("c1", "o1")
    store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"}, expected_version=1)
    with refused(store, ErrorCode.CONFLICT, "version", contains="version 2, you sent 1"):
        store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "BIDDING"}, expected_version=1)
    with refused(store, ErrorCode.CONFLICT, "version"):
        store.delete(NodeKind.OPPORTUNITY, "o1", expected_version=1)
    with refused(store, ErrorCode.CONFLICT, "version"):
        store.delete(NodeKind.CUSTOMER, "c1", expected_version=7, cascade=True)
    assert store.get(NodeKind.OPPORTUNITY, "o1")["stage"] == "INITIATE"


def test_concurrent_change_between_read_and_write_is_a_conflict(
    store: GraphStore, make: Factory
) -> None:
    """The write is guarded by the version read just before it: a change in between loses."""
    make.customer("c1")
    real_get = store.get

    def get_then_someone_else_writes(*args: Any, **kwargs: Any) -> Any:
        node = real_get(*args, **kwargs)
        store.executor.write(
            "MATCH (n:Customer {id: 'c1'}) SET n.version = n.version + 1, n.region = 'West'", {}
        )
        return node

    store.get = get_then_someone_else_writes  # type: ignore[method-assign]
    before = state(store).audits
    with pytest.raises(DomainError, match="changed by someone else") as caught:
        store.update(NodeKind.CUSTOMER, "c1", {"region": "East"})
    assert caught.value.code is ErrorCode.CONFLICT
    store.get = real_get  # type: ignore[method-assign]
    assert store.get(NodeKind.CUSTOMER, "c1")["region"] == "West"
    assert state(store).audits == before


def test_a_stale_version_names_the_thing_not_its_id(store: GraphStore, make: Factory) -> None:
    """People read conflicts: the message names the customer, in English and zh-CN."""
    make.customer("c1")
    name = store.get(NodeKind.CUSTOMER, "c1")["name"]
    with pytest.raises(DomainError) as caught:
        store.update(NodeKind.CUSTOMER, "c1", {"region": "East"}, expected_version=99)
    (problem,) = caught.value.problems
    assert problem.code is ErrorCode.CONFLICT
    assert problem.field == "version"
    assert f"“{name}”" in problem.text("en")
    assert "you sent 99" in problem.text("en")
    assert f"客户“{name}”已被他人修改" in problem.text("zh-CN")
    assert "c1" not in problem.text("en") + problem.text("zh-CN")
