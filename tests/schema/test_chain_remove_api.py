"""Taking a key person out of a decision chain, over HTTP as deployed: a person has one place
in a deal's chain, and the role the client names is a guard. When it is not the person's role
there, nothing is removed and the refusal, on ``input.role``, names the person and the role
they really have, in English and zh-CN; the right role removes them as before."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, Json, open_api, snapshot

from graph.executor import Executor

ERR = "userErrors { field message code }"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}

CUSTOMER_CREATE = f"""mutation($i: CustomerCreateInput!) {{ customerCreate(input: $i) {{
    customer {{ id }} {ERR} }} }}"""
PERSON_CREATE = f"""mutation($i: KeyPersonCreateInput!) {{ keyPersonCreate(input: $i) {{
    keyPerson {{ id }} {ERR} }} }}"""
OPPORTUNITY_CREATE = f"""mutation($i: OpportunityCreateInput!) {{ opportunityCreate(input: $i) {{
    opportunity {{ id }} {ERR} }} }}"""
CHAIN_SET = f"""mutation($i: DecisionChainMemberInput!) {{ decisionChainMemberSet(input: $i) {{
    keyPerson {{ id }} opportunity {{ id }} {ERR} }} }}"""
CHAIN_REMOVE = f"""mutation($i: DecisionChainMemberInput!) {{
    decisionChainMemberRemove(input: $i) {{ keyPerson {{ id }} opportunity {{ id
        decisionChain {{ members {{ person {{ name }} role }} }} }} {ERR} }} }}"""


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        yield client


def _made(api: Api, query: str, data: dict[str, Any]) -> str:
    payload = api.mutate(query, {"i": data})
    return str(next(v for k, v in payload.items() if k != "userErrors")["id"])


def _deal_with_li_wei_deciding(api: Api) -> dict[str, str]:
    cid = _made(api, CUSTOMER_CREATE, {"name": "Provincial Hospital"})
    pid = _made(api, PERSON_CREATE, {"customerId": cid, "name": "Li Wei"})
    oid = _made(api, OPPORTUNITY_CREATE, {"customerId": cid, "name": "HIS upgrade"})
    place = {"personId": pid, "opportunityId": oid, "role": "DECISION_MAKER"}
    api.mutate(CHAIN_SET, {"i": place})
    return place


def _refused(api: Api, place: dict[str, str], headers: dict[str, str]) -> Json:
    before = snapshot(api.store)
    result = api.body(CHAIN_REMOVE, {"i": place}, headers=headers)
    assert "errors" not in result, result
    payload = result["data"]["decisionChainMemberRemove"]
    assert (payload["keyPerson"], payload["opportunity"]) == (None, None), payload
    assert snapshot(api.store) == before, "a refused removal changed the graph"
    (error,) = payload["userErrors"]
    return dict(error)


def test_another_role_than_theirs_removes_nothing_and_names_their_role(api: Api) -> None:
    place = _deal_with_li_wei_deciding(api)
    wrong = {**place, "role": "APPROVER"}
    en, zh = _refused(api, wrong, {}), _refused(api, wrong, ZH)
    assert (en["field"], en["code"]) == (["input", "role"], "CONFLICT")
    assert (zh["field"], zh["code"]) == (["input", "role"], "CONFLICT")
    assert en["message"] == "Li Wei is in this decision chain as decision maker, not as approver"
    assert zh["message"] == "Li Wei在此决策链中的角色是决策者，而不是审批者"


def test_their_own_role_takes_them_out_as_before(api: Api) -> None:
    place = _deal_with_li_wei_deciding(api)
    gone = api.mutate(CHAIN_REMOVE, {"i": place})
    assert gone["opportunity"]["decisionChain"]["members"] == []
    again = _refused(api, place, {})
    assert (again["field"], again["code"]) == (["input", "opportunityId"], "NOT_FOUND")
