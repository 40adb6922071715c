"""A refusal for something that does not exist, or that the caller may not see, over HTTP as
deployed: it says which kind of thing was not found, on the input field that named it, in
English and zh-CN, and never quotes a store id (people know things by names; the API speaks
global IDs). Nothing hidden is told apart from nothing at all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, Json, gid, open_api, raw, snapshot
from people import add_person

from domain.model import NodeKind
from graph.executor import Executor

ERR = "userErrors { field message code }"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}

CUSTOMER_CREATE = f"""mutation($i: CustomerCreateInput!) {{ customerCreate(input: $i) {{
    customer {{ id }} {ERR} }} }}"""
MEMBER_CREATE = f"""mutation($i: TeamMemberCreateInput!) {{ teamMemberCreate(input: $i) {{
    teamMember {{ id }} {ERR} }} }}"""
PERSON_CREATE = f"""mutation($i: KeyPersonCreateInput!) {{ keyPersonCreate(input: $i) {{
    keyPerson {{ id }} {ERR} }} }}"""
OPPORTUNITY_CREATE = f"""mutation($i: OpportunityCreateInput!) {{ opportunityCreate(input: $i) {{
    opportunity {{ id }} {ERR} }} }}"""
OPPORTUNITY_UPDATE = f"""mutation($id: ID!, $i: OpportunityUpdateInput!) {{
    opportunityUpdate(id: $id, input: $i) {{ opportunity {{ id }} {ERR} }} }}"""
CHAIN_SET = f"""mutation($i: DecisionChainMemberInput!) {{ decisionChainMemberSet(input: $i) {{
    keyPerson {{ id }} opportunity {{ id }} {ERR} }} }}"""
CHAIN_REMOVE = f"""mutation($i: DecisionChainMemberInput!) {{
    decisionChainMemberRemove(input: $i) {{ keyPerson {{ id }} opportunity {{ id }} {ERR} }} }}"""
ACTIVITY = f"""mutation($i: ActivityLogInput!) {{ activityLog(input: $i) {{
    activity {{ id }} {ERR} }} }}"""


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        yield client


@pytest.fixture(scope="module")
def world(api: Api) -> dict[str, str]:
    """A hospital with its CIO and a deal, made by the administrator; Wu, an account manager
    on no team, who may see none of it."""
    cid = _made(api, CUSTOMER_CREATE, {"name": "Provincial Hospital"})
    pid = _made(api, PERSON_CREATE, {"customerId": cid, "name": "Dr Li"})
    oid = _made(api, OPPORTUNITY_CREATE, {"customerId": cid, "name": "HIS upgrade"})
    wu = _made(api, MEMBER_CREATE, {"name": "Wu Fang", "role": "ACCOUNT_MANAGER"})
    return {"customer": cid, "person": pid, "deal": oid, "wu": wu}


def _made(api: Api, query: str, data: dict[str, Any]) -> str:
    payload = api.mutate(query, {"i": data})
    return str(next(v for k, v in payload.items() if k != "userErrors")["id"])


def _refusals(api: Api, query: str, variables: dict[str, Any]) -> list[tuple[Json, Json]]:
    """The userErrors in English and zh-CN, pairwise; nothing written either time."""
    answers = []
    for headers in ({}, ZH):
        before = snapshot(api.store)
        result = api.body(query, variables, headers=headers)
        assert "errors" not in result, result
        (payload,) = result["data"].values()
        assert all(v is None for k, v in payload.items() if k != "userErrors"), payload
        assert snapshot(api.store) == before, "a refused mutation changed the graph"
        answers.append(payload["userErrors"])
    return list(zip(answers[0], answers[1], strict=True))


def _one(api: Api, query: str, variables: dict[str, Any], field: list[str]) -> tuple[str, str]:
    ((en, zh),) = _refusals(api, query, variables)
    assert (en["field"], en["code"]) == (field, "NOT_FOUND"), en
    assert (zh["field"], zh["code"]) == (field, "NOT_FOUND"), zh
    return en["message"], zh["message"]


def test_an_unknown_id_is_named_by_its_kind_on_its_field_never_by_its_store_id(
    api: Api, world: dict[str, str]
) -> None:
    ghost = gid(NodeKind.OPPORTUNITY, "op-ghost-7")
    chain = {"personId": world["person"], "opportunityId": ghost, "role": "APPROVER"}
    en, zh = _one(api, CHAIN_SET, {"i": chain}, ["input", "opportunityId"])
    assert en == "No opportunity with this id exists, or you may not see it"
    assert zh == "该商机不存在，或您无权查看"

    nobody = gid(NodeKind.KEY_PERSON, "kp-nobody")
    en, zh = _one(
        api,
        CHAIN_SET,
        {"i": {**chain, "opportunityId": world["deal"], "personId": nobody}},
        ["input", "personId"],
    )
    assert en == "No key person with this id exists, or you may not see it"
    assert zh == "该关键人不存在，或您无权查看"

    en, zh = _one(api, OPPORTUNITY_UPDATE, {"id": ghost, "i": {"version": 1}}, ["id"])
    assert en == "No opportunity with this id exists, or you may not see it"
    for text in (en, zh):
        assert "op-ghost-7" not in text
        assert ghost not in text


def test_what_the_caller_may_not_see_reads_exactly_like_what_does_not_exist(
    api: Api, world: dict[str, str]
) -> None:
    wu = api.as_(add_person(api.store, "wu.fang", "account_manager", raw(world["wu"])))
    hidden = _one(wu, OPPORTUNITY_UPDATE, {"id": world["deal"], "i": {"version": 1}}, ["id"])
    ghost = gid(NodeKind.OPPORTUNITY, "op-ghost-8")
    assert hidden == _one(wu, OPPORTUNITY_UPDATE, {"id": ghost, "i": {"version": 1}}, ["id"])
    assert raw(world["deal"]) not in "".join(hidden)


def test_each_unknown_id_in_a_list_is_refused_at_its_place(api: Api, world: dict[str, str]) -> None:
    """A frontend marks the very item that names nothing, not the whole list."""
    people = [gid(NodeKind.KEY_PERSON, "kp-a"), world["person"], gid(NodeKind.KEY_PERSON, "kp-b")]
    logged = {"type": "CALL", "occurredAt": "2025-09-01T09:30:00+00:00", "summary": "call"}
    refusals = _refusals(api, ACTIVITY, {"i": {**logged, "personIds": people}})
    assert [(en["field"], en["code"]) for en, _ in refusals] == [
        (["input", "personIds", "0"], "NOT_FOUND"),
        (["input", "personIds", "2"], "NOT_FOUND"),
    ]
    (en, zh) = refusals[0]
    assert en["message"] == "No key person with this id exists, or you may not see it"
    assert zh["message"] == "该关键人不存在，或您无权查看"


def test_removing_a_tie_that_is_not_there_says_so_by_name(api: Api, world: dict[str, str]) -> None:
    chain = {"personId": world["person"], "opportunityId": world["deal"], "role": "APPROVER"}
    en, zh = _one(api, CHAIN_REMOVE, {"i": chain}, ["input", "opportunityId"])
    assert en == "Dr Li is not in the decision chain of HIS upgrade"
    assert zh == "Dr Li不在HIS upgrade的决策链中"


def test_a_malformed_id_in_an_input_is_a_user_error_on_its_field(
    api: Api, world: dict[str, str]
) -> None:
    """An ID that is no ID of this API at all ("garbage") is the client's mistake in one
    field: a userError there, in the request's language, not a failure of the whole request."""
    chain = {"personId": world["person"], "opportunityId": "garbage", "role": "APPROVER"}
    ((en, zh),) = _refusals(api, CHAIN_SET, {"i": chain})
    assert (en["field"], en["code"]) == (["input", "opportunityId"], "BAD_USER_INPUT")
    assert (zh["field"], zh["code"]) == (["input", "opportunityId"], "BAD_USER_INPUT")
    assert en["message"] == "must be the ID of an opportunity; this is no ID of this API"
    assert zh["message"] == "须为商机的 ID，这不是本 API 的 ID"

    logged = {"type": "CALL", "occurredAt": "2025-09-01T09:30:00+00:00", "summary": "call"}
    people = [world["person"], "not-an-id"]
    ((en, _),) = _refusals(api, ACTIVITY, {"i": {**logged, "personIds": people}})
    assert (en["field"], en["code"]) == (["input", "personIds", "1"], "BAD_USER_INPUT")
