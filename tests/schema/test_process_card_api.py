"""What a deal's page needs to show its process to each of its people, as deployed: an
approval names its process in the reader's language and who decides it, and says whether the
reader may decide it now (by the rules ``approvalDecide`` applies); the deal names the stage a
move forward enters. Each person with their own login on the demo deal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from api_helpers import Api, gid, open_api
from people import Person, add_person

from dealgraph.demo import load_demo
from domain.model import NodeKind
from graph.executor import Executor

ERR = "userErrors { field message code }"
DEAL = gid(NodeKind.OPPORTUNITY, "demo-opp-smart-hospital")
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
REQUEST = f"""mutation($i: ApprovalRequestInput!) {{ approvalRequest(input: $i) {{
  approval {{ id }} {ERR} }} }}"""
DECIDE = f"""mutation($id: ID!, $i: ApprovalDecideInput!) {{ approvalDecide(id: $id, input: $i) {{
  approval {{ state }} {ERR} }} }}"""
APPROVALS = """query($id: ID!) { node(id: $id) { ... on Opportunity { nextStage
  approvals { id processName approverRoles mayDecide
    processFields { name type label notBefore } } } } }"""
POC = {"test_scope": "EMR and nursing", "start_date": "2026-01-05", "end_date": "2026-01-30"}


@dataclass
class World:
    api: Api
    li: Person
    deng: Person
    su: Person
    viewer: Person


@pytest.fixture(scope="module")
def world(api_executor: Executor) -> Iterator[World]:
    """The demo deal; its account manager asks for a POC, which a delivery manager or a sales
    director decides."""
    with open_api(api_executor) as api:
        load_demo(api.store)
        li = add_person(api.store, "li.mingxuan", "account_manager", "demo-tm-account")
        world = World(
            api,
            li,
            add_person(api.store, "deng.zhigang", "delivery_manager", "demo-tm-delivery"),
            add_person(api.store, "su.wanqing", "solution_manager", "demo-tm-solution"),
            add_person(api.store, "jiang.yutong", "viewer", "demo-tm-service"),
        )
        sent = {"opportunityId": DEAL, "process": "4-1", "fields": POC}
        api.as_(li).mutate(REQUEST, {"i": sent})
        yield world


def _approval(api: Api, headers: dict[str, str] | None = None) -> dict[str, object]:
    body = api.body(APPROVALS, {"id": DEAL}, headers=headers)
    assert "errors" not in body, body
    (approval,) = body["data"]["node"]["approvals"]
    result: dict[str, object] = approval
    return result


def test_an_approval_names_its_process_and_who_decides_it(world: World) -> None:
    li = world.api.as_(world.li)
    assert _approval(li)["processName"] == "TAS+4-1 Presales test (POC) request"
    assert _approval(li, ZH)["processName"] == "TAS+4-1 售前测试申请流程"
    assert _approval(li)["approverRoles"] == ["DELIVERY_MANAGER", "SALES_DIRECTOR"]


def test_an_approval_labels_the_fields_its_process_asks_for(world: World) -> None:
    """An approver reads the request's values under the names people know them by."""
    li = world.api.as_(world.li)
    fields: list[dict[str, str]] = _approval(li)["processFields"]  # type: ignore[assignment]
    assert [(f["name"], f["type"], f["label"]) for f in fields] == [
        ("test_scope", "text", "Test scope"),
        ("start_date", "date", "Start date"),
        ("end_date", "date", "End date"),
    ]
    assert fields[2]["notBefore"] == "start_date"
    zh: list[dict[str, str]] = _approval(li, ZH)["processFields"]  # type: ignore[assignment]
    assert [f["label"] for f in zh] == ["测试范围", "开始日期", "结束日期"]


def test_only_whoever_may_decide_is_told_so(world: World) -> None:
    """Not the requester, not a solution manager, not a viewer; the delivery manager on the
    deal may, until he has decided."""
    for person in (world.li, world.su, world.viewer):
        assert _approval(world.api.as_(person))["mayDecide"] is False, person.login
    deng = world.api.as_(world.deng)
    approval = _approval(deng)
    assert approval["mayDecide"] is True
    deng.mutate(DECIDE, {"id": approval["id"], "i": {"decision": "APPROVE"}})
    assert _approval(deng)["mayDecide"] is False


def test_the_deal_names_the_stage_a_move_forward_enters(world: World) -> None:
    node = world.api.as_(world.viewer).data(APPROVALS, {"id": DEAL})["node"]
    assert node["nextStage"] == "PROPOSAL"


