"""Links stay consistent, over HTTP on the real embedded store: customer groups (parent and
subsidiaries), org-chart and influence links within one group, outsiders in a decision chain
or a meeting only as external members. Each refusal: its code, the real input field, the
message in English and zh-CN naming people and customers by name, and an unchanged graph."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, Json, gid, open_api, snapshot

from domain.model import NodeKind
from graph.executor import Executor

ERR = "userErrors { field message code }"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}

CUSTOMER_CREATE = f"""mutation($i: CustomerCreateInput!) {{ customerCreate(input: $i) {{
    customer {{ id name parent {{ name }} subsidiaries {{ name }} }} {ERR} }} }}"""
CUSTOMER_UPDATE = f"""mutation($id: ID!, $i: CustomerUpdateInput!) {{
    customerUpdate(id: $id, input: $i) {{ customer {{ id name version parent {{ name }} }}
    {ERR} }} }}"""
CUSTOMER = """query($id: ID!) { node(id: $id) { ... on Customer { name version
    parent { name } subsidiaries { name } } } }"""
PERSON_CREATE = f"""mutation($i: KeyPersonCreateInput!) {{ keyPersonCreate(input: $i) {{
    keyPerson {{ id name }} {ERR} }} }}"""
OPPORTUNITY_CREATE = f"""mutation($i: OpportunityCreateInput!) {{ opportunityCreate(input: $i) {{
    opportunity {{ id }} {ERR} }} }}"""
REPORTS_TO = f"""mutation($i: ReportsToInput!) {{ reportsToSet(input: $i) {{
    keyPerson {{ id reportsTo {{ name }} }} {ERR} }} }}"""
INFLUENCE = f"""mutation($i: InfluenceInput!) {{ influenceSet(input: $i) {{
    keyPerson {{ id influences {{ person {{ name }} }} }} {ERR} }} }}"""
CHAIN_SET = f"""mutation($i: DecisionChainMemberInput!) {{ decisionChainMemberSet(input: $i) {{
    keyPerson {{ id decisionChains {{ role external externalKind }} }}
    opportunity {{ id }} {ERR} }} }}"""
CHAIN = """query($id: ID!) { node(id: $id) { ... on Opportunity { decisionChain {
    members { person { name customer { name } } role attitude external externalKind } } } } }"""
ACTIVITY = f"""mutation($i: ActivityLogInput!) {{ activityLog(input: $i) {{
    activity {{ id }} {ERR} }} }}"""


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        yield client


def _payload(api: Api, query: str, variables: dict[str, Any], headers: dict[str, str]) -> Json:
    result = api.body(query, variables, headers=headers)
    assert "errors" not in result, result
    (payload,) = result["data"].values()
    found: Json = payload
    return found


def refused_twice(
    api: Api, query: str, variables: dict[str, Any], code: str, field: list[str]
) -> tuple[str, str]:
    """The one userError of a refused mutation in English and in zh-CN; nothing written."""
    messages = []
    for headers in ({}, ZH):
        before = snapshot(api.store)
        payload = _payload(api, query, variables, headers)
        errors = payload["userErrors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)], errors
        assert all(v is None for k, v in payload.items() if k != "userErrors"), payload
        assert snapshot(api.store) == before, "a refused mutation changed the graph"
        messages.append(errors[0]["message"])
    return messages[0], messages[1]


def _create(api: Api, query: str, data: dict[str, Any]) -> str:
    payload = api.mutate(query, {"i": data})
    node = next(v for k, v in payload.items() if k != "userErrors")
    return str(node["id"])


@pytest.fixture(scope="module")
def world(api: Api) -> dict[str, str]:
    """A bank group with a subsidiary, an unrelated hospital and a consultancy, their people,
    and a deal with the subsidiary."""
    ids: dict[str, str] = {}
    ids["group"] = _create(api, CUSTOMER_CREATE, {"name": "Huaxia Bank Group"})
    ids["bank"] = _create(
        api, CUSTOMER_CREATE, {"name": "Huaxia Bank Shanghai", "parentId": ids["group"]}
    )
    ids["hospital"] = _create(api, CUSTOMER_CREATE, {"name": "Renji Hospital"})
    ids["consultancy"] = _create(api, CUSTOMER_CREATE, {"name": "Deyi Consulting"})
    people = {
        "cio": ("bank", "Zhou Bin"),
        "cfo": ("bank", "Wang Fang"),
        "officer": ("group", "Liu Qiang"),
        "president": ("hospital", "Chen Jie"),
        "consultant": ("consultancy", "Zhao Lei"),
    }
    for key, (customer, name) in people.items():
        ids[key] = _create(api, PERSON_CREATE, {"customerId": ids[customer], "name": name})
    ids["deal"] = _create(
        api, OPPORTUNITY_CREATE, {"customerId": ids["bank"], "name": "Core banking renewal"}
    )
    api.mutate(
        CHAIN_SET, {"i": {"personId": ids["cio"], "opportunityId": ids["deal"], "role": "USER"}}
    )
    return ids


# --- customer groups ---------------------------------------------------------------------------


def test_a_customer_is_created_under_its_group_and_both_show_it(
    api: Api, world: dict[str, str]
) -> None:
    bank = api.data(CUSTOMER, {"id": world["bank"]})["node"]
    group = api.data(CUSTOMER, {"id": world["group"]})["node"]
    assert bank["parent"] == {"name": "Huaxia Bank Group"}
    assert group["parent"] is None
    assert group["subsidiaries"] == [{"name": "Huaxia Bank Shanghai"}]


def test_a_customer_moves_between_groups_and_leaves_them(api: Api, world: dict[str, str]) -> None:
    branch = _create(api, CUSTOMER_CREATE, {"name": "Renji Pudong Branch"})
    moved = api.mutate(
        CUSTOMER_UPDATE, {"id": branch, "i": {"version": 1, "parentId": world["hospital"]}}
    )["customer"]
    assert moved["parent"] == {"name": "Renji Hospital"}
    assert moved["version"] == 2
    renamed = api.mutate(
        CUSTOMER_UPDATE, {"id": branch, "i": {"version": 2, "name": "Renji East Branch"}}
    )["customer"]
    assert renamed["parent"] == {"name": "Renji Hospital"}, "leaving parentId out keeps it"
    alone = api.mutate(CUSTOMER_UPDATE, {"id": branch, "i": {"version": 3, "parentId": None}})
    assert alone["customer"]["parent"] is None
    hospital = api.data(CUSTOMER, {"id": world["hospital"]})["node"]
    assert hospital["subsidiaries"] == []


def test_a_group_cannot_sit_under_its_own_subsidiary(api: Api, world: dict[str, str]) -> None:
    version = api.data(CUSTOMER, {"id": world["group"]})["node"]["version"]
    en, zh = refused_twice(
        api,
        CUSTOMER_UPDATE,
        {"id": world["group"], "i": {"version": version, "parentId": world["bank"]}},
        "BAD_USER_INPUT",
        ["input", "parentId"],
    )
    assert en == (
        "Huaxia Bank Shanghai cannot be the parent company of Huaxia Bank Group: "
        "it is Huaxia Bank Group itself or one of its subsidiaries"
    )
    assert zh == (
        "Huaxia Bank Shanghai不能作为Huaxia Bank Group的上级公司："
        "它是Huaxia Bank Group本身或其下属公司"
    )
    itself = {"id": world["group"], "i": {"version": version, "parentId": world["group"]}}
    refused_twice(api, CUSTOMER_UPDATE, itself, "BAD_USER_INPUT", ["input", "parentId"])


def test_an_unknown_or_wrong_parent_is_refused_on_parent_id(
    api: Api, world: dict[str, str]
) -> None:
    missing = {"name": "Orphan Ltd", "parentId": gid(NodeKind.CUSTOMER, "no-such-customer")}
    en, zh = refused_twice(api, CUSTOMER_CREATE, {"i": missing}, "NOT_FOUND", ["input", "parentId"])
    assert en == "No customer with this id exists, or you may not see it"
    assert zh == "该客户不存在，或您无权查看"
    wrong = {"name": "Orphan Ltd", "parentId": world["cio"]}
    en, zh = refused_twice(
        api, CUSTOMER_CREATE, {"i": wrong}, "BAD_USER_INPUT", ["input", "parentId"]
    )
    assert en == "must be the ID of a customer, not of a key person"
    assert zh == "须为客户的 ID，而不是关键人的"


# --- org chart and influence -------------------------------------------------------------------


def test_reporting_lines_stay_within_one_customer_or_group(api: Api, world: dict[str, str]) -> None:
    en, zh = refused_twice(
        api,
        REPORTS_TO,
        {"i": {"personId": world["cio"], "managerId": world["president"]}},
        "BAD_USER_INPUT",
        ["input", "managerId"],
    )
    assert en == (
        "Zhou Bin (Huaxia Bank Shanghai) cannot report to Chen Jie (Renji Hospital): "
        "reporting lines stay within one customer or its group"
    )
    assert zh == (
        "Zhou Bin（Huaxia Bank Shanghai）不能向Chen Jie（Renji Hospital）汇报："
        "汇报关系只能在同一客户或同一集团内"
    )
    same = api.mutate(REPORTS_TO, {"i": {"personId": world["cio"], "managerId": world["cfo"]}})
    assert same["keyPerson"]["reportsTo"]["name"] == "Wang Fang"
    group = api.mutate(REPORTS_TO, {"i": {"personId": world["cfo"], "managerId": world["officer"]}})
    assert group["keyPerson"]["reportsTo"]["name"] == "Liu Qiang"


def test_influence_stays_within_one_customer_or_group(api: Api, world: dict[str, str]) -> None:
    en, zh = refused_twice(
        api,
        INFLUENCE,
        {"i": {"fromPersonId": world["president"], "toPersonId": world["cio"]}},
        "BAD_USER_INPUT",
        ["input", "toPersonId"],
    )
    assert en.startswith("Chen Jie (Renji Hospital) cannot be recorded as influencing Zhou Bin")
    assert zh.startswith(
        "不能记录Chen Jie（Renji Hospital）对Zhou Bin（Huaxia Bank Shanghai）的影响"
    )
    ok = api.mutate(
        INFLUENCE, {"i": {"fromPersonId": world["officer"], "toPersonId": world["cio"]}}
    )
    assert ok["keyPerson"]["influences"] == [{"person": {"name": "Zhou Bin"}}]


# --- decision chain ----------------------------------------------------------------------------


def _member(world: dict[str, str], person: str, **extra: Any) -> dict[str, Any]:
    return {"i": {"personId": world[person], "opportunityId": world["deal"], **extra}}


def test_an_outsider_joins_a_chain_only_as_an_external_member(
    api: Api, world: dict[str, str]
) -> None:
    en, zh = refused_twice(
        api,
        CHAIN_SET,
        _member(world, "president", role="APPROVER"),
        "BAD_USER_INPUT",
        ["input", "personId"],
    )
    assert en == (
        "Chen Jie works at Renji Hospital, not at Huaxia Bank Shanghai, the customer of Core "
        "banking renewal: a person of another organisation joins the decision chain only as "
        "an external member (externalKind)"
    )
    assert zh.startswith("Chen Jie就职于Renji Hospital，不是商机「Core banking renewal」的客户")
    expert = api.mutate(
        CHAIN_SET,
        _member(world, "consultant", role="TECHNICAL_EVALUATOR", externalKind="CONSULTANT"),
    )
    assert expert["keyPerson"]["decisionChains"] == [
        {"role": "TECHNICAL_EVALUATOR", "external": True, "externalKind": "CONSULTANT"}
    ]
    # a change of place keeps the external mark when it is not mentioned
    api.mutate(CHAIN_SET, _member(world, "consultant", role="BUSINESS_EVALUATOR"))
    members = api.data(CHAIN, {"id": world["deal"]})["node"]["decisionChain"]["members"]
    shown = {m["person"]["name"]: m for m in members}
    assert shown["Zhao Lei"] == {
        "person": {"name": "Zhao Lei", "customer": {"name": "Deyi Consulting"}},
        "role": "BUSINESS_EVALUATOR",
        "attitude": "NEUTRAL",
        "external": True,
        "externalKind": "CONSULTANT",
    }
    assert shown["Zhou Bin"]["external"] is False
    assert shown["Zhou Bin"]["externalKind"] is None
    # clearing the mark of an outsider is refused like leaving it out on joining
    refused_twice(
        api,
        CHAIN_SET,
        _member(world, "consultant", role="USER", externalKind=None),
        "BAD_USER_INPUT",
        ["input", "personId"],
    )


def test_a_group_officer_comes_from_a_parent_company(api: Api, world: dict[str, str]) -> None:
    en, zh = refused_twice(
        api,
        CHAIN_SET,
        _member(world, "president", role="APPROVER", externalKind="GROUP_OFFICER"),
        "BAD_USER_INPUT",
        ["input", "externalKind"],
    )
    assert en == (
        "Chen Jie works at Renji Hospital, which is not a parent company of Huaxia Bank "
        "Shanghai: only people of the customer's group companies join as group officer"
    )
    assert zh == (
        "Chen Jie就职的Renji Hospital不是Huaxia Bank Shanghai的上级集团公司："
        "只有客户所属集团的人员才能作为集团总部人员加入"
    )
    officer = api.mutate(
        CHAIN_SET, _member(world, "officer", role="APPROVER", externalKind="GROUP_OFFICER")
    )
    assert officer["keyPerson"]["decisionChains"][0]["externalKind"] == "GROUP_OFFICER"


def test_the_customers_own_people_are_not_external(api: Api, world: dict[str, str]) -> None:
    en, zh = refused_twice(
        api,
        CHAIN_SET,
        _member(world, "cfo", role="FINANCE", externalKind="TENDER_EXPERT"),
        "BAD_USER_INPUT",
        ["input", "externalKind"],
    )
    assert en.startswith("Wang Fang works at Huaxia Bank Shanghai, the customer of Core banking")
    assert zh.startswith("Wang Fang就职于商机「Core banking renewal」的客户Huaxia Bank Shanghai")


# --- activities --------------------------------------------------------------------------------


def _meeting(world: dict[str, str], *people: str, deal: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "MEETING",
        "occurredAt": "2025-09-01T10:00:00Z",
        "summary": "Steering meeting",
        "personIds": [world[p] for p in people],
    }
    if deal:
        data["opportunityId"] = world["deal"]
    return {"i": data}


def test_a_meeting_about_a_deal_is_with_its_customer_or_external_members(
    api: Api, world: dict[str, str]
) -> None:
    en, zh = refused_twice(
        api,
        ACTIVITY,
        _meeting(world, "cio", "president"),
        "BAD_USER_INPUT",
        ["input", "personIds", "1"],
    )
    assert en == (
        "Chen Jie works at Renji Hospital, not at Huaxia Bank Shanghai, the customer of Core "
        "banking renewal: put them in its decision chain as an external member first"
    )
    assert zh == (
        "Chen Jie就职于Renji Hospital，不是商机「Core banking renewal」的客户Huaxia Bank "
        "Shanghai的人员：请先将其作为外部人员加入该商机的决策链"
    )
    api.mutate(CHAIN_SET, _member(world, "consultant", role="USER", externalKind="CONSULTANT"))
    assert api.mutate(ACTIVITY, _meeting(world, "cio", "consultant"))["activity"]["id"]


def test_a_meeting_without_a_deal_is_with_people_of_one_group(
    api: Api, world: dict[str, str]
) -> None:
    en, zh = refused_twice(
        api,
        ACTIVITY,
        _meeting(world, "cio", "president", deal=False),
        "BAD_USER_INPUT",
        ["input", "personIds", "1"],
    )
    assert en.startswith("Chen Jie (Renji Hospital) and Zhou Bin (Huaxia Bank Shanghai) work")
    assert zh.startswith(
        "Chen Jie（Renji Hospital）与Zhou Bin（Huaxia Bank Shanghai）分属无关的客户"
    )
    ok = api.mutate(ACTIVITY, _meeting(world, "cio", "officer", deal=False))
    assert ok["activity"]["id"]


# --- one error per problem ---------------------------------------------------------------------


def test_a_too_long_name_is_one_error_not_also_missing(api: Api, world: dict[str, str]) -> None:
    data = {"i": {"customerId": world["bank"], "name": "x" * 5000}}
    en, zh = refused_twice(api, PERSON_CREATE, data, "BAD_USER_INPUT", ["input", "name"])
    assert en == "must be at most 100 characters"
    assert zh == "不能超过 100 个字符"
