"""Every query root and every relationship field over HTTP on the real embedded store, with
filters, ordering and the decision-chain map; and the refusals of bad query input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Api, gid, open_api, raw
from sample_graph import seed

from domain.model import NodeKind
from graph.executor import Executor
from graph.store import now_ms
from schema.query import Query

DAY = 86_400_000
K = NodeKind


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        seed(client.store)
        yield client


def ids(connection: dict[str, Any]) -> list[str]:
    return [raw(node["id"]) for node in connection["nodes"]]


def names(items: list[dict[str, Any]], key: str = "name") -> list[str]:
    return [item[key] for item in items]


# --- coverage -------------------------------------------------------------------------------------

COVERED = {
    "node",
    "nodes",
    "customers",
    "keyPersons",
    "competitors",
    "opportunities",
    "teamMembers",
    "activities",
    "workPlanItems",
    "vocabulary",
    "label",
}


def test_every_core_query_field_is_covered_here() -> None:
    definition = Query.__strawberry_definition__  # type: ignore[attr-defined]
    found = set()
    for field in definition.fields:
        head, *rest = field.python_name.split("_")
        found.add(field.graphql_name or head + "".join(p.title() for p in rest))
    assert found == COVERED


# --- node / nodes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "node_id", "field", "value"),
    [
        (K.CUSTOMER, "c1", "name", "Alpha Hospital"),
        (K.KEY_PERSON, "p2", "name", "Li CIO"),
        (K.COMPETITOR, "k1", "name", "Rival A"),
        (K.OPPORTUNITY, "o1", "name", "Smart Hospital"),
        (K.TEAM_MEMBER, "m1", "name", "Wang AM"),
        (K.ACTIVITY, "a1", "summary", "visit"),
    ],
)
def test_node_finds_every_kind_by_global_id(
    api: Api, kind: NodeKind, node_id: str, field: str, value: str
) -> None:
    query = (
        f"query($id: ID!) {{ node(id: $id) {{ __typename id ... on {kind.value} {{ {field} }} }} }}"
    )
    node = api.data(query, {"id": gid(kind, node_id)})["node"]
    assert node == {"__typename": kind.value, "id": gid(kind, node_id), field: value}


def test_node_of_an_unknown_id_is_null(api: Api) -> None:
    unknown = gid(K.CUSTOMER, "nope")
    assert api.data("query($id: ID!) { node(id: $id) { id } }", {"id": unknown})["node"] is None


def test_nodes_keep_order_and_give_null_for_unknown_ids(api: Api) -> None:
    wanted = [gid(K.OPPORTUNITY, "o2"), gid(K.CUSTOMER, "zz"), gid(K.KEY_PERSON, "p1")]
    found = api.data("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": wanted})["nodes"]
    assert found == [{"id": wanted[0]}, None, {"id": wanted[2]}]


@pytest.mark.parametrize(
    "bad_id",
    ["not base64!", "bm9jb2xvbg==", gid("Nope", "1"), gid("PageInfo", "1"), ""],
    ids=["garbage", "no-colon", "unknown-type", "not-a-node-type", "empty"],
)
def test_node_refuses_malformed_global_ids(api: Api, bad_id: str) -> None:
    error = api.top_error(
        "query($id: ID!) { node(id: $id) { id } }", {"id": bad_id}, "BAD_USER_INPUT"
    )
    assert "Internal" not in error["message"]


def test_node_refuses_an_id_of_the_wrong_scalar_type(api: Api) -> None:
    api.top_error("{ node(id: 42.5) { id } }", None, "BAD_USER_INPUT")
    api.top_error("query($id: ID!) { node(id: $id) { id } }", {"id": ["x"]}, "BAD_USER_INPUT")


# --- lists: filters and ordering ------------------------------------------------------------


def test_customers_filter_and_order(api: Api) -> None:
    q = """query($f: CustomerFilter, $o: CustomerOrderField!, $d: Direction!) {
        customers(filter: $f, orderBy: $o, direction: $d) { totalCount nodes { id name } } }"""
    everything = api.data(q, {"o": "NAME", "d": "ASC"})["customers"]
    assert ids(everything) == ["c1", "c2", "c3"]
    assert everything["totalCount"] == 3
    assert ids(api.data(q, {"o": "NAME", "d": "DESC"})["customers"]) == ["c3", "c2", "c1"]
    east = api.data(q, {"f": {"region": "East"}, "o": "NAME", "d": "DESC"})["customers"]
    assert (ids(east), east["totalCount"]) == (["c3", "c1"], 2)
    assert ids(api.data(q, {"f": {"name": "bank"}, "o": "NAME", "d": "ASC"})["customers"]) == ["c2"]
    by_industry = api.data(q, {"f": {"industry": "Energy"}, "o": "INDUSTRY", "d": "ASC"})
    assert ids(by_industry["customers"]) == ["c3"]
    api.top_error(q, {"o": "COLOUR", "d": "ASC"}, "BAD_USER_INPUT", contains="COLOUR")
    api.top_error(q, {"o": "NAME", "d": "SIDEWAYS"}, "BAD_USER_INPUT")
    api.top_error(q, {"f": {"region": 5}, "o": "NAME", "d": "ASC"}, "BAD_USER_INPUT")


def test_key_persons_filter_by_customer_department_and_chain_place(api: Api) -> None:
    q = """query($f: KeyPersonFilter) { keyPersons(filter: $f, first: 50) {
        totalCount nodes { id name title department customer { id } } } }"""
    at_beta = api.data(q, {"f": {"customerId": gid(K.CUSTOMER, "c2")}})["keyPersons"]
    assert ids(at_beta) == ["p6"]
    it = api.data(q, {"f": {"department": "IT"}})["keyPersons"]
    assert sorted(ids(it)) == ["p2", "p3", "p5"]
    assert {n["customer"]["id"] for n in it["nodes"]} == {gid(K.CUSTOMER, "c1")}
    o1 = gid(K.OPPORTUNITY, "o1")
    in_chain = api.data(q, {"f": {"opportunityId": o1}})["keyPersons"]
    assert sorted(ids(in_chain)) == ["p1", "p2", "p3", "p4"]
    opponents = api.data(q, {"f": {"opportunityId": o1, "attitude": "OPPONENT"}})["keyPersons"]
    assert ids(opponents) == ["p4"]
    deciders = api.data(q, {"f": {"opportunityId": o1, "role": "DECISION_MAKER"}})["keyPersons"]
    assert ids(deciders) == ["p1"]
    api.top_error(q, {"f": {"role": "USER"}}, "BAD_USER_INPUT", contains="opportunity")
    api.top_error(
        q, {"f": {"customerId": o1}}, "BAD_USER_INPUT", contains="must be the ID of a customer"
    )
    api.top_error(q, {"f": {"attitude": "FURIOUS"}}, "BAD_USER_INPUT")


def test_competitors_and_team_members_filter(api: Api) -> None:
    rivals = api.data('{ competitors(filter: {name: "b"}) { nodes { id } } }')["competitors"]
    assert ids(rivals) == ["k2"]
    everyone = api.data("{ competitors(orderBy: NAME, direction: DESC) { nodes { id } } }")[
        "competitors"
    ]
    assert ids(everyone) == ["k2", "k1"]
    sms = api.data("{ teamMembers(filter: {role: SOLUTION_MANAGER}) { nodes { id } } }")
    assert ids(sms["teamMembers"]) == ["m2"]
    named = api.data('{ teamMembers(filter: {name: "wang"}) { nodes { id } } }')
    assert ids(named["teamMembers"]) == ["m1"]


def test_opportunities_filter_by_stage_grade_customer_member_and_amount(api: Api) -> None:
    q = """query($f: OpportunityFilter, $o: OpportunityOrderField! = NAME) {
        opportunities(filter: $f, orderBy: $o) { totalCount nodes { id } } }"""

    def found(f: dict[str, Any], order: str = "NAME") -> list[str]:
        return ids(api.data(q, {"f": f, "o": order})["opportunities"])

    assert found({}, "AMOUNT") == ["o2", "o1", "o3"]
    # stages in the process's order (validate, requirements, bidding), page by page too
    assert found({}, "STAGE") == ["o2", "o1", "o3"]
    assert stage_pages(api) == ["o2", "o1", "o3"]
    assert found({"stages": ["VALIDATE", "BIDDING"]}, "AMOUNT") == ["o2", "o3"]
    assert found({"grades": ["A"]}, "AMOUNT") == ["o1", "o3"]
    assert found({"customerId": gid(K.CUSTOMER, "c1")}, "AMOUNT") == ["o2", "o1"]
    assert found({"teamMemberId": gid(K.TEAM_MEMBER, "m2")}) == ["o1"]
    assert found({"amountMin": 5_000_000_000, "amountMax": 10_000_000_000}) == ["o1"]
    assert found({"name": "core"}) == ["o3"]
    api.top_error(q, {"f": {"stages": ["DREAMING"]}}, "BAD_USER_INPUT")
    api.top_error(q, {"f": {"amountMin": "a lot"}}, "BAD_USER_INPUT")
    api.top_error(
        q, {"f": {"teamMemberId": gid(K.CUSTOMER, "c1")}}, "BAD_USER_INPUT", contains="team member"
    )


def stage_pages(api: Api) -> list[str]:
    """The opportunities by stage, read one page of one at a time through the cursors."""
    q = """query($after: String) { opportunities(orderBy: STAGE, first: 1, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { id } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = api.data(q, {"after": after})["opportunities"]
        seen += ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]


def test_activities_filter_by_person_opportunity_member_type_and_dates(api: Api) -> None:
    q = """query($f: ActivityFilter, $d: Direction! = DESC) {
        activities(filter: $f, direction: $d) { totalCount nodes { id type } } }"""

    def found(f: dict[str, Any], direction: str = "DESC") -> list[str]:
        return ids(api.data(q, {"f": f, "d": direction})["activities"])

    assert found({}) == ["a3", "a2", "a1"]
    assert found({}, "ASC") == ["a1", "a2", "a3"]
    assert found({"personId": gid(K.KEY_PERSON, "p3")}) == ["a2"]
    assert found({"opportunityId": gid(K.OPPORTUNITY, "o1")}) == ["a2", "a1"]
    assert found({"teamMemberId": gid(K.TEAM_MEMBER, "m1")}) == ["a1"]
    assert found({"types": ["CALL", "VISIT"]}) == ["a3", "a1"]
    week_ago = (now_ms() - 7 * DAY) / 1000
    from datetime import UTC, datetime

    since = datetime.fromtimestamp(week_ago, tz=UTC).isoformat()
    assert found({"occurredFrom": since}) == ["a3"]
    assert found({"occurredTo": since}) == ["a2", "a1"]
    api.top_error(q, {"f": {"occurredFrom": "last week"}}, "BAD_USER_INPUT")
    api.top_error(q, {"f": {"types": ["PARTY"]}}, "BAD_USER_INPUT")


# --- relationship fields ------------------------------------------------------------------------


def test_key_person_relationships(api: Api) -> None:
    q = """query($id: ID!) { node(id: $id) { ... on KeyPerson {
        name title department customer { id }
        reportsTo { id } directReports { id }
        influences { person { id } strength } influencedBy { person { id } strength }
        knows { person { id } strength }
        knownBy { member { id } person { id } level since }
        competitorTies { competitor { id } person { id } level }
        decisionChains { opportunity { id } role influence attitude needs needsFit }
    } } }"""
    p1 = api.data(q, {"id": gid(K.KEY_PERSON, "p1")})["node"]
    assert (p1["title"], p1["department"], p1["reportsTo"]) == ("CEO", "Board", None)
    assert sorted(raw(p["id"]) for p in p1["directReports"]) == ["p2", "p4"]
    assert p1["influencedBy"] == [{"person": {"id": gid(K.KEY_PERSON, "p2")}, "strength": "STRONG"}]
    assert p1["knownBy"] == [
        {
            "member": {"id": gid(K.TEAM_MEMBER, "m1")},
            "person": {"id": gid(K.KEY_PERSON, "p1")},
            "level": "STRONG",
            "since": "2020-01-01",
        }
    ]
    assert p1["decisionChains"] == [
        {
            "opportunity": {"id": gid(K.OPPORTUNITY, "o1")},
            "role": "DECISION_MAKER",
            "influence": "HIGH",
            "attitude": "SUPPORTER",
            "needs": None,
            "needsFit": "UNKNOWN",
        }
    ]
    p3 = api.data(q, {"id": gid(K.KEY_PERSON, "p3")})["node"]
    assert p3["reportsTo"] == {"id": gid(K.KEY_PERSON, "p5")}
    assert p3["knows"] == [{"person": {"id": gid(K.KEY_PERSON, "p4")}, "strength": "WEAK"}]
    assert p3["customer"] == {"id": gid(K.CUSTOMER, "c1")}
    p4 = api.data(q, {"id": gid(K.KEY_PERSON, "p4")})["node"]
    assert p4["competitorTies"] == [
        {
            "competitor": {"id": gid(K.COMPETITOR, "k1")},
            "person": {"id": gid(K.KEY_PERSON, "p4")},
            "level": "STRONG",
        }
    ]
    p2 = api.data(q, {"id": gid(K.KEY_PERSON, "p2")})["node"]
    assert p2["influences"] == [{"person": {"id": gid(K.KEY_PERSON, "p1")}, "strength": "STRONG"}]


def test_customer_relationships_and_org_chart(api: Api) -> None:
    q = """query($id: ID!) { node(id: $id) { ... on Customer {
        keyPersons(first: 3) { totalCount nodes { name } pageInfo { hasNextPage } }
        opportunities { totalCount nodes { id } }
        team { member { id } role phase }
        orgChart { customer { id } people { name title }
            reportsTo { fromPerson { id } toPerson { id } }
            influences { fromPerson { id } toPerson { id } strength } }
    } } }"""
    c1 = api.data(q, {"id": gid(K.CUSTOMER, "c1")})["node"]
    assert c1["keyPersons"]["totalCount"] == 5
    assert names(c1["keyPersons"]["nodes"]) == ["Chen CEO", "Li CIO", "Sun Deputy"]
    assert c1["keyPersons"]["pageInfo"]["hasNextPage"] is True
    assert sorted(ids(c1["opportunities"])) == ["o1", "o2"]
    assert c1["team"] == [
        {"member": {"id": gid(K.TEAM_MEMBER, "m1")}, "role": "ACCOUNT_MANAGER", "phase": "DEAL"}
    ]
    chart = c1["orgChart"]
    assert len(chart["people"]) == 5
    assert {"name": "Sun Deputy", "title": "Deputy CIO"} in chart["people"]
    lines = {(raw(r["fromPerson"]["id"]), raw(r["toPerson"]["id"])) for r in chart["reportsTo"]}
    assert lines == {("p2", "p1"), ("p5", "p2"), ("p3", "p5"), ("p4", "p1")}


def test_opportunity_competitor_team_member_activity_relationships(api: Api) -> None:
    o1 = api.data(
        """query($id: ID!) { node(id: $id) { ... on Opportunity { customer { id }
            team { member { name } role } competitors { competitor { id } position } } } }""",
        {"id": gid(K.OPPORTUNITY, "o1")},
    )["node"]
    assert o1["customer"] == {"id": gid(K.CUSTOMER, "c1")}
    assert sorted(names([t["member"] for t in o1["team"]])) == ["Wang AM", "Zhao SM"]
    assert o1["competitors"] == [
        {"competitor": {"id": gid(K.COMPETITOR, "k1")}, "position": "LEADING"}
    ]
    k1 = api.data(
        """query($id: ID!) { node(id: $id) { ... on Competitor {
            opportunities { opportunity { id } competitor { id } pricePosition }
            allies { person { id } level } } } }""",
        {"id": gid(K.COMPETITOR, "k1")},
    )["node"]
    assert k1["opportunities"][0]["opportunity"] == {"id": gid(K.OPPORTUNITY, "o1")}
    assert k1["allies"] == [{"person": {"id": gid(K.KEY_PERSON, "p4")}, "level": "STRONG"}]
    m1 = api.data(
        """query($id: ID!) { node(id: $id) { ... on TeamMember {
            opportunities { opportunity { id } role phase } accounts { customer { id } role }
            knows { person { id } level } } } }""",
        {"id": gid(K.TEAM_MEMBER, "m1")},
    )["node"]
    assert m1["opportunities"] == [
        {
            "opportunity": {"id": gid(K.OPPORTUNITY, "o1")},
            "role": "ACCOUNT_MANAGER",
            "phase": "DEAL",
        }
    ]
    assert m1["accounts"] == [
        {"customer": {"id": gid(K.CUSTOMER, "c1")}, "role": "ACCOUNT_MANAGER"}
    ]
    assert m1["knows"] == [{"person": {"id": gid(K.KEY_PERSON, "p1")}, "level": "STRONG"}]
    a2 = api.data(
        """query($id: ID!) { node(id: $id) { ... on Activity { type outcome occurredAt
            persons { id } doneBy { id } opportunity { id } } } }""",
        {"id": gid(K.ACTIVITY, "a2")},
    )["node"]
    assert (a2["type"], a2["outcome"]) == ("DEMO", "NEUTRAL")
    assert sorted(raw(p["id"]) for p in a2["persons"]) == ["p2", "p3"]
    assert a2["doneBy"] == [{"id": gid(K.TEAM_MEMBER, "m2")}]
    assert a2["opportunity"] == {"id": gid(K.OPPORTUNITY, "o1")}


# --- the decision-chain map -----------------------------------------------------------------------

CHAIN = """query($id: ID!, $w: Boolean! = false) { node(id: $id) { ... on Opportunity {
    decisionChain(withConnectors: $w) {
        opportunity { id } customer { id }
        members { person { id name title } role influence attitude needs
            teamTies { member { id } level since } competitorTies { competitor { id } level }
            lastContactAt }
        connectors { id title }
        reportsTo { fromPerson { id } toPerson { id } }
        influences { fromPerson { id } toPerson { id } strength }
        knows { fromPerson { id } toPerson { id } strength }
        competitors { competitor { name } position pricePosition }
        team { member { name } role phase }
        activities { id type }
} } } }"""


def test_decision_chain_holds_everything_to_draw_the_map(api: Api) -> None:
    chain = api.data(CHAIN, {"id": gid(K.OPPORTUNITY, "o1")})["node"]["decisionChain"]
    assert chain["customer"] == {"id": gid(K.CUSTOMER, "c1")}
    members = {raw(m["person"]["id"]): m for m in chain["members"]}
    assert sorted(members) == ["p1", "p2", "p3", "p4"]
    assert (members["p1"]["role"], members["p1"]["influence"]) == ("DECISION_MAKER", "HIGH")
    assert members["p1"]["person"]["title"] == "CEO"
    assert members["p3"]["needs"] == "stable PACS"
    assert members["p1"]["lastContactAt"] is not None
    assert chain["connectors"] == []
    lines = {(raw(r["fromPerson"]["id"]), raw(r["toPerson"]["id"])) for r in chain["reportsTo"]}
    assert lines == {("p2", "p1"), ("p4", "p1")}  # p3's line runs through p5, outside the chain
    assert chain["competitors"] == [
        {"competitor": {"name": "Rival A"}, "position": "LEADING", "pricePosition": "UNKNOWN"}
    ]
    assert sorted(t["role"] for t in chain["team"]) == ["ACCOUNT_MANAGER", "SOLUTION_MANAGER"]
    assert [raw(a["id"]) for a in chain["activities"]] == ["a1", "a2", "a3"]


def test_decision_chain_carries_ties_and_influence(api: Api) -> None:
    chain = api.data(CHAIN, {"id": gid(K.OPPORTUNITY, "o1")})["node"]["decisionChain"]
    members = {raw(m["person"]["id"]): m for m in chain["members"]}
    assert members["p1"]["teamTies"] == [
        {"member": {"id": gid(K.TEAM_MEMBER, "m1")}, "level": "STRONG", "since": "2020-01-01"}
    ]
    assert members["p4"]["competitorTies"] == [
        {"competitor": {"id": gid(K.COMPETITOR, "k1")}, "level": "STRONG"}
    ]
    assert [raw(i["fromPerson"]["id"]) for i in chain["influences"]] == ["p2"]
    assert [(raw(k["fromPerson"]["id"]), k["strength"]) for k in chain["knows"]] == [("p3", "WEAK")]
    assert members["p2"]["teamTies"] == [
        {"member": {"id": gid(K.TEAM_MEMBER, "m2")}, "level": "WEAK", "since": None}
    ]


def test_decision_chain_with_connectors_adds_the_people_between_members(api: Api) -> None:
    chain = api.data(CHAIN, {"id": gid(K.OPPORTUNITY, "o1"), "w": True})["node"]["decisionChain"]
    assert [c["id"] for c in chain["connectors"]] == [gid(K.KEY_PERSON, "p5")]
    lines = {(raw(r["fromPerson"]["id"]), raw(r["toPerson"]["id"])) for r in chain["reportsTo"]}
    assert {("p3", "p5"), ("p5", "p2")} <= lines


def test_decision_chain_connectors_carry_their_own_job(api: Api) -> None:
    chain = api.data(CHAIN, {"id": gid(K.OPPORTUNITY, "o1"), "w": True})["node"]["decisionChain"]
    assert chain["connectors"] == [{"id": gid(K.KEY_PERSON, "p5"), "title": "Deputy CIO"}]


def test_org_chart_shows_informal_influence(api: Api) -> None:
    chart = api.data(
        """query($id: ID!) { node(id: $id) { ... on Customer { orgChart {
            influences { fromPerson { id } toPerson { id } strength } } } } }""",
        {"id": gid(K.CUSTOMER, "c1")},
    )["node"]["orgChart"]
    assert chart["influences"] == [
        {
            "fromPerson": {"id": gid(K.KEY_PERSON, "p2")},
            "toPerson": {"id": gid(K.KEY_PERSON, "p1")},
            "strength": "STRONG",
        }
    ]


def test_an_opportunity_without_a_chain_has_an_empty_map(api: Api) -> None:
    chain = api.data(CHAIN, {"id": gid(K.OPPORTUNITY, "o2")})["node"]["decisionChain"]
    assert chain["members"] == []
    assert chain["opportunity"] == {"id": gid(K.OPPORTUNITY, "o2")}


# --- labels ---------------------------------------------------------------------------------------

VOCAB = (
    "query($l: String) { vocabulary(locale: $l) { name values { value label labelEn labelZh } } }"
)


def _label(result: dict[str, Any], enum: str, value: str) -> str:
    (vocab,) = [v for v in result["vocabulary"] if v["name"] == enum]
    (entry,) = [e for e in vocab["values"] if e["value"] == value]
    return str(entry["label"])


def test_vocabulary_follows_accept_language_and_the_locale_argument(api: Api) -> None:
    zh = api.body(VOCAB, {}, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})["data"]
    en = api.body(VOCAB, {}, headers={"Accept-Language": "en-US,en;q=0.9"})["data"]
    plain = api.body(VOCAB, {})["data"]
    assert _label(zh, "DecisionRole", "DECISION_MAKER") == "决策者"
    assert _label(en, "DecisionRole", "DECISION_MAKER") == "Decision maker"
    assert _label(plain, "DecisionRole", "DECISION_MAKER") == "Decision maker"
    forced_en = api.body(VOCAB, {"l": "en"}, headers={"Accept-Language": "zh-CN"})["data"]
    forced_zh = api.body(VOCAB, {"l": "zh-CN"}, headers={"Accept-Language": "en"})["data"]
    assert _label(forced_en, "Stage", "BIDDING") != _label(forced_zh, "Stage", "BIDDING")
    assert "组织投标" in _label(forced_zh, "Stage", "BIDDING")
    assert "Bidding" in _label(forced_en, "Stage", "BIDDING")


