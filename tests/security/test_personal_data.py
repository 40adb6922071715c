"""Data-subject requests: export everything about a key person; erase them in one statement."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from security_helpers import MARK, Client, World, codes, gid, open_app, seed
from starlette.testclient import TestClient

from domain.model import NodeKind
from graph.executor import Executor

EXPORT = "query($id: ID!) { keyPersonExport(id: $id) }"
ERASE = """mutation($id: ID!) { keyPersonErase(id: $id) {
  keyPerson { id name email phone notes version }
  erasedActivities erasedWorkPlanItems scrubbedAuditEntries userErrors { code field message } } }"""
SECRET_PERSON = gid(NodeKind.KEY_PERSON, "p-secret")


@pytest.fixture
def world(api_executor: Executor) -> World:
    return seed(api_executor)


@pytest.fixture
def http(world: World) -> Iterator[TestClient]:
    with open_app(world.store) as client:
        yield client


def test_export_returns_everything_stored_about_the_person(http: TestClient, world: World) -> None:
    body = Client(http, world.tokens["ada"]).gql(EXPORT, {"id": SECRET_PERSON})
    exported = body["data"]["keyPersonExport"]
    assert exported["person"]["email"] == "wang@secret.example"
    assert exported["employment"][0]["customer_id"] == "c-secret"
    assert exported["employment"][0]["props"]["title"] == f"{MARK} CFO"
    assert exported["chain_roles"][0]["props"]["role"] == "DECISION_MAKER"
    assert {t["person_id"] for t in exported["influenced_by"]} == {"p-ours"}
    assert {t["member_id"] for t in exported["known_by_team"]} == {"m-alice"}
    assert exported["competitor_ties"][0]["competitor_id"] == "rival"
    assert exported["activities"][0]["activity"]["summary"] == f"{MARK} lunch"
    assert exported["work_plan_items"][0]["item"]["id"] == "w-secret"
    assert any(entry["operation"] == "create" for entry in exported["audit"])
    assert exported["work_plan_items_naming_them"] == []  # none about anyone else names them
    json.dumps(exported)  # plain JSON all the way down


def test_only_an_administrator_may_export_or_erase(http: TestClient, world: World) -> None:
    for user in ("bob", "dora", "alice"):
        client = Client(http, world.tokens[user])
        assert codes(client.gql(EXPORT, {"id": SECRET_PERSON})) == ["FORBIDDEN"]
        assert codes(client.gql(ERASE, {"id": SECRET_PERSON})) == ["FORBIDDEN"]
    unknown = gid(NodeKind.KEY_PERSON, "nobody")
    admin = Client(http, world.tokens["ada"])
    assert codes(admin.gql(EXPORT, {"id": unknown})) == ["NOT_FOUND"]
    assert codes(admin.gql(ERASE, {"id": unknown})) == ["NOT_FOUND"]


def test_erasure_removes_personal_data_and_keeps_anonymised_facts(
    http: TestClient, world: World
) -> None:
    admin = Client(http, world.tokens["ada"])
    # An accepted suggestion keeps its rationale's clauses, which name the person.
    clauses = json.dumps([["skeptic", {"name": "Wang", "role": "DECISION_MAKER"}]])
    world.store.executor.write(
        "MATCH (w:WorkPlanItem {id: 'w-secret'}) "
        "SET w.rationale = 'Wang (Decision maker) is skeptical of us', w.rationale_clauses = $c",
        {"c": clauses},
    )
    audit_before = world.store.executor.read("MATCH (a:AuditEntry) RETURN count(a) AS n", {})
    body = admin.gql(ERASE, {"id": SECRET_PERSON})
    payload = body["data"]["keyPersonErase"]
    assert payload["userErrors"] == []
    person = payload["keyPerson"]
    assert person["name"] == "已删除的人员 Erased person"  # both languages, and no id
    assert (person["email"], person["phone"], person["notes"]) == (None, None, None)
    assert payload["erasedActivities"] == 1
    assert payload["erasedWorkPlanItems"] == 1
    assert payload["scrubbedAuditEntries"] > 0

    exported = admin.gql(EXPORT, {"id": SECRET_PERSON})["data"]["keyPersonExport"]
    text = json.dumps(exported, ensure_ascii=False)
    for personal in ("Wang", "wang@secret.example", f"{MARK} notes", f"{MARK} lunch", "CFO"):
        assert personal not in text, personal
    # Anonymised facts stay: the chain role, the activity with its type, time and outcome.
    assert exported["chain_roles"][0]["props"]["role"] == "DECISION_MAKER"
    activity = exported["activities"][0]["activity"]
    assert (activity["type"], activity["outcome"]) == ("VISIT", "NEUTRAL")
    assert activity["occurred_at"] == 1_700_000_000_000
    assert exported["employment"][0]["customer_id"] == "c-secret"
    # One new audit entry records the erasure (without the erased values).
    audit_after = world.store.executor.read("MATCH (a:AuditEntry) RETURN count(a) AS n", {})
    assert audit_after[0]["n"] == audit_before[0]["n"] + 1
    erasures = [e for e in exported["audit"] if e["operation"] == "erase"]
    assert len(erasures) == 1
    assert erasures[0]["actor_id"] == "ada"
    # Nothing anywhere in the graph still quotes the person.
    leftover = world.store.executor.read(
        "MATCH (n) WHERE any(k IN keys(n) WHERE toString(n[k]) CONTAINS 'Wang') "
        "RETURN count(n) AS n",
        {},
    )
    assert leftover[0]["n"] == 0


def test_erasure_is_refused_for_what_the_administrator_scope_cannot_reach(
    http: TestClient, world: World
) -> None:
    """Bob sees Wang but is no administrator: FORBIDDEN, and nothing changes."""
    before = world.store.get(NodeKind.KEY_PERSON, "p-secret")
    Client(http, world.tokens["bob"]).gql(ERASE, {"id": SECRET_PERSON})
    assert world.store.get(NodeKind.KEY_PERSON, "p-secret") == before
