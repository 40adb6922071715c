"""Erasing a key person removes their name where people typed it about someone else: the
customer's notes, another person's notes, the deal's description and compelling event, an
activity they were not in, another person's chain needs, a work plan item's result, an approval
comment and a violation note; the rest of each text stays, and so does a longer name that
contains theirs (周静怡 beside 周静, Zhou Jingyi beside Zhou Jing)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, gid, open_api, raw
from people import add_person

from dealgraph.demo import DEMO_CUSTOMER_ID, DEMO_OPPORTUNITY_ID, load_demo
from domain.model import NodeKind
from graph.executor import Executor
from graph.security_store import ERASED_NAME

CUSTOMER = gid(NodeKind.CUSTOMER, DEMO_CUSTOMER_ID)
OPPORTUNITY = gid(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
PRESIDENT = gid(NodeKind.KEY_PERSON, "demo-kp-president")
# Each text names the erased person in both languages, beside the person whose name holds theirs.
TEXTS = {
    "customer": "周静负责招标，周静怡主持评审。Zhou Jing prefers mornings; Zhou Jingyi does not.",
    "person": "信任周静。Trusts Zhou Jing, not Zhou Jingyi.",
    "description": "周静牵头，Zhou Jing leads.",
    "compelling": "周静要求年底上线。",
    "summary": "王总说周静会反对；Zhou Jing agreed.",
    "needs": "周静的副手，想让Zhou Jing签字。",
    "result": "周静介绍了院长。",
    "approval": "Zhou Jing signed off.",
    "violation": "已与周静沟通。",
}
PERSON = """mutation($i: KeyPersonCreateInput!) { keyPersonCreate(input: $i) {
  keyPerson { id name } userErrors { field message code } } }"""
VERSIONS = f"""query {{ customer: node(id: "{CUSTOMER}") {{ ... on Customer {{ version }} }}
  president: node(id: "{PRESIDENT}") {{ ... on KeyPerson {{ version }} }}
  deal: node(id: "{OPPORTUNITY}") {{ ... on Opportunity {{ version }} }} }}"""
CUSTOMER_NOTES = """mutation($id: ID!, $i: CustomerUpdateInput!) {
  customerUpdate(id: $id, input: $i) { customer { id } userErrors { field message code } } }"""
PERSON_NOTES = """mutation($id: ID!, $i: KeyPersonUpdateInput!) { keyPersonUpdate(id: $id,
  input: $i) { keyPerson { id } userErrors { field message code } } }"""
DEAL = """mutation($id: ID!, $i: OpportunityUpdateInput!) { opportunityUpdate(id: $id, input: $i) {
  opportunity { id } userErrors { field message code } } }"""
ACTIVITY = """mutation($i: ActivityLogInput!) { activityLog(input: $i) {
  activity { id } userErrors { field message code } } }"""
CHAIN = """mutation($i: DecisionChainMemberInput!) { decisionChainMemberSet(input: $i) {
  keyPerson { id } userErrors { field message code } } }"""
ACCEPT = """mutation($i: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $i) {
  workPlanItem { id version } userErrors { field message code } } }"""
RESULT = """mutation($id: ID!, $i: WorkPlanResultInput!) { workPlanItemResultRecord(id: $id,
  input: $i) { workPlanItem { id } userErrors { field message code } } }"""
ERASE = """mutation($id: ID!) { keyPersonErase(id: $id) {
  keyPerson { name } userErrors { field message code } } }"""
EXPORT = "query($id: ID!) { keyPersonExport(id: $id) }"


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as served:
        load_demo(served.store)
        yield served


def _person(api: Api, name: str, name_en: str) -> str:
    created = {"customerId": CUSTOMER, "name": name, "nameEn": name_en, "notes": "-"}
    person_id: str = api.mutate(PERSON, {"i": created})["keyPerson"]["id"]
    return person_id


def _typed(api: Api, namesake: str) -> dict[str, str]:
    """Every free text above typed through the API (the item by an account manager), the
    approval and the violation stored as the TAS+ process stores them; their ids."""
    versions = api.data(VERSIONS)
    api.mutate(
        CUSTOMER_NOTES,
        {
            "id": CUSTOMER,
            "i": {"version": versions["customer"]["version"], "notes": TEXTS["customer"]},
        },
    )
    api.mutate(
        PERSON_NOTES,
        {
            "id": PRESIDENT,
            "i": {"version": versions["president"]["version"], "notes": TEXTS["person"]},
        },
    )
    deal = {
        "version": versions["deal"]["version"],
        "description": TEXTS["description"],
        "compellingEvent": TEXTS["compelling"],
    }
    api.mutate(DEAL, {"id": OPPORTUNITY, "i": deal})
    talk = {
        "type": "MEETING",
        "occurredAt": "2025-06-01T09:00:00Z",
        "summary": TEXTS["summary"],
        "personIds": [PRESIDENT],
        "opportunityId": OPPORTUNITY,
    }
    activity = api.mutate(ACTIVITY, {"i": talk})["activity"]["id"]
    api.mutate(
        CHAIN,
        {
            "i": {
                "personId": namesake,
                "opportunityId": OPPORTUNITY,
                "role": "USER",
                "needs": TEXTS["needs"],
            }
        },
    )
    li = api.as_(add_person(api.store, "li", "account_manager", "demo-tm-account"))
    sent = {
        "opportunityId": OPPORTUNITY,
        "actionKey": "warm_introduction",
        "targetPersonId": PRESIDENT,
    }
    item = li.mutate(ACCEPT, {"i": sent})["workPlanItem"]
    done = {
        "version": item["version"],
        "type": "MEETING",
        "summary": "院长见面",
        "outcome": "POSITIVE",
        "result": TEXTS["result"],
    }
    li.mutate(RESULT, {"id": item["id"], "i": done})
    api.store.executor.write(
        "MATCH (o:Opportunity {id: $deal}) "
        "CREATE (:Approval {id: 'ap-1', process: 'TAS1', state: 'APPROVED', version: 1, "
        "  comment: $approval})-[:REQUESTED_FOR]->(o) "
        "CREATE (:Violation {id: 'vi-1', key: 'k', rule: 'R', opportunity_id: $deal, "
        "  detected_at: 1, acknowledged: true, acknowledgement_note: $violation,"
        "  response_note: $violation, sent_back_note: $violation})"
        "-[:VIOLATION_OF]->(o)",
        {
            "deal": DEMO_OPPORTUNITY_ID,
            "approval": TEXTS["approval"],
            "violation": TEXTS["violation"],
        },
    )
    return {"activity": raw(activity), "item": raw(item["id"])}


def _stored(api: Api) -> list[dict[str, Any]]:
    rows = api.store.executor.read("MATCH (n) RETURN properties(n) AS p", {})
    rows += api.store.executor.read("MATCH ()-[r]->() RETURN properties(r) AS p", {})
    return rows


def _named(api: Api) -> list[str]:
    """Every stored value (audit entries and webhook events included) that still names the
    erased person outside the longer names."""
    found = []
    for row in _stored(api):
        for value in row["p"].values():
            text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
            rest = text.replace("周静怡", "").replace("Zhou Jingyi", "")
            if "周静" in rest or "Zhou Jing" in rest:
                found.append(text)
    return found


def _one(api: Api, statement: str, **params: str) -> Any:
    (row,) = api.store.executor.read(statement, params)
    return row["v"]


def test_the_name_typed_in_free_text_goes_and_the_text_stays(api: Api) -> None:
    erased = _person(api, "周静", "Zhou Jing")
    namesake = _person(api, "周静怡", "Zhou Jingyi")
    ids = _typed(api, namesake)
    named_before = _named(api)
    assert any("changes" not in t and TEXTS["customer"] in t for t in named_before)
    audit_quotes = api.store.executor.read(
        "MATCH (a:AuditEntry) WHERE a.changes CONTAINS '周静负责' RETURN count(a) AS n", {}
    )
    assert audit_quotes[0]["n"] > 0  # the history quoted the notes
    events = api.store.executor.read(
        "MATCH (e:WebhookEvent) WHERE e.payload CONTAINS 'Zhou Jing leads' RETURN count(e) AS n",
        {},
    )
    assert events[0]["n"] > 0  # and so did the outbox

    # A subject-access request lists every record whose text names them.
    exported = api.data(EXPORT, {"id": erased})["keyPersonExport"]
    listed = {(r["kind"], r["id"]) for r in exported["records_naming_them"]}
    assert listed == {
        ("Customer", DEMO_CUSTOMER_ID),
        ("KeyPerson", "demo-kp-president"),
        ("Opportunity", DEMO_OPPORTUNITY_ID),
        ("Activity", ids["activity"]),
        ("IN_DECISION_CHAIN", f"{raw(namesake)}->{DEMO_OPPORTUNITY_ID}"),
        ("Approval", "ap-1"),
        ("Violation", "vi-1"),
    }, listed
    assert [i["item"]["id"] for i in exported["work_plan_items_naming_them"]] == [ids["item"]]

    # Someone who is no administrator is refused, and nothing changes.
    viewer = api.as_(add_person(api.store, "vic", "account_manager", "demo-tm-account"))
    viewer.refused(ERASE, {"id": erased}, "FORBIDDEN")

    assert api.mutate(ERASE, {"id": erased})["keyPerson"]["name"] == ERASED_NAME
    x = ERASED_NAME
    assert _one(api, "MATCH (c:Customer {id: $id}) RETURN c.notes AS v", id=DEMO_CUSTOMER_ID) == (
        f"{x}负责招标，周静怡主持评审。{x} prefers mornings; Zhou Jingyi does not."
    )
    assert _one(api, "MATCH (p:KeyPerson {id: 'demo-kp-president'}) RETURN p.notes AS v") == (
        f"信任{x}。Trusts {x}, not Zhou Jingyi."
    )
    deal = _one(
        api,
        "MATCH (o:Opportunity {id: $id}) RETURN [o.description, o.compelling_event] AS v",
        id=DEMO_OPPORTUNITY_ID,
    )
    assert deal == [f"{x}牵头，{x} leads.", f"{x}要求年底上线。"]
    assert _one(api, "MATCH (a:Activity {id: $id}) RETURN a.summary AS v", id=ids["activity"]) == (
        f"王总说{x}会反对；{x} agreed."
    )
    assert (
        _one(
            api,
            "MATCH (:KeyPerson {id: $id})-[r:IN_DECISION_CHAIN]->() RETURN r.needs AS v",
            id=raw(namesake),
        )
        == f"{x}的副手，想让{x}签字。"
    )
    assert _one(api, "MATCH (w:WorkPlanItem {id: $id}) RETURN w.result AS v", id=ids["item"]) == (
        f"{x}介绍了院长。"
    )
    assert _one(api, "MATCH (a:Approval {id: 'ap-1'}) RETURN a.comment AS v") == f"{x} signed off."
    for note in ("acknowledgement_note", "response_note", "sent_back_note"):
        query = f"MATCH (v:Violation {{id: 'vi-1'}}) RETURN v.{note} AS v"
        assert _one(api, query) == f"已与{x}沟通。", note
    # The person whose name holds theirs keeps it; nothing stored names the erased person.
    assert _one(
        api, "MATCH (p:KeyPerson {id: $id}) RETURN [p.name, p.name_en] AS v", id=raw(namesake)
    ) == ["周静怡", "Zhou Jingyi"]
    assert _named(api) == []
    exported = api.data(EXPORT, {"id": erased})["keyPersonExport"]
    assert exported["records_naming_them"] == []


def test_a_short_name_goes_only_where_it_stands_as_a_name(api: Api) -> None:
    """A one-character name and a Latin name are words of their own: 王 stays in 国王 and
    Wang in Wangfujing, while 王 alone and Wang alone (also after a line break) go."""
    erased = _person(api, "王", "Wang")
    version = api.data(VERSIONS)["customer"]["version"]
    notes = "王 说过。国王饭店在Wangfujing；Wang said so.\nWang again"
    api.mutate(CUSTOMER_NOTES, {"id": CUSTOMER, "i": {"version": version, "notes": notes}})
    api.mutate(ERASE, {"id": erased})
    x = ERASED_NAME
    assert _one(api, "MATCH (c:Customer {id: $id}) RETURN c.notes AS v", id=DEMO_CUSTOMER_ID) == (
        f"{x} 说过。国王饭店在Wangfujing；{x} said so.\n{x} again"
    )
    history = api.store.executor.read(
        "MATCH (a:AuditEntry {target_id: $id}) WHERE a.changes CONTAINS 'Wangfujing' "
        "RETURN a.changes AS changes",
        {"id": DEMO_CUSTOMER_ID},
    )
    assert history, "the customer's history quoted the notes"
    for entry in history:
        assert "Wang said" not in entry["changes"]
        assert "\\nWang again" not in entry["changes"]