def test_every_enum_value_has_both_labels(api: Api) -> None:
    vocabulary = api.data(VOCAB)["vocabulary"]
    assert len(vocabulary) >= 15
    for vocab in vocabulary:
        for entry in vocab["values"]:
            assert entry["labelEn"], entry
            assert entry["labelZh"], entry
            assert entry["labelEn"] != entry["labelZh"], entry


def test_the_vocabulary_names_each_enum_as_the_schema_does(api: Api) -> None:
    """A client looks labels up by the enum's name in the schema: every enum of the schema a
    page shows is there under that name (a deal's health on every row of a list, a violation's
    rule, an approval's decision), and nothing under a name the schema does not have. Left
    out only the API's mechanics and kinds whose items say themselves in words."""
    sdl = Path(__file__).parents[2].joinpath("schema.graphql").read_text(encoding="utf-8")
    in_schema = set(re.findall(r"^enum (\w+)", sdl, re.MULTILINE))
    zh = api.body(VOCAB, {}, headers={"Accept-Language": "zh-CN"})["data"]
    named = {v["name"] for v in zh["vocabulary"]}
    assert named <= in_schema, named - in_schema
    unlabelled = {e for e in in_schema - named if not e.endswith("OrderField")}
    assert unlabelled == {"Direction", "ChainChangeKind", "WhatIfKind", "WinModelSource"}
    assert _label(zh, "DealHealthStatus", "AT_RISK") == "有风险"
    assert _label(zh, "WorkPlanDropReason", "TIMING") == "时机不对，暂缓"
    assert _label(zh, "ViolationRule", "SELF_APPROVAL") == "申请人自己审批"
    assert _label(zh, "ApprovalDecision", "REJECT") == "驳回"
    query = "query($e: String!, $v: String!) { label(enum: $e, value: $v) }"
    assert api.data(query, {"e": "DealHealthStatus", "v": "ON_TRACK"})["label"] == "On track"