MISSING = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  missingApprovals { process processName state mayRequest requesterRoles approverRoles
    fields { name type label required notBefore } } } } }"""


def _missing(api: Api, headers: dict[str, str] | None = None) -> dict[str, dict[str, object]]:
    body = api.body(MISSING, {"id": DEAL}, headers=headers)
    assert "errors" not in body, body
    return {m["process"]: m for m in body["data"]["node"]["missingApprovals"]}


def test_the_deal_lists_the_approvals_its_next_stage_lacks_and_who_may_request_them(
    world: World,
) -> None:
    """Every approval the move to Proposal needs, none yet requested; the account manager
    may request each, the solution manager all but the initiation (an account manager's),
    the viewer none; one requested leaves the list and comes back once withdrawn."""
    li = world.api.as_(world.li)
    missing = _missing(li)
    assert list(missing) == ["1-1", "1-2", "2-1", "3-1", "3-2"]
    assert all(m["mayRequest"] and m["state"] is None for m in missing.values())
    assert missing["2-1"]["processName"] == "TAS+2-1 Opportunity initiation"
    assert missing["2-1"]["requesterRoles"] == ["ACCOUNT_MANAGER"]
    # who decides each once asked, as the process file says (a lead expert or a director the
    # technical guidance plan, a director alone the rest)
    assert missing["3-1"]["approverRoles"] == ["LEAD_EXPERT", "SALES_DIRECTOR"]
    assert missing["2-1"]["approverRoles"] == ["SALES_DIRECTOR"]
    assert missing["1-1"]["fields"] == []
    assert _missing(li, ZH)["2-1"]["processName"] == "TAS+2-1 商机立项流程"
    su = _missing(world.api.as_(world.su))
    assert [c for c, m in su.items() if not m["mayRequest"]] == ["2-1"]
    assert not any(m["mayRequest"] for m in _missing(world.api.as_(world.viewer)).values())
    sent = {"opportunityId": DEAL, "process": "1-1", "comment": "Lead qualified"}
    asked = li.mutate(REQUEST, {"i": sent})
    assert "1-1" not in _missing(li)
    li.mutate(DECIDE, {"id": asked["approval"]["id"], "i": {"decision": "WITHDRAW"}})
    again = _missing(li)["1-1"]
    assert again["state"] == "WITHDRAWN"
    assert again["mayRequest"] is True


OPTIONAL = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  optionalApprovals { process processName state mayRequest } } } }"""


def _optional(api: Api) -> dict[str, dict[str, object]]:
    return {m["process"]: m for m in api.data(OPTIONAL, {"id": DEAL})["node"]["optionalApprovals"]}


def test_the_deal_offers_the_processes_one_may_also_request_besides_its_gate(
    world: World,
) -> None:
    """At value presentation the gate's approvals are listed as missing, not here; presales
    resources wait for the initiation; a grade's own approval and the upgrade are the gate's;
    a POC is offered unless one is pending (the other tests decide the one asked for). One
    asked for leaves the list while pending and comes back with its outcome; the viewer may
    request none."""
    li = world.api.as_(world.li)
    offered = _optional(li)
    approvals = li.data(STATES, {"id": DEAL})["node"]["approvals"]
    pending_poc = any(a["process"] == "4-1" and a["state"] == "PENDING" for a in approvals)
    assert set(offered) == ({"1-3"} if pending_poc else {"1-3", "4-1"})
    assert not set(offered) & {"1-1", "1-2", "2-1", "3-1", "3-2", "2-2", "2-3", "2-4"}
    assert offered["1-3"]["processName"] == "TAS+1-3 Change of customer core information"
    assert offered["1-3"]["mayRequest"] is True
    assert offered["1-3"]["state"] is None
    assert not any(m["mayRequest"] for m in _optional(world.api.as_(world.viewer)).values())
    sent = {"opportunityId": DEAL, "process": "1-3", "comment": "New legal name"}
    asked = li.mutate(REQUEST, {"i": sent})
    assert "1-3" not in _optional(li)
    li.mutate(DECIDE, {"id": asked["approval"]["id"], "i": {"decision": "WITHDRAW"}})
    assert _optional(li)["1-3"]["state"] == "WITHDRAWN"


STATES = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  approvals { process state createdAt } } } }"""


def test_an_approval_to_request_says_what_to_tell_whoever_decides_it(world: World) -> None:
    """The account manager asking for a change of the customer's core facts is told, in his
    language, what the sales director decides on: the field, its old and new value, why, and
    how the new value was checked."""
    li = world.api.as_(world.li)
    help_of = """query($id: ID!) { node(id: $id) { ... on Opportunity {
      optionalApprovals { process requestHelp } } } }"""

    def said(headers: dict[str, str] | None = None) -> str:
        node = li.body(help_of, {"id": DEAL}, headers=headers)["data"]["node"]
        asked = (m for m in node["optionalApprovals"] if m["process"] == "1-3")
        return str(next(asked)["requestHelp"])

    assert said() == (
        "Which core field changes, from what to what and why, and how the new value was checked."
    )
    assert said(ZH) == "修改哪项核心信息、由什么改为什么、原因，以及新值如何核实。"