ASSESSED = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  assessment { canCompete { reasons { factor textEn textZh } } } } } }"""


def test_a_competitor_s_standing_says_against_whom(api: Api) -> None:
    """A standing of "leading" alone leaves the reader guessing whether the competitor or we
    lead: the labels, and the reason of "can we compete" they make, say it is against us."""
    zh = api.body(VOCAB, {}, headers={"Accept-Language": "zh-CN"})["data"]
    en = api.body(VOCAB, {}, headers={"Accept-Language": "en"})["data"]
    standings = [
        (_label(zh, "CompetitivePosition", v), _label(en, "CompetitivePosition", v))
        for v in ("LEADING", "EVEN", "TRAILING")
    ]
    assert standings == [
        ("领先于我方", "Ahead of us"),
        ("与我方持平", "Level with us"),
        ("落后于我方", "Behind us"),
    ]
    opp = api.data(ASSESSED, {"id": gid(K.OPPORTUNITY, "o1")})["node"]
    reasons = opp["assessment"]["canCompete"]["reasons"]
    said = [(r["textZh"], r["textEn"]) for r in reasons if r["factor"] == "competitor_position"]
    assert said == [("Rival A：领先于我方", "Rival A is ahead of us")]


def test_label_of_one_value_follows_locale_and_refuses_unknown_names(api: Api) -> None:
    query = "query($e: String!, $v: String!, $l: String) { label(enum: $e, value: $v, locale: $l) }"
    zh = api.body(query, {"e": "Attitude", "v": "CHAMPION"}, headers={"Accept-Language": "zh-CN"})
    assert zh["data"]["label"] == "拥护者"
    assert api.data(query, {"e": "Attitude", "v": "CHAMPION", "l": "en"})["label"] == "Champion"
    api.top_error(query, {"e": "Nope", "v": "CHAMPION"}, "BAD_USER_INPUT", contains="Attitude")
    api.top_error(query, {"e": "Attitude", "v": "NOPE"}, "BAD_USER_INPUT", contains="CHAMPION")
